import Tabular
import ContactModel
import ContactStore

/// The store thread's side of a CSV re-import: decides each record of the reading thread's
/// batches (`RowBatchBuilder`: known, held back or normalised) and hands out the batches to
/// merge. Splitting the work so put the reading on one core and the decisions on the other:
/// before, the reading thread did both while the store's mostly waited.
final class RecordDecider {
    private var builder: RowBatchBuilder
    private var current = RawRecordBatch()
    private var index = 0
    /// Batches complete and not handed out yet (at the end of the file).
    private var ready: [RowBatch] = []
    private var finished = false

    init(normaliser: RowNormaliser, known: KnownRows, held: DeferredRows?) {
        builder = RowBatchBuilder(normaliser: normaliser, known: known, held: held)
    }

    /// Whether most of these records (the file's first) are known to the store, by their
    /// digest or as rows of a contact last changed by several rows: then the file is read
    /// this way. Else it is mostly new, and normalising it here would leave the reading
    /// thread idle while this one does nearly everything.
    static func mostlyKnown(_ records: RawRecordBatch, known: KnownRows, normaliser: RowNormaliser) -> Bool {
        var hits = 0
        for index in 0..<records.count {
            if known.contact(for: records.digest(index)) != nil {
                hits += 1
            } else if known.hasSeveralRows, records.withFields(index, { fields, _, _ in
                RowBatchBuilder.contactOfSeveralRows(fields, known: known, normaliser: normaliser) != nil
            }) == true {
                hits += 1
            }
        }
        return hits * 2 >= records.count
    }

    /// Whether a file of about `rows` rows (nil: unknown) has too many to be mostly rows the
    /// store knows, whatever its first rows are: the store knows `knownRows` rows, and a
    /// contact's rows seldom come more than twice, so a file of over four times as many rows
    /// is mostly new. Such a file whose first rows are known (a growing list exported again,
    /// oldest contacts first) is then read as a new one: decided on this thread, the 1M-row
    /// bench file over a store of its first 100k rows took 9.0-9.5 s, against 6.0 s.
    static func tooBigToBeMostlyKnown(rows: Int?, knownRows: Int) -> Bool {
        guard let rows else { return false }
        return rows > knownRows * Self.rowsPerKnownRow * 2
    }

    /// Rows a known row may stand for in a file (its contact's repeated rows).
    static let rowsPerKnownRow = 2

    /// How many records ahead the known rows' slots are requested.
    static let prefetchDistance = 8

    /// The next batch to merge (not prepared), deciding the records of `reader`'s batches as
    /// needed; nil at the end.
    func next(from reader: ProducerThread<RawRecordBatch, PipelineError>) throws(PipelineError) -> RowBatch? {
        while true {
            if !ready.isEmpty { return ready.removeFirst() }
            if finished { return nil }
            if index == current.count {
                guard let batch = try reader.take() else {
                    try finish()
                    continue
                }
                reader.recycle(current)
                current = batch
                index = 0
                for ahead in 0..<min(Self.prefetchDistance, current.count) { builder.known?.prefetch(current.digest(ahead)) }
            }
            let records = current
            while index < records.count {
                let at = index
                index += 1
                if at + Self.prefetchDistance < records.count { builder.known?.prefetch(records.digest(at + Self.prefetchDistance)) }
                _ = try builder.add(records, at: at)
                if builder.isFull { return builder.take() }
            }
        }
    }

    /// The end of the file: the held rows, the reader's warnings and the last batch.
    private func finish() throws(PipelineError) {
        finished = true
        try builder.finishHeldRows { builder in ready.append(builder.take()) }
        builder.addReaderWarnings(current.warnings)
        ready.append(builder.take())
    }
}
