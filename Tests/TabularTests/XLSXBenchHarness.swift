import Foundation
import Testing
import Tabular

/// A timing harness until `contacts cat` exists: with `XLSX_CAT_FILE` set, prints that
/// workbook's default sheet as `contacts cat` would, to `XLSX_CAT_OUT` (default /dev/null),
/// and reports rows and seconds on stderr. Does nothing otherwise. `XLSX_THREADS=0` parses on
/// the calling thread (inflate still runs ahead on a helper thread).
/// `swift build -c release -Xswiftc -enable-testing --build-tests`, then run the test binary
/// under `/usr/bin/time` with `--filter catHarness`.
@Suite struct XLSXBenchHarness {
    @Test func catHarness() throws {
        let env = ProcessInfo.processInfo.environment
        guard let file = env["XLSX_CAT_FILE"] else { return }
        let start = Date()
        let table = try TableOpener.open(path: file)
        if env["XLSX_THREADS"] == "0", let book = table as? XLSXWorkbook {
            book.backgroundThreshold = .max
        }
        let sheet = try TableOpener.chooseSheet(table, path: file, selector: nil)
        let writer = try CSVWriter(path: env["XLSX_CAT_OUT"] ?? "/dev/null")
        var count = 0
        if env["XLSX_CAT_RAW"] != nil {
            // Reader only: every cell turned into a Cell, nothing rendered or written.
            let rows = try table.rows(sheet: sheet)
            while let row = try rows.next() { count += row.cells.count }
        } else {
            var printer = GridPrinter()
            // XLSX_CAT_NOSPILL: hold every row in memory, to measure what the spool file costs.
            if env["XLSX_CAT_NOSPILL"] != nil { printer.memoryLimit = .max }
            count = try printer.print(table, sheet: sheet, to: writer)
        }
        try writer.flush()
        FileHandle.standardError.write("catHarness: \(count) in \(Date().timeIntervalSince(start)) s\n".data(using: .utf8)!)
    }
}
