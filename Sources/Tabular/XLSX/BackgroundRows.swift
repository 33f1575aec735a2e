import Foundation

/// Parses a sheet on a helper thread, a few batches of records ahead, so that parsing runs
/// on one core while the caller prints or imports on the other.
///
/// Records arrive in order, in batches; an error reaches the caller after the records parsed
/// before it. Dropping this stops the helper thread (`deinit` waits for it).
final class BackgroundRows {
    private let producer: ProducerThread<SheetRecords, TabularError>

    /// Hands a batch of records to the caller; false when the caller has gone (stop producing).
    typealias Deliver = (SheetRecords) -> Bool

    /// Runs `produce` on a helper thread, up to `depth` delivered batches ahead of the
    /// caller; what it throws reaches the caller after the batches it delivered.
    init(depth: Int = 4, produce: @escaping (Deliver) throws(TabularError) -> Void) {
        producer = ProducerThread(depth: depth, name: "xlsx-parse") { (queue) throws(TabularError) in
            try produce { records in records.count == 0 || queue.put(records) }
        }
    }

    deinit { producer.cancelAndWait() }

    /// The next batch, nil at the end.
    func take() throws(TabularError) -> SheetRecords? {
        try producer.take()
    }

    /// The records, one at a time (`helperThreads`: the parsing thread, plus any the parsed
    /// stream runs, such as an inflating thread).
    func rows(helperThreads: Int) -> SheetRecordRows {
        SheetRecordRows(helperThreads: helperThreads) { () throws(TabularError) in try self.take() }
    }
}
