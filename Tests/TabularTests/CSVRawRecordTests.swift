import Foundation
import Testing
@testable import Tabular

/// Reading a CSV record by record (`RawRecordSource`: the fields' bytes first, the cells only
/// when asked for) gives exactly what `next()` gives.
@Suite struct CSVRawRecordTests {
    /// Quoting, doubled quotes, line breaks in quotes, CR / CRLF ends, blank lines, ragged
    /// records, empty fields, text after a closing quote, and bytes that are not UTF-8.
    static let samples: [(name: String, bytes: [UInt8])] = [
        ("mixed", Array("email,name,notes\r\na@x.com,\"Smith, Jo\",\"said \"\"hi\"\"\nthen left\"\rb@x.com,,\n\nc@x.com,Ann,x,extra\n\"d@x.com\"tail,Bo,\n".utf8)),
        ("not UTF-8", [0x65, 0x2C, 0x6E, 0x0A, 0x61, 0x40, 0x78, 0x2C, 0x43, 0x61, 0x66, 0xE9, 0x0A, 0x62, 0x40, 0x78, 0x2C, 0xC3, 0xA9, 0x0A]),
        ("a field split across chunks", Array(("email,notes\n" + (0..<3000).map { "u\($0)@x.com,\"" + String(repeating: "é", count: $0 % 97) + "\"\n" }.joined()).utf8)),
        ("many fields", Array(((0..<150).map { "c\($0)" }.joined(separator: ",") + "\n"
                               + (0..<3).map { r in (0..<(150 + r * 60)).map { "v\(r)_\($0)" }.joined(separator: ",") + "\n" }.joined()).utf8)),
    ]

    @Test(arguments: samples.map(\.name))
    func givesTheSameRowsAsNext(name: String) throws {
        let bytes = try #require(Self.samples.first { $0.name == name }).bytes
        let path = CSVTestSupport.file(bytes)
        defer { CSVTestSupport.remove(path) }
        try Self.compare(path: path, chunkSize: 64)
        try Self.compare(path: path, chunkSize: 1 << 16)
        try Self.compareFields(path: path, chunkSize: 64)
    }

    @Test(arguments: Corpus.sheets(in: "csv"))
    func corpusFilesGiveTheSameRowsAsNext(sheet: Corpus.Sheet) throws {
        try Self.compare(path: Corpus.path(sheet.file), chunkSize: 1 << 16)
        try Self.compareFields(path: Corpus.path(sheet.file), chunkSize: 1 << 16)
    }

    @Test(arguments: ["utf16le_bom_tab.txt", "utf16be_bom_tab.txt", "windows1252_semicolon.csv"])
    func fixturesGiveTheSameRowsAsNext(name: String) throws {
        try Self.compare(path: CSVTestSupport.fixture(name), chunkSize: 1 << 16)
    }

    /// Reads `path` with `next()` and with `advance()`, checking rows, warnings and fields.
    static func compare(path: String, chunkSize: Int) throws {
        let table = try CSVTable(path: path, options: CSVOptions(), chunkSize: chunkSize)
        let expected = try table.rows(sheet: 0)
        let raw = try #require(try table.rows(sheet: 0) as? any RawRecordSource)
        var count = 0
        while try raw.advance() {
            let row = try #require(try expected.next(), "row \(count + 1) of \(path)")
            let fields = raw.withFields { record in (0..<record.count).map { Array(record[$0]) } } ?? []
            let asBytes = raw.withFields { _ in true } ?? false
            #expect(raw.fieldCount == row.cells.count)
            #expect(raw.currentRow() == row, "row \(row.number) of \(path)")
            // The bytes are the cells' text exactly when the cells are read as UTF-8.
            let texts = row.cells.map { cell -> [UInt8] in
                if case .text(let text) = cell { return Array(text.utf8) }
                return []
            }
            if asBytes {
                #expect(fields == texts, "row \(row.number) of \(path)")
            } else {
                #expect(fields.isEmpty, "no field is handed out when one is not UTF-8")
            }
            count += 1
        }
        #expect(try expected.next() == nil, "\(path): both ways end together")
        #expect(raw.warnings == expected.warnings)
    }

    /// Reads `path` record by record: a record's fields, when they are UTF-8, make the row
    /// `next()` gives (what a re-import's decisions build from copied fields), and its
    /// position is that row's number and line.
    static func compareFields(path: String, chunkSize: Int) throws {
        let table = try CSVTable(path: path, options: CSVOptions(), chunkSize: chunkSize)
        let expected = try table.rows(sheet: 0)
        let raw = try #require(try table.rows(sheet: 0) as? any RawRecordSource)
        while try raw.advance() {
            let row = try #require(try expected.next(), "a row of \(path)")
            let position = raw.currentPosition
            #expect(position.number == row.number && position.line == row.line, "row \(row.number) of \(path)")
            if let built = raw.withFields({ Row(number: position.number, line: position.line, fields: $0) }) {
                #expect(built == row, "row \(row.number) of \(path), built from its fields")
            }
        }
        #expect(try expected.next() == nil, "\(path): both ways end together")
    }
}
