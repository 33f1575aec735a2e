import Foundation
import Testing
@testable import Tabular

/// Seeded random damage to real workbooks: every mutant ends in rows or a
/// `TabularError`, never a crash or a hang.
@Suite struct XLSFuzzTests {
    static let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case 1:
            // The header and the first sectors (tables, directory).
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<min(1024, bytes.count), using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        default:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng)
                    : interesting[Int.random(in: 0..<interesting.count, using: &rng)]
            }
        }
        return bytes
    }

    /// `XLS_FUZZ_SCALE=50` runs fifty times as many mutants (for a longer hunt by hand).
    static let scale = Int(ProcessInfo.processInfo.environment["XLS_FUZZ_SCALE"] ?? "") ?? 1

    @Test(.timeLimit(.minutes(3)), arguments: [
        ("xlwt_types.xls", 2000), ("xlwt_sheets.xls", 500), ("xlwt_1904.xls", 500), ("xlwt_long_strings.xls", 100),
    ])
    func mutantsEndInRowsOrAnError(fixture: String, count: Int) {
        run(XLSTestSupport.fixture(fixture), count: count * Self.scale)
    }

    /// BIFF5 and other writers' files from the shared corpus.
    @Test(.timeLimit(.minutes(3)), arguments: [
        "xls/sheetjs__biff5_numfmt_1_russian.xls", "xls/calamine__biff5_write.xls", "xls/libxls__types.xls",
        "xls/calamine__sst_continue.xls", "xls/sheetjs__ErrorTypes.xls",
    ])
    func corpusMutantsEndInRowsOrAnError(file: String) {
        guard Corpus.root != nil else { return }
        run(Corpus.path(file), count: 300 * Self.scale)
    }

    func run(_ source: String, count: Int) {
        let original = XLSTestSupport.bytes(source)
        #expect(!original.isEmpty)
        let fixture = source
        // Seeded, so a failure replays.
        var rng = SplitMix64(seed: 0xC0FFEE ^ UInt64(fixture.utf8.count))
        let path = XLSTestSupport.temporaryFile([], name: "mutant.xls")
        defer { XLSTestSupport.remove(path) }
        var read = 0
        var failed = 0
        for _ in 0..<count {
            let mutant = Self.mutate(original, &rng)
            XLSTestSupport.overwrite(path, with: mutant)
            switch XLSTestSupport.readAll(path) {
            case .success: read += 1
            case .failure(let error):
                failed += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(read + failed == count)
        #expect(read > 0 && failed > 0, "read \(read), refused \(failed)")
    }
}
