/// An XLSX workbook opened for streaming. (Stub: replaced by the XLSX reader.)
public final class XLSXWorkbook: TableSource {
    public let format = TableFormat.xlsx
    public let sheets: [SheetInfo] = []
    let path: String

    public init(path: String) throws(TabularError) {
        self.path = path
        throw .unsupportedFormat(path: path, what: "an XLSX workbook (reader not yet built)")
    }

    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        throw .unsupportedFormat(path: path, what: "an XLSX workbook (reader not yet built)")
    }
}
