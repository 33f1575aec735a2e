import Foundation

/// Reads another row source on a helper thread, a few batches of rows ahead, so that
/// parsing a sheet runs on one core while the caller prints or imports on the other.
///
/// Rows arrive in order, in batches; an error reaches the caller after the rows read
/// before it. Dropping this source stops the helper thread (`deinit` waits for it).
final class BackgroundRows: RowSource {
    private let producer: ProducerThread<[Row], TabularError>
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
        producer = ProducerThread(depth: depth, name: "xlsx-parse") { (queue) throws(TabularError) in
            try produce { rows in rows.isEmpty || queue.put(rows) }
        }
    }

    deinit { producer.cancelAndWait() }

    func next() throws(TabularError) -> Row? {
        if index < batch.count {
            index += 1
            return batch[index - 1]
        }
        guard let more = try producer.take() else {
            batch = []
            return nil
        }
        batch = more
        index = 1
        return batch[0]
    }
}
