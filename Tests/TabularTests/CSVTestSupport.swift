import Foundation
import Testing
@testable import Tabular

/// Helpers for the CSV reader's tests: temporary files from literal bytes, fixtures, and
/// reading a whole file into fields.
enum CSVTestSupport {
    /// Fixtures written by `Fixtures/csv/make_fixtures.py`.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/csv/\(name)").path
    }

    /// Writes `bytes` to a new temporary file and returns its path.
    static func file(_ bytes: [UInt8], name: String = "test.csv") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csv-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        overwrite(path, bytes)
        return path
    }

    /// Replaces the content of the file at `path` (plain write, no temporary copy, no sync).
    static func overwrite(_ path: String, _ bytes: [UInt8]) {
        guard let f = fopen(path, "wb") else {
            Issue.record("cannot write \(path)")
            return
        }
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) } }
        fclose(f)
    }

    static func file(_ text: String, name: String = "test.csv") -> String { file(Array(text.utf8), name: name) }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// What reading a file gave.
    struct Result {
        var table: CSVTable
        var rows: [Row]
        var warnings: [TabularWarning]
        var fields: [[String]] { rows.map { $0.cells.map(\.rendered) } }
    }

    /// Reads every row of the CSV file at `path`.
    static func read(path: String, options: CSVOptions = CSVOptions(), chunkSize: Int = 1 << 20) throws(TabularError) -> Result {
        let table = try CSVTable(path: path, options: options, chunkSize: chunkSize)
        let source = try table.rows(sheet: 0)
        var rows: [Row] = []
        while let row = try source.next() { rows.append(row) }
        return Result(table: table, rows: rows, warnings: source.warnings)
    }

    /// Reads `bytes` as a CSV file.
    static func read(_ bytes: [UInt8], options: CSVOptions = CSVOptions(), chunkSize: Int = 1 << 20) throws(TabularError) -> Result {
        let path = file(bytes)
        defer { remove(path) }
        return try read(path: path, options: options, chunkSize: chunkSize)
    }

    static func read(_ text: String, options: CSVOptions = CSVOptions(), chunkSize: Int = 1 << 20) throws(TabularError) -> Result {
        try read(Array(text.utf8), options: options, chunkSize: chunkSize)
    }

    /// Runs `body` and returns the TabularError it threw, or nil (any other error is an issue).
    static func error<T>(_ body: () throws -> T) -> TabularError? {
        do {
            _ = try body()
            return nil
        } catch let error as TabularError {
            return error
        } catch {
            Issue.record("expected a TabularError, got \(error)")
            return nil
        }
    }
}
