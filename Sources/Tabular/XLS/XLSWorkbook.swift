/// A legacy XLS workbook (BIFF5/BIFF8 in an OLE compound file). (Stub: replaced by the XLS reader.)
public final class XLSWorkbook: TableSource {
    public let format = TableFormat.xls
    public let sheets: [SheetInfo] = []
    let path: String

    public init(path: String) throws(TabularError) {
        self.path = path
        throw .unsupportedFormat(path: path, what: "an XLS workbook (reader not yet built)")
    }

    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        throw .unsupportedFormat(path: path, what: "an XLS workbook (reader not yet built)")
    }
}
