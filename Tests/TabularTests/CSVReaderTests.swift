import Foundation
import Testing
@testable import Tabular

/// The CSV reader on small inputs: quoting, line ends, encodings, delimiters, warnings.
@Suite struct CSVReaderTests {
    typealias S = CSVTestSupport

    // MARK: Quoting

    @Test func quotedFieldsKeepDelimitersDoubledQuotesAndLineBreaks() throws {
        let r = try S.read("a,\"b,c\",\"d\"\"e\"\n\"multi\nline\",x,\"\"\"\"\nlast,\"\",z\n")
        #expect(r.fields == [["a", "b,c", "d\"e"], ["multi\nline", "x", "\""], ["last", "", "z"]])
        #expect(r.rows.map(\.number) == [1, 2, 3])
        #expect(r.rows.map(\.line) == [1, 2, 4])
        #expect(r.warnings.isEmpty)
    }

    @Test func crlfInsideQuotesIsKeptAndCountsAsOneLine() throws {
        let r = try S.read("h1,h2\r\n\"a\r\nb\",c\r\nd,e\r\n")
        #expect(r.fields == [["h1", "h2"], ["a\r\nb", "c"], ["d", "e"]])
        #expect(r.rows.map(\.line) == [1, 2, 4])
    }

    @Test func quotesFollowPythonCSVOutsideTheRules() throws {
        // A quote inside an unquoted field is a character; text after a closing quote is kept.
        let r = try S.read("ab\"c,\"x\"y,5'11\"\n")
        #expect(r.fields == [["ab\"c", "xy", "5'11\""]])
    }

    @Test func everyFieldIsTextNothingIsConverted() throws {
        let r = try S.read("0042,1e3,TRUE,2024-01-02, spaced \n")
        #expect(r.rows[0].cells == [.text("0042"), .text("1e3"), .text("TRUE"), .text("2024-01-02"), .text(" spaced ")])
    }

    @Test func trailingDelimiterAndMissingFinalLineBreak() throws {
        #expect(try S.read("a,b,\n1,2,").fields == [["a", "b", ""], ["1", "2", ""]])
        #expect(try S.read("a,b\n1,\"2\"").fields == [["a", "b"], ["1", "2"]])
    }

    // MARK: Line ends

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEnds(_ eol: String) throws {
        let r = try S.read("name,email\(eol)Ann,ann@example.com\(eol)\(eol)Bob,bob@example.com\(eol)")
        #expect(r.fields == [["name", "email"], ["Ann", "ann@example.com"], [], ["Bob", "bob@example.com"]])
        #expect(r.rows.map(\.line) == [1, 2, 3, 4])
        #expect(r.rows.map(\.number) == [1, 2, 3, 4])
    }

    @Test func mixedLineEnds() throws {
        let r = try S.read("a\r\nb\rc\nd\r\r\ne")
        #expect(r.fields == [["a"], ["b"], ["c"], ["d"], [], ["e"]])
        #expect(r.rows.map(\.line) == [1, 2, 3, 4, 5, 6])
    }

    @Test func blankLinesAreRecordsWithNoCells() throws {
        let r = try S.read("a,b\n\n\nc,d\n\n")
        #expect(r.fields == [["a", "b"], [], [], ["c", "d"], []])
        #expect(r.warnings.isEmpty, "blank lines are not ragged rows")
    }

    // MARK: Encodings

    @Test func utf8ByteOrderMarkIsRemoved() throws {
        let r = try S.read([0xEF, 0xBB, 0xBF] + Array("email,name\nann@example.com,Zoë\n".utf8))
        #expect(r.table.encoding == .utf8)
        #expect(r.fields == [["email", "name"], ["ann@example.com", "Zoë"]])
    }

    static let unicodeRows = [["Name", "City", "Note"], ["José", "Zürich", "café €5"],
                              ["Ann", "Köln", "it’s “quoted”"], ["Emoji", "😀", "a\tb"]]

    @Test(arguments: [("utf16le_bom_tab.txt", CSVEncoding.utf16LE), ("utf16be_bom_tab.txt", .utf16BE)])
    func utf16WithByteOrderMark(file: String, encoding: CSVEncoding) throws {
        let r = try S.read(path: S.fixture(file))
        #expect(r.table.encoding == encoding)
        #expect(r.table.delimiter == 0x09)
        #expect(r.fields == Self.unicodeRows)
        // A surrogate pair or a code unit cut by the chunk edge is carried over.
        for chunk in [1, 2, 3, 5, 7, 33, 64] {
            #expect(try S.read(path: S.fixture(file), chunkSize: chunk).fields == Self.unicodeRows, "chunk \(chunk)")
        }
    }

