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

    /// `file()` with a row digest on every record, as the Importer sets them.
    static func digested(_ batches: [[ContactRecord]]) -> [[ContactRecord]] {
        batches.map { batch in
            batch.map { record in
                var record = record
                record.rowDigest = Self.digest(of: record)
                return record
            }
        }
    }

    static func digest(of record: ContactRecord) -> RowDigest {
        RowDigest(high: UInt64(record.sourceRow) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(record.email.utf8.count) | 0xABCD_0000)
    }

    /// The digest stored with a contact, in hex: 32 digits, then "02" for several rows.
    static func hex(_ digest: RowSequenceDigest) -> String {
        digest.value.bytes.map { String(format: "%02X", $0) }.joined() + (digest.count > 1 ? "02" : "")
    }

    /// A contact whose rows are spread over batches is stored with the digest of all its rows
    /// in file order; a single-row contact with that row's own digest.
    @Test func aContactKeepsTheDigestOfAllItsRows() throws {
        let fixture = try StoreFixture()
        let batches = Self.digested(Self.file())
        try fixture.importBatches(batches)
        let rows = batches.flatMap { $0 }
        for email in ["p0@x.com", "p3@x.com", "single@x.com"] {
            let own = rows.filter { $0.email == email }
            var expected = RowSequenceDigest(own[0].rowDigest!)
            for later in own.dropFirst() { expected.append(later.rowDigest!) }
            #expect(own.count == (email == "single@x.com" ? 1 : 3))
            #expect(try fixture.rows("SELECT hex(row_digest) FROM contact_keys WHERE email = '\(email)'") == [[Self.hex(expected)]])
        }
    }

    /// Re-importing the same rows finds each contact's state came from exactly them and does
    /// not read it: a contact changed behind the store's back (with its fingerprint, so folding
    /// would have restored it) is left as it is. Without digests the rows are folded again.
    @Test func theSameRowsAgainAreKnownAppliedWithoutFolding() throws {
        let fixture = try StoreFixture()
        let batches = Self.digested(Self.file())
        try fixture.importBatches(batches)
        _ = try fixture.rows("UPDATE contacts SET first_name = 'Tampered' WHERE email = 'p3@x.com'")
        _ = try fixture.rows("UPDATE contact_keys SET hash = 0 WHERE email = 'p3@x.com'")
        let again = try fixture.importBatches(batches)
        #expect(again.counts == MergeCounts(unchanged: 6, duplicates: 10))
        #expect(try fixture.store.contact(email: "p3@x.com")?.firstName == "Tampered")

        let undigested = try fixture.importBatches(Self.file())
        #expect(undigested.counts == MergeCounts(updated: 1, unchanged: 5, duplicates: 10))
        #expect(try fixture.store.contact(email: "p3@x.com")?.firstName == "First2")
    }

    /// The same rows in another order are not the rows the contact came from: they are
    /// folded, and the last non-empty value wins as always.
    @Test func theSameRowsInAnotherOrderAreFolded() throws {
        let fixture = try StoreFixture()
        let batches = Self.digested(Self.file())
        try fixture.importBatches(batches)
        let reversed = Self.digested(Self.file().reversed().map { Array($0.reversed()) })
        let again = try fixture.importBatches(reversed)
        #expect(again.counts == MergeCounts(updated: 5, unchanged: 1, duplicates: 10))
        let contact = try #require(try fixture.store.contact(email: "p3@x.com"))
        #expect(contact.firstName == "First0" && contact.lastName == "Last3" && contact.contactType == .identified)
        #expect(contact.properties == ["city": "City0", "size": "3"] && contact.lists == ["List0", "List1", "List2"])
        // Its key now holds the digest of the rows in their new order.
        let own = reversed.flatMap { $0 }.filter { $0.email == "p3@x.com" }
        var expected = RowSequenceDigest(own[0].rowDigest!)
        for later in own.dropFirst() { expected.append(later.rowDigest!) }
        #expect(try fixture.rows("SELECT hex(row_digest) FROM contact_keys WHERE email = 'p3@x.com'") == [[Self.hex(expected)]])
    }

    /// Contacts settled early while their file was read, that then got rows again, keep the
    /// digest of all their rows: a later file with only some of those rows is folded, not
    /// taken as already applied.
    @Test func contactsSettledEarlyThenAgainKeepTheDigestOfAllTheirRows() throws {
        let fixture = try StoreFixture()
        func pass(first: String?, last: String?, row: Int) -> [ContactRecord] {
            (0..<100).map { i in
                var r = record("q\(i)@x.com", first: first, last: last, row: row + i)
                r.rowDigest = RowDigest(high: UInt64(row + i), low: 7)
                return r
            }
        }
        let one = pass(first: "A", last: "One", row: 1000)
        let two = pass(first: "B", last: nil, row: 2000)
        let three = pass(first: nil, last: "Three", row: 3000)
        let session = try fixture.store.beginImport(file: "a.csv", sha256: "a")
        _ = try session.merge(one)
        _ = try session.merge(two)
        #expect(try session.workWhileIdle(), "100 new contacts wait: a sweep settles them")
        while try session.workWhileIdle() {}
        _ = try session.merge(three)
        try session.commit(rowsRead: 300, rejected: 0)
        let stored = try #require(try fixture.store.contact(email: "q5@x.com"))
        #expect(stored.firstName == "B" && stored.lastName == "Three")

        // The first and third rows only: "A" now comes last among the first names.
        let again = try fixture.importBatches([one, three])
        #expect(again.counts == MergeCounts(updated: 100, duplicates: 100))
        let after = try #require(try fixture.store.contact(email: "q5@x.com"))
        #expect(after.firstName == "A" && after.lastName == "Three")
    }
}
