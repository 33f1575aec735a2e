/// Streams the rows of one worksheet of an XLS workbook, record by record, from the
/// sheet's BOF to its EOF. Cells arrive row by row (within ROW blocks); the rows of the
/// current block are held until the block ends (DBCELL) so that a writer emitting a
/// block's cells out of row order still gives rows in order. Memory holds one block,
/// never the whole sheet.
final class XLSSheetRows: RowSource {
    private let reader: BIFFRecordReader
    private let sharedStrings: [String]
    private let xfDateKinds: [UInt8]
    private let is1904: Bool
    private let isBIFF8: Bool
    private let codePage: XLSCodePage
    private let sheetName: String
    private let path: String
    /// Where the sheet's BOF should be in the workbook stream.
    private let sheetOffset: Int

    // The row state below is touched for every cell. Only this class's own methods reach it
    // and none holds an inout access across a call that could touch it again, so the
    // per-access exclusivity checks (a measurable share of an XLS read) are off.

    /// Cells of the row being filled.
    @exclusivity(unchecked) private var current: [Cell] = []
    /// 0-based row number of `current`, or -1.
    @exclusivity(unchecked) private var currentRow = -1
    @exclusivity(unchecked) private var width = 16
    /// Finished rows of the current block, in row order.
    @exclusivity(unchecked) private var pending: [Row] = []
    /// Rows ready to hand out.
    @exclusivity(unchecked) private var ready: [Row] = []
    @exclusivity(unchecked) private var readyIndex = 0
    private var finished = false
    /// Nesting of BOF/EOF (embedded charts have their own substream inside a sheet).
    @exclusivity(unchecked) private var depth = 0
    /// A FORMULA whose string result follows in a STRING record.
    private var stringTarget: (row: Int, column: Int)?
    private var text = XLSTextBuilder()

    /// A block holds at most 32 rows; past this many pending rows they are released anyway.
    private static let maxPending = 64
    /// The serial of 9999-12-31 plus one day, past which Excel shows no date.
    private static let lastDateSerial = 2_958_466.0
    /// Columns beyond Excel's last (XFD) mean a damaged record.
    private static let maxColumns = 16_384

    init(reader: BIFFRecordReader, globals: XLSGlobals, sheetIndex: Int, path: String) {
        self.reader = reader
        self.sharedStrings = globals.sharedStrings
        self.xfDateKinds = globals.xfDateKinds
        self.is1904 = globals.is1904
        self.isBIFF8 = globals.isBIFF8
        self.codePage = globals.codePage
        self.sheetName = globals.sheets[sheetIndex].name
        self.path = path
        reader.location = TableLocation(path: path, sheet: sheetName)
        self.sheetOffset = globals.sheetOffsets[sheetIndex]
        reader.seek(to: sheetOffset)
        current.reserveCapacity(width)
    }

