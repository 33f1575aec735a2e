import Foundation

/// Turns the SAX events of a worksheet into records (`SheetRecords`).
///
/// Per cell it only compares a few name bytes, appends text to one reused buffer, parses
/// numbers straight from those bytes and appends the cell's rendered text to the records'
/// buffer; a cell allocates nothing unless it renders a date or a fractional number.
/// Completed records wait in `records` until the row source hands them out (at most one
/// input chunk's worth, or a batch).
///
/// Its state is only touched from libxml2's callbacks on the thread that feeds the
/// parser, so the hot properties skip Swift's dynamic exclusivity checks, which
/// otherwise cost about a tenth of the parse.
final class XLSXSheetHandler: XMLHandler {
    /// The cell types of the `t` attribute.
    enum CellType: UInt8 {
        case number, shared, formulaString, inline, bool, error, isoDate
    }

    /// Records completed and not yet handed out (and the one being built).
    @exclusivity(unchecked) private(set) var records: SheetRecords
    private let sharedStrings: [String]
    private let dateKinds: [UInt8]
    private let is1904: Bool
    private let base: TableLocation

    @exclusivity(unchecked) private var inRow = false
    @exclusivity(unchecked) private var rowNumber = 0
    @exclusivity(unchecked) private var rowExplicit = false
    @exclusivity(unchecked) private var lastRowNumber = 0
    @exclusivity(unchecked) private var inCell = false
    @exclusivity(unchecked) private var column = 0
    @exclusivity(unchecked) private var nextColumn = 0
    @exclusivity(unchecked) private var type = CellType.number
    @exclusivity(unchecked) private var style = 0
    @exclusivity(unchecked) private var inInline = false
    @exclusivity(unchecked) private var phonetic = 0
    @exclusivity(unchecked) private var collecting = false
    @exclusivity(unchecked) private var hasValue = false
    private let text = ByteBuffer()

    /// The largest column Excel has (XFD).
    static let maxColumn = 16_383

    init(sharedStrings: [String], dateKinds: [UInt8], is1904: Bool, location: TableLocation) {
        self.sharedStrings = sharedStrings
        self.dateKinds = dateKinds
        self.is1904 = is1904
        self.base = location
        self.records = SheetRecords(is1904: is1904)
        super.init()
    }

    /// The records completed so far, leaving none (`capacity`: records to make room for).
    func takeRecords(capacity: Int = 0) -> SheetRecords {
        records.takeCompleted(capacity: capacity)
    }

    override func locate(_ base: TableLocation) -> TableLocation {
        var where0 = base
        if inCell {
            where0.row = rowNumber
            where0.column = column
        } else if inRow {
            where0.row = rowNumber
        } else if lastRowNumber > 0 {
            where0.row = lastRowNumber
        }
        return where0
    }

    private func fail(_ detail: String) {
        if failure == nil { failure = .malformed(locate(base), detail: detail) }
    }

    // MARK: SAX events

