import Foundation
import Testing
import ContactStore
@testable import Pipeline

/// An export formatted by several producers at once writes the very bytes one producer writes.
@Suite struct ExporterTests {
    let temporary = TemporaryFolder("exporter")

    /// A store filled from a CSV of `count` contacts with quoting, formulas and phone numbers.
    func filledStore(count: Int) throws -> (ContactStore, PipelineConfig) {
        var config = PipelineConfig(baseDirectory: temporary.path)
        config.outbox = (temporary.path as NSString).appendingPathComponent("outbox")
        var lines = ["Email,First Name,Mobile,Notes,Colour"]
        for i in 0..<count {
            let note = i % 3 == 0 ? "\"says \"\"hi\"\", twice\"" : i % 3 == 1 ? "=SUM(A\(i))" : "plain \(i)"
            lines.append("p\(i)@example.com,P\(i),0412 \(String(format: "%06d", i)),\(note),\(i % 2 == 0 ? "Teal" : "")")
        }
        let file = try temporary.write("contacts.csv", lines.joined(separator: "\r\n") + "\r\n")
        let store = try ContactStore(directory: (temporary.path as NSString).appendingPathComponent("store"),
                                     options: StoreOptions(cacheMiB: 8, clock: { 1_800_000_000 }))
        _ = try Importer(config: config).run(ImportRequest(path: file), store: store)
        return (store, config)
    }

    @Test func severalProducersWriteTheBytesOfOne() throws {
        let (store, config) = try filledStore(count: 3_000)
        // Delete a run longer than a chunk, so some chunks are empty.
        #expect(try store.delete(emails: (1_000..<1_200).map { "p\($0)@example.com" }) == 200)
        let profile = ExportProfile(name: "all", columns: ["email", "first_name", "mobile", "notes", "colour", "created_at"])
        var outputs: [(summary: ExportSummary, bytes: Data)] = []
        for producers in [1, 2, 3] {
            var exporter = Exporter(config: config)
            exporter.producers = producers
            exporter.idsPerChunk = 97
            let summary = try exporter.run(profile, store: store, now: Date(timeIntervalSince1970: 1_800_000_000 + Double(producers)))
            outputs.append((summary, try Data(contentsOf: URL(fileURLWithPath: summary.file))))
        }
        let single = outputs[0]
        #expect(single.summary.rows == 2_800)
        let text = String(decoding: single.bytes, as: UTF8.self)
        #expect(text.hasPrefix("email,first_name,mobile,notes,colour,created_at\r\np0@example.com,P0,+61412000000,\"says \"\"hi\"\", twice\",Teal,"))
        #expect(text.contains("\r\np1@example.com,P1,+61412000001,'=SUM(A1),,"))
        #expect(!text.contains("p1000@example.com") && text.contains("\r\np1200@example.com,"))
        for other in outputs.dropFirst() {
            #expect(other.summary.rows == single.summary.rows)
            #expect(other.summary.sha256 == single.summary.sha256)
            #expect(other.bytes == single.bytes)
        }
        // The store's connection is free again: an import can follow.
        let more = try temporary.write("more.csv", "Email\nlate@example.com\n")
        #expect(try Importer(config: config).run(ImportRequest(path: more), store: store).created == 1)
    }

