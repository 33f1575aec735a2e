import Testing
import Foundation
@testable import Tabular

/// A sheet held in memory, to drive GridPrinter without a file.
final class MemorySheet: TableSource, RowSource {
    let format = TableFormat.xlsx
    let sheets = [SheetInfo(name: "Sheet1", index: 0)]
    private var pending: [Row]

    init(_ rows: [Row]) { pending = rows }

    func rows(sheet index: Int) throws(TabularError) -> any RowSource { self }

    func next() throws(TabularError) -> Row? { pending.isEmpty ? nil : pending.removeFirst() }
}

@Suite struct GridPrinterTests {
    func render(_ rows: [Row], memoryLimit: Int = 8 << 20) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var printer = GridPrinter()
        printer.memoryLimit = memoryLimit
        do {
            let writer = try CSVWriter(path: path)
            try printer.print(MemorySheet(rows), sheet: 0, to: writer)
            try writer.sync()
        }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func padsGapsAndTrimsLikeTheCorpusConvention() throws {
        let rows = [
            Row(number: 2, cells: [.empty, .text("b2"), .empty, .empty]),
            Row(number: 4, cells: [.text("a,4"), .empty, .number(3.5)]),
            Row(number: 5, cells: [.empty, .empty]),
            Row(number: 7, cells: [.text("")]),
        ]
        #expect(try render(rows) == ",,\n,b2,\n,,\n\"a,4\",,3.5\n")
    }

    @Test func singleColumnEmptyRowsAreQuoted() throws {
        let rows = [Row(number: 1, cells: [.text("x")]), Row(number: 3, cells: [.text("y")])]
        #expect(try render(rows) == "x\n\"\"\ny\n")
    }

    @Test func spillingToATemporaryFileGivesTheSameBytes() throws {
        var rows: [Row] = []
        for i in 1...5000 {
            var cells: [Cell] = [.text("row \(i)"), .number(Double(i))]
            if i % 7 == 0 { cells.append(.text(String(repeating: "\"long\" ", count: 50))) }
            if i == 4000 { cells.append(.text(String(repeating: "z", count: 3 << 20))) } // one row bigger than the read chunk
            rows.append(Row(number: i + (i > 10 ? 3 : 0), cells: cells))
        }
        let inMemory = try render(rows)
        let spilled = try render(rows, memoryLimit: 1024)
        #expect(inMemory == spilled)
        #expect(inMemory.hasPrefix("row 1,1,\n"))
    }
}
