import Foundation

/// Prints a sheet as the corpus convention draws it: row 1 is cell A1, missing rows
/// appear as empty records, every record is padded to the sheet's width, trailing
/// empty rows and columns are trimmed. CSV files print record by record, as read.
///
/// The width of a sheet is only known at its end, so rows are held back: in memory
/// up to a few megabytes, then in an unlinked temporary file, never the whole sheet
/// in memory.
public struct GridPrinter {
    /// Bytes of held-back rows kept in memory before spilling to a temporary file.
    public var memoryLimit: Int = 8 << 20

    public init() {}

    /// Streams the sheet at `sheet` of `table` to `writer`; returns the number of records written.
    @discardableResult
    public func print(_ table: any TableSource, sheet: Int, to writer: CSVWriter) throws(TabularError) -> Int {
        let rows = try table.rows(sheet: sheet)
        if table.format == .csv {
            var count = 0
            while let row = try rows.next() {
                try writer.writeRow(row.cells.map(\.rendered))
                count += 1
            }
            try writer.flush()
            return count
        }
        return try printPadded(rows, to: writer)
    }

    private func printPadded(_ rows: any RowSource, to writer: CSVWriter) throws(TabularError) -> Int {
        let spool = Spool(memoryLimit: memoryLimit)
        var width = 0
        var nextRow = 1
        var pendingEmpty = 0
        while let row = try rows.next() {
            let cells = row.cells
            var used = cells.count
            while used > 0 && cells[used - 1].rendersEmpty { used -= 1 }
            if used == 0 { continue }
            if row.number > nextRow { pendingEmpty += row.number - nextRow }
            for _ in 0..<pendingEmpty { try spool.appendEmpty() }
            pendingEmpty = 0
            try spool.append(cells, count: used)
            width = max(width, used)
            nextRow = row.number + 1
        }
        var count = 0
        try spool.replay { (body: UnsafeRawBufferPointer, fieldCount: Int) throws(TabularError) in
            if fieldCount == 0 && width == 1 {
                // A lone empty field is written `""`, so it is not read back as a blank line.
                try writer.writeRow([""])
            } else {
                try writer.writeEncoded(body, padding: max(0, width - max(fieldCount, 1)))
            }
            count += 1
        }
        try writer.flush()
        return count
    }
}

extension Cell {
    /// True when the cell renders as an empty field (checked without rendering it).
    @inline(__always)
    fileprivate var rendersEmpty: Bool {
        switch self {
        case .empty: return true
        case .text(let s), .isoDate(let s), .error(let s): return s.isEmpty
        case .number, .bool, .date: return false
        }
    }
}

/// Rows held back until the sheet's width is known, already encoded as CSV: in memory
/// first, then in an unlinked temporary file. Each entry is the body's length and the
/// field count (two native `UInt32`s) followed by the body.
final class Spool {
    /// Held-back entries in memory: raw bytes grown with `realloc` (large blocks are
    /// remapped, not copied), written in place one record at a time.
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0
    private let memoryLimit: Int
    private var file: UnsafeMutablePointer<FILE>?

    init(memoryLimit: Int) {
        self.memoryLimit = memoryLimit
        capacity = 1 << 16
        base = malloc(capacity)!
    }

    deinit {
        free(base)
        if let file { fclose(file) }
    }

    /// Makes room for `extra` more bytes after `used`.
    @inline(__always)
    private func reserve(_ extra: Int) {
        if capacity - used < extra { grow(extra) }
    }

    private func grow(_ extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - used < extra { newCapacity *= 2 }
        guard let bigger = realloc(base, newCapacity) else { fatalError("out of memory holding back \(newCapacity) bytes of rows") }
        base = bigger
        capacity = newCapacity
    }

    /// Holds back an empty row.
    func appendEmpty() throws(TabularError) {
        reserve(8)
        base.storeBytes(of: (UInt32(0), UInt32(0)), toByteOffset: used, as: (UInt32, UInt32).self)
        used += 8
        if used >= memoryLimit { try spill() }
    }

