import Foundation
import Testing
@testable import Tabular

/// Workbooks written by xlwt (Fixtures/xls/make_fixtures.py) read back as written.
@Suite struct XLSFixtureTests {
    @Test func typesRenderPerTheCorpusConvention() throws {
        let grid = try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_types.xls"))
        func value(_ row: Int) -> String? { grid[row].flatMap { $0.count > 1 ? $0[1] : nil } }
        #expect(grid[1] == ["kind", "value"])
        let numbers = ["0", "15", "-3", "3003126885", "0.3", "1.6900000000000002", "1.23456789e+22",
                       "123456789012345.6", "-0.5", "1e-05", "41333.5"]
        for (i, n) in numbers.enumerated() { #expect(value(2 + i) == n, "row \(2 + i)") }
        let dates = ["2021-01-01", "2013-02-28T12:00:00", "12:30:00", "255:10:10", "18:00:00",
                     "2021-01-01T06:00:00", "2021-01-01", "12:00:00"]
        for (i, d) in dates.enumerated() { #expect(value(13 + i) == d, "row \(13 + i): \(grid[13 + i] ?? [])") }
        let plain = ["1234.5", "2.5", "7", "150", "3", "4"]
        for (i, p) in plain.enumerated() { #expect(value(21 + i) == p, "row \(21 + i): \(grid[21 + i] ?? [])") }
        let texts = ["Zoë", "日本語", "emoji 😀", "Привет", "tab\there", "line\nbreak", "quote \"x\", comma"]
        for (i, t) in texts.enumerated() { #expect(value(27 + i) == t, "row \(27 + i)") }
        #expect(value(34) == "TRUE")
        #expect(value(35) == "FALSE")
        let errors = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
        for (i, e) in errors.enumerated() { #expect(value(36 + i) == e, "row \(36 + i)") }
        #expect(grid[43] == nil && grid[44] == nil, "rows with no cells are skipped")
        #expect(grid[45] == ["", "", "", "", "far"], "gaps before the first cell are empty cells")
    }

    @Test func cellTypesAreKept() throws {
        let book = try XLSWorkbook(path: XLSTestSupport.fixture("xlwt_types.xls"))
        let rows = try book.rows(sheet: 0)
        var byRow: [Int: Cell] = [:]
        while let row = try rows.next() {
            if row.cells.count > 1 { byRow[row.number] = row.cells[1] }
        }
        #expect(byRow[4] == .number(-3))
        #expect(byRow[13] == .date(ExcelDate(serial: 44197, is1904: false, kind: .dateTime)))
        #expect(byRow[16] == .date(ExcelDate(serial: 10.6320601851852, is1904: false, kind: .elapsed)))
        #expect(byRow[21] == .number(1234.5))
        #expect(byRow[34] == .bool(true))
        #expect(byRow[36] == .error("#N/A"))
    }

    @Test func the1904DateSystemIsHonoured() throws {
        let grid = try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_1904.xls"))
        #expect(grid[1] == ["1904-01-02"])
        #expect(grid[2] == ["12:00:00"])
        #expect(grid[3] == ["255:10:10"])
    }

    @Test func sheetsKeepNamesVisibilityAndTheDefaultIsTheFirstVisible() throws {
        let book = try XLSWorkbook(path: XLSTestSupport.fixture("xlwt_sheets.xls"))
        #expect(book.sheets.map(\.name) == ["Hidden", "Données €", "Empty"])
        #expect(book.sheets.map(\.visibility) == [.hidden, .visible, .visible])
        #expect(book.sheets.allSatisfy { $0.kind == .worksheet })
        #expect(book.defaultSheetIndex == 1)
        #expect(book.sheetIndex(for: "données €") == 1)
        #expect(try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_sheets.xls"), sheet: 1) == [1: ["visible"]])
        #expect(try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_sheets.xls"), sheet: 2).isEmpty)
        #expect(throws: TabularError.self) { _ = try book.rows(sheet: 3) }
    }

    @Test func sharedStringsSplitAcrossContinueRecords() throws {
        let grid = try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_long_strings.xls"))
        #expect(grid.count == 3001)
        for i in [0, 1, 6, 7, 999, 1500, 2999] {
            let a = "row \(i) " + String(repeating: "abcdefghij", count: i % 7)
            let b = "ünï \(i) " + String(repeating: "日本", count: i % 5)
            #expect(grid[i + 1] == [a, b, String(i)], "row \(i + 1)")
        }
        for i in 0..<3000 {
            guard let row = grid[i + 1], row.count == 3 else { Issue.record("row \(i + 1) missing"); continue }
            if row[0] != "row \(i) " + String(repeating: "abcdefghij", count: i % 7) { Issue.record("A\(i + 1): \(row[0])") }
            if row[1] != "ünï \(i) " + String(repeating: "日本", count: i % 5) { Issue.record("B\(i + 1): \(row[1])") }
        }
        #expect(grid[3001]?[0] == String(repeating: "x", count: 20000))
        #expect(grid[3001]?[1] == String(repeating: "é", count: 9000) + String(repeating: "語", count: 9000))
    }

    @Test func tableOpenerRoutesCompoundFilesHere() throws {
        let table = try TableOpener.open(path: XLSTestSupport.fixture("xlwt_types.xls"))
        #expect(table.format == .xls)
        #expect(table is XLSWorkbook)
    }
}
