import Tabular
import ContactModel
import ContactStore

/// Decides what each row of a file becomes and collects the outcome in a `RowBatch`, rows
/// in file order: a row the store has applied already (`KnownRows`) becomes its contact's
/// id, a row of a contact last changed by several rows is held back (`DeferredRows`), and
/// any other row is normalised (or rejected, or found blank): from its fields when a CSV
/// record is plain, else from its row.
///
/// Every row's digest is kept with its record when the row had no warning.
struct RowBatchBuilder {
    let normaliser: RowNormaliser
    let known: KnownRows?
    let held: DeferredRows?
    /// The batch so far (`take()` hands it over).
    private(set) var batch = RowBatch()
    private var warnings: [String] = []
    /// The email keys of the rows normalised so far.
    private var seen = SeenEmails()

    init(normaliser: RowNormaliser, known: KnownRows?, held: DeferredRows?) {
        self.normaliser = normaliser
        self.known = known
        self.held = held
        batch.records = newRecords()
    }

    /// Whether the batch has its size.
    var isFull: Bool { batch.records.count + batch.knownIds.count >= RowBatch.size }

    /// The batch so far, leaving an empty one.
    mutating func take() -> RowBatch {
        let full = batch
        batch = RowBatch()
        batch.records = spare.take() ?? newRecords()
        return full
    }

    /// An emptied batch of records the next `take()` fills instead of a new one.
    private var spare: RecordBatch?

    /// Gives back a batch's records once prepared (`RowBatch.prepare()` empties them), for reuse.
    mutating func reuse(_ records: RecordBatch) {
        spare = records
    }

    /// An empty batch of records with room for a batch's rows.
    private func newRecords() -> RecordBatch {
        var records = RecordBatch(columns: normaliser.columnProperties)
        records.reserveCapacity(RowBatch.size)
        return records
    }

    /// Counts a row read (the blank rows are counted apart).
    mutating func countRow() {
        batch.rowsRead += 1
    }

    /// Adds record `index` of records read ahead (see `add(digest:row:fast:holdBack:)`); one whose
    /// fields are at hand may be held back, and is normalised from its fields when it is
    /// plain: packed (`RowNormaliser.pack(fields:number:into:)`) when it needs no cleaning, else
    /// built (`RowNormaliser.normalise(fields:number:into:)`). Returns false when it was blank
    /// (not counted).
    mutating func add(_ records: RawRecordBatch, at index: Int) throws(PipelineError) -> Bool {
        let digest = records.digest(index)
        return try add(digest: digest, row: { records.row(index) }, fast: { (normaliser, into) in
            records.withFields(index) { fields, number, _ in
                normaliser.pack(fields: fields, number: number, into: &into)
                    || into.appending { normaliser.normalise(fields: fields, number: number, into: &$0) }
            } ?? false
        }) { (builder) throws(PipelineError) -> Bool in
            try records.withFields(index) { (fields, number, line) throws(PipelineError) -> Bool in
                try builder.holdBack(fields, number: number, line: line, digest: digest)
            } ?? false
        }
    }

    /// Adds a row read with digest `digest` (never held back: its fields are not at hand).
    /// Returns false when it was blank (not counted).
    mutating func add(_ row: Row, digest: RowDigest) throws(PipelineError) -> Bool {
        try add(digest: digest, row: { row }, fast: { _, _ in false }) { _ in false }
    }

    /// Adds a row with digest `digest`: its contact's id when the store has applied it already
    /// (and no earlier row of this file named that contact), else held back when `holdBack`
    /// says so, else normalised: by `fast` when it can (it appends the row's record and
    /// returns true), else from the row `row()` builds. Returns false when the row was blank
    /// (not counted as read).
    private mutating func add(digest: RowDigest, row: () -> Row, fast: Fast,
                              holdBack: (inout RowBatchBuilder) throws(PipelineError) -> Bool) throws(PipelineError) -> Bool {
        if let id = knownContact(digest) {
            batch.knownIds.append(id)
        } else if held != nil, try holdBack(&self) {
            // Counted now; it reaches a batch later, as known or normalised.
        } else {
            guard try normaliseInOrder(row, fast: fast, digest: digest) else { return false }
        }
        countRow()
        return true
    }

    /// Appends the record of a row that makes no warning to the records given, and returns
    /// true; or appends nothing and returns false.
    typealias Fast = (RowNormaliser, inout RecordBatch) -> Bool

    /// A row with this digest that the store has applied already (and no earlier row of
    /// this file named its contact): its contact's id.
    private func knownContact(_ digest: RowDigest) -> Int? {
        guard let known, let hit = known.contact(for: digest), !seen.contains(hit.emailKey),
              held?.holds(emailKey: hit.emailKey) != true else { return nil }
        return hit.id
    }

