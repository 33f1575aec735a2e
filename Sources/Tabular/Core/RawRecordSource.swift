/// A row source that can show a record's fields as bytes before building its cells, for a
/// caller that may recognise the record from its bytes alone and then never needs its cells
/// (an import skipping rows it has already applied, or normalising a plain row from its
/// bytes). The CSV reader is one, and so is an XLSX sheet (`SheetRecordRows`): there each
/// field is its cell's rendered text, which is all a contact is made from.
///
/// `next()` is `advance()` followed by `currentRow()`.
public protocol RawRecordSource: RowSource {
    /// Reads the next record without building its cells; false at the end.
    func advance() throws(TabularError) -> Bool
    /// The number of fields of the current record.
    var fieldCount: Int { get }
    /// Calls `body` with the current record's fields as UTF-8 bytes, each its cell's rendered
    /// text (valid only during the call), and returns what it returns; returns nil, without
    /// calling it, when a field is not UTF-8 as it stands (text that `currentRow()` reads as
    /// Windows-1252). One call per record, so a caller's loop over the fields can be inlined.
    func withFields<Result>(_ body: (RecordBytes) -> Result) -> Result?
    /// The current record as a row, its cells built now (each field a `.text` cell).
    func currentRow() -> Row
    /// The number and line of the current record.
    var currentPosition: (number: Int, line: Int) { get }
}

/// A record's fields as UTF-8 bytes, end to end (see `RawRecordSource.withFields`).
public struct RecordBytes {
    /// The fields' bytes, one after another.
    public let bytes: UnsafePointer<UInt8>
    /// Where each field ends in `bytes`.
    public let ends: UnsafePointer<Int>
    /// How many fields.
    public let count: Int

    public init(bytes: UnsafePointer<UInt8>, ends: UnsafePointer<Int>, count: Int) {
        self.bytes = bytes
        self.ends = ends
        self.count = count
    }

    /// Calls `body` with these texts as a record's fields, as a raw reader hands them out
    /// (for code that holds text rather than a reader's buffer, and for tests).
    public static func withFields<Result>(_ fields: [String], _ body: (RecordBytes) throws -> Result) rethrows -> Result {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in fields {
            bytes += Array(field.utf8)
            ends.append(bytes.count)
        }
        // Never read: they keep the buffers' addresses valid when there are no fields.
        bytes.append(0)
        ends.append(0)
        return try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in
                try body(RecordBytes(bytes: bytes.baseAddress!, ends: ends.baseAddress!, count: fields.count))
            }
        }
    }

    /// Field `index`'s bytes.
    @inlinable
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(start: bytes + start, count: ends[index] - start)
    }
}

extension Row {
    /// The row of text cells of a record's fields, which must be UTF-8 (as
    /// `RawRecordSource.withFields` hands them out): the row `currentRow()` builds for it.
    public init(number: Int, line: Int, fields: RecordBytes) {
        var cells: [Cell] = []
        cells.reserveCapacity(fields.count)
        for index in 0..<fields.count {
            let bytes = fields[index]
            cells.append(.text(bytes.isEmpty ? "" : String(decoding: bytes, as: UTF8.self)))
        }
        self.init(number: number, line: line, cells: cells)
    }
}
