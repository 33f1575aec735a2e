import Foundation
import Testing
@testable import Tabular

/// A worksheet's records hold each cell's rendered text as its field and its typed cell
/// beside it: `withFields` gives exactly what the cells of `currentRow()` render to.
@Suite struct SheetRecordsTests {
    /// Sets `cells` (column, cell) in order into one record, as the sheet handler does.
    static func record(_ cells: [(Int, Cell)], is1904: Bool = false) -> SheetRecords {
        var records = SheetRecords(is1904: is1904)
        for (column, cell) in cells {
            records.set(column, kind: kind(of: cell), value: value(of: cell), string: cell.rendered)
        }
        records.endRecord(number: 7)
        return records
    }

    static func kind(of cell: Cell) -> SheetRecords.Kind {
        switch cell {
        case .empty: return .empty
        case .text: return .text
        case .number: return .number
        case .bool: return .bool
        case .date(let date): return date.kind == .elapsed ? .elapsed : .date
        case .isoDate: return .isoDate
        case .error: return .error
        }
    }

    static func value(of cell: Cell) -> Double {
        switch cell {
        case .number(let value): return value
        case .date(let date): return date.serial
        default: return 0
        }
    }

    static func fields(_ records: SheetRecords, _ index: Int) -> [String] {
        records.withFields(index) { fields in (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) } }
    }

    @Test func everyKindOfCellComesBackTyped() {
        let cells: [Cell] = [.text("Zoë"), .number(412345678), .number(-2.5), .bool(true), .bool(false),
                             .date(ExcelDate(serial: 45000.25, is1904: true)), .date(ExcelDate(serial: 1.5, is1904: true, kind: .elapsed)),
                             .isoDate("2024-01-02T03:04:05"), .error("#N/A"), .text(""), .empty]
        let records = Self.record(Array(cells.enumerated()), is1904: true)
        #expect(records.count == 1)
        #expect(records.number(0) == 7)
        #expect(records.row(0) == Row(number: 7, cells: cells))
        #expect(Self.fields(records, 0) == cells.map(\.rendered))
    }

    @Test func skippedColumnsAreEmptyFields() {
        let records = Self.record([(1, .text("b")), (4, .number(3))])
        #expect(records.row(0).cells == [.empty, .text("b"), .empty, .empty, .number(3)])
        #expect(Self.fields(records, 0) == ["", "b", "", "", "3"])
    }

    /// A sheet may list a row's cells out of order; a later cell for a column replaces it.
    @Test func aColumnSetAgainIsReplaced() {
        let records = Self.record([(0, .text("first")), (3, .text("dd")), (1, .text("b")), (0, .text("again")), (3, .empty)])
        #expect(records.row(0).cells == [.text("again"), .text("b"), .empty, .empty])
        #expect(Self.fields(records, 0) == ["again", "b", "", ""])
    }

    @Test func aRecordWithoutFieldsIsDropped() {
        var records = SheetRecords(is1904: false)
        records.endRecord(number: 1)
        records.set(0, kind: .text, string: "x")
        records.endRecord(number: 2)
        records.endRecord(number: 3)
        #expect(records.count == 1)
        #expect(records.number(0) == 2)
        #expect(Self.fields(records, 0) == ["x"])
    }

    /// A batch may be handed over in the middle of a row: the row's fields so far stay.
    @Test func takingCompletedRecordsKeepsTheOpenOne() {
        var records = SheetRecords(is1904: false)
        records.set(0, kind: .text, string: "done")
        records.endRecord(number: 1)
        records.set(0, kind: .text, string: "half")
        records.set(2, kind: .number, value: 5, string: "5")
        let taken = records.takeCompleted()
        #expect(taken.count == 1)
        #expect(Self.fields(taken, 0) == ["done"])
        #expect(records.count == 0)
        #expect(records.openFieldCount == 3)
        records.set(1, kind: .text, string: "b")
        records.set(3, kind: .text, string: "end")
        records.endRecord(number: 2)
        #expect(records.row(0) == Row(number: 2, cells: [.text("half"), .text("b"), .number(5), .text("end")]))
        #expect(Self.fields(records, 0) == ["half", "b", "5", "end"])
    }

    /// Over the fixtures and every corpus sheet, on the caller's thread and on a helper
    /// thread: the raw records and `next()` give the same rows, and each record's fields are
    /// its cells' rendered text.
    static func compare(_ path: String, sheet: Int) throws {
        for background in [false, true] {
            let book = try XLSXWorkbook(path: path)
            if background {
                book.backgroundThreshold = 0
                book.backgroundBatchSize = 3
            }
            let expected = try XLSXWorkbook(path: path).rows(sheet: sheet)
            let source = try book.rows(sheet: sheet)
            guard let raw = source as? any RawRecordSource else {
                #expect(try expected.next() == nil, "only a sheet without cells has no records: \(path)")
                continue
            }
            while try raw.advance() {
                let row = try #require(try expected.next(), "\(path): more records than rows")
                #expect(raw.currentRow() == row, "\(path) row \(row.number)")
                #expect(raw.currentPosition.number == row.number)
                #expect(raw.fieldCount == row.cells.count)
                let fields = raw.withFields { f in (0..<f.count).map { String(decoding: f[$0], as: UTF8.self) } }
                #expect(fields == row.cells.map(\.rendered), "\(path) row \(row.number)")
            }
            #expect(try expected.next() == nil, "\(path): fewer records than rows")
            #expect(try raw.advance() == false)
        }
    }

    @Test(arguments: ["basic.xlsx", "date1904.xlsx", "inline.xlsx", "no-refs.xlsx", "strict.xlsx", "zip64.xlsx"])
    func fixturesGiveTheirCellsRendered(name: String) throws {
        try Self.compare(XLSXFixtures.path(name), sheet: 0)
    }

    @Test(arguments: Corpus.sheets(in: "xlsx"))
    func corpusSheetsGiveTheirCellsRendered(_ sheet: Corpus.Sheet) throws {
        guard Corpus.expectedBytes(sheet) != nil else { return }  // a password-protected file
        try Self.compare(Corpus.path(sheet.file), sheet: sheet.sheetIndex ?? 0)
    }
}
