import Foundation
import Testing
@testable import Pipeline

@Suite struct ExportBufferTests {
    /// The plain per-byte rules the fast paths must match.
    static func naiveField(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let quote = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        let text = String(decoding: bytes, as: UTF8.self)
        let guarded = FormulaGuard.mayNeedGuard(bytes[0])
            && !(bytes[0] == 0x2B || bytes[0] == 0x2D ? FormulaGuard.isPlainNumber(text.utf8) : false)
        var out: [UInt8] = []
        if quote { out.append(0x22) }
        if guarded { out.append(0x27) }
        for b in bytes {
            out.append(b)
            if quote && b == 0x22 { out.append(0x22) }
        }
        if quote { out.append(0x22) }
        return out
    }

    static func randomField(_ rng: inout some RandomNumberGenerator) -> [UInt8] {
        let alphabet: [UInt8] = Array("abcXYZ019 .eE+-=@\t\r\n,\"'é".utf8)
        let length = Int.random(in: 0...40, using: &rng)
        return (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
    }

    @Test func needsQuoteMatchesPerByteScan() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let bytes = Self.randomField(&rng)
            let expected = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            let got = bytes.withUnsafeBufferPointer { ExportBuffer.needsQuote($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            #expect(got == expected, "\(bytes)")
        }
        // Every position of a 17-byte field, each special byte.
        for special: UInt8 in [0x2C, 0x22, 0x0A, 0x0D] {
            for position in 0..<17 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 17)
                bytes[position] = special
                #expect(bytes.withUnsafeBufferPointer { ExportBuffer.needsQuote($0.baseAddress!, $0.count) })
            }
        }
        let clean = [UInt8](repeating: 0xAC, count: 33) + [0x2B, 0x2D, 0x21, 0x23, 0x0B, 0x0C]
        #expect(!clean.withUnsafeBufferPointer { ExportBuffer.needsQuote($0.baseAddress!, $0.count) })
    }

    @Test(arguments: ["+61412345678", "-12.5", "+3.25e4", "-", "+", "-2+3", "+.5", "+5.", "-1e", "-1e+5", "-1e5-",
                      "+1.2.3", "-e5", "-1E-7", "+1e5e3", "+12a", "--1", "+٣"])
    func plainNumberMatchesFormulaGuard(_ text: String) {
        let bytes = Array(text.utf8)
        let got = bytes.withUnsafeBufferPointer { ExportBuffer.isPlainNumber($0.baseAddress!, $0.count) }
        #expect(got == FormulaGuard.isPlainNumber(text.utf8))
    }

    @Test func writesSameBytesAndHashAcrossBuffers() throws {
        let path = NSTemporaryDirectory() + "export-buffer-\(UUID().uuidString).csv"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        var rng = SystemRandomNumberGenerator()
        var expected: [UInt8] = []
        let writer = ExportWriter(fd: fd, path: path)
        let out = try ExportBuffer(writer: writer, lane: 0)
        // Enough records to fill several 1 MiB buffers, plus one field larger than a buffer.
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: ExportWriter.bufferSize + 12_345) + [0x2C]
        var record = 0
        while expected.count < 5 * ExportWriter.bufferSize {
            for column in 0..<7 {
                if column > 0 { try out.byte(0x2C); expected.append(0x2C) }
                let field = record == 40_000 && column == 3 ? big : Self.randomField(&rng)
                try field.withUnsafeBytes { try out.field(Optional($0)) }
                expected += Self.naiveField(field)
            }
            try out.endRecord()
            expected += [0x0D, 0x0A]
            record += 1
        }
        try out.endChunk(last: true)
        let sha = try writer.finish()
        close(fd)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == Data(expected))
        var hasher = SHA256()
        hasher.update(expected)
        #expect(sha == hasher.finalizeHex())
    }

    @Test func writeFailureSurfacesAsAnError() throws {
        let fd = open("/dev/full", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let writer = ExportWriter(fd: fd, path: "/dev/full")
        let out = try ExportBuffer(writer: writer, lane: 0)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var failed = false
        do {
            for _ in 0..<10_000 {
                try chunk.withUnsafeBytes { try out.field(Optional($0)) }
                try out.endRecord()
            }
            try out.endChunk(last: true)
            _ = try writer.finish()
        } catch {
            failed = true
            writer.abandon()
        }
        #expect(failed)
    }
}
