import Foundation
import Testing
@testable import Tabular

/// Broken and hostile workbooks end in a clear error naming file, sheet and cell; never a crash.
@Suite struct XLSXDamageTests {
    /// Reads every row of the default sheet of a damaged copy, returning the error it ends in.
    func failure(_ bytes: [UInt8]) -> TabularError? {
        XLSXFixtures.withTemporary(bytes) { failure($0) }
    }

    /// Reads every row of the default sheet, returning the error it ends in.
    func failure(_ path: String) -> TabularError? {
        do {
            let table = try TableOpener.open(path: path)
            let rows = try table.rows(sheet: table.defaultSheetIndex ?? 0)
            while try rows.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedArchiveIsCorrupt() throws {
        let bytes = XLSXFixtures.bytes("basic.xlsx")
        for cut in [bytes.count / 2, bytes.count - 10, 30] {
            let (error, path) = XLSXFixtures.withTemporary(Array(bytes.prefix(cut))) { (failure($0), $0) }
            guard case .corrupt(let location, let detail)? = error else {
                Issue.record("cut at \(cut): expected corrupt, got \(String(describing: error))")
                continue
            }
            #expect(location.path == path)
            #expect(detail.contains("truncated") || detail.contains("damaged"))
        }
    }

    @Test func badCRCIsCorrupt() throws {
        var bytes = XLSXFixtures.bytes("basic.xlsx")
        let record = try #require(XLSXFixtures.centralRecord(of: "xl/worksheets/sheet1.xml", in: bytes))
        bytes[record + 16] ^= 0xFF
        let error = try #require(failure(bytes))
        guard case .corrupt(let location, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(location.sheet == "Data")
        #expect(detail.contains("CRC-32"))
        #expect(error.description.contains("damaged"))
    }

    @Test func damagedDeflateDataIsCorrupt() throws {
        var bytes = XLSXFixtures.bytes("basic.xlsx")
        let record = try #require(XLSXFixtures.centralRecord(of: "xl/worksheets/sheet1.xml", in: bytes))
        let offset = Int(bytes[record + 42]) | Int(bytes[record + 43]) << 8 | Int(bytes[record + 44]) << 16
        let size = Int(bytes[record + 20]) | Int(bytes[record + 21]) << 8 | Int(bytes[record + 22]) << 16
        for i in stride(from: offset + 60, to: offset + 30 + size, by: 7) { bytes[i] ^= 0x5A }
        let error = try #require(failure(bytes))
        guard case .corrupt = error else { Issue.record("got \(error)"); return }
    }

    @Test func everyTruncationEndsInAnError() throws {
        // A sweep of cut points through the whole file: each must be an error, never a crash or hang.
        // (Cut shorter than the ZIP signature PK\u{3}\u{4}, the file is no longer sniffed as a
        // workbook: it opens as a tiny CSV, which is right.)
        let bytes = XLSXFixtures.bytes("basic.xlsx")
        for cut in stride(from: 4, to: bytes.count, by: 97) {
            #expect(failure(Array(bytes.prefix(cut))) != nil, "cut at \(cut) of \(bytes.count)")
        }
    }

    @Test func randomByteDamageNeverCrashes() throws {
        // Deterministic pseudo-random corruption of stored parts (so the XML itself is hit)
        // and of deflated ones: each read must end in rows or a TabularError.
        for name in ["stored-descriptors.xlsx", "basic.xlsx"] {
            let original = XLSXFixtures.bytes(name)
            var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<3 {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let at = Int(seed >> 33) % bytes.count
                    bytes[at] = UInt8(truncatingIfNeeded: seed >> 17)
                }
                _ = failure(bytes)
            }
        }
    }

    @Test func malformedSheetXMLNamesTheSheetAndRow() throws {
        let error = try #require(failure(XLSXFixtures.path("malformed-sheet.xlsx")))
        guard case .malformed(let location, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(location.sheet == "Data")
        #expect(location.row == 2)
        #expect(detail.contains("not well-formed"))
    }

    @Test func sharedStringIndexOutOfRangeNamesTheCell() throws {
        let error = try #require(failure(XLSXFixtures.path("bad-shared-index.xlsx")))
        guard case .malformed(let location, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(location.sheet == "Data")
        #expect(location.row == 3)
        #expect(location.column == 1)
        #expect(detail.contains("#999"))
        #expect(error.description.contains("sheet \"Data\", cell B3"))
    }

    @Test func doctypeIsRefused() throws {
        let error = try #require(failure(XLSXFixtures.path("doctype.xlsx")))
        guard case .malformed(_, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(detail.contains("DOCTYPE"))
    }

    @Test func zipBombIsRefused() throws {
        let error = try #require(failure(XLSXFixtures.path("bomb.xlsx")))
        guard case .limitExceeded(let location, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(location.sheet == "Data")
        #expect(detail.contains("zip bomb"))
    }

    @Test func inflateLimitsApplyWhileStreaming() throws {
        let archive = try ZIPArchive(path: XLSXFixtures.path("bomb.xlsx"), limits: {
            var l = ZIPLimits()
            l.maxRatio = 100_000
            l.maxTotalInflated = 4 << 20
            return l
        }())
        let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
        let stream = try archive.stream(entry)
        #expect(throws: TabularError.self) { while try stream.next() != nil {} }
        var tight = ZIPLimits()
        tight.maxRatio = 50
        tight.ratioGrace = 1 << 20
        let archive2 = try ZIPArchive(path: XLSXFixtures.path("bomb.xlsx"), limits: tight)
        #expect(throws: TabularError.self) { _ = try archive2.stream(entry) }
    }

    @Test func duplicateEntryNamesAreRefused() throws {
        let error = try #require(failure(XLSXFixtures.path("duplicate.xlsx")))
        guard case .corrupt(_, let detail) = error else { Issue.record("got \(error)"); return }
        #expect(detail.contains("two entries"))
    }

    @Test func notAWorkbookZipIsUnsupported() throws {
        let error = try #require(failure(XLSXFixtures.path("not-a-workbook.zip")))
        guard case .unsupportedFormat(_, let what) = error else { Issue.record("got \(error)"); return }
        #expect(what.contains("not an Excel workbook"))
    }

    @Test func partNamesMatchCaseInsensitively() throws {
        let archive = try ZIPArchive(path: XLSXFixtures.path("basic.xlsx"))
        #expect(archive.entry(named: "XL/WORKBOOK.XML")?.name == "xl/workbook.xml")
        #expect(archive.entry(named: "/xl/workbook.xml") != nil)
    }
}
