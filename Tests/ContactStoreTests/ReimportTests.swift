import ContactModel
import Testing
@testable import ContactStore

/// Rows of one email spread over several batches of one file merge in file order, and the
/// store sees one net change per contact (DESIGN: within a file a later non-empty value wins).
@Suite struct ReimportTests {
    /// A file whose emails recur across small batches, values changing from row to row.
    static func file() -> [[ContactRecord]] {
        var rows: [ContactRecord] = []
        for pass in 0..<3 {
            for n in 0..<5 {
                rows.append(record("p\(n)@x.com", first: "First\(pass)", last: pass == 1 ? "Last\(n)" : nil,
                                   type: pass == 2 ? .identified : .anonymous,
                                   properties: [("city", "City\(pass)"), ("size", "\(n)")],
                                   lists: ["List\(pass)"], subscriptions: [("news", pass != 1)], row: rows.count + 2))
            }
        }
        rows.append(record("single@x.com", first: "Solo", row: rows.count + 2))
        return stride(from: 0, to: rows.count, by: 4).map { Array(rows[$0..<min($0 + 4, rows.count)]) }
    }

    @Test func reimportingTheSameContentAcrossBatchesChangesNothing() throws {
        let fixture = try StoreFixture()
        let batches = Self.file()
        let first = try fixture.importBatches(batches)
        #expect(first.counts == MergeCounts(created: 6, duplicates: 10))
        #expect(try fixture.rows("SELECT count(*) FROM property_history") == [["0"]])
        let contact = try #require(try fixture.store.contact(email: "p3@x.com"))
        #expect(contact.firstName == "First2" && contact.lastName == "Last3" && contact.contactType == .identified)
        #expect(contact.properties == ["city": "City2", "size": "3"] && contact.subscriptions == ["news": true])
        #expect(contact.lists == ["List0", "List1", "List2"])

        let snapshot = "SELECT * FROM contacts ORDER BY id"
        let keys = "SELECT * FROM contact_keys ORDER BY email"
        let contactsBefore = try fixture.rows(snapshot)
        let keysBefore = try fixture.rows(keys)
        fixture.clock.advance(3600)
        let again = try fixture.importBatches(batches)
        #expect(again.counts == MergeCounts(unchanged: 6, duplicates: 10))
        #expect(try fixture.rows("SELECT count(*) FROM property_history") == [["0"]])
        #expect(try fixture.rows(snapshot) == contactsBefore)
        #expect(try fixture.rows(keys) == keysBefore)
        let ledger = try #require(try fixture.rows("SELECT created, updated, unchanged, duplicates FROM imports WHERE id = \(again.importId)").first)
        #expect(ledger == ["0", "0", "6", "10"])
    }

    @Test func aReimportWithOneNetChangeRecordsOnlyThatChange() throws {
        let fixture = try StoreFixture()
        var batches = Self.file()
        try fixture.importBatches(batches)
        let before = try #require(try fixture.store.contact(email: "p1@x.com"))
        fixture.clock.advance(3600)
        batches[batches.count - 1].append(record("p1@x.com", last: "Changed", row: 99))
        let (counts, importId) = try fixture.importBatches(batches)
        #expect(counts == MergeCounts(updated: 1, unchanged: 5, duplicates: 11))
        #expect(try fixture.rows("SELECT contact_id, field, old_value, new_value, import_id, source_row FROM property_history")
                    == [[String(before.id), "last_name", "Last1", "Changed", String(importId), "99"]])
        let after = try #require(try fixture.store.contact(email: "p1@x.com"))
        #expect(after.updatedAt == "2026-11-29T09:23:30Z" && after.updatedAt != before.updatedAt)
        #expect(try fixture.store.contact(email: "p2@x.com")?.updatedAt == before.updatedAt)
    }

    @Test func dryRunCountsAreTheNetCounts() throws {
        let fixture = try StoreFixture()
        let batches = Self.file()
        try fixture.importBatches(batches)
        let session = try fixture.store.beginImport(file: "again.csv", sha256: "again")
        var total = MergeCounts()
        for batch in batches { total += try session.merge(batch) }
        let settled = try session.settle()
        session.rollback()
        #expect(settled == MergeCounts(unchanged: 6, duplicates: 10))
        #expect(total.duplicates == 10 && total.created == 0 && total.updated == 0)
    }
}
