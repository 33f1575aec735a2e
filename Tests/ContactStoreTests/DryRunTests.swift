import ContactModel
import Foundation
import Testing
@testable import ContactStore

/// A dry run's imports see each other as a real run's would, and leave the store as it was.
@Suite struct DryRunTests {
    @Test func importsInADryRunSeeEachOtherAndAreAllUndone() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("kept@x.com", first: "Kept")]])
        let before = try fixture.rows("SELECT id, email, first_name, updated_at FROM contacts ORDER BY id")
        let ledgerBefore = try fixture.rows("SELECT id, file, status FROM imports ORDER BY id")

        try fixture.store.beginDryRun()
        #expect(fixture.store.inDryRun)
        let first = try fixture.importBatches([[record("ann@x.com", first: "Ann"), record("kept@x.com", first: "Changed")]], file: "a.csv", sha256: "a")
        #expect(first.counts.created == 1 && first.counts.updated == 1)
        let second = try fixture.importBatches([[record("ann@x.com", first: "Anne"), record("bob@x.com")]], file: "b.csv", sha256: "b")
        #expect(second.counts.created == 1 && second.counts.updated == 1, "the second import sees the first's contact")
        let earlier = try #require(try fixture.store.importRecord(sha256: "a"))
        #expect(fixture.store.isFromThisDryRun(earlier))
        let realSHA = try #require(try fixture.rows("SELECT sha256 FROM imports WHERE id = 1").first?.first ?? nil)
        #expect(!fixture.store.isFromThisDryRun(try #require(try fixture.store.importRecord(sha256: realSHA))))
        // A failing import inside the dry run undoes only itself.
        let failing = try fixture.store.beginImport(file: "c.csv", sha256: "c")
        _ = try failing.merge([record("cy@x.com")])
        failing.rollback()
        #expect(try fixture.store.contact(email: "cy@x.com") == nil)
        #expect(try fixture.store.contact(email: "bob@x.com") != nil)
        #expect(throws: StoreError.importInProgress) { try fixture.store.beginDryRun() }
        #expect(throws: StoreError.importInProgress) { _ = try fixture.store.exportSnapshot(columns: ["email"], parts: 1) }
        fixture.store.endDryRun()

        #expect(!fixture.store.inDryRun)
        #expect(try fixture.rows("SELECT id, email, first_name, updated_at FROM contacts ORDER BY id") == before)
        #expect(try fixture.rows("SELECT id, file, status FROM imports ORDER BY id") == ledgerBefore)
        #expect(try fixture.rows("SELECT count(*) FROM contact_keys") == [["1"]])
        // The store takes real imports again, numbering from where it was.
        let real = try fixture.importBatches([[record("ann@x.com")]])
        #expect(real.counts.created == 1)
        #expect(try fixture.store.contact(email: "ann@x.com")?.id == 2)
    }

    @Test func aFailedFirstImportLeavesTheDryRunFresh() throws {
        let fixture = try StoreFixture()
        try fixture.store.beginDryRun()
        let failing = try fixture.store.beginImport(file: "a.csv", sha256: "a")
        _ = try failing.merge([record("ann@x.com")])
        failing.rollback()
        let next = try fixture.importBatches([[record("bob@x.com")]], file: "b.csv", sha256: "b")
        #expect(next.counts.created == 1)
        #expect(try fixture.store.contact(email: "ann@x.com") == nil)
        #expect(fixture.store.isFromThisDryRun(try #require(try fixture.store.importRecord(sha256: "b"))))
        fixture.store.endDryRun()
        #expect(try fixture.rows("SELECT count(*) FROM contacts") == [["0"]])
        #expect(try fixture.rows("SELECT count(*) FROM imports") == [["0"]])
    }
}
