import Foundation

/// Runs the real `contacts` binary in a temporary working folder, removed when the harness goes.
final class CLIHarness {
    /// The temporary folder every command runs in.
    let root: URL

    /// What a command did.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("contacts-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// The built `contacts` binary, beside the test bundle.
    static var binary: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("contacts")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return here.appendingPathComponent(".build/debug/contacts")
    }

    /// The project's own samples folder.
    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples")
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func write(_ relative: String, _ text: String, age: TimeInterval = 120) throws {
        try write(relative, Data(text.utf8), age: age)
    }

    func write(_ relative: String, _ data: Data, age: TimeInterval = 120) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func files(under relative: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: path(relative)) else { return [] }
        return e.compactMap { $0 as? String }.filter { !$0.hasSuffix("/") }.sorted()
    }

    /// Copies the project's sample inbox into the working folder's inbox, aged so it counts as complete.
    func seedSamples() throws {
        let source = Self.samples.appendingPathComponent("inbox")
        let e = FileManager.default.enumerator(atPath: source.path)!
        for case let rel as String in e {
            var isDir: ObjCBool = false
            let full = source.appendingPathComponent(rel).path
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
            if !isDir.boolValue { try write("var/inbox/" + rel, try Data(contentsOf: URL(fileURLWithPath: full))) }
        }
    }

    /// The newest export file of a profile, as text.
    func latestExport(profile: String = "contacts") throws -> String {
        let folder = "var/outbox/\(profile)/"
        let names = files(under: folder).filter { $0.hasSuffix(".csv") }.sorted { a, b in
            let ta = (try? FileManager.default.attributesOfItem(atPath: path(folder + a))[.modificationDate] as? Date) ?? .distantPast
            let tb = (try? FileManager.default.attributesOfItem(atPath: path(folder + b))[.modificationDate] as? Date) ?? .distantPast
            return ta < tb || (ta == tb && a.count < b.count)
        }
        guard let last = names.last else { return "" }
        return try read("var/outbox/\(profile)/\(last)")
    }
}
