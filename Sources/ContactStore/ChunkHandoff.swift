import Foundation

/// A bounded queue of chunks from one producing helper thread to one consumer, so work that
/// needs no SQLite (merging the new contacts' key runs, reading and folding the rows waiting to
/// be settled) runs on another core while the store's thread writes what it already has.
///
/// The producer gets `false` from `put` once the consumer has gone; the consumer gets the
/// producer's error after the chunks delivered before it. Emptied chunks can go back to the
/// producer (`recycle`), so a long run allocates `depth + 2` chunks, not one per batch.
final class ChunkHandoff<Chunk>: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var full: [Chunk] = []
    private var spare: [Chunk] = []
    private var finished = false
    private var cancelled = false
    private var failure: StoreError?
    private let exited = DispatchSemaphore(value: 0)

    init(depth: Int) {
        self.depth = max(1, depth)
    }

    /// Starts `producers` threads named `name`, each running `produce` with its own queue and
    /// its number (producer `k` makes chunks `k`, `k + producers`, ...), and runs `consume` on
    /// this thread for every chunk in order, taking them round-robin. Rethrows the first error
    /// either side meets; returns once every helper thread has ended.
    static func run(depth: Int, name: String, producers: Int = 1,
                    produce: @escaping @Sendable (ChunkHandoff, Int) throws(StoreError) -> Void,
                    consume: (inout Chunk) throws(StoreError) -> Void) throws(StoreError) {
        let handoffs = (0..<max(1, producers)).map { _ in ChunkHandoff(depth: depth) }
        for (index, handoff) in handoffs.enumerated() {
            handoff.start(name: name) { (handoff) throws(StoreError) in try produce(handoff, index) }
        }
        defer { for handoff in handoffs { handoff.cancelAndWait() } }
        var next = 0
        while var chunk = try handoffs[next].take() {
            try consume(&chunk)
            handoffs[next].recycle(chunk)
            next = (next + 1) % handoffs.count
        }
    }

    /// Runs `produce` on a new thread; it hands chunks over with `put` and ends by returning
    /// or throwing. `cancelAndWait` waits for it.
    func start(name: String, _ produce: @escaping @Sendable (ChunkHandoff) throws(StoreError) -> Void) {
        let thread = Thread { [self] in
            defer { exited.signal() }
            var thrown: StoreError?
            do throws(StoreError) { try produce(self) } catch { thrown = error }
            condition.lock()
            finished = true
            failure = thrown
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// Producer: queues a chunk (waiting while `depth` are queued); false once cancelled.
    func put(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while full.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        full.append(chunk)
        condition.broadcast()
        return true
    }

    /// Producer: an empty chunk with its capacity kept, if the consumer gave one back.
    func recycled() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast()
    }

    /// Consumer: the next chunk in order, nil when the producer is done; rethrows its error.
    func take() throws(StoreError) -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !finished { condition.wait() }
        if !full.isEmpty {
            condition.broadcast()
            return full.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Consumer: gives a chunk it has emptied back for the producer to fill again.
    func recycle(_ chunk: Chunk) {
        condition.lock()
        if spare.count < 2 { spare.append(chunk) }
        condition.unlock()
    }

    /// Consumer: stops the producer (its next `put` returns false) and waits for its thread.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }
}
