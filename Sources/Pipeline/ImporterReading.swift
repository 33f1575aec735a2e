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

    /// The reading thread of a new file, or of an XLS when the store has rows to skip: rows →
    /// batches of records (see `RowBatchBuilder`), in file order.
    /// `first`: records read from `rows` already, handled before the rest.
    static func produce(from rows: any RowSource, after first: RawRecordBatch = RawRecordBatch(),
                        normaliser: RowNormaliser, known: KnownRows?,
                        into queue: ProducerThread<RowBatch, PipelineError>) throws(PipelineError) {
        var builder = RowBatchBuilder(normaliser: normaliser, known: known, held: nil)
        /// Hands the batch over when full; false when the store has gone.
        func handOverIfFull() -> Bool {
            guard builder.isFull else { return true }
            var batch = builder.take()
            // When the store has rows to skip, its thread may be waiting for this one: then it
            // prepares the batch itself (1M-row re-import, 8 alternating runs: median 3.02 ->
            // 2.56 s in a slow spell). Not for a new file: there the store's thread settles
            // early while it waits, and preparing a batch there, away from the core whose
            // cache holds its records, cost 0.5 s more CPU (import 4.55 -> 4.78 s).
            if known == nil || !queue.consumerIsWaiting { builder.reuse(batch.prepare()) }
            return queue.put(batch)
        }
        /// Adds records read ahead; false when the store has gone.
        func add(_ records: RawRecordBatch) throws(PipelineError) -> Bool {
            if let known, records.count > 0 { known.prefetch(records.digest(0)) }
            for index in 0..<records.count {
                // One record ahead: its known-rows slot is requested while this one is
                // handled, so the lookup (a cache miss in a table of ~25 MB per million
                // contacts) has its memory ready.
                if let known, index + 1 < records.count { known.prefetch(records.digest(index + 1)) }
                guard try builder.add(records, at: index) else { continue }
                guard handOverIfFull() else { return false }
            }
            return true
        }
        /// Hands over the last batch, with the reader's warnings.
        func finish(_ warnings: [TabularWarning]) {
            builder.addReaderWarnings(warnings)
            var last = builder.take()
            last.prepare()
            _ = queue.put(last)
        }
        guard try add(first) else { return }
        if let raw = rows as? any RawRecordSource {
            // A CSV or an XLSX sheet: records are read a batch at a time, their fields copied,
            // so that a plain one is normalised from its fields without building its row (see
            // `RowNormaliser.normalise(fields:number:into:)`).
            var records = RawRecordBatch()
            var more = true
            while more {
                records.removeAll()
                more = try Self.table { () throws(TabularError) in try readRecords(from: raw, normaliser: normaliser, into: &records) }
                guard try add(records) else { return }
            }
            finish(raw.warnings)
            return
        }
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
            guard try builder.add(row, digest: digest) else { continue }
            guard handOverIfFull() else { return }
        }
        finish(rows.warnings)
    }

    /// The reading thread of a CSV or XLSX when the store has rows to skip (a re-import):
    /// records → batches of their fields and digests, with no decision taken (the store's
    /// thread, which a re-import leaves mostly idle, takes them: see `RecordDecider`).
    static func readRecords(from raw: any RawRecordSource, normaliser: RowNormaliser,
                            into queue: ProducerThread<RawRecordBatch, PipelineError>) throws(PipelineError) {
        var batch = RawRecordBatch()
        while try Self.table({ () throws(TabularError) in try readRecords(from: raw, normaliser: normaliser, into: &batch) }) {
            guard queue.put(batch) else { return }
            batch = queue.recycled() ?? RawRecordBatch()
            batch.removeAll()
        }
        _ = queue.put(batch)
    }

    /// Reads records into `batch` until it is full (true) or the file ends (false: the
    /// batch then has the reader's warnings too).
    static func readRecords(from raw: any RawRecordSource, normaliser: RowNormaliser,
                            into batch: inout RawRecordBatch) throws(TabularError) -> Bool {
        while batch.count < RawRecordBatch.size {
            guard try raw.advance() else {
                batch.warnings = raw.warnings
                return false
            }
            let position = raw.currentPosition
            let added: Void? = raw.withFields { fields in
                batch.append(fields, number: position.number, line: position.line, digest: normaliser.digest(fields: fields))
            }
            if added == nil {
                let row = raw.currentRow()
                batch.append(row, digest: normaliser.digest(row))
            }
        }
        return true
    }
}
