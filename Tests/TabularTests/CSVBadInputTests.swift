import Foundation
import Testing
@testable import Tabular

/// Files that are not what they claim, or push the limits: each ends in rows or a clear error.
@Suite struct CSVBadInputTests {
    typealias S = CSVTestSupport

    @Test func emptyFileHasNoRows() throws {
        let path = S.file([UInt8]())
        defer { S.remove(path) }
        let table = try TableOpener.open(path: path)
        #expect(table is CSVTable)
        #expect(try table.rows(sheet: 0).next() == nil)
        #expect(try S.read([0xEF, 0xBB, 0xBF]).rows.isEmpty, "a BOM alone is an empty file")
        #expect(try S.read([0xFF, 0xFE]).rows.isEmpty)
    }

    @Test func headerOnly() throws {
        let r = try S.read("email,first_name,last_name")
        #expect(r.fields == [["email", "first_name", "last_name"]])
        #expect(r.warnings.isEmpty)
    }

    @Test func binaryGarbageIsRefusedAsNotText() {
        var rng = SplitMix64(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = S.file(bytes)
        defer { S.remove(path) }
        let error = S.error { try TableOpener.open(path: path) }
        guard case .unsupportedFormat(_, let what)? = error else {
            Issue.record("expected .unsupportedFormat, got \(String(describing: error))")
            return
        }
        #expect(what.contains("binary"))
    }

    @Test func nulByteInATextFileNamesTheLine() {
        for text in ["a,b\nc,d\ne\0f,g\n", "a,b\nc,d\n\"e\0f\",g\n"] {
            let error = S.error { try S.read(text) }
            guard case .malformed(let location, let detail)? = error else {
                Issue.record("expected .malformed, got \(String(describing: error))")
                continue
            }
            #expect(location.row == 3)
            #expect(detail.contains("NUL byte"))
            #expect(detail.contains("probably not a text file"))
        }
    }

    @Test func tenMegabyteFieldIsReadAndALimitRefusesIt() throws {
        let big = String(repeating: "x", count: 10_000_000)
        let text = "id,notes\n1,\"\(big)\"\n2,short\n"
        let r = try S.read(text)
        #expect(r.rows.count == 3)
        #expect(r.fields[1][1].utf8.count == 10_000_000)
        #expect(r.fields[2] == ["2", "short"])

        let error = S.error { try S.read(text, options: CSVOptions(maxFieldBytes: 1 << 20)) }
        guard case .limitExceeded(let location, let detail)? = error else {
            Issue.record("expected .limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(location.row == 2)
        #expect(location.column == 1)
        #expect(detail.contains("longer than 1 MiB"))
    }

    @Test func twoThousandColumns() throws {
        let header = (1...2000).map { "col\($0)" }.joined(separator: ",")
        let values = (1...2000).map { "v\($0)" }.joined(separator: ",")
        let r = try S.read("\(header)\n\(values)\n")
        #expect(r.rows.count == 2)
        #expect(r.rows[1].cells.count == 2000)
        #expect(r.rows[1].cells.last == .text("v2000"))

        let error = S.error { try S.read("\(header)\n", options: CSVOptions(maxFields: 1000)) }
        guard case .limitExceeded(let location, let detail)? = error else {
            Issue.record("expected .limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(location.row == 1)
        #expect(detail.contains("more than 1000 fields"))
    }

    @Test func runawayQuoteHitsTheFieldLimitAndSaysWhereItOpened() {
        let text = "a,b\n1,\"oops\n" + String(repeating: "2,3\n", count: 10_000)
        let error = S.error { try S.read(text, options: CSVOptions(maxFieldBytes: 1000), chunkSize: 256) }
        guard case .limitExceeded(let location, let detail)? = error else {
            Issue.record("expected .limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(location.row == 2)
        #expect(detail.contains("quote opened on line 2"))
        // Without the limit, the end of the file ends it.
        guard case .malformed(let l2, let d2)? = S.error({ try S.read(text) }) else {
            Issue.record("expected .malformed")
            return
        }
        #expect(l2.row == 2)
        #expect(d2.contains("unterminated quote opened on line 2"))
    }

    @Test func xlsxRenamedToCSVIsNotReadAsCSV() {
        let path = S.fixture("xlsx_renamed.csv")
        do {
            let table = try TableOpener.open(path: path)
            #expect(!(table is CSVTable))
            #expect(table.format == .xlsx)
        } catch {
            // The XLSX reader may not be built yet; it must not be a CSV error.
            if case .unsupportedFormat(_, let what) = error {
                #expect(!what.contains("binary"), "\(error)")
            }
        }
        // Handed to the CSV reader directly, it is refused rather than read as garbage rows.
        guard case .unsupportedFormat? = S.error({ try CSVTable(path: path) }) else {
            Issue.record("CSVTable must refuse a ZIP file")
            return
        }
    }

    @Test func utf32IsRefusedClearly() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0, 0, 0x61, 0, 0, 0, 0x0A, 0, 0, 0]
        guard case .unsupportedFormat(_, let what)? = S.error({ try S.read(bytes) }) else {
            Issue.record("expected .unsupportedFormat")
            return
        }
        #expect(what.contains("UTF-32"))
    }

    @Test func aFolderIsNotAFile() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csv-dir-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .cannotOpen? = S.error({ try CSVTable(path: dir) }) else {
            Issue.record("expected .cannotOpen")
            return
        }
    }

    @Test func forcedDelimiterMustBeUsable() {
        guard case .malformed? = S.error({ try S.read("a,b\n", options: CSVOptions(delimiter: 0x22)) }) else {
            Issue.record("a quote cannot be the delimiter")
            return
        }
    }
}

/// A small deterministic random number generator for tests (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