    func next() throws(TabularError) -> Row? {
        if readyIndex < ready.count {
            defer { readyIndex += 1 }
            return ready[readyIndex]
        }
        ready.removeAll(keepingCapacity: true)
        readyIndex = 0
        while ready.isEmpty && !finished { try pump() }
        guard readyIndex < ready.count else { return nil }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    // MARK: - Records

    /// Reads records until some rows are ready or the sheet ends.
    private func pump() throws(TabularError) {
        if depth == 0 {
            guard try reader.peekType() == BIFFType.bof, let bof = try reader.next(), bof.type == BIFFType.bof else {
                throw .corrupt(reader.location, detail: "the sheet does not start where the workbook says (no BOF record at offset \(sheetOffset))")
            }
            depth = 1
        }
        while let rec = try reader.next() {
            switch rec.type {
            case BIFFType.number:
                guard depth == 1 else { break }
                try need(rec, 14)
                try put(rec.u16(0), rec.u16(2), numberCell(rec.f64(6), rec.u16(4)))
            case BIFFType.rk:
                guard depth == 1 else { break }
                try need(rec, 10)
                try put(rec.u16(0), rec.u16(2), numberCell(Self.rk(rec.u32(6)), rec.u16(4)))
            case BIFFType.mulRK:
                guard depth == 1 else { break }
                try need(rec, 6)
                let row = rec.u16(0)
                let first = rec.u16(2)
                let n = (rec.count - 6) / 6
                var offset = 4
                for i in 0..<n {
                    try put(row, first + i, numberCell(Self.rk(rec.u32(offset + 2)), rec.u16(offset)))
                    offset += 6
                }
            case BIFFType.labelSST:
                guard depth == 1 else { break }
                try need(rec, 10)
                let index = Int(rec.u32(6))
                guard index < sharedStrings.count else {
                    throw .corrupt(cellLocation(rec.u16(0), rec.u16(2)),
                                   detail: "the cell refers to shared string #\(index), but the workbook has only \(sharedStrings.count)")
                }
                try put(rec.u16(0), rec.u16(2), .text(sharedStrings[index]))
            case BIFFType.label, BIFFType.rString:
                guard depth == 1 else { break }
                try need(rec, 8)
                let row = rec.u16(0)
                let column = rec.u16(2)
                try put(row, column, .text(try labelText(rec)))
            case BIFFType.boolErr:
                guard depth == 1 else { break }
                try need(rec, 8)
                let value = rec.u8(6)
                let cell: Cell = rec.u8(7) != 0 ? .error(XLSStrings.errorLiteral(value)) : .bool(value != 0)
                try put(rec.u16(0), rec.u16(2), cell)
            case BIFFType.formula:
                guard depth == 1 else { break }
                try need(rec, 14)
                try formula(rec)
            case BIFFType.string:
                guard depth == 1, let target = stringTarget else { break }
                stringTarget = nil
                let value = try stringResult(rec)
                try put(target.row, target.column, .text(value))
            case BIFFType.dbCell:
                guard depth == 1 else { break }
                try finishRow()
                release()
            case BIFFType.bof:
                depth += 1
            case BIFFType.eof:
                depth -= 1
                if depth <= 0 {
                    try finishSheet()
                    return
                }
            default:
                break
            }
            if !ready.isEmpty { return }
        }
        try finishSheet()
    }

    @inline(__always)
    private func need(_ rec: BIFFRecord, _ bytes: Int) throws(TabularError) {
        if rec.count < bytes {
            var where_ = reader.location
            if rec.count >= 4 {
                where_.row = rec.u16(0) + 1
                where_.column = rec.u16(2)
            }
            throw .corrupt(where_, detail: "a cell record (type 0x\(String(rec.type, radix: 16))) is \(rec.count) bytes long, shorter than the \(bytes) it needs")
        }
    }

    private func cellLocation(_ row: Int, _ column: Int) -> TableLocation {
        TableLocation(path: path, sheet: sheetName, row: row + 1, column: column)
    }

    /// Decodes an RK number: a 30-bit integer or the top of a double, optionally divided by 100.
    @inline(__always)
    static func rk(_ raw: UInt32) -> Double {
        var value: Double
        if raw & 2 != 0 {
            value = Double(Int32(bitPattern: raw) >> 2)
        } else {
            value = Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        }
        if raw & 1 != 0 { value /= 100 }
        return value
    }

    /// A number, as a date when its cell format shows a date.
    @inline(__always)
    private func numberCell(_ value: Double, _ xf: Int) -> Cell {
        if xf < xfDateKinds.count {
            let kind = xfDateKinds[xf]
            // Serials past 9999-12-31 (or NaN) stay numbers: no calendar date to show.
            if kind != 0 && abs(value) < Self.lastDateSerial {
                return .date(ExcelDate(serial: value, is1904: is1904, kind: kind == 2 ? .elapsed : .dateTime))
            }
        }
        return .number(value)
    }

    /// A FORMULA record's cached result.
    private func formula(_ rec: BIFFRecord) throws(TabularError) {
        let row = rec.u16(0)
        let column = rec.u16(2)
        guard rec.u16(12) == 0xFFFF else {
            try put(row, column, numberCell(rec.f64(6), rec.u16(4)))
            return
        }
        switch rec.u8(6) {
        case 0: stringTarget = (row, column) // the STRING record follows
        case 1: try put(row, column, .bool(rec.u8(8) != 0))
        case 2: try put(row, column, .error(XLSStrings.errorLiteral(rec.u8(8))))
        case 3: try put(row, column, .text(""))
        default: break
        }
    }

    /// The text of a LABEL or RSTRING record.
    private func labelText(_ rec: BIFFRecord) throws(TabularError) -> String {
        if isBIFF8 {
            guard rec.count >= 9 else { return "" }
            text.reset()
            _ = XLSStrings.appendUnicode(rec, at: 6, into: &text)
            return text.makeString()
        }
        let n = min(rec.u16(6), rec.count - 8)
        return codePage.decode(rec.tail(8).prefix(n).rebased)
    }

    /// The text of a STRING record (a formula's string result), which in BIFF8 may go on
    /// in CONTINUE records, each starting with a new option byte.
    private func stringResult(_ rec: BIFFRecord) throws(TabularError) -> String {
        guard isBIFF8 else {
            guard rec.count >= 2 else { return "" }
            let n = min(rec.u16(0), rec.count - 2)
            return codePage.decode(rec.tail(2).prefix(n).rebased)
        }
        text.reset()
        var (missing, _) = XLSStrings.appendUnicode(rec, at: 0, into: &text)
        while missing > 0, try reader.peekType() == BIFFType.continue, let more = try reader.next() {
            guard more.count >= 1 else { continue }
            let high = more.u8(0) & 1 != 0
            let chars = more.tail(1)
            let fit = min(missing, high ? chars.count / 2 : chars.count)
            let piece = chars.prefix(high ? 2 * fit : fit).rebased
            if high { text.appendUTF16(piece) } else { text.appendCompressed(piece) }
            missing -= fit
        }
        return text.makeString()
    }

    // MARK: - Rows

    @inline(__always)
    private func put(_ row: Int, _ column: Int, _ cell: Cell) throws(TabularError) {
        if row != currentRow { try switchRow(to: row) }
        if column == current.count {
            current.append(cell)
        } else if column < current.count {
            current[column] = cell
        } else {
            guard column < Self.maxColumns else {
                throw .corrupt(cellLocation(row, column), detail: "the cell lies beyond the last column Excel allows")
            }
            current.append(contentsOf: repeatElement(Cell.empty, count: column - current.count))
            current.append(cell)
        }
    }

    /// Starts (or reopens) `row`, after filing the row being filled.
    private func switchRow(to row: Int) throws(TabularError) {
        try finishRow()
        currentRow = row
        // A row already filed in this block (cells out of row order): reopen it.
        if let last = pending.last, last.number > row {
            var i = pending.count - 1
            while i >= 0 && pending[i].number > row + 1 { i -= 1 }
            if i >= 0 && pending[i].number == row + 1 {
                current = pending.remove(at: i).cells
            }
        }
        if pending.count >= Self.maxPending { release() }
    }

    /// Files the row being filled among the pending rows, in row order.
    private func finishRow() throws(TabularError) {
        guard currentRow >= 0 else { return }
        defer { currentRow = -1 }
        guard !current.isEmpty else { return }
        width = max(width, current.count)
        let row = Row(number: currentRow + 1, cells: current)
        current = []
        current.reserveCapacity(width)
        if let last = pending.last, last.number > row.number {
            let at = pending.firstIndex { $0.number > row.number } ?? pending.count
            pending.insert(row, at: at)
        } else {
            pending.append(row)
        }
    }

    /// Hands the pending rows over to `next()`.
    private func release() {
        guard !pending.isEmpty else { return }
        if ready.isEmpty {
            swap(&ready, &pending)
        } else {
            ready.append(contentsOf: pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    private func finishSheet() throws(TabularError) {
        try finishRow()
        release()
        finished = true
    }
}
