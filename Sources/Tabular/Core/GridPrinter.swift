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
            var fields = row.cells.map(\.rendered)
            while let last = fields.last, last.isEmpty { fields.removeLast() }
            if fields.isEmpty { continue }
            if row.number > nextRow { pendingEmpty += row.number - nextRow }
            for _ in 0..<pendingEmpty { try spool.append([]) }
            pendingEmpty = 0
            try spool.append(fields)
            width = max(width, fields.count)
            nextRow = row.number + 1
        }
        var count = 0
        try spool.replay { (fields: [String]) throws(TabularError) in
            var padded = fields
            if padded.count < width { padded.append(contentsOf: repeatElement("", count: width - padded.count)) }
            try writer.writeRow(padded)
            count += 1
        }
        try writer.flush()
        return count
    }
}

/// Rows held back until the sheet's width is known: memory first, then a temporary file.
final class Spool {
    private var memory: [[String]] = []
    private var memoryBytes = 0
    private let memoryLimit: Int
    private var file: UnsafeMutablePointer<FILE>?

    init(memoryLimit: Int) { self.memoryLimit = memoryLimit }

    deinit { if let file { fclose(file) } }

    func append(_ fields: [String]) throws(TabularError) {
        if file == nil {
            memory.append(fields)
            memoryBytes += fields.reduce(16) { $0 + $1.utf8.count + 8 }
            if memoryBytes > memoryLimit { try spill() }
            return
        }
        write(fields)
    }

    private func spill() throws(TabularError) {
        guard let f = tmpfile() else { throw .cannotOpen(path: "temporary file", reason: String(cString: strerror(errno))) }
        file = f
        for fields in memory { write(fields) }
        memory = []
    }

    /// Length-prefixed fields: count, then (length, bytes) for each field.
    private func write(_ fields: [String]) {
        guard let file else { return }
        var n = UInt32(fields.count)
        fwrite(&n, 4, 1, file)
        for var field in fields {
            field.withUTF8 { bytes in
                var len = UInt32(bytes.count)
                fwrite(&len, 4, 1, file)
                if bytes.count > 0 { fwrite(bytes.baseAddress, 1, bytes.count, file) }
            }
        }
    }

    func replay(_ body: ([String]) throws(TabularError) -> Void) throws(TabularError) {
        guard let file else {
            for fields in memory { try body(fields) }
            return
        }
        fflush(file)
        rewind(file)
        var bytes = [UInt8](repeating: 0, count: 4096)
        while true {
            var n: UInt32 = 0
            if fread(&n, 4, 1, file) != 1 { break }
            var fields: [String] = []
            fields.reserveCapacity(Int(n))
            for _ in 0..<n {
                var len: UInt32 = 0
                guard fread(&len, 4, 1, file) == 1 else { throw .cannotOpen(path: "temporary file", reason: "short read") }
                if Int(len) > bytes.count { bytes = [UInt8](repeating: 0, count: Int(len)) }
                if len > 0 {
                    let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, Int(len), file) }
                    guard got == Int(len) else { throw .cannotOpen(path: "temporary file", reason: "short read") }
                }
                fields.append(String(decoding: bytes[0..<Int(len)], as: UTF8.self))
            }
            try body(fields)
        }
    }
}
