#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Tabular

/// Writes `<file>.errors.csv`: each refused or flagged row with its row number,
/// the reason, and the original cells under the file's own headers, so a marketer
/// can fix the rows and drop the file again.
///
/// Written under a temporary name beside `path`, synced by `sync()` before the import commits
/// and renamed by `publish()` after, so an import given up (a failed read, content imported
/// already, a store failure) leaves any earlier errors file as it was.
final class ErrorsFileWriter {
    private let writer: CSVWriter
    let path: String
    /// Where the rows are written until `publish()`.
    let partialPath: String
    private(set) var count = 0

    init(path: String, header: [String]) throws(TabularError) {
        self.path = path
        partialPath = Self.partialPath(for: path)
        writer = try CSVWriter(path: partialPath)
        writer.lineTerminator = [0x0D, 0x0A]
        try writer.writeRaw([0xEF, 0xBB, 0xBF]) // BOM: Excel then opens it as UTF-8
        try writer.write(["row", "status", "column", "reason"] + header)
    }

    /// The temporary name of the errors file at `path`: beside it, hidden, so a run stopped
    /// mid-import leaves nothing a marketer would take for a file.
    static func partialPath(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return (folder as NSString).appendingPathComponent("." + (path as NSString).lastPathComponent + ".partial")
    }

    /// Bytes the temporary name adds to the errors file's name.
    static let partialNameExtra = ".".utf8.count + ".partial".utf8.count

    func append(row: Row, issue: ImportSummary.RowIssue) throws(TabularError) {
        let status = issue.rejected ? "rejected" : "imported with warning"
        try writer.write([String(row.number), status, issue.column ?? "", issue.reason] + row.cells.map { FormulaGuard.neutralise($0.rendered) })
        count += 1
    }

    /// Flushes the rows to disk, still under the temporary name.
    func sync() throws(TabularError) {
        try writer.sync()
    }

    /// Gives the synced file its name (after the import is saved).
    func publish() throws(TabularError) {
        guard rename(partialPath, path) == 0 else {
            throw .cannotWrite(path: path, reason: "renaming \(partialPath) to it failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the rows written (the import was given up).
    func discard() {
        unlink(partialPath)
    }
}
