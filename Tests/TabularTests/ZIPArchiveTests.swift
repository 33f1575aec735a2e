import Foundation
import Testing
@testable import Tabular

/// The ZIP reader on archives made by Python's zipfile and a hand-packed ZIP64 one.
@Suite struct ZIPArchiveTests {
    func contents(_ archive: ZIPArchive, _ name: String) throws -> [UInt8] {
        let entry = try #require(archive.entry(named: name))
        return try archive.readWhole(entry, maxBytes: 1 << 20)
    }

    @Test func storedDeflatedAndZIP64AgreeByteForByte() throws {
        let deflated = try ZIPArchive(path: XLSXFixtures.path("deflated-descriptors.xlsx"))
        let stored = try ZIPArchive(path: XLSXFixtures.path("stored-descriptors.xlsx"))
        let zip64 = try ZIPArchive(path: XLSXFixtures.path("zip64.xlsx"))
        #expect(deflated.entries.map(\.name) == stored.entries.map(\.name))
        #expect(zip64.entries.map(\.name) == stored.entries.map(\.name))
        #expect(stored.entries.allSatisfy { $0.method == 0 && $0.flags & 8 != 0 })
        #expect(deflated.entries.allSatisfy { $0.method == 8 && $0.flags & 8 != 0 })
        for entry in stored.entries {
            let plain = try contents(stored, entry.name)
            #expect(plain.count == Int(entry.uncompressedSize))
            #expect(try contents(deflated, entry.name) == plain)
            #expect(try contents(zip64, entry.name) == plain)
        }
        // ZIP64 extra fields replaced the saturated 32-bit sizes and offsets.
        let sheet = try #require(zip64.entry(named: "xl/worksheets/sheet1.xml"))
        #expect(sheet.uncompressedSize < 0xFFFF_FFFF && sheet.compressedSize < sheet.uncompressedSize)
        #expect(zip64.entries.contains { $0.localHeaderOffset > 0 })
    }

    @Test func smallChunksStreamTheSameBytes() throws {
        var limits = ZIPLimits()
        limits.chunkSize = 4096
        let archive = try ZIPArchive(path: XLSXFixtures.path("basic.xlsx"), limits: limits)
        let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
        let stream = try archive.stream(entry)
        var chunks = 0
        var bytes: [UInt8] = []
        while let chunk = try stream.next() {
            #expect(chunk.count <= 4096)
            bytes.append(contentsOf: chunk)
            chunks += 1
        }
        #expect(bytes.count == Int(entry.uncompressedSize))
        #expect(chunks == (bytes.count + 4095) / 4096)
        #expect(try stream.next() == nil)
    }

    /// Deflated and stored entries, inflated (or read) straight into the prefetch buffers in
    /// chunks smaller than the entry.
    @Test(arguments: ["basic.xlsx", "stored-descriptors.xlsx"])
    func prefetchStreamHandsOutTheSameBytes(name: String) throws {
        var limits = ZIPLimits()
        limits.chunkSize = 4096
        let archive = try ZIPArchive(path: XLSXFixtures.path(name), limits: limits)
        for entry in archive.entries where entry.uncompressedSize > 0 {
            let direct = try archive.readWhole(entry, maxBytes: 1 << 20)
            let prefetch = ZIPPrefetchStream(try archive.stream(entry), slots: 2)
            var bytes: [UInt8] = []
            var chunks = 0
            while let chunk = try prefetch.next() {
                bytes.append(contentsOf: chunk)
                chunks += 1
            }
            #expect(bytes == direct, "\(entry.name)")
            #expect(chunks == (direct.count + 4095) / 4096, "\(entry.name)")
        }
        // Dropping a prefetch stream early stops its helper thread.
        let entry = try #require(archive.entry(named: "xl/sharedStrings.xml"))
        for _ in 0..<20 {
            let early = ZIPPrefetchStream(try archive.stream(entry), slots: 2)
            _ = try early.next()
        }
    }

    @Test func prefetchStreamPassesErrorsOn() throws {
        var bytes = XLSXFixtures.bytes("basic.xlsx")
        let record = try #require(XLSXFixtures.centralRecord(of: "xl/worksheets/sheet1.xml", in: bytes))
        bytes[record + 16] ^= 0xFF
        try XLSXFixtures.withTemporary(bytes) { path in
            let archive = try ZIPArchive(path: path)
            let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
            let prefetch = ZIPPrefetchStream(try archive.stream(entry), slots: 2)
            #expect(throws: TabularError.self) { while try prefetch.next() != nil {} }
        }
    }

    @Test func readWholeRefusesOversizedParts() throws {
        let archive = try ZIPArchive(path: XLSXFixtures.path("basic.xlsx"))
        let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
        #expect(throws: TabularError.self) { _ = try archive.readWhole(entry, maxBytes: 100) }
    }

    @Test func notAZipIsCorrupt() throws {
        XLSXFixtures.withTemporary(Array("just some text, long enough to look for an end record".utf8)) { path in
            #expect { _ = try ZIPArchive(path: path) } throws: { error in
                guard case TabularError.corrupt(_, let detail) = error else { return false }
                return detail.contains("end-of-central-directory")
            }
        }
    }
}