    override func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        switch name[0] {
        case UInt8(ascii: "c") where name[1] == 0:
            if inRow { startCell(attributes) }
        case UInt8(ascii: "v") where name[1] == 0:
            if inCell {
                text.reset()
                collecting = true
            }
        case UInt8(ascii: "t") where name[1] == 0:
            if inInline && phonetic == 0 { collecting = true }
        case UInt8(ascii: "i") where name[1] == UInt8(ascii: "s") && name[2] == 0:
            if inCell {
                inInline = true
                text.reset()
            }
        case UInt8(ascii: "r"):
            if XMLName.equals(name, "row") {
                startRow(attributes)
            } else if XMLName.equals(name, "rPh") {
                phonetic += 1
            }
        default:
            break
        }
    }

    override func endElement(_ name: UnsafePointer<UInt8>) {
        switch name[0] {
        case UInt8(ascii: "c") where name[1] == 0:
            if inCell { endCell() }
        case UInt8(ascii: "v") where name[1] == 0:
            if collecting {
                collecting = false
                hasValue = true
            }
        case UInt8(ascii: "t") where name[1] == 0:
            collecting = false
        case UInt8(ascii: "i") where name[1] == UInt8(ascii: "s") && name[2] == 0:
            if inInline {
                inInline = false
                hasValue = true
            }
        case UInt8(ascii: "r"):
            if XMLName.equals(name, "row") {
                if inRow { endRow() }
            } else if XMLName.equals(name, "rPh") {
                phonetic -= 1
            }
        default:
            break
        }
    }

    override func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if collecting {
            if text.count + count > 64 << 20 {
                failure = .limitExceeded(locate(base), detail: "a cell holds more than 64 MB of text")
                return
            }
            text.append(bytes, count)
        }
    }

    // MARK: Rows and cells

    private func startRow(_ attributes: XMLAttributes) {
        if let r = attributes.value("r") {
            guard let n = Self.parseInt(r), n >= 1, n <= Int(Int32.max) else {
                fail("the row number \"\(String(decoding: r, as: UTF8.self))\" is not valid")
                return
            }
            rowNumber = n
            rowExplicit = true
        } else {
            rowNumber = lastRowNumber + 1
            rowExplicit = false
        }
        inRow = true
        nextColumn = 0
    }

    private func endRow() {
        inRow = false
        lastRowNumber = rowNumber
        records.endRecord(number: rowNumber)
    }

    private func startCell(_ attributes: XMLAttributes) {
        inCell = true
        hasValue = false
        collecting = false
        inInline = false
        text.reset()
        type = .number
        style = 0
        column = nextColumn
        guard let base = attributes.base else { return }
        for i in 0..<attributes.count {
            guard let local = base[i * 5], local[1] == 0, let start = base[i * 5 + 3], let end = base[i * 5 + 4] else { continue }
            let value = UnsafeBufferPointer(start: start, count: end - start)
            switch local[0] {
            case UInt8(ascii: "r"):
                guard let (c, r) = Self.parseReference(value), c >= 0 else {
                    fail("the cell reference \"\(String(decoding: value, as: UTF8.self))\" is not valid")
                    return
                }
                guard c <= Self.maxColumn else {
                    fail("the cell reference \"\(String(decoding: value, as: UTF8.self))\" lies beyond column XFD")
                    return
                }
                column = c
                if !rowExplicit, records.openFieldCount == 0, r >= 1 { rowNumber = r }
            case UInt8(ascii: "t"):
                type = Self.cellType(value)
            case UInt8(ascii: "s"):
                style = Self.parseInt(value) ?? 0
            default:
                break
            }
        }
        if column > Self.maxColumn {
            fail("the row has more cells than Excel's 16,384 columns")
        }
    }

    private func endCell() {
        defer { inCell = false }
        collecting = false
        nextColumn = column + 1
        guard hasValue else { return }
        switch type {
        case .number:
            guard text.count > 0 else { return }
            var integer: Int64?
            guard let value = number(integer: &integer) else {
                fail("the number \"\(String(decoding: text.buffer, as: UTF8.self))\" is not valid")
                return
            }
            if style < dateKinds.count, style >= 0, dateKinds[style] != 0 {
                let kind: ExcelDate.Kind = dateKinds[style] == 2 ? .elapsed : .dateTime
                records.set(column, kind: kind == .elapsed ? .elapsed : .date, value: value,
                            string: ExcelDate(serial: value, is1904: is1904, kind: kind).rendered)
            } else if let integer {
                setInteger(integer, value: value)
            } else {
                records.set(column, kind: .number, value: value, string: NumberText.render(value))
            }
        case .shared:
            guard text.count > 0 else { return }
            guard let index = Self.parseInt(trimmed()) else {
                fail("the shared string index \"\(String(decoding: text.buffer, as: UTF8.self))\" is not a number")
                return
            }
            guard index < sharedStrings.count else {
                fail("the cell refers to shared string #\(index), but the workbook has only \(sharedStrings.count)")
                return
            }
            records.set(column, kind: .text, string: sharedStrings[index])
        case .formulaString, .inline:
            if XLSXText.hasEscapes(text.buffer) {
                records.set(column, kind: .text, string: XLSXText.string(text.buffer))
            } else {
                records.set(column, kind: .text, text: text.buffer)
            }
        case .bool:
            let t = trimmed()
            let value: Bool
            if t.count == 1 && (t[0] == UInt8(ascii: "1") || t[0] == UInt8(ascii: "0")) {
                value = t[0] == UInt8(ascii: "1")
            } else {
                let word = String(decoding: t, as: UTF8.self).lowercased()
                guard word == "true" || word == "false" else {
                    fail("the boolean \"\(String(decoding: t, as: UTF8.self))\" is not 0 or 1")
                    return
                }
                value = word == "true"
            }
            records.set(column, kind: .bool, string: value ? "TRUE" : "FALSE")
        case .error:
            records.set(column, kind: .error, text: text.buffer)
        case .isoDate:
            records.set(column, kind: .isoDate, text: text.buffer)
        }
    }

    /// Sets a number cell whose text was plain digits, rendered as `NumberText` renders the
    /// integral value (no leading zeros, no sign for zero) without making a `String`.
    private func setInteger(_ integer: Int64, value: Double) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let out = raw.bindMemory(to: UInt8.self)
            var end = out.count
            var magnitude = integer.magnitude
            repeat {
                end -= 1
                out[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if integer < 0 {
                end -= 1
                out[end] = UInt8(ascii: "-")
            }
            records.set(column, kind: .number, value: value, text: UnsafeBufferPointer(rebasing: out[end...]))
        }
    }

    // MARK: Byte helpers

    private func trimmed() -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = text.count
        let b = text.base
        while start < end, b[start] <= 0x20 { start += 1 }
        while end > start, b[end - 1] <= 0x20 { end -= 1 }
        return UnsafeBufferPointer(start: b + start, count: end - start)
    }

    /// The cell's text as a number: digits straight (then also as `integer`), anything else
    /// through Swift's `Double` parser.
    private func number(integer: inout Int64?) -> Double? {
        let t = trimmed()
        guard let p = t.baseAddress, t.count > 0 else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        if t.count - i <= 15, t.count > i {
            var v: Int64 = 0
            var ok = true
            while i < t.count {
                let d = p[i] &- 48
                if d > 9 { ok = false; break }
                v = v * 10 + Int64(d)
                i += 1
            }
            if ok {
                integer = negative ? -v : v
                return negative ? -Double(v) : Double(v)
            }
        }
        // Swift's own parser is locale-independent (strtod is not); short texts make no allocation.
        guard let value = Double(String(decoding: t, as: UTF8.self)) else { return nil }
        return value
    }

    /// `B12` → (1, 12): the common plain form inline, anything else (`$B$12`, lower case) via `ColumnName`.
    @inline(__always)
    static func parseReference(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var i = 0
        var column = 0
        while i < bytes.count, i < 3 {
            let letter = bytes[i] &- 65
            guard letter < 26 else { break }
            column = column * 26 + Int(letter) + 1
            i += 1
        }
        guard i > 0, i < bytes.count, bytes.count - i <= 7 else { return ColumnName.parseReference(bytes) }
        var row = 0
        while i < bytes.count {
            let digit = bytes[i] &- 48
            guard digit < 10 else { return ColumnName.parseReference(bytes) }
            row = row * 10 + Int(digit)
            i += 1
        }
        return (column - 1, row)
    }

    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var v = 0
        for b in bytes {
            let d = b &- 48
            guard d <= 9 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    static func cellType(_ value: UnsafeBufferPointer<UInt8>) -> CellType {
        guard let first = value.first else { return .number }
        switch (first, value.count) {
        case (UInt8(ascii: "s"), 1): return .shared
        case (UInt8(ascii: "s"), 3): return .formulaString
        case (UInt8(ascii: "i"), _): return .inline
        case (UInt8(ascii: "b"), _): return .bool
        case (UInt8(ascii: "e"), _): return .error
        case (UInt8(ascii: "d"), _): return .isoDate
        case (UInt8(ascii: "n"), _): return .number
        default: return .formulaString
        }
    }
}
