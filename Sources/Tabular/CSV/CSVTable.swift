/// A CSV file opened for reading: one sheet, streamed. (Stub: replaced by the CSV reader.)
public final class CSVTable: TableSource {
    public let format = TableFormat.csv
    public let sheets: [SheetInfo]
    let path: String

    public init(path: String, options: CSVOptions = CSVOptions()) throws(TabularError) {
        self.path = path
        self.sheets = [SheetInfo(name: fileName(path), index: 0)]
        throw .unsupportedFormat(path: path, what: "CSV (reader not yet built)")
    }

    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        throw .unsupportedFormat(path: path, what: "CSV (reader not yet built)")
    }
}
