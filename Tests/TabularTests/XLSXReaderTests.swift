import Foundation
import Testing
@testable import Tabular

/// Reading real workbooks written by xlsxwriter: values, dates, sheets, variants of ZIP.
@Suite struct XLSXReaderTests {
    static let basicGrid = """
        name,value,,
        integer,491701234567,,
        decimal,0.3,,
        date,2024-02-29,,
        datetime,2024-02-29T13:45:00,,
        elapsed,36:00:00,,
        quoted,7,,
        colour,2.5,,
        escaped,3,,
        bool,TRUE,,
        error,#DIV/0!,,
        formula text,ab,,
        rich,plain bold tail,,
        text number,00123,,
        carriage,"a\rb",,
        ,,,
        ,,,sparse D17

        """

    @Test(arguments: ["basic.xlsx", "inline.xlsx", "stored-descriptors.xlsx", "deflated-descriptors.xlsx", "zip64.xlsx", "strict.xlsx"])
    func basicWorkbookRendersAsExpected(_ name: String) throws {
        #expect(try XLSXFixtures.render(XLSXFixtures.path(name)) == Self.basicGrid)
    }

    @Test func cellsAreTyped() throws {
        let rows = try XLSXFixtures.rows(XLSXFixtures.path("basic.xlsx"))
        let byName = Dictionary(rows.compactMap { row -> (String, Cell)? in
            guard case .text(let name)? = row.cells.first, row.cells.count > 1 else { return nil }
            return (name, row.cells[1])
        }, uniquingKeysWith: { a, _ in a })
        #expect(byName["integer"] == .number(491_701_234_567))
        #expect(byName["date"] == .date(ExcelDate(serial: 45351, is1904: false, kind: .dateTime)))
        #expect(byName["elapsed"] == .date(ExcelDate(serial: 1.5, is1904: false, kind: .elapsed)))
        #expect(byName["bool"] == .bool(true))
        #expect(byName["error"] == .error("#DIV/0!"))
        #expect(byName["text number"] == .text("00123"))
        let last = try #require(rows.last)
        #expect(last.number == 17)
        #expect(last.cells == [.empty, .empty, .empty, .text("sparse D17")])
    }

    @Test func sheetsInOrderWithKindAndVisibility() throws {
        let book = try XLSXWorkbook(path: XLSXFixtures.path("basic.xlsx"))
        #expect(book.sheets.map(\.name) == ["Data", "Hidden", "Empty", "Chart"])
        #expect(book.sheets.map(\.visibility) == [.visible, .hidden, .visible, .visible])
        #expect(book.sheets.map(\.kind) == [.worksheet, .worksheet, .worksheet, .chartsheet])
        #expect(book.defaultSheetIndex == 0)
        #expect(book.sheetIndex(for: "hidden") == 1)
        #expect(try book.rows(sheet: 3).next() == nil)
        #expect(try book.rows(sheet: 2).next() == nil)
        #expect(try book.sheetsWithData() == ["Data", "Hidden"])
        #expect(try XLSXFixtures.render(XLSXFixtures.path("basic.xlsx"), sheet: 1) == "secret\n")
    }

    @Test func date1904IsHonoured() throws {
        let book = try XLSXWorkbook(path: XLSXFixtures.path("date1904.xlsx"))
        #expect(book.is1904)
        #expect(try XLSXFixtures.render(XLSXFixtures.path("date1904.xlsx")) == "2024-02-29\n")
    }

    @Test func rowsAndCellsWithoutReferencesFollowInSequence() throws {
        let rows = try XLSXFixtures.rows(XLSXFixtures.path("no-refs.xlsx"))
        #expect(rows.map(\.number) == [1, 2, 5, 6])
        #expect(rows[0].cells == [.text("a"), .number(1)])
        #expect(rows[1].cells == [.bool(false), .error("#N/A"), .isoDate("2024-01-02T03:04:05")])
        #expect(rows[2].cells == [.empty, .empty, .text("xA y")])
        #expect(rows[3].cells == [.text("<b>&amp;</b>"), .text("t\tab")])
    }

    @Test func encryptedPackageIsRecognisedOnlyInCompoundFiles() throws {
        #expect(!XLSXEncryption.isEncryptedPackage(path: XLSXFixtures.path("basic.xlsx")))
        #expect(!XLSXEncryption.isEncryptedPackage(path: "/nonexistent/file.xlsx"))
        guard Corpus.root != nil else { return }
        #expect(XLSXEncryption.isEncryptedPackage(path: Corpus.path("xlsx/calamine__pass_protected.xlsx")))
        #expect(!XLSXEncryption.isEncryptedPackage(path: Corpus.path("xls/calamine__date.xls")))
    }
}

