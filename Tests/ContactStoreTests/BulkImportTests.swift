import ContactModel
import Foundation
import Testing
@testable import ContactStore

/// Imports big enough to use every part of the bulk path: keys of new contacts kept out of
/// `contact_keys` until commit, rows for known contacts kept until the import settles, both
/// spilled to the scratch file.
@Suite struct BulkImportTests {
    /// 6,000 contacts in 6 batches; every 10th row repeats an email from an earlier batch with a
    /// changed first name, every 30th repeats it unchanged.
    static func file() -> [[ContactRecord]] {
        var batches: [[ContactRecord]] = []
        var row = 2
        for batch in 0..<6 {
            var records: [ContactRecord] = []
            for n in 0..<1_100 {
                let fresh = batch * 1_000 + n
                if n >= 1_000 {
                    let earlier = (n * 37) % max(1, batch * 1_000)
                    guard batch > 0 else { continue }
                    let changed = n % 3 != 0
                    records.append(record("person\(earlier)@example.com", first: changed ? "Renamed\(batch)" : "P\(earlier)",
                                          properties: [("tier", "t\(earlier % 5)")], row: row))
                } else {
                    records.append(record("person\(fresh)@example.com", first: "P\(fresh)",
                                          properties: [("tier", "t\(fresh % 5)")], row: row))
                }
                row += 1
            }
            batches.append(records)
        }
        return batches
    }

