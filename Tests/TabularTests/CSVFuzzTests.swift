import Testing
@testable import Tabular

/// Random byte strings (seeded, so every run is the same) each end in rows or a
/// TabularError: no crash, no hang, and the same outcome whatever the chunk size.
@Suite struct CSVFuzzTests {
    typealias S = CSVTestSupport

    /// Bytes that matter to a CSV scanner, drawn more often than others.
    static let alphabet: [[UInt8]] = [
        [0x2C], [0x3B], [0x09], [0x7C], [0x22], [0x22, 0x22], [0x0D], [0x0A], [0x0D, 0x0A],
        [0x61], [0x62], [0x20], [0xC3, 0xA9], [0xE9], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x00],
    ]

    enum Outcome: Equatable {
        case rows([[String]], lines: [Int], warnings: [TabularWarning])
        case failed(TabularError)
    }

    static func outcome(_ path: String, chunkSize: Int) -> Outcome {
        do throws(TabularError) {
            let table = try CSVTable(path: path, options: CSVOptions(), chunkSize: chunkSize)
            let source = try table.rows(sheet: 0)
            var rows: [[String]] = []
            var lines: [Int] = []
            var number = 0
            while let row = try source.next() {
                number += 1
                #expect(row.number == number)
                #expect(row.line >= (lines.last ?? 1))
                rows.append(row.cells.map(\.rendered))
                lines.append(row.line)
                if rows.count > 10_000 {
                    Issue.record("more rows than bytes: the reader is not moving forward")
                    break
                }
            }
            return .rows(rows, lines: lines, warnings: source.warnings)
        } catch {
            return .failed(error)
        }
    }

    @Test func randomInputsEndInRowsOrAnError() {
        var rng = SplitMix64(seed: 20_241_129)
        var rowsSeen = 0, errorsSeen = 0
        let path = S.file([UInt8]())
        defer { S.remove(path) }
        for i in 0..<3000 {
            var bytes: [UInt8] = []
            let length = Int(rng.next() % 200)
            while bytes.count < length {
                if rng.next() % 8 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: rng.next()))
                } else {
                    bytes += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]
                }
            }
            S.overwrite(path, bytes)
            let whole = Self.outcome(path, chunkSize: 1 << 20)
            let chunk = 1 + Int(rng.next() % 16)
            let small = Self.outcome(path, chunkSize: chunk)
            #expect(whole == small, "input \(i) (\(bytes)) read with chunks of \(chunk)")
            if case .rows = whole { rowsSeen += 1 } else { errorsSeen += 1 }
        }
        // Both outcomes actually happen, so the test exercises both paths.
        #expect(rowsSeen > 100)
        #expect(errorsSeen > 100)
    }
}
