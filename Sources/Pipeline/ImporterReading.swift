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

    /// The reading thread: rows → records in batches, in file order.
    ///
    /// Every row's digest is computed (and kept with the record when the row had no warning);
    /// a row in `known` whose contact no earlier row of this file may have touched is passed on
    /// as that contact's id instead of being normalised. Rows of contacts whose last change
    /// came from several rows are held back in `held` until the file ends (see `DeferredRows`).
    static func produce(from rows: any RowSource, normaliser: RowNormaliser, known: KnownRows?,
                        held: DeferredRows?,
                        into queue: ProducerThread<RowBatch, PipelineError>) throws(PipelineError) {
        var batch = RowBatch()
        batch.records.reserveCapacity(RowBatch.size)
        var warnings: [String] = []
        var seen = SeenEmails()
        /// Hands the batch over when full; false when the store has gone.
        func handOverIfFull() -> Bool {
            guard batch.records.count + batch.knownIds.count >= RowBatch.size else { return true }
            // When the store has rows to skip (a re-import), its thread mostly waits for this
            // one: if it is waiting now, it prepares the batch itself (1M-row re-import, 8
            // alternating runs: median 3.02 -> 2.56 s in a slow spell). Not otherwise: for a new file the store's
            // thread settles early while it waits, and preparing a batch there, away from the
            // core whose cache holds its records, cost 0.5 s more CPU (import 4.55 -> 4.78 s).
            if known == nil || !queue.consumerIsWaiting { batch.prepare() }
            if !queue.put(batch) { return false }
            batch = RowBatch()
            batch.records.reserveCapacity(RowBatch.size)
            return true
        }
        /// Counts a row and hands the batch over when full; false when the store has gone.
        func counted() -> Bool {
            batch.rowsRead += 1
            return handOverIfFull()
        }
        /// A row with this digest that the store has applied already (and no earlier row of
        /// this file named its contact): its contact's id.
        func knownContact(_ digest: RowDigest) -> Int? {
            guard let known, let hit = known.contact(for: digest), !seen.contains(hit.emailKey),
                  held?.holds(emailKey: hit.emailKey) != true else { return nil }
            return hit.id
        }
        /// Normalises a row that is not known; false when it was blank (not counted).
        func normalise(_ row: Row, digest: RowDigest) -> Bool {
            switch normaliser.normalise(row, into: &batch.records, warnings: &warnings) {
            case .blank:
                batch.blank += 1
                return false
            case .accepted:
                if known != nil { seen.insert(KnownRows.emailKey(batch.records[batch.records.count - 1].email)) }
                if warnings.isEmpty { batch.records[batch.records.count - 1].rowDigest = digest }
                for warning in warnings {
                    batch.issues.append((row, ImportSummary.RowIssue(row: row.number, column: nil, reason: warning, rejected: false)))
                }
                warnings.removeAll(keepingCapacity: true)
            case let .rejected(reason, column):
                let label = column.map { c in
                    let l = c < normaliser.mapping.labels.count ? normaliser.mapping.labels[c] : ""
                    return ColumnName.letters(c) + (l.isEmpty ? "" : " (\(l))")
                }
                batch.issues.append((row, ImportSummary.RowIssue(row: row.number, column: label, reason: reason, rejected: true)))
            }
            return true
        }
        /// Normalises the rows held back under an email key, in file order.
        func normaliseHeldRows(of key: UInt32, from held: DeferredRows) throws(PipelineError) {
            let taken: [(row: Row, digest: RowDigest)]
            do { taken = try held.takeRows(emailKey: key) } catch { throw .store(error) }
            for earlier in taken { _ = normalise(earlier.row, digest: earlier.digest) }
        }
        /// `normalise`, after the rows held back for the same contact, if any (they come first
        /// in the file, so they must reach the store first).
        func normaliseInOrder(_ row: Row, digest: RowDigest) throws(PipelineError) -> Bool {
            let issues = batch.issues.count
            let records = batch.records.count
            guard normalise(row, digest: digest) else { return false }
            guard let held, batch.records.count > records else { return true }
            let key = KnownRows.emailKey(batch.records[records].email)
            guard held.holds(emailKey: key) else { return true }
            let record = batch.records.removeLast()
            let rowIssues = batch.issues[issues...]
            batch.issues.removeSubrange(issues...)
            try normaliseHeldRows(of: key, from: held)
            batch.records.append(record)
            batch.issues.append(contentsOf: rowIssues)
            return true
        }
        if known != nil, let raw = rows as? any RawRecordSource {
            // Known rows are recognised from their bytes: the cells of a row that is
            // skipped are never built (most rows of a re-import). One record ahead, as
            // below: the next record's known-rows slot is requested before this one is
            // looked up (the 1M-row re-import spent ~0.25 s of this thread waiting for it).
            /// The current record's digest, and its row when the digest needed it.
            func digestOfCurrent() -> (digest: RowDigest, row: Row?) {
                if let fromBytes = normaliser.digest(fieldsOf: raw) { return (fromBytes, nil) }
                let row = raw.currentRow()
                return (normaliser.digest(row), row)
            }
            /// Holds the held record back when its contact's last change came from several
            /// rows and no earlier row of this file normalised that contact; false otherwise.
            func holdBack(_ digest: RowDigest, in held: DeferredRows) throws(PipelineError) -> Bool {
                guard let known else { return false }
                var failure: StoreError?
                let holding = raw.withHeldFields { (fields) -> Bool in
                    guard let key = normaliser.withNormalisedEmail(of: fields, { KnownRows.emailKey(bytes: $0) }),
                          !seen.contains(key), let contact = known.contactOfSeveralRows(emailKey: key) else { return false }
                    let position = raw.heldPosition
                    do throws(StoreError) {
                        try held.hold(fields, number: position.number, line: position.line, digest: digest,
                                      emailKey: key, id: contact.id, stored: contact.digest)
                    } catch {
                        failure = error
                    }
                    return true
                }
                if let failure { throw .store(failure) }
                return holding == true
            }
            var next = try Self.table { () throws(TabularError) in try raw.advance() ? digestOfCurrent() : nil }
            if let next { known?.prefetch(next.digest) }
            while let record = next {
                raw.holdCurrent()
                next = try Self.table { () throws(TabularError) in try raw.advance() ? digestOfCurrent() : nil }
                if let next { known?.prefetch(next.digest) }
                if let id = knownContact(record.digest) {
                    batch.knownIds.append(id)
                } else if let held, record.row == nil, try holdBack(record.digest, in: held) {
                    batch.rowsRead += 1
                    continue
                } else {
                    guard try normaliseInOrder(record.row ?? raw.heldRow(), digest: record.digest) else { continue }
                }
                guard counted() else { return }
            }
            if let held {
                // The contacts whose held rows are exactly their stored rows are unchanged;
                // the others' rows are normalised now.
                let rest = held.finish { id, count in batch.knownIds.append(contentsOf: repeatElement(id, count: count)) }
                for key in rest {
                    try normaliseHeldRows(of: key, from: held)
                    guard handOverIfFull() else { return }
                }
            }
        } else {
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
                if let id = knownContact(digest) {
                    batch.knownIds.append(id)
                } else {
                    guard normalise(row, digest: digest) else { continue }
                }
                guard counted() else { return }
            }
        }
        for warning in rows.warnings {
            batch.issues.append((Row(number: warning.line, cells: []),
                                 ImportSummary.RowIssue(row: warning.line, column: nil, reason: warning.message, rejected: false)))
        }
        batch.prepare()
        _ = queue.put(batch)
    }
}
