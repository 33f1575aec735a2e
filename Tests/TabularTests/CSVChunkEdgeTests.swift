import Testing
@testable import Tabular

/// Fields, quotes, doubled quotes, CRLFs and multi-byte characters straddling the edge
/// of a read chunk give the same records whatever the chunk size.
@Suite struct CSVChunkEdgeTests {
    typealias S = CSVTestSupport

    static let tricky = "id,\"na,me\",note\r\n1,\"He said \"\"hi\"\"\",\"x\r\ny\"\r\n\r\n2,Zoë 😀,\"\"\"\"\r3,\"\",end\n" +
        "4,\"a\"\"b\"\"c\",\"\r\"\r\n5,ab\"c,\"q\"tail\r\n"
    static let expected: [[String]] = [
        ["id", "na,me", "note"], ["1", "He said \"hi\"", "x\r\ny"], [], ["2", "Zoë 😀", "\""], ["3", "", "end"],
        ["4", "a\"b\"c", "\r"], ["5", "ab\"c", "qtail"],
    ]

    @Test func everyChunkSizeGivesTheSameRecords() throws {
        let whole = try S.read(Self.tricky)
        #expect(whole.fields == Self.expected)
        #expect(whole.rows.map(\.line) == [1, 2, 4, 5, 6, 7, 9])
        for chunk in 1...80 {
            let r = try S.read(Self.tricky, chunkSize: chunk)
            #expect(r.fields == Self.expected, "chunk \(chunk)")
            #expect(r.rows.map(\.line) == whole.rows.map(\.line), "chunk \(chunk)")
            #expect(r.rows.map(\.number) == Array(1...7), "chunk \(chunk)")
        }
    }

    @Test func crlfSplitAcrossTheChunkEdgeIsOneLineBreak() throws {
        // "ab\r" fills a chunk of 3 exactly; the "\n" arrives in the next one.
        for chunk in 1...8 {
            let r = try S.read("ab\r\ncd\r\n\"e\r\nf\"\r\ng", chunkSize: chunk)
            #expect(r.fields == [["ab"], ["cd"], ["e\r\nf"], ["g"]], "chunk \(chunk)")
            #expect(r.rows.map(\.line) == [1, 2, 3, 5], "chunk \(chunk)")
        }
    }

    @Test func fieldsLongerThanAChunkGrowTheBuffer() throws {
        let long = String(repeating: "abcdefghij", count: 1000)
        let quoted = String(repeating: "q\"\"r,\n", count: 500)
        let text = "a,b\n\(long),\"\(quoted)\"\nx,y\n"
        let expected = [["a", "b"], [long, quoted.replacingOccurrences(of: "\"\"", with: "\"")], ["x", "y"]]
        for chunk in [1, 7, 64, 1000, 4096] {
            let r = try S.read(text, chunkSize: chunk)
            #expect(r.fields == expected, "chunk \(chunk)")
            #expect(r.rows.map(\.line) == [1, 2, 503], "chunk \(chunk)")
        }
    }

    @Test func windows1252AcrossChunks() throws {
        let bytes: [UInt8] = Array("a;b\r\n".utf8) + [0x80, 0x3B, 0x92, 0xE9, 0x0D, 0x0A]
        for chunk in 1...12 {
            #expect(try S.read(bytes, chunkSize: chunk).fields == [["a", "b"], ["€", "’é"]], "chunk \(chunk)")
        }
    }
}
