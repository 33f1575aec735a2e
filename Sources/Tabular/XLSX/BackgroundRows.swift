import Foundation

/// Reads another row source on a helper thread, a few batches of rows ahead, so that
/// parsing a sheet runs on one core while the caller prints or imports on the other.
///
/// Rows arrive in order, in batches; an error reaches the caller after the rows read
/// before it. Dropping this source stops the helper thread (`deinit` waits for it).
final class BackgroundRows: RowSource {
    private let shared: Shared
    /// The parsing thread, plus any the produced rows' own source runs (an inflating thread).
    let helperThreads: Int
    private var batch: [Row] = []
    private var index = 0

    /// Hands a batch of rows to the caller; false when the caller has gone (stop producing).
    typealias Deliver = ([Row]) -> Bool

    /// Starts reading `source` in the background, `depth` batches of `batchSize` rows ahead.
    convenience init(_ source: any RowSource, depth: Int = 4, batchSize: Int = 512) {
        let size = max(1, batchSize)
        self.init(depth: depth, helperThreads: 1 + source.helperThreads) { (deliver: Deliver) throws(TabularError) in
            while true {
                var rows: [Row] = []
                rows.reserveCapacity(size)
                do throws(TabularError) {
                    while rows.count < size {
                        guard let row = try source.next() else {
                            _ = deliver(rows)
                            return
                        }
                        rows.append(row)
                    }
                } catch {
                    _ = deliver(rows)
                    throw error
                }
                guard deliver(rows) else { return }
            }
        }
    }

    /// Runs `produce` on a helper thread, up to `depth` delivered batches ahead of the
    /// caller; what it throws reaches the caller after the rows it delivered.
    init(depth: Int = 4, helperThreads: Int = 1, produce: @escaping (Deliver) throws(TabularError) -> Void) {
        self.helperThreads = helperThreads
        shared = Shared(produce: produce, depth: max(1, depth))
        let shared = self.shared
        let thread = Thread { shared.produce() }
        thread.name = "xlsx-parse"
        thread.start()
    }

    deinit { shared.cancel() }

    func next() throws(TabularError) -> Row? {
        if index < batch.count {
            index += 1
            return batch[index - 1]
        }
        guard let more = try shared.take() else {
            batch = []
            return nil
        }
        batch = more
        index = 1
        return batch[0]
    }

    /// The queue between the helper thread and the caller, guarded by `condition`.
    private final class Shared: @unchecked Sendable {
        /// Touched only by the helper thread once it has started.
        let producer: (Deliver) throws(TabularError) -> Void
        let depth: Int
        let condition = NSCondition()
        let exited = DispatchSemaphore(value: 0)
        var queue: [[Row]] = []
        var finished = false
        var cancelled = false
        var error: TabularError?

        init(produce: @escaping (Deliver) throws(TabularError) -> Void, depth: Int) {
            self.producer = produce
            self.depth = depth
        }

        func produce() {
            defer { exited.signal() }
            var failure: TabularError?
            do throws(TabularError) {
                try producer { rows in self.deliver(rows) }
            } catch {
                failure = error
            }
            condition.lock()
            finished = true
            self.error = failure
            condition.broadcast()
            condition.unlock()
        }

        /// Queues `rows` (waiting while the queue is full); false once cancelled.
        func deliver(_ rows: [Row]) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while queue.count >= depth && !cancelled { condition.wait() }
            if cancelled { return false }
            if !rows.isEmpty {
                queue.append(rows)
                condition.broadcast()
            }
            return true
        }

        func take() throws(TabularError) -> [Row]? {
            condition.lock()
            defer { condition.unlock() }
            while queue.isEmpty && !finished { condition.wait() }
            if !queue.isEmpty {
                condition.broadcast()
                return queue.removeFirst()
            }
            if let error { throw error }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
            exited.wait()
        }
    }
}
