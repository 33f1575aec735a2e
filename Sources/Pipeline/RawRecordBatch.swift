import Tabular
import ContactModel

/// Records read and digested but not looked at yet: what the reading thread of a CSV
/// re-import hands over, so that deciding what to do with each row (skip it as known, hold
/// it back, normalise it) runs on the store's thread, which a re-import leaves mostly idle.
///
/// Each record's fields are copied end to end into one buffer; a record that is not UTF-8
/// as it stands comes with its row built already (`RawRecordSource.currentRow()`).
struct RawRecordBatch: Sendable {
    private var bytes: [UInt8] = []
    /// Field ends, each relative to the start of its record's bytes.
    private var ends: [Int] = []
    private var entries: [Entry] = []
    /// Rows built by the reader, by record index.
    private var rows: [Int: Row] = [:]
    /// The reader's warnings (encoding, ragged rows), in the last batch.
    var warnings: [TabularWarning] = []

    struct Entry: Sendable {
        var byteStart: Int
        var fieldStart: Int
        var fieldCount: Int
        var number: Int
        var line: Int
        var digest: RowDigest
    }

    /// Records per batch.
    static let size = 2048

    init() {
        entries.reserveCapacity(Self.size)
    }

    var count: Int { entries.count }

    /// Empties the batch, keeping its buffers (a batch handed back for reuse).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        rows.removeAll()
        warnings.removeAll()
    }

    /// Record `index`'s digest.
    func digest(_ index: Int) -> RowDigest { entries[index].digest }

    /// Adds a record given as its fields (UTF-8).
    mutating func append(_ fields: RecordBytes, number: Int, line: Int, digest: RowDigest) {
        let byteCount = fields.count == 0 ? 0 : fields.ends[fields.count - 1]
        entries.append(Entry(byteStart: bytes.count, fieldStart: ends.count, fieldCount: fields.count,
                             number: number, line: line, digest: digest))
        bytes.append(contentsOf: UnsafeBufferPointer(start: fields.bytes, count: byteCount))
        ends.append(contentsOf: UnsafeBufferPointer(start: fields.ends, count: fields.count))
    }

    /// Adds a record whose row the reader built.
    mutating func append(_ row: Row, digest: RowDigest) {
        rows[entries.count] = row
        entries.append(Entry(byteStart: bytes.count, fieldStart: ends.count, fieldCount: 0,
                             number: row.number, line: row.line, digest: digest))
    }

    /// Calls `body` with record `index`'s fields, number and line; nil, without calling it,
    /// for a record whose row the reader built.
    func withFields<Result, Failure: Error>(_ index: Int, _ body: (RecordBytes, _ number: Int, _ line: Int) throws(Failure) -> Result) throws(Failure) -> Result? {
        guard rows.isEmpty || rows[index] == nil else { return nil }
        let entry = entries[index]
        return try withRecord(entry) { (fields) throws(Failure) in try body(fields, entry.number, entry.line) }
    }

    /// Calls `body` with an entry's fields (the pointers stand in for nothing when empty).
    @inline(__always)
    private func withRecord<Result, Failure: Error>(_ entry: Entry, _ body: (RecordBytes) throws(Failure) -> Result) throws(Failure) -> Result {
        try bytes.withUnsafeBufferPointer { (bytes) throws(Failure) in
            try ends.withUnsafeBufferPointer { (ends) throws(Failure) in
                try body(RecordBytes(bytes: (bytes.baseAddress ?? Self.nothing) + entry.byteStart,
                                     ends: (ends.baseAddress ?? Self.noEnds) + entry.fieldStart,
                                     count: entry.fieldCount))
            }
        }
    }

    /// Addresses for empty buffers: never read, since such records have no bytes or fields.
    private static var nothing: UnsafePointer<UInt8> { UnsafePointer(bitPattern: 8)! }
    private static var noEnds: UnsafePointer<Int> { UnsafePointer(bitPattern: 8)! }

    /// Record `index` as a row (built now, unless the reader built it).
    func row(_ index: Int) -> Row {
        if !rows.isEmpty, let row = rows[index] { return row }
        let entry = entries[index]
        return withRecord(entry) { Row(number: entry.number, line: entry.line, fields: $0) }
    }
}