    /// Holds back the first `count` cells of a row, rendered and encoded as CSV.
    /// Works on local copies of the buffer's state (no exclusivity checks per field).
    func append(_ cells: [Cell], count: Int) throws(TabularError) {
        reserve(8)
        var p = base.assumingMemoryBound(to: UInt8.self)
        var room = capacity
        let header = used
        var n = header + 8
        for i in 0..<count {
            if i > 0 {
                if n == room {
                    used = n
                    grow(1)
                    p = base.assumingMemoryBound(to: UInt8.self)
                    room = capacity
                }
                p[n] = 0x2C
                n += 1
            }
            var field: String
            switch cells[i] {
            case .empty: continue
            case .text(let s), .isoDate(let s), .error(let s): field = s
            case let cell: field = cell.rendered
            }
            field.withUTF8 { bytes in
                let need = 2 * bytes.count + 2
                if room - n < need {
                    used = n
                    grow(need)
                    p = base.assumingMemoryBound(to: UInt8.self)
                    room = capacity
                }
                n = CSVWriter.appendField(bytes, to: p, at: n)
            }
        }
        used = n
        let length = n - header - 8
        guard length <= Int(UInt32.max) else {
            throw .cannotWrite(path: "a temporary file", reason: "a row of \(length) bytes is too long to hold back")
        }
        base.storeBytes(of: (UInt32(length), UInt32(count)), toByteOffset: header, as: (UInt32, UInt32).self)
        if n >= memoryLimit { try spill() }
    }

    private func spill() throws(TabularError) {
        if file == nil {
            guard let f = tmpfile() else { throw .cannotOpen(path: "temporary file", reason: String(cString: strerror(errno))) }
            file = f
        }
        let written = fwrite(base, 1, used, file)
        guard written == used else { throw .cannotOpen(path: "temporary file", reason: "short write (is the disk full?)") }
        used = 0
        if capacity > 2 * memoryLimit && capacity > 1 << 20 {
            // One giant row grew the buffer: give the memory back.
            free(base)
            capacity = 1 << 16
            base = malloc(capacity)!
        }
    }

    /// Hands every held-back row, in order, to `body`.
    func replay(_ body: (UnsafeRawBufferPointer, Int) throws(TabularError) -> Void) throws(TabularError) {
        if let file {
            try spill()
            fflush(file)
            rewind(file)
            var chunkSize = 1 << 20
            var chunk = malloc(chunkSize)!
            defer { free(chunk) }
            var filled = 0
            while true {
                let got = fread(chunk + filled, 1, chunkSize - filled, file)
                filled += got
                let consumed = try Self.walk(UnsafeRawBufferPointer(start: chunk, count: filled), body)
                if got == 0 {
                    guard consumed == filled else { throw .cannotOpen(path: "temporary file", reason: "short read") }
                    break
                }
                if consumed == 0 && filled == chunkSize {
                    chunkSize *= 2 // one row larger than the chunk
                    guard let bigger = realloc(chunk, chunkSize) else { fatalError("out of memory replaying a row of \(filled) bytes") }
                    chunk = bigger
                    continue
                }
                memmove(chunk, chunk + consumed, filled - consumed)
                filled -= consumed
            }
            return
        }
        _ = try Self.walk(UnsafeRawBufferPointer(start: base, count: used), body)
    }

    /// Calls `body` for each complete entry in `raw`; returns the bytes consumed.
    private static func walk(_ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) throws(TabularError) -> Void) throws(TabularError) -> Int {
        let count = raw.count
        var offset = 0
        while count - offset >= 8 {
            let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let fieldCount = Int(raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            guard count - offset - 8 >= length else { break }
            try body(UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<(offset + 8 + length)]), fieldCount)
            offset += 8 + length
        }
        return offset
    }
}
