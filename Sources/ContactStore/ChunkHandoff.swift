import Foundation

/// A bounded queue of byte chunks from one producing helper thread to one consumer, so work
/// that needs no SQLite (merging the new contacts' key runs) runs on another core while the
/// store's thread inserts what it has already produced.
///
/// The producer gets `false` from `put` once the consumer has gone; the consumer gets the
/// producer's error after the chunks delivered before it. Spent chunks go back to the
/// producer (`recycle`), so a long merge allocates `depth + 2` chunks, not one per batch.
final class ChunkHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var full: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var finished = false
    private var cancelled = false
    private var failure: StoreError?
    private let exited = DispatchSemaphore(value: 0)

    init(depth: Int) {
        self.depth = max(1, depth)
    }

    /// Runs `produce` on a new thread; it hands chunks over with `put` and ends by returning
    /// or throwing. `cancelAndWait` waits for it.
    func start(_ produce: @escaping @Sendable (ChunkHandoff) throws(StoreError) -> Void) {
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
        thread.name = "key-merge"
        thread.start()
    }

    /// Producer: queues a chunk (waiting while `depth` are queued); false once cancelled.
    func put(_ chunk: [UInt8]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while full.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        full.append(chunk)
        condition.broadcast()
        return true
    }

    /// Producer: an empty chunk with its capacity kept, if the consumer gave one back.
    func recycled() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast()
    }

    /// Consumer: the next chunk in order, nil when the producer is done; rethrows its error.
    func take() throws(StoreError) -> [UInt8]? {
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

    /// Consumer: gives a spent chunk back for the producer to fill again.
    func recycle(_ chunk: inout [UInt8]) {
        chunk.removeAll(keepingCapacity: true)
        condition.lock()
        if spare.count < 2 { spare.append(chunk) }
        condition.unlock()
        chunk = []
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