    @Test func bigImportsKeepEveryKeyAndCountEachContactOnce() throws {
        let fixture = try StoreFixture()
        let batches = Self.file()
        let rows = batches.map(\.count).reduce(0, +)
        let (first, _) = try fixture.importBatches(batches)
        #expect(first.created == 6_000)
        #expect(first.created + first.duplicates == rows)
        #expect(try fixture.rows("SELECT count(*) FROM contact_keys") == [["6000"]])
        #expect(try fixture.rows("SELECT count(*) FROM contact_keys k JOIN contacts c ON c.id = k.id AND c.email = k.email") == [["6000"]])
        #expect(try fixture.rows("PRAGMA integrity_check") == [["ok"]])
        // The last row of a repeated email wins, and a new contact's history is its creation.
        let renamed = try fixture.rows("SELECT count(*) FROM contacts WHERE first_name LIKE 'Renamed%'")
        #expect(renamed != [["0"]])
        #expect(try fixture.rows("SELECT count(*) FROM property_history") == [["0"]])

        // The same rows again: nothing changes and nothing is written.
        fixture.clock.advance(60)
        let session = try fixture.store.beginImport(file: "again.csv", sha256: "again")
        let before = fixture.store.totalChanges
        for batch in batches { _ = try session.merge(batch) }
        let again = try session.settle()
        #expect(fixture.store.totalChanges == before)
        #expect(again == MergeCounts(unchanged: 6_000, duplicates: rows - 6_000))
        try session.commit(rowsRead: rows, rejected: 0)

        // A third file renames 1,000 known contacts and adds 500: one history row each.
        let third = (0..<1_500).map { n in
            n < 1_000 ? record("person\(n * 5)@example.com", first: "Third", row: n + 2)
                      : record("new\(n)@example.com", first: "New", row: n + 2)
        }
        let (counts, _) = try fixture.importBatches([Array(third[..<700]), Array(third[700...])], file: "third.csv")
        #expect(counts == MergeCounts(created: 500, updated: 1_000))
        #expect(try fixture.rows("SELECT count(*) FROM property_history WHERE field = 'first_name' AND new_value = 'Third'") == [["1000"]])
        #expect(try fixture.rows("SELECT count(*) FROM contact_keys") == [["6500"]])
        #expect(try fixture.rows("PRAGMA integrity_check") == [["ok"]])
        #expect(try fixture.store.contact(email: "new1499@example.com")?.firstName == "New")
        #expect(try fixture.store.contact(email: "person5@example.com")?.firstName == "Third")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory).filter { !$0.hasPrefix("contacts.sqlite") }.isEmpty,
                "no scratch file is left in the store folder")
    }

    @Test func aDryRunOfABigFileLeavesTheStoreAsItWas() throws {
        let fixture = try StoreFixture()
        let batches = Self.file()
        let session = try fixture.store.beginImport(file: "dry.csv", sha256: "dry")
        for batch in batches { _ = try session.merge(batch) }
        let counts = try session.settle()
        session.rollback()
        #expect(counts.created == 6_000)
        #expect(try fixture.rows("SELECT count(*) FROM contacts") == [["0"]])
        #expect(try fixture.rows("SELECT count(*) FROM contact_keys") == [["0"]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory).filter { !$0.hasPrefix("contacts.sqlite") }.isEmpty)
        #expect(try fixture.importBatches(batches).counts.created == 6_000, "the same file still imports afterwards")
    }

    /// Work done early (new contacts with rows waiting settled between batches) ends in the same
    /// store as work done at the end.
    @Test func workDoneWhileIdleEndsInTheSameStore() throws {
        let plain = try StoreFixture()
        let eager = try StoreFixture()
        let batches = Self.file()
        let (plainCounts, _) = try plain.importBatches(batches)
        let session = try eager.store.beginImport(file: "file.csv", sha256: "eager")
        var idleCalls = 0
        for batch in batches {
            _ = try session.merge(batch)
            while try session.workWhileIdle() { idleCalls += 1 }
        }
        let eagerCounts = try session.commit(rowsRead: batches.map(\.count).reduce(0, +), rejected: 0)
        #expect(idleCalls >= 3, "there was early work to do")
        #expect(eagerCounts == plainCounts)
        let contacts = "SELECT id, email, first_name, properties, created_row FROM contacts ORDER BY id"
        let keys = "SELECT email, id, hash FROM contact_keys ORDER BY email"
        #expect(try eager.rows(contacts) == plain.rows(contacts))
        #expect(try eager.rows(keys) == plain.rows(keys))
        #expect(try eager.rows("PRAGMA integrity_check") == [["ok"]])

        // Then a file that changes known contacts: early work never touches them (their
        // history must go from the value before the import to the final one).
        let changes = [(0..<300).map { record("person\($0)@example.com", first: "Mid\($0)", row: $0 + 2) },
                       (0..<300).map { record("person\($0)@example.com", first: "End\($0)", row: $0 + 400) }]
        try plain.importBatches(changes, file: "changes.csv")
        let second = try eager.store.beginImport(file: "changes.csv", sha256: "changes")
        for batch in changes {
            _ = try second.merge(batch)
            while try second.workWhileIdle() {}
        }
        try second.commit(rowsRead: 600, rejected: 0)
        let history = "SELECT contact_id, field, old_value, new_value, source_row FROM property_history ORDER BY contact_id, field"
        #expect(try eager.rows(history) == plain.rows(history))
        #expect(try eager.rows(history).count == 300)
    }

    /// A new contact changed by an early settling, then given a row equal to its creating one:
    /// that row changes it back (its fingerprint is the settled one now, not the creation's).
    /// Settling at the end comes to the same store.
    @Test func aRowLikeTheCreatingOneAfterAnEarlySettlingChangesTheContactBack() throws {
        let batches = [(0..<100).map { record("back\($0)@example.com", first: "A\($0)", row: $0 + 2) },
                       (0..<100).map { record("back\($0)@example.com", first: "B\($0)", row: $0 + 200) },
                       (0..<100).map { record("back\($0)@example.com", first: "A\($0)", row: $0 + 400) }]
        let plain = try StoreFixture()
        try plain.importBatches(batches)
        let eager = try StoreFixture()
        let session = try eager.store.beginImport(file: "file.csv", sha256: "eager")
        var settledEarly = 0
        for batch in batches {
            _ = try session.merge(batch)
            while try session.workWhileIdle() { settledEarly += 1 }
        }
        try session.commit(rowsRead: 300, rejected: 0)
        #expect(settledEarly > 0, "the second batch's rows were settled before the third came")
        let names = "SELECT email, first_name FROM contacts ORDER BY id"
        #expect(Set(try eager.rows(names).map { "\($0[0] ?? "")=\($0[1] ?? "")" }) == Set((0..<100).map { "back\($0)@example.com=A\($0)" }))
        #expect(try eager.rows(names) == plain.rows(names))
        let keys = "SELECT email, id, hash, row_digest FROM contact_keys ORDER BY email"
        #expect(try eager.rows(keys) == plain.rows(keys), "keys carry the final fingerprints")
        // The same file again changes nothing (the stored fingerprints are the contacts' own).
        let again = try eager.store.beginImport(file: "again.csv", sha256: "again")
        for batch in batches { _ = try again.merge(batch) }
        let counts = try again.commit(rowsRead: 300, rejected: 0)
        #expect(counts.updated == 0 && counts.unchanged == 100)
    }

    /// Keeping new contacts' rows, so their later rows are merged on the helper threads
    /// (`CreationRows`), ends in the same store as reading the contacts back: settled at the
    /// end or early, for new contacts settled once or again, and for contacts the store had.
    @Test(arguments: [false, true])
    func keptCreationRowsEndInTheSameStore(workWhileIdle: Bool) throws {
        let back = [(0..<300).map { record("back\($0)@example.com", first: "A\($0)", hubs: ["Perth"], row: $0 + 9_000) },
                    (0..<300).map { record("back\($0)@example.com", first: "B\($0)", hubs: ["Darwin"], row: $0 + 9_400) },
                    (0..<300).map { record("back\($0)@example.com", first: "A\($0)", hubs: ["Perth"], row: $0 + 9_800) }]
        let changes = [(0..<300).map { record("person\($0)@example.com", first: "Mid\($0)", row: $0 + 2) },
                       (0..<300).map { record("person\($0)@example.com", last: "End\($0)", row: $0 + 400) }]
        let plain = try StoreFixture()
        let kept = try StoreFixture()
        for fixture in [plain, kept] {
            let keep = fixture === kept
            try fixture.importBatches(Self.file() + back, workWhileIdle: workWhileIdle, keepCreationRows: keep)
            try fixture.importBatches(changes, file: "changes.csv", workWhileIdle: workWhileIdle, keepCreationRows: keep)
        }
        let queries = ["SELECT id, email, first_name, last_name, hubs, properties, created_row FROM contacts ORDER BY id",
                       "SELECT email, id, hash, row_digest FROM contact_keys ORDER BY email",
                       "SELECT contact_id, field, old_value, new_value, source_row FROM property_history ORDER BY id",
                       "SELECT created, updated, unchanged, duplicates FROM imports ORDER BY id"]
        for query in queries { #expect(try kept.rows(query) == plain.rows(query), "\(query)") }
        #expect(try kept.rows("SELECT count(*) FROM contacts WHERE first_name LIKE 'Renamed%'") != [["0"]])
        #expect(try kept.rows("PRAGMA integrity_check") == [["ok"]])
    }
}