    @Test func utf16WithoutByteOrderMarkIsRecognised() throws {
        let bytes = Array("a\tb\r\n1\t2\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let r = try S.read(bytes)
        #expect(r.table.encoding == .utf16LE)
        #expect(r.fields == [["a", "b"], ["1", "2"]])
    }

    @Test func windows1252WhenNotUTF8() throws {
        let r = try S.read(path: S.fixture("windows1252_semicolon.csv"))
        #expect(r.table.encoding == .windows1252)
        #expect(r.table.delimiter == 0x3B)
        #expect(r.fields == [["Name", "Ville", "Prix"], ["Renée", "Orléans", "12 €"], ["O’Brien", "Dublin", "“quoted”"]])
        #expect(r.warnings.isEmpty)
    }

    @Test func invalidUTF8AfterTheSampleIsReadAsWindows1252WithAWarning() throws {
        var bytes = Array("email,name\n".utf8)
        for i in 0..<3000 { bytes += Array("person\(i)@example.com,Person number \(i)\n".utf8) }
        #expect(bytes.count > CSVTable.sampleSize)
        bytes += Array("late@example.com,".utf8) + [0x52, 0x65, 0x6E, 0xE9, 0x65] + [0x0A]  // "Renée" in Windows-1252
        bytes += Array("after@example.com,Zoë\n".utf8)
        let r = try S.read(bytes)
        #expect(r.table.encoding == .utf8)
        #expect(r.rows.count == 3003)
        #expect(r.fields[3001] == ["late@example.com", "Renée"])
        #expect(r.fields[3002] == ["after@example.com", "Zoë"])
        #expect(r.warnings.count == 1)
        #expect(r.warnings.first?.line == 3002)
        #expect(r.warnings.first?.message.contains("Windows-1252") == true)
    }

    @Test func encodingCanBeForced() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0xC3, 0xA9, 0x2C, 0x78, 0x0A]  // "é" in UTF-8
        #expect(try S.read(bytes).fields == [["a", "b"], ["é", "x"]])
        let forced = try S.read(bytes, options: CSVOptions(encoding: .windows1252))
        #expect(forced.fields == [["a", "b"], ["Ã©", "x"]])
    }

    // MARK: Delimiters

    @Test(arguments: [(",", UInt8(0x2C)), (";", 0x3B), ("\t", 0x09), ("|", 0x7C)])
    func delimiterIsDetected(delimiter: String, byte: UInt8) throws {
        let d = delimiter
        let text = "email\(d)first name\(d)note\n\"x\(d)y@example.com\"\(d)Ann\(d)\"a, b; c | d\"\n" +
            "bob@example.com\(d)Bob\(d)\n"
        let r = try S.read(text)
        #expect(r.table.delimiter == byte)
        #expect(r.fields == [["email", "first name", "note"], ["x\(d)y@example.com", "Ann", "a, b; c | d"],
                             ["bob@example.com", "Bob", ""]])
    }

    @Test func semicolonFileWithDecimalCommas() throws {
        let r = try S.read("name;amount\nAnn;1,50\nBob;2,75\nCy;3\n")
        #expect(r.table.delimiter == 0x3B)
        #expect(r.fields[1] == ["Ann", "1,50"])
    }

    @Test func singleColumnDefaultsToComma() throws {
        let r = try S.read("email\nann@example.com\n")
        #expect(r.table.delimiter == 0x2C)
        #expect(r.fields == [["email"], ["ann@example.com"]])
    }

    @Test func delimiterOptionOverridesDetection() throws {
        let r = try S.read("a;b,c\n1;2,3\n", options: CSVOptions(delimiter: 0x2C))
        #expect(r.table.delimiter == 0x2C)
        #expect(r.fields == [["a;b", "c"], ["1;2", "3"]])
    }

    // MARK: Warnings and errors

    @Test func raggedRowsAreReturnedAndWarnedWithTheirLines() throws {
        let r = try S.read("a,b,c\n1,2,3\n1,2\n\"x\ny\",2,3,4\n1,2,3\n")
        #expect(r.fields == [["a", "b", "c"], ["1", "2", "3"], ["1", "2"], ["x\ny", "2", "3", "4"], ["1", "2", "3"]])
        #expect(r.warnings.map(\.line) == [3, 4])
        #expect(r.warnings[0].message.contains("2 fields but the header has 3"))
        #expect(r.warnings[1].message.contains("4 fields"))
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() throws {
        let error = S.error { try S.read("a,b\n1,2\n3,\"open\n4,5\n6,7\n") }
        guard case .malformed(let location, let detail)? = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
        #expect(location.row == 3)
        #expect(detail.contains("unterminated quote opened on line 3"))
        #expect(error?.description.contains("close the quote or remove it") == true)
    }

    @Test func rowsAfterAnErrorAreNotInvented() throws {
        let path = S.file("a\n\"x\n")
        defer { S.remove(path) }
        let source = try CSVTable(path: path).rows(sheet: 0)
        #expect(try source.next()?.cells == [.text("a")])
        #expect(S.error { try source.next() } != nil)
        #expect(S.error { try source.next() } != nil, "the error repeats; no rows after it")
    }

    @Test func oneSheetNamedAfterTheFile() throws {
        let path = S.file("a\n", name: "contacts march.csv")
        defer { S.remove(path) }
        let table = try CSVTable(path: path)
        #expect(table.sheets == [SheetInfo(name: "contacts march.csv", index: 0)])
        #expect(table.format == .csv)
        #expect(S.error { try table.rows(sheet: 1) } != nil)
        // Each call to rows(sheet:) starts from the top again.
        #expect(try table.rows(sheet: 0).next()?.cells == [.text("a")])
        #expect(try table.rows(sheet: 0).next()?.cells == [.text("a")])
    }

    @Test func missingFileCannotBeOpened() {
        guard case .cannotOpen? = S.error({ try CSVTable(path: "/nonexistent/folder/x.csv") }) else {
            Issue.record("expected .cannotOpen")
            return
        }
    }
}

