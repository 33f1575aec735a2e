/// Rows of a worksheet as the parser completes them: each cell's text as it renders (the
/// corpus convention, as `cat` prints it), fields end to end in one buffer, with each cell's
/// kind and number beside it.
///
/// The text is rendered once, while parsing, so that an import reads a row's fields as bytes
/// (`RawRecordSource.withFields`) and builds no `Cell` or `String` for them; a printer still
/// gets the typed cells (`row(_:)`). A `Row` of `[Cell]` made a `String` for every text cell
/// on the parsing thread and cost a retain and a release per cell on the importing one.
struct SheetRecords: Sendable {
    /// What a cell was in the sheet (its text alone cannot tell a number from text).
    enum Kind: UInt8, Sendable {
        case empty, text, number, bool, date, elapsed, isoDate, error
    }

    /// Whether the workbook counts dates from 1904 (for the dates of `row(_:)`).
    let is1904: Bool
    private var bytes: [UInt8] = []
    /// Field ends, each relative to the start of its record's bytes.
    private var ends: [Int] = []
    private var kinds: [Kind] = []
    /// Each field's number (a date's serial); 0 for other kinds.
    private var values: [Double] = []
    private var records: [Record] = []
    /// Where the record being built starts.
    private var openBytes = 0
    private var openFields = 0

    private struct Record: Sendable {
        var byteStart: Int
        var fieldStart: Int
        var fieldCount: Int
        var number: Int
    }

    init(is1904: Bool, capacity: Int = 0) {
        self.is1904 = is1904
        records.reserveCapacity(capacity)
    }

    /// Completed records.
    var count: Int { records.count }

    /// Fields of the record being built so far.
    var openFieldCount: Int { ends.count - openFields }

    /// Sets field `column` of the record being built; fields before it that were not set are
    /// empty. A column set already is replaced (a sheet may list a row's cells out of order).
    mutating func set(_ column: Int, kind: Kind, value: Double = 0, text: UnsafeBufferPointer<UInt8>) {
        let open = openFieldCount
        if column < open {
            replace(column, kind: kind, value: value, text: text)
            return
        }
        if column > open {
            let end = bytes.count - openBytes
            for _ in open..<column {
                ends.append(end)
                kinds.append(.empty)
                values.append(0)
            }
        }
        bytes.append(contentsOf: text)
        ends.append(bytes.count - openBytes)
        kinds.append(kind)
        values.append(value)
    }

    /// `set(_:kind:value:text:)` with the text of a `String`.
    mutating func set(_ column: Int, kind: Kind, value: Double = 0, string: String) {
        var string = string
        string.withUTF8 { set(column, kind: kind, value: value, text: $0) }
    }

    /// Rebuilds the open record with field `column` replaced (rare: cells out of order).
    private mutating func replace(_ column: Int, kind: Kind, value: Double, text: UnsafeBufferPointer<UInt8>) {
        var fields: [(kind: Kind, value: Double, text: [UInt8])] = []
        var start = 0
        for index in openFields..<ends.count {
            fields.append((kinds[index], values[index], Array(bytes[(openBytes + start)..<(openBytes + ends[index])])))
            start = ends[index]
        }
        fields[column] = (kind, value, Array(text))
        bytes.removeSubrange(openBytes...)
        ends.removeSubrange(openFields...)
        kinds.removeSubrange(openFields...)
        values.removeSubrange(openFields...)
        for (index, field) in fields.enumerated() {
            field.text.withUnsafeBufferPointer { set(index, kind: field.kind, value: field.value, text: $0) }
        }
    }

    /// Completes the record being built as row `number`; a record with no fields is dropped.
    mutating func endRecord(number: Int) {
        let fieldCount = openFieldCount
        if fieldCount > 0 {
            records.append(Record(byteStart: openBytes, fieldStart: openFields, fieldCount: fieldCount, number: number))
        }
        openBytes = bytes.count
        openFields = ends.count
    }

    /// The completed records, leaving these with none but the record being built (a batch
    /// may end in the middle of a row). `capacity`: records to make room for.
    mutating func takeCompleted(capacity: Int = 0) -> SheetRecords {
        var rest = SheetRecords(is1904: is1904, capacity: capacity)
        rest.bytes.append(contentsOf: bytes[openBytes...])
        rest.ends.append(contentsOf: ends[openFields...])
        rest.kinds.append(contentsOf: kinds[openFields...])
        rest.values.append(contentsOf: values[openFields...])
        bytes.removeSubrange(openBytes...)
        ends.removeSubrange(openFields...)
        kinds.removeSubrange(openFields...)
        values.removeSubrange(openFields...)
        swap(&self, &rest)
        return rest
    }

    /// Record `index`'s row number.
    func number(_ index: Int) -> Int { records[index].number }

    /// Calls `body` with record `index`'s fields (rendered text, UTF-8).
    func withFields<Result>(_ index: Int, _ body: (RecordBytes) -> Result) -> Result {
        let record = records[index]
        return bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                // An empty buffer may have no address; such a record's fields are all empty
                // and its bytes never read.
                let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 8)!
                return body(RecordBytes(bytes: base + record.byteStart, ends: ends.baseAddress! + record.fieldStart,
                                        count: record.fieldCount))
            }
        }
    }

    /// Record `index` as the row of typed cells the sheet holds.
    func row(_ index: Int) -> Row {
        let record = records[index]
        var cells: [Cell] = []
        cells.reserveCapacity(record.fieldCount)
        withFields(index) { fields in
            for field in 0..<fields.count {
                let at = record.fieldStart + field
                let text = fields[field]
                switch kinds[at] {
                case .empty: cells.append(.empty)
                case .text: cells.append(.text(String(decoding: text, as: UTF8.self)))
                case .number: cells.append(.number(values[at]))
                case .bool: cells.append(.bool(text.first == UInt8(ascii: "T")))
                case .date: cells.append(.date(ExcelDate(serial: values[at], is1904: is1904, kind: .dateTime)))
                case .elapsed: cells.append(.date(ExcelDate(serial: values[at], is1904: is1904, kind: .elapsed)))
                case .isoDate: cells.append(.isoDate(String(decoding: text, as: UTF8.self)))
                case .error: cells.append(.error(String(decoding: text, as: UTF8.self)))
                }
            }
        }
        return Row(number: record.number, cells: cells)
    }
}
