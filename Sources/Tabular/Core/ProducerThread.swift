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
    /// The consumer is blocked in `take()` (see `consumerIsWaiting`).
    private var consumerWaiting = false
    /// Seconds the producer spent waiting in `put` for room in the queue.
    private var blockedSeconds = 0.0
    /// `cancelAndWait` has waited for the thread (a second call returns at once).
    private var joined = false
    private let exited = DispatchSemaphore(value: 0)
    /// Touched only by the producing thread once it has started.
    private let produce: (ProducerThread) throws(Failure) -> Void

    /// Starts `produce` on a new thread named `name` (with a stack of `stackSize` bytes, if
    /// given), up to `depth` chunks ahead of the consumer; it hands chunks over with `put` and
    /// ends by returning or throwing. `cancelAndWait` (which the consumer must call) waits for it.
    public init(depth: Int, name: String, stackSize: Int? = nil, produce: @escaping (ProducerThread) throws(Failure) -> Void) {
        self.depth = max(1, depth)
        self.produce = produce
        let thread = Thread { [self] in run() }
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
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
        if queue.count >= depth && !cancelled {
            let start = DispatchTime.now().uptimeNanoseconds
            while queue.count >= depth && !cancelled { condition.wait() }
            blockedSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        if cancelled { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    /// How long the producer has waited for the consumer to make room (how far the consumer,
    /// not the producer, set the pace).
    public var producerBlockedSeconds: Double {
        condition.lock()
        defer { condition.unlock() }
        return blockedSeconds
    }

    /// Producer: a chunk the consumer gave back, if any.
    public func recycled() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast()
    }

    /// What `poll` found.
    public enum Poll {
        case chunk(Chunk)
        /// Nothing yet: the producer is still working.
        case empty
        /// The producer has ended and every chunk was taken.
        case done
    }

    /// Consumer: the next chunk if one is ready, without waiting; rethrows the producer's
    /// error once the chunks before it are taken.
    public func poll() throws(Failure) -> Poll {
        condition.lock()
        defer { condition.unlock() }
        if !queue.isEmpty {
            condition.broadcast()
            return .chunk(queue.removeFirst())
        }
        guard finished else { return .empty }
        if let failure { throw failure }
        return .done
    }

    /// Producer: whether the consumer is blocked in `take()` (it has time on its hands, so
    /// the producer may leave it work to do).
    public var consumerIsWaiting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return consumerWaiting
    }

    /// Consumer: the next chunk in order, nil when the producer is done; rethrows its error.
    public func take() throws(Failure) -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished {
            consumerWaiting = true
            condition.wait()
        }
        consumerWaiting = false
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
    /// Calling it again returns at once.
    public func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        let wait = !joined
        joined = true
        condition.unlock()
        if wait { exited.wait() }
    }
}
