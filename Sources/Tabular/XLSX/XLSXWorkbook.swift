import Foundation

/// An XLSX workbook opened for streaming.
///
/// Opening reads only the ZIP central directory, the relationships and `workbook.xml`
/// (sheet names, order, visibility, kind, date system). The first `rows(sheet:)` also
/// reads `styles.xml` (which number formats are dates) and streams `sharedStrings.xml`
/// into the string table; a sheet's XML is then inflated and parsed chunk by chunk,
/// never held whole.
public final class XLSXWorkbook: TableSource {
    public let format = TableFormat.xlsx
    public let sheets: [SheetInfo]
    /// The file as the user named it.
    public let path: String
    /// True when the workbook counts dates from 1904 (`workbookPr date1904`).
    public let is1904: Bool
    /// Size caps for the parts read whole.
    static let maxSmallPart = 32 << 20
    static let maxSharedStringBytes = 2 << 30
    /// Sheets whose XML is at least this big are parsed on a helper thread while the
    /// caller consumes rows (when there is a second core); `UInt64.max` turns that off.
    public var backgroundThreshold: UInt64 = 4 << 20
    /// Records per batch a helper thread hands over (small ones in tests).
    var backgroundBatchSize = 512

    private let archive: ZIPArchive
    /// The worksheet part of each sheet (nil for chart sheets and unresolved sheets).
    private let sheetParts: [String?]
    private let sharedStringsPart: String?
    private let stylesPart: String?
    private var loaded: (strings: [String], dateKinds: [UInt8])?

    /// Opens `path` and reads the workbook's sheet list; `limits` guard against zip bombs.
    public init(path: String, limits: ZIPLimits = ZIPLimits()) throws(TabularError) {
        self.path = path
        let location = TableLocation(path: path)
        let archive: ZIPArchive
        do {
            archive = try ZIPArchive(path: path, limits: limits)
        } catch {
            if XLSXEncryption.isEncryptedPackage(path: path) { throw .passwordProtected(path: path) }
            throw error
        }
        self.archive = archive

        let package = try XLSXRelationships.read(archive, source: "", location: location)
        var workbookPart = package.first(ofType: "officeDocument")?.target ?? "xl/workbook.xml"
        if archive.entry(named: workbookPart) == nil, archive.entry(named: "xl/workbook.xml") != nil {
            workbookPart = "xl/workbook.xml"
        }
        guard let workbookEntry = archive.entry(named: workbookPart) else {
            throw .unsupportedFormat(path: path, what: "a ZIP archive that is not an Excel workbook (it has no workbook part)")
        }
        let workbookBytes = try archive.readWhole(workbookEntry, maxBytes: Self.maxSmallPart, location: location)
        let workbook = try XMLElement.parse(workbookBytes, part: workbookPart, location: location)
        let flag = workbook.child("workbookPr")?["date1904"]?.lowercased()
        is1904 = flag == "1" || flag == "true"

        let rels = try XLSXRelationships.read(archive, source: workbookPart, location: location)
        var sheets: [SheetInfo] = []
        var parts: [String?] = []
        for (i, sheet) in (workbook.child("sheets")?.children("sheet") ?? []).enumerated() {
            let name = sheet["name"] ?? "Sheet\(i + 1)"
            let visibility: SheetInfo.Visibility
            switch sheet["state"] {
            case "hidden"?: visibility = .hidden
            case "veryHidden"?: visibility = .veryHidden
            default: visibility = .visible
            }
            var kind = SheetInfo.Kind.worksheet
            var part: String?
            if let id = sheet["id"], let rel = rels[id: id], !rel.external {
                if rel.isType("worksheet") {
                    part = rel.target
                } else if rel.isType("chartsheet") {
                    kind = .chartsheet
                } else {
                    kind = .other
                }
            } else if rels.all.isEmpty, archive.entry(named: "xl/worksheets/sheet\(i + 1).xml") != nil {
                part = "xl/worksheets/sheet\(i + 1).xml"
            } else {
                kind = .other
            }
            sheets.append(SheetInfo(name: name, index: i, kind: kind, visibility: visibility))
            parts.append(part)
        }
        self.sheets = sheets
        self.sheetParts = parts
        sharedStringsPart = rels.first(ofType: "sharedStrings")?.target
            ?? (archive.entry(named: "xl/sharedStrings.xml") != nil ? "xl/sharedStrings.xml" : nil)
        stylesPart = rels.first(ofType: "styles")?.target
            ?? (archive.entry(named: "xl/styles.xml") != nil ? "xl/styles.xml" : nil)
    }

