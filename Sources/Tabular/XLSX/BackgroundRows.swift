import Foundation

/// Reads another row source on a helper thread, a few batches of rows ahead, so that
/// parsing a sheet runs on one core while the caller prints or imports on the other.
///
/// Rows arrive in order, in batches; an error reaches the caller after the rows read
/// before it. Dropping this source stops the helper thread (`deinit` waits for it).
final class BackgroundRows: RowSource {
    private let shared: Shared
    private var batch: [Row] = []
    private var index = 0

    /// Starts reading `source` in the background, `depth` batches of `batchSize` rows ahead.
    init(_ source: any RowSource, depth: Int = 4, batchSize: Int = 512) {
        shared = Shared(source: source, depth: max(1, depth), batchSize: max(1, batchSize))
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
        let source: any RowSource
        let depth: Int
        let batchSize: Int
        let condition = NSCondition()
        let exited = DispatchSemaphore(value: 0)
        var queue: [[Row]] = []
        var finished = false
        var cancelled = false
        var error: TabularError?

        init(source: any RowSource, depth: Int, batchSize: Int) {
            self.source = source
            self.depth = depth
            self.batchSize = batchSize
        }

        func produce() {
            defer { exited.signal() }
            while true {
                var rows: [Row] = []
                rows.reserveCapacity(batchSize)
                var ended = false
                var failure: TabularError?
                do {
                    while rows.count < batchSize {
                        guard let row = try source.next() else {
                            ended = true
                            break
                        }
                        rows.append(row)
                    }
                } catch {
                    failure = error
                }
                condition.lock()
                while queue.count >= depth && !cancelled { condition.wait() }
                if cancelled {
                    condition.unlock()
                    return
                }
                if !rows.isEmpty { queue.append(rows) }
                if ended || failure != nil {
                    finished = true
                    error = failure
                }
                condition.broadcast()
                condition.unlock()
                if ended || failure != nil { return }
            }
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
