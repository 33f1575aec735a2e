import Foundation
import Testing
@testable import Tabular

/// Real files with chosen bytes damaged end in a clear `TabularError` naming the file
/// (and, for cell problems, the sheet and cell), never in garbage, a crash or a hang.
@Suite struct XLSDamageTests {
    let original = XLSTestSupport.bytes(XLSTestSupport.fixture("xlwt_types.xls"))

    /// The error of reading every sheet of `bytes`, or nil when it read fine.
    func failure(_ bytes: [UInt8]) -> TabularError? {
        let path = XLSTestSupport.temporaryFile(bytes)
        defer { XLSTestSupport.remove(path) }
        if case .failure(let e) = XLSTestSupport.readAll(path) { return e }
        return nil
    }

    func expectCorrupt(_ bytes: [UInt8], mentioning words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = failure(bytes) else {
            Issue.record("read without an error", sourceLocation: sourceLocation)
            return
        }
        guard case .corrupt(let location, let detail) = error else {
            Issue.record("expected .corrupt, got \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(location.path.hasSuffix("damaged.xls"), sourceLocation: sourceLocation)
        #expect(words.contains { detail.contains($0) }, "\(detail)", sourceLocation: sourceLocation)
        #expect(error.description.contains("damaged.xls"), sourceLocation: sourceLocation)
        #expect(error.description.contains("the file is damaged"), sourceLocation: sourceLocation)
    }

    @Test func theUndamagedFileReads() {
        #expect(failure(original) == nil)
    }

    @Test func aTruncatedFileIsCorrupt() {
        expectCorrupt(Array(original.prefix(original.count / 2)), mentioning: "ends early", "past the end of the file")
        expectCorrupt(Array(original.prefix(300)), mentioning: "shorter than a compound file header")
        expectCorrupt(Array(original.prefix(original.count - 100)), mentioning: "ends early")
    }

    @Test func aFATEntryPointingPastTheFileIsCorrupt() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let chain = layout.chain(ofEntryAt: entry)
        #expect(chain.count > 3)
        XLSTestSupport.Layout.put32(&bytes, layout.fatEntryOffsets[chain[1]], 0x00FF_FFF0)
        expectCorrupt(bytes, mentioning: "does not exist")
    }

    @Test func aFATSectorNumberPastTheFileIsCorrupt() {
        var bytes = original
        XLSTestSupport.Layout.put32(&bytes, 76, 0x0100_0000) // header DIFAT[0]
        expectCorrupt(bytes, mentioning: "past the end of the file")
    }

    @Test func aCyclicChainIsCorrupt() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let chain = layout.chain(ofEntryAt: entry)
        XLSTestSupport.Layout.put32(&bytes, layout.fatEntryOffsets[chain[2]], UInt32(chain[1]))
        expectCorrupt(bytes, mentioning: "loops back on itself")
        // The directory chain looping onto itself.
        var dir = original
        let dirSector = Int(XLSTestSupport.Layout.u32(dir, 48))
        XLSTestSupport.Layout.put32(&dir, layout.fatEntryOffsets[dirSector], UInt32(dirSector))
        expectCorrupt(dir, mentioning: "loops back on itself")
    }

    @Test func aStreamLargerThanTheFileIsCorrupt() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        XLSTestSupport.Layout.put32(&bytes, entry + 120, UInt32(bytes.count + 1))
        expectCorrupt(bytes, mentioning: "more than the whole file")
    }

    @Test func aRecordRunningPastItsStreamIsCorrupt() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let records = XLSTestSupport.records(layout.streamBytes(entry: entry))
        // Cut the stream in the middle of the sheet's last LABELSST record.
        let cell = try #require(records.last { $0.type == 0x00FD })
        XLSTestSupport.Layout.put32(&bytes, entry + 120, UInt32(cell.offset + 7))
        guard let error = failure(bytes), case .corrupt(let location, let detail) = error else {
            Issue.record("expected .corrupt")
            return
        }
        #expect(detail.contains("runs past the end of the workbook stream"), "\(detail)")
        #expect(location.sheet == "Types")
        // A record length pointing past the end of the stream.
        var long = original
        let last = try #require(records.last { $0.type == 0x000A })
        let chain = layout.chain(ofEntryAt: entry)
        XLSTestSupport.Layout.put16(&long, layout.fileOffset(last.offset + 2, chain: chain), 0x2000)
        expectCorrupt(long, mentioning: "runs past the end")
    }

    @Test func aSharedStringIndexOutOfRangeNamesTheCell() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let records = XLSTestSupport.records(layout.streamBytes(entry: entry))
        let chain = layout.chain(ofEntryAt: entry)
        // The first LABELSST is A1 ("kind"); point it at string 1,000,000.
        let cell = try #require(records.first { $0.type == 0x00FD })
        for (k, b) in [UInt8(0x40), 0x42, 0x0F, 0x00].enumerated() {
            bytes[layout.fileOffset(cell.offset + 4 + 6 + k, chain: chain)] = b
        }
        guard let error = failure(bytes), case .corrupt(let location, let detail) = error else {
            Issue.record("expected .corrupt")
            return
        }
        #expect(location.sheet == "Types")
        #expect(location.row == 1)
        #expect(location.column == 0)
        #expect(detail.contains("shared string #1000000"), "\(detail)")
        #expect(error.description.contains("cell A1"), "\(error.description)")
    }

    @Test func aDamagedSheetOffsetIsCorrupt() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let records = XLSTestSupport.records(layout.streamBytes(entry: entry))
        let chain = layout.chain(ofEntryAt: entry)
        let sheet = try #require(records.first { $0.type == 0x0085 })
        XLSTestSupport.Layout.put32(&bytes, layout.fileOffset(sheet.offset + 4, chain: chain), 7)
        expectCorrupt(bytes, mentioning: "does not start where the workbook says")
    }

    @Test func aCompoundFileWithoutAWorkbookIsNotAnXLS() throws {
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        bytes[entry + 2] = UInt8(ascii: "x") // "Wxrkbook"
        guard case .unsupportedFormat(_, let what)? = failure(bytes) else {
            Issue.record("expected .unsupportedFormat")
            return
        }
        #expect(what.contains("no Excel workbook"))
    }

    @Test func encryptedWorkbooksArePasswordProtected() throws {
        var files = Corpus.sheets(in: "xls").filter { $0.expected.hasSuffix("expected-error.txt") }.map(\.file)
        files += Corpus.sheets(in: "xlsx").filter { $0.file.contains("pass_protected") }.map(\.file)
        for file in files {
            let path = Corpus.path(file)
            #expect(throws: TabularError.passwordProtected(path: path)) { _ = try XLSWorkbook(path: path) }
            #expect(throws: TabularError.passwordProtected(path: path)) { _ = try TableOpener.open(path: path) }
        }
    }

    @Test func aFILEPASSRecordMeansPasswordProtected() throws {
        // Turn the WRITEACCESS-or-later record after BOF into a FILEPASS (type 0x002F).
        var bytes = original
        let layout = XLSTestSupport.Layout(bytes)
        let entry = try #require(layout.entryOffset("Workbook"))
        let records = XLSTestSupport.records(layout.streamBytes(entry: entry))
        let chain = layout.chain(ofEntryAt: entry)
        XLSTestSupport.Layout.put16(&bytes, layout.fileOffset(records[1].offset, chain: chain), 0x002F)
        guard case .passwordProtected? = failure(bytes) else {
            Issue.record("expected .passwordProtected")
            return
        }
    }
}
