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
        var fields: [String] = []
        while let row = try rows.next() {
            fields.removeAll(keepingCapacity: true)
            for cell in row.cells { fields.append(cell.rendered) }
            while let last = fields.last, last.isEmpty { fields.removeLast() }
            if fields.isEmpty { continue }
            if row.number > nextRow { pendingEmpty += row.number - nextRow }
            for _ in 0..<pendingEmpty { try spool.append([], fieldCount: 0) }
            pendingEmpty = 0
            try spool.append(fields)
            width = max(width, fields.count)
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

/// Rows held back until the sheet's width is known, already encoded as CSV: in memory
/// first, then in an unlinked temporary file. Each entry is the body's length and the
/// field count (two native `UInt32`s) followed by the body.
final class Spool {
    private var memory: [UInt8] = []
    private let memoryLimit: Int
    private var file: UnsafeMutablePointer<FILE>?
    private var scratch: [UInt8] = []

    init(memoryLimit: Int) { self.memoryLimit = memoryLimit }

    deinit { if let file { fclose(file) } }

    func append(_ fields: [String]) throws(TabularError) {
        scratch.removeAll(keepingCapacity: true)
        CSVWriter.encode(fields, into: &scratch)
        try append(scratch, fieldCount: fields.count)
    }

    func append(_ body: [UInt8], fieldCount: Int) throws(TabularError) {
        var header = (UInt32(body.count), UInt32(fieldCount))
        withUnsafeBytes(of: &header) { memory.append(contentsOf: $0) }
        memory.append(contentsOf: body)
        if memory.count >= memoryLimit { try spill() }
    }

    private func spill() throws(TabularError) {
        if file == nil {
            guard let f = tmpfile() else { throw .cannotOpen(path: "temporary file", reason: String(cString: strerror(errno))) }
            file = f
        }
        let written = memory.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == memory.count else { throw .cannotOpen(path: "temporary file", reason: "short write (is the disk full?)") }
        memory.removeAll(keepingCapacity: true)
    }

    /// Hands every held-back row, in order, to `body`.
    func replay(_ body: (UnsafeRawBufferPointer, Int) throws(TabularError) -> Void) throws(TabularError) {
        if let file {
            try spill()
            fflush(file)
            rewind(file)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var filled = 0
            while true {
                let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress! + filled, 1, $0.count - filled, file) }
                filled += got
                let consumed = try Self.walk(chunk, count: filled, body)
                if got == 0 {
                    guard consumed == filled else { throw .cannotOpen(path: "temporary file", reason: "short read") }
                    break
                }
                if consumed == 0 && filled == chunk.count {
                    chunk.append(contentsOf: repeatElement(0, count: chunk.count)) // one row larger than the chunk
                    continue
                }
                chunk.withUnsafeMutableBytes { p in
                    p.baseAddress!.copyMemory(from: p.baseAddress! + consumed, byteCount: filled - consumed)
                }
                filled -= consumed
            }
            return
        }
        _ = try Self.walk(memory, count: memory.count, body)
    }

    /// Calls `body` for each complete entry in `bytes[0..<count]`; returns the bytes consumed.
    private static func walk(_ bytes: [UInt8], count: Int, _ body: (UnsafeRawBufferPointer, Int) throws(TabularError) -> Void) throws(TabularError) -> Int {
        var offset = 0
        var failure: TabularError?
        bytes.withUnsafeBytes { raw in
            while count - offset >= 8 {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                let fieldCount = Int(raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                guard count - offset - 8 >= length else { break }
                do throws(TabularError) {
                    try body(UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<(offset + 8 + length)]), fieldCount)
                } catch {
                    failure = error
                    return
                }
                offset += 8 + length
            }
        }
        if let failure { throw failure }
        return offset
    }
}
