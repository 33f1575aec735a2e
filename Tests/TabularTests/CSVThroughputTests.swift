import Foundation
import Testing
@testable import Tabular

/// Reader throughput, for manual runs only (no timed tests in the suite): set
/// `CSV_BENCH_FILE` to a large CSV and run in release, for example
/// `CSV_BENCH_FILE=/tmp/big.csv swift test -c release --filter CSVThroughput`.
@Suite struct CSVThroughputTests {
    static let file = ProcessInfo.processInfo.environment["CSV_BENCH_FILE"] ?? ""

    @Test(.enabled(if: !file.isEmpty, "set CSV_BENCH_FILE to measure"))
    func readsAFileAndReportsMegabytesPerSecond() throws {
        let size = Double((try FileManager.default.attributesOfItem(atPath: Self.file)[.size] as? NSNumber)?.intValue ?? 0)
        let clock = ContinuousClock()
        var rows = 0, cells = 0, bytes = 0
        let scan = try clock.measure {
            let source = try CSVTable(path: Self.file).rows(sheet: 0)
            while let row = try source.next() {
                rows += 1
                cells += row.cells.count
                if case .text(let s)? = row.cells.first { bytes &+= s.utf8.count }
            }
        }
        let printed = try clock.measure {
            let writer = try CSVWriter(path: "/dev/null")
            try GridPrinter().print(try CSVTable(path: Self.file), sheet: 0, to: writer)
        }
        func report(_ what: String, _ d: Duration) {
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            print(String(format: "%@: %.2f s, %.0f MB/s, %.0f rows/s", what, s, size / s / 1e6, Double(rows) / s))
        }
        report("rows", scan)
        report("rows → GridPrinter → /dev/null", printed)
        print("\(rows) rows, \(cells) cells, \(Int(size)) bytes")
        #expect(rows > 0)
    }
}
