/// An opened table file: one sheet for a CSV, several for a workbook.
public protocol TableSource: AnyObject {
    /// The file's format, as sniffed from its content.
    var format: TableFormat { get }
    /// The sheets in workbook order (a CSV has exactly one).
    var sheets: [SheetInfo] { get }
    /// Streams the rows of the sheet at `index`.
    func rows(sheet index: Int) throws(TabularError) -> any RowSource
}

extension TableSource {
    /// The sheet a user means when they name none: the first visible worksheet.
    public var defaultSheetIndex: Int? {
        sheets.first { $0.kind == .worksheet && $0.visibility == .visible }?.index
            ?? sheets.first { $0.kind == .worksheet }?.index
    }

    /// Finds a sheet by its exact name, or by a 1-based number when `selector` is an integer
    /// that names no sheet.
    public func sheetIndex(for selector: String) -> Int? {
        if let byName = sheets.first(where: { $0.name == selector }) { return byName.index }
        if let byCase = sheets.first(where: { $0.name.lowercased() == selector.lowercased() }) { return byCase.index }
        if let n = Int(selector), n >= 1, n <= sheets.count { return n - 1 }
        return nil
    }
}
