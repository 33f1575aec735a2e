import Foundation
import Testing
@testable import Tabular

/// The compound file reader on layouts beyond our fixtures' (xlwt writes version 3 files
/// with the Workbook in regular sectors): each re-houses a real Workbook stream.
@Suite struct CFBTests {
    /// xlwt_types.xls's Workbook stream, cut after its last EOF record.
    let workbook: [UInt8] = {
        let bytes = XLSTestSupport.bytes(XLSTestSupport.fixture("xlwt_types.xls"))
        let layout = XLSTestSupport.Layout(bytes)
        let stream = layout.streamBytes(entry: layout.entryOffset("Workbook")!)
        let end = XLSTestSupport.records(stream).last { $0.type == 0x000A }!
        return Array(stream.prefix(end.offset + 4))
    }()

    var expectedGrid: [Int: [String]] {
        get throws { try XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_types.xls")) }
    }

    @Test func fourKilobyteSectors() throws {
        let file = CFBTestBuilder.build(streams: [("Workbook", workbook)], sectorShift: 12)
        let path = XLSTestSupport.temporaryFile(file)
        defer { XLSTestSupport.remove(path) }
        let cfb = try CompoundFile(path: path)
        #expect(cfb.header.sectorSize == 4096)
        #expect(try XLSTestSupport.grid(path) == expectedGrid)
    }

    @Test func fatBeyondTheHeadersDIFATEntries() throws {
        // A 7.5 MB filler stream before the workbook needs more than 109 FAT sectors.
        let filler = [UInt8](repeating: 0xAB, count: 7_500_000)
        let file = CFBTestBuilder.build(streams: [("Filler", filler), ("Workbook", workbook)])
        #expect(XLSTestSupport.Layout.u32(file, 44) > 109, "FAT sectors")
        #expect(XLSTestSupport.Layout.u32(file, 72) >= 1, "DIFAT sectors")
        let path = XLSTestSupport.temporaryFile(file)
        defer { XLSTestSupport.remove(path) }
        #expect(try XLSTestSupport.grid(path) == expectedGrid)
        // The filler reads back through sector runs.
        let cfb = try CompoundFile(path: path)
        let stream = try cfb.open(try #require(cfb.streamEntry(named: "filler")))
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0.baseAddress!, count: $0.count) }
            if n == 0 { break }
            #expect(buffer[0..<n].allSatisfy { $0 == 0xAB })
            total += n
        }
        #expect(total == filler.count)
    }

    @Test func aDIFATChainThatLoopsIsCorrupt() throws {
        var file = CFBTestBuilder.build(streams: [("Filler", [UInt8](repeating: 1, count: 7_500_000)), ("Workbook", workbook)])
        // Point the first DIFAT sector's "next" link back at itself.
        let first = Int(XLSTestSupport.Layout.u32(file, 68))
        let nextAt = (first + 1) * 512 + 508
        XLSTestSupport.Layout.put32(&file, nextAt, UInt32(first))
        // Claim enough FAT sectors that a second DIFAT sector must be followed.
        XLSTestSupport.Layout.put32(&file, 44, 109 + 127 + 10)
        let path = XLSTestSupport.temporaryFile(file)
        defer { XLSTestSupport.remove(path) }
        #expect {
            _ = try CompoundFile(path: path)
        } throws: { error in
            guard case TabularError.corrupt(_, let detail) = error else { return false }
            return detail.contains("DIFAT chain loops")
        }
    }

    @Test func aWorkbookInTheMiniStream() throws {
        let small = XLSTestSupport.bytes(XLSTestSupport.fixture("xlwt_1904.xls"))
        let layout = XLSTestSupport.Layout(small)
        let stream = layout.streamBytes(entry: layout.entryOffset("Workbook")!)
        let end = XLSTestSupport.records(stream).last { $0.type == 0x000A }!
        let cut = Array(stream.prefix(end.offset + 4))
        #expect(cut.count < 4096)
        let path = XLSTestSupport.temporaryFile(CFBTestBuilder.build(streams: [("Other", [1, 2, 3]), ("WORKBOOK", cut)]))
        defer { XLSTestSupport.remove(path) }
        #expect(try XLSTestSupport.grid(path) == [1: ["1904-01-02"], 2: ["12:00:00"], 3: ["255:10:10"]])
    }

    @Test func streamsAreFoundCaseInsensitively() throws {
        let path = XLSTestSupport.temporaryFile(CFBTestBuilder.build(streams: [("wOrKbOoK", workbook)]))
        defer { XLSTestSupport.remove(path) }
        let cfb = try CompoundFile(path: path)
        #expect(cfb.streamEntry(named: "Workbook")?.name == "wOrKbOoK")
        #expect(cfb.streamEntry(named: "Book") == nil)
        #expect(try XLSTestSupport.grid(path) == expectedGrid)
    }

    @Test func aBIFF5BookStreamInAVersion4File() throws {
        guard Corpus.root != nil else { return }
        let original = XLSTestSupport.bytes(Corpus.path("xls/sheetjs__biff5_text_and_numbers.xls"))
        let cfb = try CompoundFile(path: Corpus.path("xls/sheetjs__biff5_text_and_numbers.xls"))
        #expect(!original.isEmpty)
        let entry = try #require(cfb.streamEntry(named: "Book"))
        let stream = try cfb.open(entry)
        var book = [UInt8](repeating: 0, count: stream.size)
        _ = try book.withUnsafeMutableBytes { try stream.read(into: $0.baseAddress!, count: $0.count) }
        let path = XLSTestSupport.temporaryFile(CFBTestBuilder.build(streams: [("Book", book)], sectorShift: 12))
        defer { XLSTestSupport.remove(path) }
        let rehoused = try XLSTestSupport.grid(path)
        #expect(rehoused == (try XLSTestSupport.grid(Corpus.path("xls/sheetjs__biff5_text_and_numbers.xls"))))
        #expect(!rehoused.isEmpty)
    }

    @Test func aDirectoryTreeThatLoopsDoesNotHang() throws {
        var file = CFBTestBuilder.build(streams: [("A", [UInt8](repeating: 0, count: 5000)), ("Workbook", workbook)])
        // Entry 2 (Workbook) gets entry 1 as its right sibling: 1 → 2 → 1 ...
        let dirStart = Int(XLSTestSupport.Layout.u32(file, 48))
        XLSTestSupport.Layout.put32(&file, (dirStart + 1) * 512 + 2 * 128 + 72, 1)
        let path = XLSTestSupport.temporaryFile(file)
        defer { XLSTestSupport.remove(path) }
        #expect(try XLSTestSupport.grid(path) == expectedGrid)
    }
}
