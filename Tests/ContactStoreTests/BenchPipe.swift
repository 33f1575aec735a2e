import ContactStore
import ContactModel
import Foundation

/// A bounded hand-off of prepared batches from a producer thread to the store's thread, as the
/// pipeline would do it (the benchmark's stand-in for reader → store).
final class BenchPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [PreparedBatch] = []
    private var finished = false
    private let capacity: Int

    init(capacity: Int = 2) {
        self.capacity = capacity
    }

    func put(_ batch: PreparedBatch) {
        condition.lock()
        while queue.count >= capacity { condition.wait() }
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func take() -> PreparedBatch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if queue.isEmpty { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }
}
