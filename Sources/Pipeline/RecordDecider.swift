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
