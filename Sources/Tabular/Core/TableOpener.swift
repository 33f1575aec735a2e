import Foundation

/// Opens any table file we read, choosing the reader by the file's content.
public enum TableOpener {
    /// Opens `path` as CSV, XLSX or XLS, whatever its extension says.
    public static func open(path: String, csv: CSVOptions = CSVOptions()) throws(TabularError) -> any TableSource {
        let head = try readHead(path: path, count: 8)
        switch TableFormat.sniff(head) {
        case .zip:
            return try XLSXWorkbook(path: path)
        case .compoundFile:
            if XLSXEncryption.isEncryptedPackage(path: path) { throw .passwordProtected(path: path) }
            return try XLSWorkbook(path: path)
        case .text:
            return try CSVTable(path: path, options: csv)
        case .other(let what):
            throw .unsupportedFormat(path: path, what: what)
        }
    }

    /// Resolves a sheet selector (name or 1-based number) or the default sheet. A selector
    /// names a workbook's sheet: a CSV has one table, read whatever it says, so that a sheet
    /// chosen in pipeline.json (or for several files at once) does not refuse every CSV.
    public static func chooseSheet(_ table: any TableSource, path: String, selector: String?) throws(TabularError) -> Int {
        if let selector, table.format != .csv {
            guard let index = table.sheetIndex(for: selector) else {
                throw .noSuchSheet(path: path, requested: selector, available: table.sheets.map(\.name))
            }
            return index
        }
        guard let index = table.defaultSheetIndex else {
            throw .noSuchSheet(path: path, requested: "(first visible worksheet)", available: table.sheets.map(\.name))
        }
        return index
    }

    static func readHead(path: String, count: Int) throws(TabularError) -> [UInt8] {
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotOpen(path: path, reason: "it is a folder, not a file")
        }
        var buf = [UInt8](repeating: 0, count: count)
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        guard n >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return Array(buf.prefix(n))
    }
}
