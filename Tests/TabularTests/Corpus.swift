import Foundation
import Tabular

/// The shared reader corpus (`../shared/corpus`, or `$CONTACTS_CORPUS`): real files
/// from other writers, each with its expected grid. Absent on a bare clone, in which
/// case corpus tests are skipped with a visible message.
enum Corpus {
    /// One sheet listed in manifest.tsv.
    struct Sheet: Sendable, CustomStringConvertible {
        var file: String
        var encoding: String
        var delimiter: String
        var sheetIndex: Int?
        var sheetName: String
        var expected: String

        var description: String { sheetName.isEmpty ? file : "\(file) [\(sheetName)]" }
    }

    /// The corpus folder, or nil when it is not there.
    static let root: String? = {
        let env = ProcessInfo.processInfo.environment["CONTACTS_CORPUS"]
        var candidates: [String] = []
        if let env, !env.isEmpty { candidates.append(env) }
        // Tests/TabularTests/Corpus.swift → project root → ../shared/corpus
        let here = URL(fileURLWithPath: #filePath)
        let projectRoot = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(projectRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus").path)
        candidates.append(FileManager.default.currentDirectoryPath + "/../shared/corpus")
        for c in candidates where FileManager.default.fileExists(atPath: c + "/manifest.tsv") { return c }
        return nil
    }()

    /// Every sheet in the manifest whose file is under `folder` (`csv`, `xlsx`, `xls`).
    static func sheets(in folder: String) -> [Sheet] {
        guard let root, let text = try? String(contentsOfFile: root + "/manifest.tsv", encoding: .utf8) else {
            print("◇ corpus not found at ../shared/corpus (set CONTACTS_CORPUS): skipping \(folder) corpus tests")
            return []
        }
        var result: [Sheet] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 12, cols[0].hasPrefix(folder + "/") else { continue }
            result.append(Sheet(file: cols[0], encoding: cols[5], delimiter: cols[6],
                                sheetIndex: Int(cols[7]), sheetName: cols[8], expected: cols[11]))
        }
        return result
    }

    /// Absolute path of a corpus file.
    static func path(_ relative: String) -> String { (root ?? "") + "/" + relative }

    /// Expected bytes for a sheet, or nil when the expectation is an error file.
    static func expectedBytes(_ sheet: Sheet) -> [UInt8]? {
        guard !sheet.expected.hasSuffix("expected-error.txt") else { return nil }
        return FileManager.default.contents(atPath: path(sheet.expected)).map { [UInt8]($0) }
    }

    /// Renders a sheet exactly as `contacts cat` would, into bytes.
    static func render(file: String, sheet: Int?) throws -> [UInt8] {
        let table = try TableOpener.open(path: path(file))
        let index = try sheet ?? TableOpener.chooseSheet(table, path: file, selector: nil)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cat-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        do {
            let writer = try CSVWriter(path: tmp)
            try GridPrinter().print(table, sheet: index, to: writer)
            try writer.sync()
        }
        return [UInt8](FileManager.default.contents(atPath: tmp) ?? Data())
    }
}