/// Memory stays bounded: the buffer does not grow with rows, nor the warning list with a bad file.
@Suite struct CSVBoundedMemoryTests {
    typealias S = CSVTestSupport

    @Test func bufferDoesNotGrowWithRows() throws {
        var text = "email,name\n"
        for i in 0..<20_000 { text += "p\(i)@example.com,\"Person, number \(i)\"\n" }
        let path = S.file(text)
        defer { S.remove(path) }
        let table = try CSVTable(path: path, options: CSVOptions(), chunkSize: 4096)
        let source = try #require(try table.rows(sheet: 0) as? CSVRowReader)
        var rows = 0
        while try source.next() != nil { rows += 1 }
        #expect(rows == 20_001)
        #expect(source.bufferCapacity == 2 * 4096)
    }

    @Test func bufferShrinksAfterAHugeField() throws {
        var text = "a,b\n1,\"" + String(repeating: "x", count: 100_000) + "\"\n"
        for i in 0..<2000 { text += "\(i),y\n" }
        let path = S.file(text)
        defer { S.remove(path) }
        let source = try #require(try CSVTable(path: path, options: CSVOptions(), chunkSize: 1024).rows(sheet: 0) as? CSVRowReader)
        var rows = 0
        var largest = 0
        while try source.next() != nil {
            rows += 1
            largest = max(largest, source.bufferCapacity)
        }
        #expect(rows == 2002)
        #expect(largest >= 100_000)
        #expect(source.bufferCapacity == 2 * 1024)
    }

    @Test func warningsAreCappedWithACount() throws {
        var text = "a,b\n"
        for _ in 0..<1500 { text += "1\n" }
        let r = try S.read(text)
        #expect(r.rows.count == 1501)
        #expect(r.warnings.count == CSVRowReader.warningLimit + 1)
        #expect(r.warnings.last?.message == "500 more warnings not listed")
    }
}

/// A UTF-8 file with a few Windows-1252 bytes in its first lines stays UTF-8.
@Suite struct CSVMixedEncodingTests {
    typealias S = CSVTestSupport

    @Test func strayWindows1252BytesInAUTF8FileAreReadFieldByField() throws {
        var bytes = Array("name,city\nZoë,Zürich\nChloé,Köln\n".utf8)
        bytes += [0x52, 0x65, 0x6E, 0xE9, 0x65, 0x2C, 0x4F, 0x72, 0x6C, 0xE9, 0x61, 0x6E, 0x73, 0x0A]  // Renée,Orléans in 1252
        bytes += Array("José,São Paulo\n".utf8)
        let r = try S.read(bytes)
        #expect(r.table.encoding == .utf8)
        #expect(r.fields == [["name", "city"], ["Zoë", "Zürich"], ["Chloé", "Köln"], ["Renée", "Orléans"], ["José", "São Paulo"]])
        #expect(r.warnings.map(\.line) == [4], "one warning for the line, not one per field")
    }
}
