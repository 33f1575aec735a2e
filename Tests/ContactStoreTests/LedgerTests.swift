import ContactModel
import Foundation
import Testing
import SysSQLite3
@testable import ContactStore

@Suite struct LedgerTests {
    @Test func commitRecordsTheImportAndLooksItUpBySha256() throws {
        let fixture = try StoreFixture()
        let session = try fixture.store.beginImport(file: "spring.csv", sha256: "abc123", list: "Spring")
        _ = try session.merge([record("a@x.com"), record("b@x.com"), record("a@x.com", row: 3)])
        fixture.clock.advance(5)
        try session.commit(rowsRead: 4, rejected: 1)
        let entry = try #require(try fixture.store.importRecord(sha256: "abc123"))
        #expect(entry == ImportRecord(id: session.importId, file: "spring.csv", sha256: "abc123", list: "Spring",
                                      status: "committed", startedAt: "2026-11-29T08:23:30Z",
                                      finishedAt: "2026-11-29T08:23:35Z", rowsRead: 4, rejected: 1,
                                      counts: MergeCounts(created: 2, duplicates: 1)))
        #expect(try fixture.store.importRecord(sha256: "other") == nil)
        #expect(throws: StoreError.importFinished) { try session.commit(rowsRead: 0, rejected: 0) }
    }

    @Test func rollbackLeavesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("keep@x.com", first: "Kim")]])
        let session = try fixture.store.beginImport(file: "dry.csv", sha256: "dry")
        _ = try session.merge([record("new@x.com", first: "Ned", properties: [("fresh", "yes")]),
                                record("keep@x.com", first: "Kit")])
        #expect(try session.settle() == MergeCounts(created: 1, updated: 1))
        session.rollback()
        #expect(try fixture.store.importRecord(sha256: "dry") == nil)
        #expect(try fixture.store.contact(email: "new@x.com") == nil)
        #expect(try fixture.store.contact(email: "keep@x.com")?.firstName == "Kim")
        #expect(try fixture.rows("SELECT count(*) FROM contacts") == [["1"]])
        #expect(try fixture.rows("SELECT count(*) FROM property_history") == [["0"]])
        #expect(try fixture.rows("SELECT count(*) FROM imports") == [["1"]])
        #expect(try fixture.store.propertyKeys().isEmpty)
        // The store is usable again afterwards.
        #expect(try fixture.importBatches([[record("new@x.com")]]).counts.created == 1)
    }

    /// A crash in the middle of a big import (the files copied while the transaction is open and
    /// has already spilled pages into the database file) comes back as the store before it.
    @Test func aCrashMidImportLeavesTheStoreAsItWas() throws {
        let base = NSTemporaryDirectory() + "contact-store-crash-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        let clock = TestClock()
        let store = try ContactStore(directory: base + "/live", options: StoreOptions(cacheMiB: 1, clock: { clock.now }))
        let before = try store.beginImport(file: "first.csv", sha256: "first")
        _ = try before.merge((0..<500).map { record("old\($0)@x.com", first: "Old") })
        try before.commit(rowsRead: 500, rejected: 0)

        let session = try store.beginImport(file: "big.csv", sha256: "big")
        for start in stride(from: 0, to: 30_000, by: 5_000) {
            _ = try session.merge((start..<(start + 5_000)).map {
                record("new\($0)@example.com", first: "New", properties: [("note", String(repeating: "x", count: 60))])
            })
        }
        _ = try session.merge([record("old1@x.com", first: "Changed")])
        let live = base + "/live/" + ContactStore.databaseFileName
        #expect(FileManager.default.fileExists(atPath: live + "-journal"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: live)[.size] as? Int)
        #expect(size > 2_000_000, "the import should have spilled into the database file")
        try FileManager.default.createDirectory(atPath: base + "/crashed", withIntermediateDirectories: true)
        for suffix in ["", "-journal"] {
            try FileManager.default.copyItem(atPath: live + suffix, toPath: base + "/crashed/" + ContactStore.databaseFileName + suffix)
        }
        session.rollback()

        let recovered = try ContactStore(directory: base + "/crashed")
        #expect(try recovered.liveContactCount() == 500)
        #expect(try recovered.contact(email: "old1@x.com")?.firstName == "Old")
        #expect(try recovered.contact(email: "new1@example.com") == nil)
        #expect(try recovered.importRecord(sha256: "big") == nil)
    }

    @Test func onlyOneImportAtATime() throws {
        let fixture = try StoreFixture()
        let session = try fixture.store.beginImport(file: "a.csv", sha256: "a")
        #expect(throws: StoreError.importInProgress) { _ = try fixture.store.beginImport(file: "b.csv", sha256: "b") }
        session.rollback()
        _ = try fixture.store.beginImport(file: "b.csv", sha256: "b")
    }

    @Test func reopeningRunsMigrationsIdempotently() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", first: "Ann")]], sha256: "one")
        try fixture.reopen()
        try fixture.reopen()
        #expect(try fixture.rows("PRAGMA user_version") == [["2"]])
        #expect(try fixture.rows("PRAGMA page_size") == [["16384"]])
        #expect(try fixture.rows("PRAGMA journal_mode") == [["delete"]])
        #expect(try fixture.store.contact(email: "a@x.com")?.firstName == "Ann")
        #expect(try fixture.store.importRecord(sha256: "one") != nil)
        #expect(try fixture.importBatches([[record("b@x.com")]]).counts.created == 1)
    }

    @Test func createsNestedFoldersAndReportsAnUnusableOne() throws {
        let base = NSTemporaryDirectory() + "contact-store-nested-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = try ContactStore(directory: base + "/var/store")
        #expect(try store.liveContactCount() == 0)
        #expect(FileManager.default.fileExists(atPath: base + "/var/store/contacts.sqlite"))
        #expect(FileManager.default.createFile(atPath: base + "/file", contents: Data("x".utf8)))
        #expect {
            _ = try ContactStore(directory: base + "/file/store")
        } throws: { error in
            guard case StoreError.cannotOpen = error else { return false }
            return true
        }
    }

    @Test func walModeWorksToo() throws {
        let fixture = try StoreFixture(journalMode: .wal)
        #expect(try fixture.rows("PRAGMA journal_mode") == [["wal"]])
        try fixture.importBatches([[record("a@x.com", first: "Ann")]])
        #expect(try fixture.store.contact(email: "a@x.com")?.firstName == "Ann")
    }

    @Test func refusesANewerSchema() throws {
        let fixture = try StoreFixture()
        _ = try fixture.rows("PRAGMA user_version = 99")
        #expect(throws: StoreError.newerSchema(found: 99, supported: 2)) { try fixture.reopen() }
    }

    @Test func nothingMergesAfterTheImportSettled() throws {
        let fixture = try StoreFixture()
        let session = try fixture.store.beginImport(file: "a.csv", sha256: "a")
        _ = try session.merge([record("a@x.com")])
        #expect(try session.settle() == MergeCounts(created: 1))
        #expect(throws: StoreError.importFinished) { _ = try session.merge([record("b@x.com")]) }
        try session.commit(rowsRead: 1, rejected: 0)
        #expect(try fixture.rows("SELECT email FROM contact_keys") == [["a@x.com"]])
    }

    /// A store written before row digests existed (schema 1) is upgraded in place on open.
    @Test func aVersionOneStoreIsUpgraded() throws {
        let directory = NSTemporaryDirectory() + "contact-store-v1-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let db = try SQLiteConnection(path: directory + "/" + ContactStore.databaseFileName)
            try db.execute("PRAGMA page_size = 16384", context: "test")
            try db.execute(Schema.version1, context: "test")
            try db.execute("""
                INSERT INTO contacts(id, email, first_name, created_at, updated_at) VALUES(1, 'old@x.com', 'Olga', 't', 't');
                INSERT INTO contact_keys(email, id, hash) VALUES('old@x.com', 1, 0);
                PRAGMA user_version = 1;
                """, context: "test")
        }
        let store = try ContactStore(directory: directory)
        let session = try store.beginImport(file: "new.csv", sha256: "new")
        #expect(session.knownRows == nil, "rows of a version 1 store are not known")
        _ = try session.merge([record("old@x.com", last: "Old"), record("new@x.com", first: "Ned")])
        #expect(try session.commit(rowsRead: 2, rejected: 0) == MergeCounts(created: 1, updated: 1))
        #expect(try store.contact(email: "old@x.com")?.firstName == "Olga")
        #expect(try store.contact(email: "old@x.com")?.lastName == "Old")
        #expect(try store.db.scalarInt("PRAGMA user_version") == 2)
    }
}

@Suite struct SQLiteSettingsTests {
    /// Memory statistics are off (each SQLite allocation took a global mutex to keep them):
    /// SQLite then reports no memory in use however much a store has done.
    @Test func memoryStatisticsAreOff() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([(0..<500).map { record("m\($0)@example.com", first: "M", row: $0 + 2) }])
        #expect(try fixture.rows("SELECT count(*) FROM contacts") == [["500"]])
        #expect(sqlite3_memory_used() == 0)
    }
}
