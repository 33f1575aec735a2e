/// Normalised records of one file, in file order, on their way to the store: most kept as the
/// bytes of their values (packed by `RowNormaliser.pack(fields:number:into:)`), the others as
/// `ContactRecord` values.
///
/// A packed record costs no `String`, array or retain per value: its values are spans of one
/// byte buffer, which the store encodes into its columns directly. Building every row as a
/// `ContactRecord`, then encoding and destroying it, was about 40% of the reading thread's
/// work on the bench's files. A record becomes a value (`record(at:)`) only where rows fold
/// together or need cleaning, about one row in ten.
public struct RecordBatch: Sendable {
    /// Emails of every record, and the values of packed ones.
    public private(set) var bytes: [UInt8] = []
    private var entries: [Entry] = []
    private var values: [Value] = []
    /// The records kept as values, by `Entry.record`.
    private var records: [ContactRecord] = []
    /// Per column: the property it feeds (key and label, empty value), for packed records.
    public let columns: [PropertyValue]

    /// One record: where its email and values are.
    struct Entry: Sendable {
        var email: Span
        var firstName: Span?
        var lastName: Span?
        var mobile: Span?
        /// Values (properties and items) of a packed record: `values[valueStart..<valueEnd]`.
        var valueStart: Int32
        var valueEnd: Int32
        /// Index in `records`, or -1 for a packed record.
        var record: Int32
        var contactType: ContactType?
        var sourceRow: Int
        var rowDigest: RowDigest?
    }

    /// A range of `bytes`.
    struct Span: Sendable, Equatable {
        var start: Int32
        var count: Int32
        var range: Range<Int> { Int(start)..<Int(start + count) }

