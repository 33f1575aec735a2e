import Foundation
import Testing
@testable import Tabular

/// Every XLSX sheet of the shared corpus renders exactly as its expected grid.
@Suite struct XLSXCorpusTests {
    @Test(arguments: Corpus.sheets(in: "xlsx"))
    func sheetMatchesExpectedGrid(_ sheet: Corpus.Sheet) throws {
        guard let expected = Corpus.expectedBytes(sheet) else {
            let text = (try? String(contentsOfFile: Corpus.path(sheet.expected), encoding: .utf8)) ?? ""
            #expect(text.contains("ENCRYPTED"))
            #expect(throws: TabularError.passwordProtected(path: Corpus.path(sheet.file))) {
                _ = try TableOpener.open(path: Corpus.path(sheet.file))
            }
            return
        }
        let actual = try Corpus.render(file: sheet.file, sheet: sheet.sheetIndex)
        if actual != expected {
            Issue.record("""
                \(sheet) differs:
                --- expected
                \(String(decoding: expected, as: UTF8.self))
                --- actual
                \(String(decoding: actual, as: UTF8.self))
                """)
        }
    }

    @Test func sheetListMatchesManifest() throws {
        let path = Corpus.path("xlsx/calamine__any_sheets.xlsx")
        guard Corpus.root != nil else { return }
        let book = try XLSXWorkbook(path: path)
        #expect(book.sheets.map(\.name) == ["Visible", "Hidden", "VeryHidden", "Chart"])
        #expect(book.sheets.map(\.visibility) == [.visible, .hidden, .veryHidden, .visible])
        #expect(book.sheets.map(\.kind) == [.worksheet, .worksheet, .worksheet, .chartsheet])
        #expect(try book.rows(sheet: 3).next() == nil)
        #expect(try book.sheetsWithData() == ["Visible"])
    }
}
