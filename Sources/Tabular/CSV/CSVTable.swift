/// A CSV (or tab-separated "Unicode Text") file opened for reading: one sheet, named
/// after the file, streamed record by record from a fixed-size buffer.
///
/// Opening reads only a sample of the start (64 KiB) to decide the encoding (BOM,
/// UTF-8, else Windows-1252; UTF-16 is converted to UTF-8 while reading) and the
/// delimiter (`,` `;` TAB `|`); `CSVOptions` can force either. Every field is `.text`,
/// nothing is converted. A blank line is a record with no cells.
public final class CSVTable: TableSource {
    public let format = TableFormat.csv
    public let sheets: [SheetInfo]
    /// The file as the user named it.
    public let path: String
    /// The text encoding found (or forced).
    public var encoding: CSVEncoding { dialect.encoding }
    /// The field delimiter found (or forced).
    public var delimiter: UInt8 { dialect.delimiter }

    let dialect: CSVDialect
    let options: CSVOptions
    /// Bytes per `read(2)`; 1 MiB, smaller in tests of chunk edges.
    let chunkSize: Int

    /// Bytes looked at to detect the encoding and the delimiter.
    static let sampleSize = 64 << 10

    /// Opens `path`, detecting what `options` leaves unset. Throws `.unsupportedFormat`
    /// when the file is binary data rather than text.
    public convenience init(path: String, options: CSVOptions = CSVOptions()) throws(TabularError) {
        try self.init(path: path, options: options, chunkSize: 1 << 20)
    }

    init(path: String, options: CSVOptions, chunkSize: Int) throws(TabularError) {
        self.path = path
        self.options = options
        self.chunkSize = chunkSize
        self.sheets = [SheetInfo(name: fileName(path), index: 0)]
        let sample = try CSVInput.sample(path: path, count: Self.sampleSize)
        self.dialect = try CSVDialect.detect(sample: sample.bytes, complete: sample.complete, options: options, path: path)
    }

    /// Streams the records; each call starts again from the top of the file.
    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        guard index == 0 else {
            throw .noSuchSheet(path: path, requested: String(index + 1), available: sheets.map(\.name))
        }
        return try CSVRowReader(path: path, dialect: dialect, options: options, chunkSize: chunkSize)
    }
}
