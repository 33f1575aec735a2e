import Foundation

/// Where in a table file something was found: as precise as the reader knows.
public struct TableLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var path: String
    /// The sheet name, for workbooks.
    public var sheet: String?
    /// 1-based row (Excel's numbering) or CSV line.
    public var row: Int?
    /// 0-based column index.
    public var column: Int?

    public init(path: String, sheet: String? = nil, row: Int? = nil, column: Int? = nil) {
        self.path = path
        self.sheet = sheet
        self.row = row
        self.column = column
    }

    public var description: String {
        var parts = [fileName(path)]
        if let sheet { parts.append("sheet \"\(sheet)\"") }
        switch (row, column) {
        case let (r?, c?) where sheet != nil: parts.append("cell \(ColumnName.letters(c))\(r)")
        case let (r?, c?): parts.append("line \(r), column \(c + 1)")
        case let (r?, nil): parts.append(sheet != nil ? "row \(r)" : "line \(r)")
        case let (nil, c?): parts.append("column \(ColumnName.letters(c))")
        default: break
        }
        return parts.joined(separator: ", ")
    }
}

/// Why a table file could not be read, in words a marketer can act on.
public enum TabularError: Error, Sendable, Equatable {
    /// The file could not be opened or read at all (missing, no permission, I/O error).
    case cannotOpen(path: String, reason: String)
    /// A file we write (an errors file, `cat`'s output) could not be written.
    case cannotWrite(path: String, reason: String)
    /// The content is not a CSV, XLSX or XLS file (for example a PDF or an image).
    case unsupportedFormat(path: String, what: String)
    /// The workbook is encrypted with a password.
    case passwordProtected(path: String)
    /// The file's structure is broken (truncated, bad checksum, broken chain).
    case corrupt(TableLocation, detail: String)
    /// The content breaks the format's rules (an unterminated quote, malformed XML).
    case malformed(TableLocation, detail: String)
    /// The file exceeds a safety limit (a zip bomb, a gigantic field).
    case limitExceeded(TableLocation, detail: String)
    /// The sheet asked for does not exist.
    case noSuchSheet(path: String, requested: String, available: [String])
    /// The sheet chosen holds no cells.
    case emptySheet(path: String, sheet: String, sheetsWithData: [String])
}

extension TabularError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(fileName(path)): cannot be opened (\(reason)). Check that the file exists and is readable, then try again."
        case let .cannotWrite(path, reason):
            return "\(path): cannot be written (\(reason)). Check that its folder exists and may be written to, and that the disk has room, then try again."
        case let .unsupportedFormat(path, what):
            return "\(fileName(path)): this is not a CSV, XLSX or XLS file (it looks like \(what)). Save it as CSV or Excel workbook and drop it again."
        case let .passwordProtected(path):
            return "\(fileName(path)): the workbook is password-protected: save it without a password and drop it again."
        case let .corrupt(location, detail):
            return "\(location): the file is damaged (\(detail)). Open it in Excel or LibreOffice, save it again, and drop the new copy."
        case let .malformed(location, detail):
            return "\(location): \(detail)."
        case let .limitExceeded(location, detail):
            return "\(location): \(detail). The file was refused to protect the system; split it or save it again normally."
        case let .noSuchSheet(path, requested, available):
            let list = available.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(fileName(path)): there is no sheet \"\(requested)\". The workbook has: \(list.isEmpty ? "no sheets" : list)."
        case let .emptySheet(path, sheet, withData):
            let list = withData.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(fileName(path)): sheet \"\(sheet)\" is empty. "
                + (withData.isEmpty ? "No sheet of this workbook holds data." : "Sheets with data: \(list); choose one with --sheet.")
        }
    }
}

/// The last path component, which is what a user recognises in a message.
@usableFromInline
func fileName(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    let name = path[path.index(after: slash)...]
    return name.isEmpty ? path : String(name)
}
