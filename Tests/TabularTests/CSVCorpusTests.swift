import Testing
@testable import Tabular

/// Every CSV/TXT file of the shared corpus renders exactly as its expected grid.
@Suite struct CSVCorpusTests {
    @Test(arguments: Corpus.sheets(in: "csv"))
    func rendersTheExpectedGrid(sheet: Corpus.Sheet) throws {
        let expected = try #require(Corpus.expectedBytes(sheet))
        let table = try TableOpener.open(path: Corpus.path(sheet.file))
        #expect(table is CSVTable)
        let got = try Corpus.render(file: sheet.file, sheet: sheet.sheetIndex)
        #expect(got == expected, "\(sheet.file):\n\(String(decoding: got, as: UTF8.self))")
    }

    @Test func corpusListsElevenCSVFiles() {
        let sheets = Corpus.sheets(in: "csv")
        guard !sheets.isEmpty else { return }  // corpus absent: skipped with a message
        #expect(sheets.count == 11)
    }

    @Test(arguments: Corpus.sheets(in: "csv"))
    func detectsTheListedDialect(sheet: Corpus.Sheet) throws {
        let table = try CSVTable(path: Corpus.path(sheet.file))
        let delimiter: UInt8 = sheet.delimiter == "TAB" ? 0x09 : Array(sheet.delimiter.utf8).first ?? 0x2C
        #expect(table.delimiter == delimiter)
        switch sheet.encoding {
        case "utf-8", "utf-8-sig": #expect(table.encoding == .utf8)
        case "utf-16": #expect(table.encoding == .utf16LE)
        case "cp1252", "iso-8859-1": #expect(table.encoding == .windows1252)
        default: Issue.record("unexpected encoding \(sheet.encoding) in the manifest")
        }
    }
}