        /// The span's bytes in `buffer` (the batch's `bytes`).
        @inline(__always)
        func bytes(in buffer: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: buffer[range])
        }
    }

    /// One value of a packed record, in column order.
    struct Value: Sendable {
        var span: Span
        var kind: Kind
        /// The column of a property.
        var column: Int32
    }

    /// What a packed value is.
    public enum Kind: UInt8, Sendable {
        case property, list, hub, badge
    }

    /// A batch whose packed records take their properties' keys and labels from `columns`
    /// (by column; see `RowNormaliser.columnProperties`).
    public init(columns: [PropertyValue] = []) {
        self.columns = columns
    }

    /// A batch of these records (no packed ones).
    public init(_ records: [ContactRecord]) {
        self.init()
        entries.reserveCapacity(records.count)
        for record in records { append(record) }
    }

    /// Records in the batch.
    public var count: Int { entries.count }

    public var isEmpty: Bool { entries.isEmpty }

    /// Room for `count` records.
    public mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        values.reserveCapacity(count * 8)
        bytes.reserveCapacity(count * 96)
    }

    /// Empties the batch, keeping its buffers' capacity (a batch reused for the next rows).
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }

    /// Appends a record kept as a value.
    public mutating func append(_ record: ContactRecord) {
        var email = record.email
        let span = email.withUTF8 { appendBytes($0) }
        entries.append(Entry(email: span, valueStart: 0, valueEnd: 0, record: Int32(records.count),
                             contactType: record.contactType, sourceRow: record.sourceRow, rowDigest: record.rowDigest))
        records.append(record)
    }

    /// Appends the records `body` appends to an array (`RowNormaliser.normalise(_:into:warnings:)`
    /// builds its record in place there), returning what `body` returns.
    public mutating func appending<Result>(_ body: (inout [ContactRecord]) -> Result) -> Result {
        var built: [ContactRecord] = []
        let result = body(&built)
        for record in built { append(record) }
        return result
    }

    // MARK: reading

    /// Calls `body` with the bytes of record `index`'s email (normalised).
    @inline(__always)
    public func withEmail<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withBytes(entries[index].email, body)
    }

    /// Record `index`'s row digest (nil when its row had a warning).
    public func rowDigest(at index: Int) -> RowDigest? { entries[index].rowDigest }

    /// Sets record `index`'s row digest.
    public mutating func setRowDigest(_ digest: RowDigest?, at index: Int) {
        entries[index].rowDigest = digest
        let record = Int(entries[index].record)
        if record >= 0 { records[record].rowDigest = digest }
    }

    /// Record `index`'s source row.
    public func sourceRow(at index: Int) -> Int { entries[index].sourceRow }

    /// Record `index`'s contact type.
    public func contactType(at index: Int) -> ContactType? { entries[index].contactType }

    /// Whether record `index` is packed (else `withRecord(at:)` reads it in place).
    public func isPacked(_ index: Int) -> Bool { entries[index].record < 0 }

    /// Moves record `index` to the end (records keep file order by their place in the batch).
    public mutating func moveToEnd(_ index: Int) {
        let entry = entries.remove(at: index)
        entries.append(entry)
    }

    /// Record `index` as a value.
    public func record(at index: Int) -> ContactRecord {
        let entry = entries[index]
        if entry.record >= 0 { return records[Int(entry.record)] }
        return bytes.withUnsafeBufferPointer { bytes in
            func text(_ span: Span) -> String { String(decoding: span.bytes(in: bytes), as: UTF8.self) }
            var record = ContactRecord(email: text(entry.email), firstName: entry.firstName.map(text),
                                       lastName: entry.lastName.map(text), mobile: entry.mobile.map(text),
                                       contactType: entry.contactType, sourceRow: entry.sourceRow, rowDigest: entry.rowDigest)
            for value in values[Int(entry.valueStart)..<Int(entry.valueEnd)] {
                switch value.kind {
                case .property:
                    let column = columns[Int(value.column)]
                    record.properties.append(PropertyValue(key: column.key, label: column.label, value: text(value.span)))
                case .list: record.lists.append(text(value.span))
                case .hub: record.hubs.append(text(value.span))
                case .badge: record.badges.append(text(value.span))
                }
            }
            return record
        }
    }

    /// Every record as a value, in order (for tests and diagnostics: the hot path reads them
    /// in place).
    public var allRecords: [ContactRecord] { (0..<count).map(record(at:)) }

    /// How many records are packed.
    public var packedCount: Int { entries.reduce(0) { $0 + ($1.record < 0 ? 1 : 0) } }

    /// Calls `body` with a pointer to record `index`, which must not be packed (read in place,
    /// never copied).
    public func withRecord<Result>(at index: Int, _ body: (UnsafePointer<ContactRecord>) -> Result) -> Result {
        records.withUnsafeBufferPointer { body($0.baseAddress! + Int(entries[index].record)) }
    }

    /// The parts of packed record `index`, for encoding: its email, first and last name and
    /// mobile (ranges of `bytes`), and its values (properties by column, items by kind) in
    /// column order.
    public func withPacked<Result>(at index: Int, _ body: (PackedRecord) -> Result) -> Result {
        let entry = entries[index]
        return bytes.withUnsafeBufferPointer { bytes in
            values.withUnsafeBufferPointer { values in
                body(PackedRecord(bytes: bytes, entry: entry,
                                  values: UnsafeBufferPointer(rebasing: values[Int(entry.valueStart)..<Int(entry.valueEnd)])))
            }
        }
    }

    /// A packed record seen in place (valid only inside `withPacked(at:_:)`).
    public struct PackedRecord {
        let bytes: UnsafeBufferPointer<UInt8>
        let entry: Entry
        let values: UnsafeBufferPointer<Value>

        public var firstName: UnsafeBufferPointer<UInt8>? { entry.firstName.map(slice) }
        public var lastName: UnsafeBufferPointer<UInt8>? { entry.lastName.map(slice) }
        public var mobile: UnsafeBufferPointer<UInt8>? { entry.mobile.map(slice) }

        /// How many values the record has.
        public var valueCount: Int { values.count }

        /// Value `index`: its kind, its column (for a property) and its bytes.
        @inline(__always)
        public func value(_ index: Int) -> (kind: Kind, column: Int, bytes: UnsafeBufferPointer<UInt8>) {
            let value = values[index]
            return (value.kind, Int(value.column), slice(value.span))
        }

        @inline(__always)
        private func slice(_ span: Span) -> UnsafeBufferPointer<UInt8> {
            span.bytes(in: bytes)
        }
    }

    // MARK: packing (see `RowNormaliser.pack(fields:number:into:)`)

    /// Where a packed record being built started, to undo it.
    struct Mark {
        var bytes: Int
        var values: Int
    }

    var mark: Mark { Mark(bytes: bytes.count, values: values.count) }

    /// Undoes a packed record being built.
    mutating func undo(to mark: Mark) {
        bytes.removeSubrange(mark.bytes...)
        values.removeSubrange(mark.values...)
    }

    /// Appends bytes to the buffer, returning their span.
    @inline(__always)
    mutating func appendBytes(_ source: UnsafeBufferPointer<UInt8>) -> Span {
        let start = bytes.count
        bytes.append(contentsOf: source)
        return Span(start: Int32(start), count: Int32(source.count))
    }

    /// Appends UTF-8 text trimmed and with inner whitespace collapsed (`Whitespace.collapse`),
    /// returning its span (empty when the text was only whitespace).
    @inline(__always)
    mutating func appendCollapsed(_ source: UnsafeBufferPointer<UInt8>) -> Span {
        let start = bytes.count
        bytes.append(contentsOf: source)
        let count = bytes.withUnsafeMutableBufferPointer { Whitespace.collapseInPlace(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
        if count < source.count { bytes.removeSubrange((start + count)...) }
        return Span(start: Int32(start), count: Int32(count))
    }

    /// Appends a value of the record being built.
    @inline(__always)
    mutating func appendValue(_ span: Span, kind: Kind, column: Int = 0) {
        values.append(Value(span: span, kind: kind, column: Int32(column)))
    }

    /// Values of the record being built, since `mark`.
    func values(since mark: Mark) -> ArraySlice<Value> { values[mark.values...] }

    /// Bytes of a span.
    func withBytes<Result>(_ span: Span, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(span.bytes(in: $0)) }
    }

    /// Ends the packed record begun at `mark`.
    mutating func appendPacked(since mark: Mark, email: Span, firstName: Span?, lastName: Span?, mobile: Span?,
                               contactType: ContactType?, sourceRow: Int) {
        entries.append(Entry(email: email, firstName: firstName, lastName: lastName, mobile: mobile,
                             valueStart: Int32(mark.values), valueEnd: Int32(values.count), record: -1,
                             contactType: contactType, sourceRow: sourceRow, rowDigest: nil))
    }
}
