import Foundation
@testable import Tabular

/// The XLSX fixtures (made by Fixtures/xlsx/make_fixtures.py with xlsxwriter and zipfile)
/// and helpers to render or damage them.
enum XLSXFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/xlsx").path

    static func path(_ name: String) -> String { folder + "/" + name }

    /// The rendered grid of a sheet (as `contacts cat` prints it), as text.
    static func render(_ path: String, sheet: Int = 0) throws -> String {
        let table = try TableOpener.open(path: path)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        do {
            let writer = try CSVWriter(path: tmp)
            try GridPrinter().print(table, sheet: sheet, to: writer)
            try writer.sync()
        }
        return String(decoding: FileManager.default.contents(atPath: tmp) ?? Data(), as: UTF8.self)
    }

    /// Every row of a sheet.
    static func rows(_ path: String, sheet: Int = 0) throws(TabularError) -> [Row] {
        let source = try XLSXWorkbook(path: path).rows(sheet: sheet)
        var rows: [Row] = []
        while let row = try source.next() { rows.append(row) }
        return rows
    }

    /// Writes `bytes` to a temporary file, runs `body` on its path, then removes it.
    @discardableResult
    static func withTemporary<T>(_ bytes: [UInt8], _ body: (String) throws -> T) rethrows -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).xlsx").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func bytes(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data())
    }

    /// Offset of the central-directory record of `entry` in a ZIP file's bytes.
    static func centralRecord(of entry: String, in bytes: [UInt8]) -> Int? {
        let name = Array(entry.utf8)
        var i = 0
        while i + 46 + name.count <= bytes.count {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 1, bytes[i + 3] == 2 {
                let n = Int(bytes[i + 28]) | Int(bytes[i + 29]) << 8
                if n == name.count, Array(bytes[(i + 46)..<(i + 46 + n)]) == name { return i }
            }
            i += 1
        }
        return nil
    }
}