    /// The contact last changed by several rows (`KnownRows.contactOfSeveralRows`) whose
    /// email a record's fields hold, when that email is plain ASCII, with its email key.
    static func contactOfSeveralRows(_ fields: RecordBytes, known: KnownRows, normaliser: RowNormaliser)
        -> (emailKey: UInt32, id: Int, digest: RowDigest)? {
        guard let key = normaliser.withNormalisedEmail(of: fields, { KnownRows.emailKey(bytes: $0) }),
              let contact = known.contactOfSeveralRows(emailKey: key) else { return nil }
        return (key, contact.id, contact.digest)
    }

    /// Holds back a row whose fields are `fields` (UTF-8) when its contact's last change came
    /// from several rows and no earlier row of this file normalised that contact; false otherwise.
    private mutating func holdBack(_ fields: RecordBytes, number: Int, line: Int, digest: RowDigest) throws(PipelineError) -> Bool {
        guard let known, let held, let contact = Self.contactOfSeveralRows(fields, known: known, normaliser: normaliser),
              !seen.contains(contact.emailKey) else { return false }
        do {
            try held.hold(fields, number: number, line: line, digest: digest, emailKey: contact.emailKey, id: contact.id, stored: contact.digest)
        } catch {
            throw .store(error)
        }
        return true
    }

    /// Normalises a row that is not known; false when it was blank (not counted).
    mutating func normalise(_ row: Row, digest: RowDigest) -> Bool {
        switch batch.records.appending({ normaliser.normalise(row, into: &$0, warnings: &warnings) }) {
        case .blank:
            batch.blank += 1
            return false
        case .accepted:
            if warnings.isEmpty {
                accepted(digest: digest)
            } else if known != nil {
                seen.insert(emailKey(of: batch.records.count - 1))
            }
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

    /// Notes the last record, from a row without a warning: its email is seen, and it keeps
    /// the row's digest.
    private mutating func accepted(digest: RowDigest) {
        let last = batch.records.count - 1
        if known != nil { seen.insert(emailKey(of: last)) }
        batch.records.setRowDigest(digest, at: last)
    }

    /// The email key (`KnownRows.emailKey`) of record `index` of the batch.
    private func emailKey(of index: Int) -> UInt32 {
        batch.records.withEmail(at: index) { KnownRows.emailKey(bytes: $0) }
    }

    /// `normalise` (by `fast` when it can, see `add(digest:row:fast:holdBack:)`), after the
    /// rows held back for the same contact, if any (they come first in the file, so they must
    /// reach the store first).
    private mutating func normaliseInOrder(_ row: () -> Row, fast: Fast, digest: RowDigest) throws(PipelineError) -> Bool {
        let issues = batch.issues.count
        let records = batch.records.count
        if fast(normaliser, &batch.records) {
            accepted(digest: digest)
        } else {
            guard normalise(row(), digest: digest) else { return false }
        }
        guard let held, batch.records.count > records else { return true }
        let key = emailKey(of: records)
        guard held.holds(emailKey: key) else { return true }
        let rowIssues = batch.issues[issues...]
        batch.issues.removeSubrange(issues...)
        try normaliseHeldRows(of: key, from: held)
        batch.records.moveToEnd(records)
        batch.issues.append(contentsOf: rowIssues)
        return true
    }

    /// Normalises the rows held back under an email key, in file order.
    private mutating func normaliseHeldRows(of key: UInt32, from held: DeferredRows) throws(PipelineError) {
        let taken: [(row: Row, digest: RowDigest)]
        do { taken = try held.takeRows(emailKey: key) } catch { throw .store(error) }
        for earlier in taken { _ = normalise(earlier.row, digest: earlier.digest) }
    }

    /// At the end of the file: the contacts whose held rows are exactly their stored rows
    /// are passed on as known; the others' rows are normalised now. `handOver` is called
    /// whenever the batch is full.
    mutating func finishHeldRows(handOver: (inout RowBatchBuilder) -> Void) throws(PipelineError) {
        guard let held else { return }
        let rest = held.finish { id, count in batch.knownIds.append(contentsOf: repeatElement(id, count: count)) }
        for key in rest {
            try normaliseHeldRows(of: key, from: held)
            if isFull { handOver(&self) }
        }
    }

    /// Adds the reader's warnings (encoding, ragged rows) to the errors file's rows.
    mutating func addReaderWarnings(_ readerWarnings: [TabularWarning]) {
        for warning in readerWarnings {
            batch.issues.append((Row(number: warning.line, cells: []),
                                 ImportSummary.RowIssue(row: warning.line, column: nil, reason: warning.message, rejected: false)))
        }
    }
}