    /// Streams the rows of the sheet at `index`; a chart sheet yields none.
    public func rows(sheet index: Int) throws(TabularError) -> any RowSource {
        guard sheets.indices.contains(index) else {
            throw .noSuchSheet(path: path, requested: "\(index + 1)", available: sheets.map(\.name))
        }
        let location = TableLocation(path: path, sheet: sheets[index].name)
        guard let part = sheetParts[index] else { return NoRows() }
        guard let entry = archive.entry(named: part) else {
            throw .corrupt(location, detail: "the sheet's part \(part) is missing from the archive")
        }
        let (strings, dateKinds) = try loadShared()
        let stream = try archive.chunks(entry, location: location)
        let handler = XLSXSheetHandler(sharedStrings: strings, dateKinds: dateKinds, is1904: is1904, location: location)
        // A big sheet is parsed on a helper thread (and inflated on another) while the
        // caller consumes rows; a small one is not worth the threads.
        if entry.uncompressedSize >= backgroundThreshold, ProcessInfo.processInfo.activeProcessorCount > 1 {
            return Self.parseInBackground(stream, handler: handler, part: part, location: location, batchSize: backgroundBatchSize)
        }
        let parser = try XMLPushParser(handler: handler, part: part, location: location)
        return XLSXSheetRows.rows(stream: stream, handler: handler, parser: parser)
    }

    /// The sheet parsed by `XMLPullParser` on a helper thread, its records handed over in
    /// batches of about `batchSize` (checked before each read of a few KB of XML).
    static func parseInBackground(_ stream: any ZIPChunkSource, handler: XLSXSheetHandler, part: String,
                                  location: TableLocation, batchSize: Int = 512) -> any RowSource {
        let background = BackgroundRows { (deliver: BackgroundRows.Deliver) throws(TabularError) in
            var failure: TabularError?
            do throws(TabularError) {
                try XMLPullParser.parse(stream, handler: handler, part: part, location: location) {
                    guard handler.records.count >= batchSize else { return true }
                    return deliver(handler.takeRecords(capacity: batchSize + 64))
                }
            } catch {
                failure = error
            }
            // The records completed before the end, or before an error.
            if handler.records.count > 0 { _ = deliver(handler.takeRecords()) }
            if let failure { throw failure }
        }
        return background.rows(helperThreads: stream is ZIPPrefetchStream ? 2 : 1)
    }

    /// The names of the worksheets that hold at least one cell, for an "empty sheet" message.
    /// Reads each worksheet only up to its first row.
    public func sheetsWithData() throws(TabularError) -> [String] {
        var names: [String] = []
        for sheet in sheets where sheet.kind == .worksheet {
            if try rows(sheet: sheet.index).next() != nil { names.append(sheet.name) }
        }
        return names
    }

    /// The shared strings and the date kinds of the cell formats, read once.
    private func loadShared() throws(TabularError) -> ([String], [UInt8]) {
        if let loaded { return loaded }
        let location = TableLocation(path: path)
        var dateKinds: [UInt8] = []
        if let stylesPart, let entry = archive.entry(named: stylesPart) {
            let bytes = try archive.readWhole(entry, maxBytes: Self.maxSmallPart, location: location)
            dateKinds = XLSXStyles(root: try XMLElement.parse(bytes, part: stylesPart, location: location)).dateKinds
        }
        var strings: [String] = []
        if let sharedStringsPart, let entry = archive.entry(named: sharedStringsPart) {
            strings = try XLSXSharedStrings.read(archive, entry: entry, location: location, maxBytes: Self.maxSharedStringBytes)
        }
        loaded = (strings, dateKinds)
        return (strings, dateKinds)
    }
}
