import Foundation

/// A producer on a thread of its own, handing what it makes to one consumer in order through a
/// bounded queue, so producing runs on one core while the consumer works on another: parsing a
/// sheet while rows are printed or imported (`BackgroundRows`), merging key runs or folding
/// waiting rows while the store writes (the store's `ChunkHandoff`).
///
/// The producer gets `false` from `put` once the consumer has gone; the consumer gets what the
/// producer threw after the chunks it delivered before. Chunks the consumer has emptied can go
/// back to the producer (`recycle`, `recycled`), so a long run need not allocate one per chunk.
public final class ProducerThread<Chunk, Failure: Error>: @unchecked Sendable {
    private let condition = NSCondition()
    private let depth: Int
    private var queue: [Chunk] = []
    private var spare: [Chunk] = []
    private var finished = false
    private var cancelled = false
    private var failure: Failure?
    private let exited = DispatchSemaphore(value: 0)
    /// Touched only by the producing thread once it has started.
    private let produce: (ProducerThread) throws(Failure) -> Void

    /// Starts `produce` on a new thread named `name`, up to `depth` chunks ahead of the
    /// consumer; it hands chunks over with `put` and ends by returning or throwing.
    /// `cancelAndWait` (which the consumer must call) waits for it.
    public init(depth: Int, name: String, produce: @escaping (ProducerThread) throws(Failure) -> Void) {
        self.depth = max(1, depth)
        self.produce = produce
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    private func run() {
        defer { exited.signal() }
        var thrown: Failure?
        do throws(Failure) { try produce(self) } catch { thrown = error }
        condition.lock()
        finished = true
        failure = thrown
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: queues a chunk (waiting while `depth` are queued); false once cancelled.
    public func put(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    /// Producer: a chunk the consumer gave back, if any.
    public func recycled() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast()
    }

    /// Consumer: the next chunk in order, nil when the producer is done; rethrows its error.
    public func take() throws(Failure) -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            condition.broadcast()
            return queue.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Consumer: gives back a chunk it has emptied, for the producer to fill again.
    public func recycle(_ chunk: Chunk) {
        condition.lock()
        if spare.count < 2 { spare.append(chunk) }
        condition.unlock()
    }

    /// Consumer: stops the producer (its next `put` returns false) and waits for its thread.
    public func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }
}
