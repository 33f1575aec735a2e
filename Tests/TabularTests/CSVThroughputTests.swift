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
        // CPU time of this thread too: on a shared machine the wall clock also counts others' work.
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let cpu0 = cpu()
        let scan = try clock.measure {
            let source = try CSVTable(path: Self.file).rows(sheet: 0)
            while let row = try source.next() {
                rows += 1
                cells += row.cells.count
                if case .text(let s)? = row.cells.first { bytes &+= s.utf8.count }
            }
        }
        let cpu1 = cpu()
        let printed = try clock.measure {
            let writer = try CSVWriter(path: "/dev/null")
            try GridPrinter().print(try CSVTable(path: Self.file), sheet: 0, to: writer)
        }
        let cpu2 = cpu()
        func report(_ what: String, _ d: Duration, cpu: Double) {
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            print(String(format: "%@: wall %.2f s = %.0f MB/s, %.0f rows/s; CPU %.2f s = %.0f MB/s, %.0f rows/s",
                         what, s, size / s / 1e6, Double(rows) / s, cpu, size / cpu / 1e6, Double(rows) / cpu))
        }
        report("rows", scan, cpu: cpu1 - cpu0)
        report("rows → GridPrinter → /dev/null", printed, cpu: cpu2 - cpu1)
        print("\(rows) rows, \(cells) cells, \(Int(size)) bytes")
        #expect(rows > 0)
    }
}
