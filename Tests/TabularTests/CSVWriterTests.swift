import Foundation
import Testing
@testable import Tabular

/// CSVWriter writes what Python's csv.writer writes, byte for byte.
@Suite struct CSVWriterTests {
    typealias S = CSVTestSupport

    static func rows() throws -> [[String]] {
        let data = try #require(FileManager.default.contents(atPath: S.fixture("writer_rows.json")))
        return try JSONDecoder().decode([[String]].self, from: data)
    }

    @Test func matchesPythonCSVWriter() throws {
        let expected = try #require(FileManager.default.contents(atPath: S.fixture("writer_expected.csv")))
        let path = S.file([UInt8]())
        defer { S.remove(path) }
        let writer = try CSVWriter(path: path)
        for row in try Self.rows() { try writer.writeRow(row) }
        try writer.sync()
        #expect(FileManager.default.contents(atPath: path) == expected)
    }

    @Test func bareCarriageReturnIsQuoted() throws {
        // Python 3.11 leaves a field with a lone CR unquoted; a reader (ours included) would
        // then end the record there, so CSVWriter quotes it.
        let path = S.file([UInt8]())
        defer { S.remove(path) }
        do {
            let writer = try CSVWriter(path: path)
            try writer.writeRow(["cr\rreturn", "x"])
            try writer.flush()
        }
        #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == Array("\"cr\rreturn\",x\n".utf8))
        #expect(try S.read(path: path).fields == [["cr\rreturn", "x"]])
    }

    @Test func crlfTerminatorBOMAndHugeRecordsAcrossFlushes() throws {
        let path = S.file([UInt8]())
        defer { S.remove(path) }
        let big = String(repeating: "é\"", count: 700_000)  // 2.1 MB of UTF-8, more when quoted
        do {
            let writer = try CSVWriter(path: path)
            writer.lineTerminator = [0x0D, 0x0A]
            try writer.writeRaw([0xEF, 0xBB, 0xBF])
            for i in 0..<50_000 { try writer.write(["r\(i)", "v,\(i)"]) }
            try writer.writeRow([big, ""])
            try writer.writeRow([""])
            try writer.sync()
        }
        // Read back with our reader: the same fields come out.
        let r = try S.read(path: path)
        #expect(r.rows.count == 50_002)
        #expect(r.fields[49_999] == ["r49999", "v,49999"])
        #expect(r.fields[50_000] == [big, ""])
        #expect(r.fields[50_001] == [""])
    }

    /// A file that cannot be written says so, with the system's reason, not as a file that
    /// cannot be read.
    @Test func failuresToWriteNameTheOutputAndTheReason() throws {
        #expect {
            _ = try CSVWriter(path: "/nonexistent-folder/x.csv")
        } throws: { error in
            guard case let TabularError.cannotWrite(path, reason) = error else { return false }
            return path == "/nonexistent-folder/x.csv" && reason == "No such file or directory"
                && "\(error)".contains("cannot be written") && !"\(error)".contains("readable")
        }
        let descriptor = open("/dev/full", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let writer = CSVWriter(fileDescriptor: descriptor)
        try writer.write(["a", "b"])
        #expect(throws: TabularError.cannotWrite(path: "file descriptor \(descriptor)", reason: "No space left on device")) {
            try writer.flush()
        }
    }

    @Test func systemReasonsAreThePOSIXOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reason-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(FileManager.default.createFile(atPath: folder, contents: Data()))
        var reason = ""
        do { try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true) } catch {
            reason = SystemReason.of(error)
        }
        #expect(reason == "Not a directory")
        #expect(SystemReason.of(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == "No space left on device")
    }
}