    /// An export stopped midway leaves its hidden temporary file; the next export of the
    /// profile removes it, but not the one an export running now is writing.
    @Test func leftoversOfStoppedExportsAreRemoved() throws {
        let (store, config) = try filledStore(count: 10)
        let folder = (config.outbox as NSString).appendingPathComponent("all")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stale = (folder as NSString).appendingPathComponent(".all-20200101T000000Z.csv.tmp")
        let staleNow = (folder as NSString).appendingPathComponent(".all-20200101T000000Z.csv.4242-7.tmp")
        let running = (folder as NSString).appendingPathComponent(".all-20200101T000001Z.csv.4243-8.tmp")
        let other = (folder as NSString).appendingPathComponent(".other-20200101T000000Z.csv.tmp")
        for path in [stale, staleNow, running, other] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("email\r\n".utf8)))
        }
        let writer = try #require(FileHandle(forWritingAtPath: running))
        defer { try? writer.close() }
        let summary = try Exporter(config: config).run(ExportProfile(name: "all", columns: ["email"]), store: store)
        #expect(summary.rows == 10)
        #expect(!FileManager.default.fileExists(atPath: stale) && !FileManager.default.fileExists(atPath: staleNow))
        #expect(FileManager.default.fileExists(atPath: running), "an export writing it now keeps it")
        #expect(FileManager.default.fileExists(atPath: other), "another profile's file is not this export's to judge")
    }

    /// Two exports of a profile in the same second (two schedulers, or one run beside a manual
    /// export) each write a whole file of their own: neither writes into the other's, and
    /// neither replaces the other's finished file.
    @Test func exportsOfTheSameSecondGetFilesOfTheirOwn() throws {
        let (store, config) = try filledStore(count: 3_000)
        let second = try ContactStore(directory: store.directory, options: StoreOptions(cacheMiB: 8))
        let profile = ExportProfile(name: "all", columns: ["email", "notes"])
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        final class Outcome: @unchecked Sendable { var summary: ExportSummary?; var failure: Error? }
        let outcomes = [Outcome(), Outcome()]
        let group = DispatchGroup()
        for (index, target) in [store, second].enumerated() {
            let outcome = outcomes[index]
            nonisolated(unsafe) let target = target
            group.enter()
            Thread {
                var exporter = Exporter(config: config)
                exporter.idsPerChunk = 97
                do { outcome.summary = try exporter.run(profile, store: target, now: now) } catch { outcome.failure = error }
                group.leave()
            }.start()
        }
        group.wait()
        let summaries = try outcomes.map { try #require($0.summary, "\(String(describing: $0.failure))") }
        #expect(Set(summaries.map(\.file)).count == 2)
        #expect(Set(summaries.map { ($0.file as NSString).lastPathComponent }) == ["all-20270115T080000Z.csv", "all-20270115T080000Z-2.csv"])
        for summary in summaries {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: summary.file))
            var hasher = SHA256()
            hasher.update(Array(bytes))
            #expect(hasher.finalizeHex() == summary.sha256 && summary.rows == 3_000)
        }
        let folder = (config.outbox as NSString).appendingPathComponent("all")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func theWriterPutsTheLanesChunksBackInTurn() throws {
        let path = (temporary.path as NSString).appendingPathComponent("lanes.csv")
        try FileManager.default.createDirectory(atPath: temporary.path, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        let writer = ExportWriter(fd: fd, path: path, lanes: 3, buffers: 2)
        let outs = try (0..<3).map { try ExportBuffer(writer: writer, lane: $0) }
        // Chunk k belongs to lane k % 3. Lanes 1 and 2 start first and run ahead (chunk 4 is
        // larger than their buffers); lane 0 starts last.
        let chunks = 10
        var expected = ""
        for chunk in 0..<chunks { expected += String(repeating: "\(chunk),", count: chunk == 4 ? 300_000 : 3) + "\r\n" }
        let lanes = (0..<3).map { lane in Array(stride(from: lane, to: chunks, by: 3)) }
        let done = DispatchGroup()
        for lane in [2, 1] {
            let out = outs[lane]
            let mine = lanes[lane]
            let work = Work {
                for chunk in mine {
                    let field = Array("\(chunk),".utf8)
                    for _ in 0..<(chunk == 4 ? 300_000 : 3) { try field.withUnsafeBytes { try out.append($0) } }
                    try out.endRecord()
                    try out.endChunk(last: chunk == mine.last)
                }
            }
            done.enter()
            Thread { work.run(); done.leave() }.start()
        }
        Thread.sleep(forTimeInterval: 0.05)
        for chunk in lanes[0] {
            let field = Array("\(chunk),".utf8)
            for _ in 0..<3 { try field.withUnsafeBytes { try outs[0].append($0) } }
            try outs[0].endRecord()
            try outs[0].endChunk(last: chunk == lanes[0].last)
        }
        done.wait()
        let sha = try writer.finish()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == expected)
        var hasher = SHA256()
        hasher.update(Array(expected.utf8))
        #expect(sha == hasher.finalizeHex())
    }

    /// A thread's work, handed over once.
    final class Work: @unchecked Sendable {
        let body: () throws -> Void
        var failure: Error?
        init(_ body: @escaping () throws -> Void) { self.body = body }
        func run() { do { try body() } catch { failure = error } }
    }

    @Test func aFailingLaneStopsTheExportWithItsOwnError() throws {
        let (store, _) = try filledStore(count: 2_000)
        let fd = open("/dev/full", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let snapshot = try store.exportSnapshot(columns: ["email", "notes"], parts: 2, idsPerChunk: 97)
        #expect(snapshot.cursors.count == 2)
        let writer = ExportWriter(fd: fd, path: "/dev/full", lanes: 2)
        let lanes = try (0..<2).map { try ExportLane(snapshot: snapshot, lane: $0, writer: writer) }
        #expect {
            try Exporter.write(lanes, writer: writer)
        } throws: { error in
            "\(error)".contains("/dev/full") && !"\(error)".contains("abandoned")
        }
        writer.abandon()
        snapshot.end()
    }
}