/// Number formats: which ones present a date, a time or a duration.
@Suite struct XLSXNumberFormatTests {
    @Test(arguments: [
        ("yyyy-mm-dd", ExcelDate.Kind?.some(.dateTime)), ("d/m/yy h:mm", .dateTime), ("h:mm AM/PM", .dateTime),
        ("[h]:mm:ss", .elapsed), ("[mm]:ss", .elapsed), ("[ss].0", .elapsed), ("[$-409]dddd, mmmm d", .dateTime),
        ("[Red]0.00", nil), ("[>100]0;0", nil), ("\"day \"0", nil), ("0\\h", nil), ("General", nil), ("0.00E+00", nil),
        ("#,##0 \"kms\"", nil), ("0;[Red]yyyy", nil), ("_(* #,##0_)", nil), ("@", nil),
    ])
    func customFormats(_ code: String, _ expected: ExcelDate.Kind?) {
        #expect(XLSXNumberFormat.kind(ofCode: code) == expected)
    }

    @Test func builtinFormats() {
        #expect(XLSXNumberFormat.builtinKind(14) == .dateTime)
        #expect(XLSXNumberFormat.builtinKind(22) == .dateTime)
        #expect(XLSXNumberFormat.builtinKind(46) == .elapsed)
        #expect(XLSXNumberFormat.builtinKind(0) == nil)
        #expect(XLSXNumberFormat.builtinKind(49) == nil)
    }

    @Test func escapesAreDecoded() {
        func decode(_ s: String) -> String {
            var copy = s
            return copy.withUTF8 { XLSXText.string($0) }
        }
        #expect(decode("a_x000D_b") == "a\rb")
        #expect(decode("_x005F_x0041_") == "_x0041_")
        #expect(decode("_xD83D__xDE00_") == "😀")
        #expect(decode("_x00zz_ plain") == "_x00zz_ plain")
    }
}

/// The helper-thread row source hands out the same rows, errors and all.
@Suite struct BackgroundRowsTests {
    /// Sheet `index` of `path`, parsed on a helper thread in batches of `batchSize` records.
    static func inBackground(_ path: String, batchSize: Int) throws -> any RowSource {
        let book = try XLSXWorkbook(path: path)
        book.backgroundThreshold = 0
        book.backgroundBatchSize = batchSize
        return try book.rows(sheet: 0)
    }

    @Test func sameRowsAsTheDirectSource() throws {
        let path = XLSXFixtures.path("basic.xlsx")
        let direct = try XLSXFixtures.rows(path)
        for batch in [1, 2, 5, 512] {
            let background = try Self.inBackground(path, batchSize: batch)
            #expect(background.helperThreads >= 1)
            var rows: [Row] = []
            while let row = try background.next() { rows.append(row) }
            #expect(rows == direct)
            #expect(try background.next() == nil)
            #expect(try background.next() == nil)
        }
    }

    @Test func errorsArriveAfterTheRowsBeforeThem() throws {
        let source = try Self.inBackground(XLSXFixtures.path("bad-shared-index.xlsx"), batchSize: 1)
        #expect(try source.next()?.number == 1)
        #expect(throws: TabularError.self) { _ = try source.next() }
    }

    /// Callers decide from this whether a core is left for other work while they read.
    @Test func countsTheThreadsItKeepsBusy() throws {
        let direct = try XLSXWorkbook(path: XLSXFixtures.path("basic.xlsx")).rows(sheet: 0)
        #expect(direct.helperThreads == 0, "a small sheet is parsed on the caller's thread")
        #expect(try Self.inBackground(XLSXFixtures.path("basic.xlsx"), batchSize: 512).helperThreads == 1,
                "a small part is inflated on the parsing thread")
        let csv = CSVTestSupport.file("Email\na@b.co\n")
        defer { CSVTestSupport.remove(csv) }
        #expect(try TableOpener.open(path: csv).rows(sheet: 0).helperThreads == 0)
    }

    @Test func droppingEarlyStopsTheThread() throws {
        for _ in 0..<20 {
            let source = try Self.inBackground(XLSXFixtures.path("basic.xlsx"), batchSize: 1)
            _ = try source.next()
        }
    }
}

@Suite struct XLSXCellReferenceTests {
    @Test(arguments: ["A1", "B12", "Z9", "AA3", "XFD1048576", "$C$7", "c7", "AB", "12", "A1B", "", "ABCD1", "A12345678"])
    func fastPathAgreesWithColumnName(_ text: String) {
        var copy = text
        let fast = copy.withUTF8 { XLSXSheetHandler.parseReference($0) }
        let slow = copy.withUTF8 { ColumnName.parseReference($0) }
        #expect(fast.map { [$0.0, $0.1] } == slow.map { [$0.column, $0.row] })
    }
}
