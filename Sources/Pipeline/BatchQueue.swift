import Foundation

/// A small bounded first-in first-out hand-off between threads (the reading thread and the
/// normalising workers), so reading, normalising and SQLite's work overlap on the cores.
final class BatchQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int
    /// The consumer is blocked in `take()` with nothing to do.
    private var consumerWaiting = false

    init(capacity: Int) { self.capacity = capacity }

    /// Adds an item, waiting while the queue is full. Returns false once the consumer cancelled.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// No more items will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: the producer's next `put` returns false.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// What `poll` found.
    enum Poll {
        case item(Element)
        /// Nothing yet: the producer is still working.
        case empty
        /// The producer finished and the queue is drained (or it was cancelled).
        case done
    }

    /// The next item if one is ready, without waiting.
    func poll() -> Poll {
        condition.lock()
        defer { condition.unlock() }
        if items.isEmpty { return finished || cancelled ? .done : .empty }
        let item = items.removeFirst()
        condition.broadcast()
        return .item(item)
    }

    /// Whether the consumer is waiting in `take()` for an item (so it has time on its hands:
    /// the producer may leave it work to do).
    var consumerIsWaiting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return consumerWaiting
    }

    /// The next item, or nil when the producer finished and the queue is drained, or once cancelled.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished && !cancelled {
            consumerWaiting = true
            condition.wait()
        }
        consumerWaiting = false
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}

/// Carries a value that is used by one thread at a time across a thread hop.
final class Handoff<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
