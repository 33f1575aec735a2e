import Foundation
import Testing
@testable import Tabular

/// Every XLS sheet of the shared corpus renders byte for byte as expected; encrypted
/// workbooks are refused as password-protected.
@Suite struct XLSCorpusTests {
    @Test(arguments: Corpus.sheets(in: "xls"))
    func sheetMatchesExpectedGrid(_ sheet: Corpus.Sheet) throws {
        guard let expected = Corpus.expectedBytes(sheet) else {
            #expect(throws: TabularError.passwordProtected(path: Corpus.path(sheet.file))) {
                _ = try Corpus.render(file: sheet.file, sheet: sheet.sheetIndex)
            }
            return
        }
        let actual = try Corpus.render(file: sheet.file, sheet: sheet.sheetIndex)
        if actual != expected {
            Issue.record("""
                \(sheet) differs.
                expected:
                \(String(decoding: expected.prefix(600), as: UTF8.self))
                actual:
                \(String(decoding: actual.prefix(600), as: UTF8.self))
                """)
        }
    }

    @Test func sheetListMatchesManifest() throws {
        for sheet in Corpus.sheets(in: "xls") {
            guard let index = sheet.sheetIndex else { continue }
            let book = try XLSWorkbook(path: Corpus.path(sheet.file))
            #expect(book.sheets[index].name == sheet.sheetName, "\(sheet)")
        }
    }
}
