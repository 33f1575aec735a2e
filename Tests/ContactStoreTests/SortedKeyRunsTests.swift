import Foundation
import ContactModel
import Testing
@testable import ContactStore

@Suite struct SortedKeyRunsTests {
    /// Keys in runs of random length, each run sorted, spilled to the scratch file after
    /// `spillBytes`, merged with read buffers of 4 KiB or of the smallest size (512 bytes),
    /// on the caller's thread or on a helper thread that hands keys over in chunks.
    @Test(arguments: [64, 4096, 1 << 22], [(SortedKeyRuns.mergeBudget, false), (1, false), (SortedKeyRuns.mergeBudget, true), (1, true)])
    func mergesSortedRunsIntoOneOrder(spillBytes: Int, merge: (budget: Int, onHelperThread: Bool)) throws {
        let directory = NSTemporaryDirectory() + "key-runs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs = SortedKeyRuns(directory: directory, spillBytes: spillBytes)
        var expected: [(String, Int)] = []
        /// None, one row's or several rows' (the flag must survive the runs too).
        func digest(_ id: Int) -> KeyDigest? {
            id % 3 == 0 ? KeyDigest(value: RowDigest(high: UInt64(id), low: ~UInt64(id)), severalRows: id % 2 == 0) : nil
        }
        func fingerprint(_ id: Int) -> UInt64 { UInt64(id) &* 0x9E37_79B9_7F4A_7C15 }
        var random = StableHash(seed: 11)
        var id = 1
        for run in 0..<40 {
            random.combine(UInt64(run))
            let size = Int(random.value % 300)
            var emails: [String] = []
            for n in 0..<size {
                random.combine(UInt64(n))
                // Shared prefixes and different lengths, to exercise the byte order.
                emails.append("u\(random.value % 5000)\(n % 3 == 0 ? "x" : "")@ex.com\(run)")
            }
            for email in Set(emails).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                var bytes = Array(email.utf8)
                try bytes.withUnsafeBytes { try runs.append(email: $0, id: id, fingerprint: fingerprint(id), digest: digest(id)) }
                bytes.removeAll()
                expected.append((email, id))
                id += 1
            }
            runs.endRun()
        }
        var merged: [(String, Int)] = []
        try runs.forEachInOrder(mergeBudget: merge.budget, onHelperThread: merge.onHelperThread) { email, id, kept, stored in
            #expect(stored == digest(id), "each key keeps its row digest")
            #expect(kept == fingerprint(id), "and its fingerprint")
            merged.append((String(decoding: email, as: UTF8.self), id))
        }
        expected.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        #expect(merged.count == expected.count && runs.count == expected.count)
        #expect(merged.map(\.0) == expected.map(\.0))
        #expect(merged.map(\.1) == expected.map(\.1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty,
                "the scratch file is unlinked as soon as it is made")
    }

    @Test(arguments: [false, true])
    func noRunsMeansNoKeys(onHelperThread: Bool) throws {
        let runs = SortedKeyRuns(directory: NSTemporaryDirectory())
        runs.endRun()
        var calls = 0
        try runs.forEachInOrder(onHelperThread: onHelperThread) { _, _, _, _ in calls += 1 }
        #expect(calls == 0)
    }

    /// 20,000 keys in 50 runs: the helper thread fills several chunks and waits on the queue.
    /// When the consumer fails part-way (an insert failing), its error comes out, and the
    /// helper stops rather than merging on or hanging.
    @Test(arguments: [false, true])
    func aFailingConsumerStopsTheMerge(onHelperThread: Bool) throws {
        let directory = NSTemporaryDirectory() + "key-runs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs = SortedKeyRuns(directory: directory, spillBytes: 1 << 16)
        for run in 0..<50 {
            for n in 0..<400 {
                let email = String(format: "user%06d-%02d@example.com", n, run)
                try Array(email.utf8).withUnsafeBytes { try runs.append(email: $0, id: run * 400 + n + 1) }
            }
            runs.endRun()
        }
        var calls = 0
        var previous: [UInt8] = []
        #expect(throws: StoreError.importFinished) {
            try runs.forEachInOrder(onHelperThread: onHelperThread) { (email, _, _, _) throws(StoreError) in
                let bytes = Array(email)
                #expect(previous.lexicographicallyPrecedes(bytes), "keys come in byte order")
                previous = bytes
                calls += 1
                if calls == 15_000 { throw .importFinished }
            }
        }
        #expect(calls == 15_000, "no key reaches the consumer after its error")
    }

    /// One run, or a run per key (so the helper thread merges them).
    @Test(arguments: [(false, false), (true, false), (true, true)])
    func keysLongerThanAChunkComeBackWhole(runPerKey: Bool, onHelperThread: Bool) throws {
        let directory = NSTemporaryDirectory() + "key-runs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs = SortedKeyRuns(directory: directory, spillBytes: 1024)
        let long = String(repeating: "x", count: 40_000) + "@example.com"
        for (id, email) in ["a@example.com", long, "z@example.com"].enumerated() {
            try Array(email.utf8).withUnsafeBytes { try runs.append(email: $0, id: id + 1) }
            if runPerKey { runs.endRun() }
        }
        runs.endRun()
        var merged: [(String, Int)] = []
        try runs.forEachInOrder(onHelperThread: onHelperThread) { email, id, _, _ in merged.append((String(decoding: email, as: UTF8.self), id)) }
        #expect(merged.map(\.0) == ["a@example.com", long, "z@example.com"])
        #expect(merged.map(\.1) == [1, 2, 3])
    }

    /// The replacement chosen for some keys (on the merging thread when there is one) reaches
    /// the consumer: another digest (or none), and another fingerprint unless it gives nil.
    @Test(arguments: [false, true])
    func replacementsReachTheConsumer(onHelperThread: Bool) throws {
        let directory = NSTemporaryDirectory() + "key-runs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let runs = SortedKeyRuns(directory: directory, spillBytes: 512)
        let original = KeyDigest(value: RowDigest(high: 1, low: 2), severalRows: false)
        let replaced = KeyDigest(value: RowDigest(high: 3, low: 4), severalRows: true)
        for run in 0..<4 {
            for n in 0..<100 {
                let id = run * 100 + n + 1
                let email = String(format: "p%03d-%d@example.com", n, run)
                try Array(email.utf8).withUnsafeBytes { try runs.append(email: $0, id: id, fingerprint: UInt64(id), digest: original) }
            }
            runs.endRun()
        }
        var seen: [Int: (UInt64, KeyDigest?)] = [:]
        try runs.forEachInOrder(onHelperThread: onHelperThread, replacement: { id in
            switch id % 3 {
            case 0: .keep
            case 1: .replace(digest: replaced, fingerprint: nil)
            default: .replace(digest: nil, fingerprint: UInt64(id) + 1_000)
            }
        }) { _, id, fingerprint, digest in
            seen[id] = (fingerprint, digest)
        }
        #expect(seen.count == 400)
        for (id, (fingerprint, digest)) in seen {
            switch id % 3 {
            case 0: #expect(fingerprint == UInt64(id) && digest == original)
            case 1: #expect(fingerprint == UInt64(id) && digest == replaced)
            default: #expect(fingerprint == UInt64(id) + 1_000 && digest == nil)
            }
        }
    }
}
