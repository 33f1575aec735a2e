import Foundation
import Testing
@testable import Tabular

/// The producer hands chunks over in order, and reports how long it waited for room.
@Suite struct ProducerThreadTests {
    @Test func chunksArriveInOrderThenTheEnd() throws {
        let producer = ProducerThread<Int, TabularError>(depth: 2, name: "test") { queue in
            for value in 0..<100 { guard queue.put(value) else { return } }
        }
        defer { producer.cancelAndWait() }
        var received: [Int] = []
        while let value = try producer.take() { received.append(value) }
        #expect(received == Array(0..<100))
    }

    @Test func aSlowConsumerMakesTheProducerWait() throws {
        let producer = ProducerThread<Int, TabularError>(depth: 1, name: "test") { queue in
            for value in 0..<3 { guard queue.put(value) else { return } }
        }
        defer { producer.cancelAndWait() }
        // The first chunk fills the queue; the second waits until this take.
        Thread.sleep(forTimeInterval: 0.2)
        var received: [Int] = []
        while let value = try producer.take() { received.append(value) }
        #expect(received == [0, 1, 2])
        #expect(producer.producerBlockedSeconds >= 0.1)
    }

    @Test func aFastConsumerLeavesTheProducerAlone() throws {
        let producer = ProducerThread<Int, TabularError>(depth: 8, name: "test") { queue in
            for value in 0..<4 { guard queue.put(value) else { return } }
        }
        defer { producer.cancelAndWait() }
        while try producer.take() != nil {}
        #expect(producer.producerBlockedSeconds == 0, "four chunks fit a queue of eight")
    }
}
