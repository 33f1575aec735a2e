import ContactModel
import Foundation
import Testing
@testable import ContactStore

@Suite struct PendingChangesTests {
    /// Creation digests for an import that creates no contact among the ids a test uses.
    static func noneCreated(_ directory: String) -> CreationDigests {
        CreationDigests(directory: directory, firstId: 1 << 40)
    }

    /// Groups of several contacts, interleaved, kept past the spill threshold, come back per
    /// contact in id order with their rows folded in file order.
    @Test(arguments: [128, 1 << 22])
    func foldsEachContactsRowsInFileOrder(spillBytes: Int) throws {
        let directory = NSTemporaryDirectory() + "pending-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pending = PendingChanges(directory: directory, spillBytes: spillBytes, creations: Self.noneCreated(directory))
        func add(_ id: Int, _ records: [ContactRecord]) throws {
            let batch = ImportSession.prepare(records)
            #expect(batch.groups.count == 1)
            try pending.add(id: id, group: batch.groups[0], bytes: batch.bytes, storedHash: 0)
        }
        for round in 0..<30 {
            for id in [9, 3, 5] {
                try add(id, [record("c\(id)@x.com", first: "F\(round)", properties: [("k\(round % 4)", "v\(round)")],
                                    lists: ["L\(round % 3)"], row: round * 10 + id)])
            }
        }
        // A folded group (two rows of one email in one batch) keeps each value's row.
        try add(7, [record("c7@x.com", first: "Early", type: .identified, row: 400),
                    record("c7@x.com", last: "Late", type: .anonymous, subscriptions: [("news", true)], row: 401)])
        try add(7, [record("c7@x.com", first: "Later", row: 500)])
        #expect(pending.count == 4 && pending.contains(9) && !pending.contains(4))

        var seen: [Int] = []
        try pending.forEachInIdOrder { waiting in
            let id = waiting.id
            let incoming = waiting.incoming
            #expect(waiting.email == Array("c\(id)@x.com".utf8))
            seen.append(id)
            if id == 7 {
                #expect(incoming.state.firstName == "Later" && incoming.state.lastName == "Late")
                #expect(incoming.state.contactType == .identified, "the type only moves up")
                #expect(incoming.state.subscriptions == [SubscriptionChange(group: "news", subscribed: true)])
                #expect(incoming.sourceRow(of: "first_name") == 500)
                #expect(incoming.sourceRow(of: "last_name") == 401)
                #expect(incoming.sourceRow(of: "contact_type") == 400)
                #expect(incoming.recordCount == 3)
                return
            }
            #expect(incoming.recordCount == 30)
            #expect(incoming.state.firstName == "F29")
            #expect(incoming.sourceRow(of: "first_name") == 290 + id)
            #expect(incoming.state.lists == ["L0", "L1", "L2"])
            #expect(incoming.state.properties.map(\.key) == ["k0", "k1", "k2", "k3"])
            #expect(incoming.state.properties.map(\.value) == ["v28", "v29", "v26", "v27"])
            #expect(incoming.sourceRow(of: "k1") == 290 + id)
        }
        #expect(seen == [3, 5, 7, 9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    /// 3,000 contacts (a dozen chunks of 256), two or three rows each, spilled: read on one,
    /// two or three helper threads they come back exactly as on the caller's thread, and each
    /// carries the fingerprint of its folded values.
    @Test func aHelperThreadReadsTheSameContacts() throws {
        let directory = NSTemporaryDirectory() + "pending-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func filled() throws -> PendingChanges {
            let pending = PendingChanges(directory: directory, spillBytes: 4096, creations: Self.noneCreated(directory))
            for round in 0..<3 {
                for id in stride(from: 3_000, to: 0, by: -1) where round < 2 || id % 2 == 0 {
                    let batch = ImportSession.prepare([record("c\(id)@x.com", first: "F\(round)", last: id % 3 == 0 ? "L\(id)" : nil,
                                                              properties: [("k\(round)", "v\(id)")], row: round * 10_000 + id)])
                    try pending.add(id: id, group: batch.groups[0], bytes: batch.bytes, storedHash: 0)
                }
            }
            return pending
        }
        struct Seen: Equatable {
            var id: Int, email: [UInt8], first: String?, last: String?, keys: [String], rows: Int, fingerprint: UInt64
        }
        func collect(helperThreads: Int) throws -> [Seen] {
            var seen: [Seen] = []
            let arena = ByteArena(capacity: 4096)
            try filled().forEachInIdOrder(helperThreads: helperThreads) { waiting in
                let state = waiting.incoming.state
                arena.removeAll()
                let encoded = ContactRowCodec.encode(state, into: arena)
                let fingerprint = waiting.email.withUnsafeBytes {
                    ContactRowCodec.fingerprint(encoded, type: state.contactType, email: $0, arena: arena)
                }
                #expect(waiting.foldedFingerprint == fingerprint)
                seen.append(Seen(id: waiting.id, email: waiting.email, first: state.firstName, last: state.lastName,
                                 keys: state.properties.map(\.key), rows: waiting.incoming.recordCount, fingerprint: fingerprint))
            }
            return seen
        }
        let here = try collect(helperThreads: 0)
        #expect(here.map(\.id) == Array(1...3_000))
        #expect(here.first == Seen(id: 1, email: Array("c1@x.com".utf8), first: "F1", last: nil, keys: ["k0", "k1"], rows: 2,
                                   fingerprint: here[0].fingerprint))
        #expect(here[1].first == "F2" && here[1].rows == 3 && here[1].keys == ["k0", "k1", "k2"])
        #expect(try collect(helperThreads: 1) == here)
        #expect(try collect(helperThreads: 2) == here)
        #expect(try collect(helperThreads: 3) == here)
    }

    /// When settling a contact fails, the error comes out and the helper threads stop.
    @Test(arguments: [1, 2])
    func aFailingConsumerStopsTheHelperThreads(helperThreads: Int) throws {
        let directory = NSTemporaryDirectory() + "pending-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pending = PendingChanges(directory: directory, spillBytes: 4096, creations: Self.noneCreated(directory))
        for id in 1...5_000 {
            let batch = ImportSession.prepare([record("c\(id)@x.com", first: "F", row: id)])
            try pending.add(id: id, group: batch.groups[0], bytes: batch.bytes, storedHash: 0)
        }
        var calls = 0
        #expect(throws: StoreError.importFinished) {
            try pending.forEachInIdOrder(helperThreads: helperThreads) { (waiting) throws(StoreError) in
                calls += 1
                #expect(waiting.id == calls)
                if calls == 700 { throw .importFinished }
            }
        }
        #expect(calls == 700)
    }

    /// Digests of rows: the waiting rows of a contact come with the digest of all of them in
    /// file order; an existing contact whose stored digest is that one is handed over as
    /// already applied (not folded), and a new contact's waiting rows' digest is kept beside
    /// its creating rows', to be stored with its key as the digest of all its rows.
    @Test func waitingRowsCarryTheirSequenceDigest() throws {
        let scratch = try Scratch(firstId: 100)
        defer { scratch.remove() }
        let (creations, pending) = (scratch.creations, scratch.pending)
        let digest = Scratch.digest
        let both = RowSequenceDigest(digest(1)).appending(RowSequenceDigest(digest(2)))
        // Contacts 1 to 4 existed before: 1's stored digest is its two rows', 2's is not,
        // 3 has a row without a digest, 4's stored digest is its rows' in the other order.
        for (id, stored) in [(1, both.value), (2, digest(9)), (3, both.value),
                             (4, RowSequenceDigest(digest(2)).appending(RowSequenceDigest(digest(1))).value)] {
            let first = Scratch.group("c\(id)@x.com", row: 10 + id, digest: digest(1))
            try pending.add(id: id, group: first.groups[0], bytes: first.bytes, storedHash: 7, storedDigest: stored)
        }
        // Contacts 100 to 105 are created by the import (105 by a row without a digest).
        for id in 100...105 { try creations.append(id: id, digest: id == 105 ? nil : digest(UInt64(id)), fingerprint: UInt64(id) << 8) }
        for (id, row) in [(1, 20), (2, 21), (3, 22), (4, 23), (101, 24), (104, 25), (105, 26)] {
            let later = Scratch.group("c\(id)@x.com", row: row, digest: id == 3 ? nil : digest(id == 101 || id == 104 || id == 105 ? 5 : 2))
            try pending.add(id: id, group: later.groups[0], bytes: later.bytes, isNew: id >= 100, storedHash: 7)
        }
        var seen: [Int: (applied: Bool, digest: RowSequenceDigest?, first: String?)] = [:]
        try pending.forEachInIdOrder { waiting in
            seen[waiting.id] = (waiting.alreadyApplied, waiting.rowsDigest, waiting.incoming.state.firstName)
        }
        #expect(seen[1]?.applied == true && seen[1]?.digest == both)
        #expect(seen[2]?.applied == false && seen[2]?.digest == both && seen[2]?.first == "R21")
        #expect(seen[3]?.applied == false && seen[3]?.digest == nil && seen[3]?.first == "R22")
        #expect(seen[4]?.applied == false && seen[4]?.digest == both)
        let created101 = RowSequenceDigest(digest(101)).appending(RowSequenceDigest(digest(5)))
        #expect(seen[101]?.applied == false && seen[101]?.digest == RowSequenceDigest(digest(5)) && seen[101]?.first == "R24")
        let stored = try (100...105).map { try creations.digest(of: $0) }
        #expect(stored[1] == created101.value)
        #expect(stored[4] == RowSequenceDigest(digest(104)).appending(RowSequenceDigest(digest(5))).value)
        #expect(seen[105]?.digest == RowSequenceDigest(digest(5)) && stored[5] == nil, "its creating row had a warning")
        #expect(stored[0] == digest(100) && stored[2] == digest(102) && stored[3] == digest(103),
                "contacts without waiting rows keep their creating rows' digest")
        #expect(try (100...105).map { try creations.fingerprint(of: $0) } == (100...105).map { UInt64($0) << 8 },
                "writing the later rows' digest leaves the creation's fingerprint as it was")
    }

    /// A new contact settled early that gets rows again: its later rows' digest covers the
    /// rows of both settlings, in file order (replacing the first ones' would make a file
    /// without them look already applied).
    @Test func aContactSettledTwiceKeepsTheDigestOfAllItsRows() throws {
        let scratch = try Scratch(firstId: 200)
        defer { scratch.remove() }
        let (creations, pending) = (scratch.creations, scratch.pending)
        let digest = Scratch.digest
        func add(_ id: Int, row: Int, digest: RowDigest?) throws {
            let batch = Scratch.group("c\(id)@x.com", row: row, digest: digest)
            try pending.add(id: id, group: batch.groups[0], bytes: batch.bytes, isNew: true, storedHash: nil)
        }
        for id in 200...202 { try creations.append(id: id, digest: digest(UInt64(id)), fingerprint: ~UInt64(id)) }
        try add(200, row: 10, digest: digest(7))
        try add(201, row: 11, digest: nil)
        try add(202, row: 12, digest: digest(9))
        #expect(try pending.takeNewContacts(limit: 10, minimumSweep: 1) { _ in } == 3)
        try add(200, row: 20, digest: digest(8))
        try add(201, row: 21, digest: digest(8))
        try pending.forEachInIdOrder(helperThreads: 0) { _ in }
        let all = RowSequenceDigest(digest(200)).appending(RowSequenceDigest(digest(7))).appending(RowSequenceDigest(digest(8)))
        #expect(try creations.digest(of: 200) == all.value)
        #expect(try creations.digest(of: 201) == nil, "a row with a warning leaves the contact without a digest")
        #expect(try creations.digest(of: 202) == RowSequenceDigest(digest(202)).appending(RowSequenceDigest(digest(9))).value)
        #expect(try (200...202).map { try creations.fingerprint(of: $0) } == (200...202).map { ~UInt64($0) })
    }

    /// Rows of a new contact kept without its fingerprint (`storedHash: nil`) come back with
    /// the one it was created with, read from the creation digests, on the caller's thread or
    /// on helpers alike; a known fingerprint passed with the first row is kept over it.
    @Test(arguments: [0, 2])
    func aNewContactsFingerprintIsReadWhenItsRowsAreTaken(helperThreads: Int) throws {
        let scratch = try Scratch(firstId: 1000)
        defer { scratch.remove() }
        let (creations, pending) = (scratch.creations, scratch.pending)
        // More contacts than one helper chunk, so that helpers take part.
        let ids = Array(1000..<(1000 + PendingChanges.contactsPerChunk * 3))
        for id in ids { try creations.append(id: id, digest: Scratch.digest(UInt64(id)), fingerprint: UInt64(id) &* 0x1_0000_0001) }
        for id in ids {
            let later = Scratch.group("c\(id)@x.com", row: id, digest: Scratch.digest(1))
            // Every tenth contact was settled early: its fingerprint is known, not its creation's.
            try pending.add(id: id, group: later.groups[0], bytes: later.bytes, isNew: true, storedHash: id % 10 == 0 ? 42 : nil)
            try pending.add(id: id, group: later.groups[0], bytes: later.bytes, isNew: true, storedHash: nil)
        }
        var stored: [Int: UInt64] = [:]
        try pending.forEachInIdOrder(helperThreads: helperThreads) { waiting in stored[waiting.id] = waiting.storedHash }
        #expect(stored.count == ids.count)
        for id in ids { #expect(stored[id] == (id % 10 == 0 ? 42 : UInt64(id) &* 0x1_0000_0001), "contact \(id)") }
    }

    /// The in-memory tag of a creation's fingerprint says "surely not" only for a fingerprint
    /// that differs from it.
    @Test func aFingerprintTagNeverRulesOutTheCreationsOwn() throws {
        let scratch = try Scratch(firstId: 50)
        defer { scratch.remove() }
        var generator = SystemRandomNumberGenerator()
        let fingerprints = (0..<2000).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
        for (offset, fingerprint) in fingerprints.enumerated() {
            try scratch.creations.append(id: 50 + offset, digest: nil, fingerprint: fingerprint)
        }
        var ruledOut = 0
        for (offset, fingerprint) in fingerprints.enumerated() {
            #expect(scratch.creations.mayHaveFingerprint(fingerprint, id: 50 + offset))
            #expect(try scratch.creations.fingerprint(of: 50 + offset) == fingerprint)
            if !scratch.creations.mayHaveFingerprint(fingerprint ^ 0x5A, id: 50 + offset) { ruledOut += 1 }
            #expect(scratch.creations.mayHaveFingerprint(fingerprint ^ (1 << 40), id: 50 + offset),
                    "only the low byte is kept: a difference above it needs the slot")
        }
        #expect(ruledOut == fingerprints.count)
    }

    /// A scratch folder with the creation digests of an import whose contacts start at
    /// `firstId` and its waiting rows (tiny in-memory parts, so both files are used).
    struct Scratch {
        let directory = NSTemporaryDirectory() + "pending-" + UUID().uuidString
        let creations: CreationDigests
        let pending: PendingChanges

        init(firstId: Int) throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            creations = CreationDigests(directory: directory, firstId: firstId, spillBytes: 64)
            pending = PendingChanges(directory: directory, spillBytes: 256, creations: creations)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        /// A made-up row digest.
        static func digest(_ n: UInt64) -> RowDigest { RowDigest(high: n &* 0x9E37_79B9_7F4A_7C15, low: ~n) }

        /// One row of `email` with that digest, prepared as a batch.
        static func group(_ email: String, row: Int, digest: RowDigest?) -> PreparedBatch {
            var r = record(email, first: "R\(row)", row: row)
            r.rowDigest = digest
            return ImportSession.prepare([r])
        }
    }
}
