import Tabular

/// Writes `<file>.errors.csv`: each refused or flagged row with its row number,
/// the reason, and the original cells under the file's own headers, so a marketer
/// can fix the rows and drop the file again.
final class ErrorsFileWriter {
    private let writer: CSVWriter
    let path: String
    private(set) var count = 0

    init(path: String, header: [String]) throws(TabularError) {
        self.path = path
        writer = try CSVWriter(path: path)
        writer.lineTerminator = [0x0D, 0x0A]
        try writer.writeRaw([0xEF, 0xBB, 0xBF]) // BOM: Excel then opens it as UTF-8
        try writer.write(["row", "status", "column", "reason"] + header)
    }

    func append(row: Row, issue: ImportSummary.RowIssue) throws(TabularError) {
        let status = issue.rejected ? "rejected" : "imported with warning"
        try writer.write([String(row.number), status, issue.column ?? "", issue.reason] + row.cells.map { FormulaGuard.neutralise($0.rendered) })
        count += 1
    }

    func close() throws(TabularError) { try writer.sync() }
}
