import Foundation
import Testing
@testable import Tabular

/// A big sheet is parsed by `XMLPullParser` on a helper thread; it must read every sheet
/// exactly as the push parser does, errors included.
@Suite struct XLSXPullParserTests {
    /// Every row of a sheet and the error that ended it, parsed in the background (pull) or not (push).
    static func read(_ path: String, sheet: Int = 0, pulled: Bool) -> (rows: [Row], error: String?) {
        var rows: [Row] = []
        do {
            let book = try XLSXWorkbook(path: path)
            book.backgroundThreshold = pulled ? 0 : .max
            let source = try book.rows(sheet: sheet)
            while let row = try source.next() { rows.append(row) }
        } catch {
            return (rows, error.description)
        }
        return (rows, nil)
    }

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: XLSXFixtures.folder)) ?? [])
            .filter { $0.hasSuffix(".xlsx") }.sorted()
    }

    @Test(arguments: fixtures)
    func fixtureReadsTheSameBothWays(_ name: String) {
        let path = XLSXFixtures.path(name)
        let push = Self.read(path, pulled: false)
        let pull = Self.read(path, pulled: true)
        #expect(pull.rows == push.rows, "\(name)")
        #expect(pull.error == push.error, "\(name)")
    }

    @Test(arguments: Corpus.sheets(in: "xlsx"))
    func corpusSheetReadsTheSameBothWays(_ sheet: Corpus.Sheet) {
        let path = Corpus.path(sheet.file)
        let push = Self.read(path, sheet: sheet.sheetIndex ?? 0, pulled: false)
        let pull = Self.read(path, sheet: sheet.sheetIndex ?? 0, pulled: true)
        #expect(pull.rows == push.rows, "\(sheet)")
        #expect(pull.error == push.error, "\(sheet)")
    }

    @Test func malformedXMLStillNamesTheRow() {
        let pull = Self.read(XLSXFixtures.path("malformed-sheet.xlsx"), pulled: true)
        #expect(pull.error?.contains("not well-formed") == true)
        #expect(pull.error?.contains("cell B2") == true)
    }

    @Test func droppingEarlyStopsTheThread() throws {
        for _ in 0..<20 {
            let book = try XLSXWorkbook(path: XLSXFixtures.path("basic.xlsx"))
            book.backgroundThreshold = 0
            #expect(try book.rows(sheet: 0).next()?.number == 1)
        }
    }
}
