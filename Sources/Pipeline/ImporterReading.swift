import Foundation
import Tabular
import ContactModel
import ContactStore

/// The importer's reading thread: rows in, batches of records (or of known contacts' ids)
/// out, in file order.
extension Importer {
    /// Runs `body`, its table errors as the reading thread's.
    @inline(__always)
    static func table<Result>(_ body: () throws(TabularError) -> Result) throws(PipelineError) -> Result {
        do { return try body() } catch { throw .table(error) }
    }

    /// The reading thread of a new file, or of any file but a CSV when the store has rows to
    /// skip: rows → batches of records (see `RowBatchBuilder`), in file order.
    static func produce(from rows: any RowSource, normaliser: RowNormaliser, known: KnownRows?,
                        into queue: ProducerThread<RowBatch, PipelineError>) throws(PipelineError) {
        var builder = RowBatchBuilder(normaliser: normaliser, known: known, held: nil)
        // One row ahead: its digest is computed and its known-rows slot requested while
        // this row is handled, so the lookup (a cache miss in a table of ~25 MB per
        // million contacts) has its memory ready.
        var next = try Self.table { () throws(TabularError) in try rows.next() }
        var nextDigest = next.map { normaliser.digest($0) }
        if let nextDigest { known?.prefetch(nextDigest) }
        while let row = next, let digest = nextDigest {
            next = try Self.table { () throws(TabularError) in try rows.next() }
            nextDigest = next.map { normaliser.digest($0) }
            if let nextDigest { known?.prefetch(nextDigest) }
            guard try builder.add(digest: digest, holdBack: { _, _ in false }, row: { row }) else { continue }
            if builder.isFull {
                var batch = builder.take()
                batch.prepare()
                guard queue.put(batch) else { return }
            }
        }
        builder.addReaderWarnings(rows.warnings)
        var last = builder.take()
        last.prepare()
        _ = queue.put(last)
    }

    /// The reading thread of a CSV when the store has rows to skip (a re-import): records →
    /// batches of their fields and digests, with no decision taken (the store's thread, which
    /// a re-import leaves mostly idle, takes them: see `RecordDecider`).
    static func readRecords(from raw: any RawRecordSource, normaliser: RowNormaliser,
                            into queue: ProducerThread<RawRecordBatch, PipelineError>) throws(PipelineError) {
        var batch = RawRecordBatch()
        while try Self.table({ () throws(TabularError) in try raw.advance() }) {
            let position = raw.currentPosition
            let added: Void? = raw.withFields { fields in
                batch.append(fields, number: position.number, line: position.line, digest: normaliser.digest(fields: fields))
            }
            if added == nil {
                let row = raw.currentRow()
                batch.append(row, digest: normaliser.digest(row))
            }
            if batch.count == RawRecordBatch.size {
                guard queue.put(batch) else { return }
                batch = queue.recycled() ?? RawRecordBatch()
                batch.removeAll()
            }
        }
        batch.warnings = raw.warnings
        _ = queue.put(batch)
    }
}

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
                _ = try builder.add(digest: records.digest(at), holdBack: { (builder, digest) throws(PipelineError) -> Bool in
                    var outcome: Result<Bool, PipelineError> = .success(false)
                    _ = records.withFields(at) { fields, number, line in
                        do throws(PipelineError) {
                            outcome = .success(try builder.holdBack(fields, number: number, line: line, digest: digest))
                        } catch {
                            outcome = .failure(error)
                        }
                    }
                    return try outcome.get()
                }, row: { records.row(at) })
                if builder.isFull { return builder.take() }
            }
        }
    }

    /// The end of the file: the held rows, the reader's warnings and the last batch.
    private func finish() throws(PipelineError) {
        finished = true
        _ = try builder.finishHeldRows { builder in
            ready.append(builder.take())
            return true
        }
        builder.addReaderWarnings(current.warnings)
        ready.append(builder.take())
    }
}
