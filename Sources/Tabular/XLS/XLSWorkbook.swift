/// A legacy Excel workbook (BIFF8 from Excel 97–2003, or BIFF5/7 from Excel 5.0/95)
/// stored in an OLE compound file.
///
/// Opening reads the compound file's tables and the workbook globals (sheet list, shared
/// strings, formats, date system, code page); each sheet's rows are then streamed record
/// by record from the workbook stream, which is never loaded whole.
/// An encrypted workbook (FILEPASS record, or an OLE file carrying an encrypted XLSX)
/// throws `TabularError.passwordProtected`.
public final class XLSWorkbook: TableSource {
    public let format = TableFormat.xls
    public let sheets: [SheetInfo]
    let path: String
    private let file: CompoundFile
    private let workbookStream: CompoundDirectoryEntry
    private let globals: XLSGlobals

    /// Opens `path` and reads the workbook globals.
    public init(path: String) throws(TabularError) {
        self.path = path
        let file = try CompoundFile(path: path)
        if file.streamEntry(named: "EncryptedPackage") != nil || file.streamEntry(named: "EncryptionInfo") != nil {
            throw .passwordProtected(path: path)
        }
        let isBook: Bool
        if let entry = file.streamEntry(named: "Workbook") {
            workbookStream = entry
            isBook = false
        } else if let entry = file.streamEntry(named: "Book") {
            workbookStream = entry
            isBook = true
        } else {
            throw .unsupportedFormat(path: path, what: "an OLE compound file with no Excel workbook in it (for example a Word document or an Outlook message)")
        }
        self.file = file
        let reader = BIFFRecordReader(stream: try file.open(workbookStream))
        let globals = try XLSGlobals.read(reader, streamIsBook: isBook, path: path)
        self.globals = globals
        self.sheets = globals.sheets
    }

    /// Streams the rows of the sheet at `index` (0-based, in workbook order).
    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        guard sheets.indices.contains(index) else {
            throw .noSuchSheet(path: path, requested: String(index + 1), available: sheets.map(\.name))
        }
        let reader = BIFFRecordReader(stream: try file.open(workbookStream))
        return XLSSheetRows(reader: reader, globals: globals, sheetIndex: index, path: path)
    }
}
