import Foundation
import Testing
@testable import Tabular

/// Cells that a writer emits out of row order (within a block) still come out as
/// whole rows in row order.
@Suite struct XLSRowOrderTests {
    @Test func cellsInReverseOrderWithinABlock() throws {
        let original = XLSTestSupport.bytes(XLSTestSupport.fixture("xlwt_types.xls"))
        let layout = XLSTestSupport.Layout(original)
        let entry = try #require(layout.entryOffset("Workbook"))
        let stream = layout.streamBytes(entry: entry)
        let records = XLSTestSupport.records(stream)
        // The sheet's ROW and cell records for its first 30 rows, reversed as a group
        // (same bytes, same total length, so the rest of the stream is untouched).
        let sheetStart = try #require(records.lastIndex { $0.type == 0x0809 })
        let cellTypes: Set<UInt16> = [0x0208, 0x00FD, 0x027E, 0x0203, 0x0205, 0x0201]
        let first = try #require(records[sheetStart...].firstIndex { cellTypes.contains($0.type) })
        var last = first
        var rowsSeen = 0
        while last + 1 < records.count, cellTypes.contains(records[last + 1].type) {
            if records[last + 1].type == 0x0208 { rowsSeen += 1; if rowsSeen == 30 { break } }
            last += 1
        }
        let group = records[first...last]
        var reordered: [UInt8] = []
        for r in group.reversed() { reordered += stream[r.offset..<(r.offset + 4 + r.length)] }
        var bytes = original
        let chain = layout.chain(ofEntryAt: entry)
        let start = group.first!.offset
        for (k, b) in reordered.enumerated() { bytes[layout.fileOffset(start + k, chain: chain)] = b }
        #expect(bytes != original)

        let path = XLSTestSupport.temporaryFile(bytes)

        defer { XLSTestSupport.remove(path) }
        let book = try XLSWorkbook(path: path)
        let rows = try book.rows(sheet: 0)
        var numbers: [Int] = []
        while let row = try rows.next() { numbers.append(row.number) }
        #expect(numbers == numbers.sorted(), "\(numbers)")
        #expect(try XLSTestSupport.grid(path) == XLSTestSupport.grid(XLSTestSupport.fixture("xlwt_types.xls")))
    }
}
