/// What a workbook's styles say about dates: for each cell format (`cellXfs` index,
/// the `s` attribute of a cell) whether its number format is a date, time or duration.
struct XLSXStyles: Sendable {
    /// Per cell-format index: 0 = not a date, 1 = date/time, 2 = elapsed time.
    var dateKinds: [UInt8] = []

    init() {}

    /// Reads `styles.xml` (already parsed).
    init(root: XMLElement) {
        var custom: [Int: ExcelDate.Kind?] = [:]
        for format in root.child("numFmts")?.children("numFmt") ?? [] {
            guard let id = format["numFmtId"].flatMap({ Int($0) }) else { continue }
            custom[id] = XLSXNumberFormat.kind(ofCode: format["formatCode"] ?? "")
        }
        for xf in root.child("cellXfs")?.children("xf") ?? [] {
            let id = xf["numFmtId"].flatMap { Int($0) } ?? 0
            let kind: ExcelDate.Kind? = custom[id] ?? XLSXNumberFormat.builtinKind(id)
            switch kind {
            case .dateTime?: dateKinds.append(1)
            case .elapsed?: dateKinds.append(2)
            case nil: dateKinds.append(0)
            }
        }
    }
}
