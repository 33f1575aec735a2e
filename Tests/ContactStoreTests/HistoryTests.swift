import ContactModel
import Testing
@testable import ContactStore

@Suite struct HistoryTests {
    @Test func changesAreRecordedWithSourceAndCreationIsSynthesized() throws {
        let fixture = try StoreFixture()
        let (_, firstImport) = try fixture.importBatches([[record("a@x.com", first: "Ann", type: .anonymous,
                                                                  properties: [("city", "York")], row: 5)]])
        fixture.clock.advance(86400)
        let (_, secondImport) = try fixture.importBatches([[record("a@x.com", first: "Anne", mobile: "+441", type: .identified,
                                                                   properties: [("city", "Leeds")], row: 7)]])
        let stored = try fixture.rows("""
            SELECT field, old_value, new_value, import_id, source_row, changed_at FROM property_history ORDER BY id
            """)
        #expect(stored == [
            ["first_name", "Ann", "Anne", String(secondImport), "7", "2026-11-30T08:23:30Z"],
            ["mobile", nil, "+441", String(secondImport), "7", "2026-11-30T08:23:30Z"],
            ["contact_type", "Anonymous", "Identified", String(secondImport), "7", "2026-11-30T08:23:30Z"],
            ["city", "York", "Leeds", String(secondImport), "7", "2026-11-30T08:23:30Z"],
        ])
        let city = try fixture.store.history(email: "a@x.com", key: "city")
        #expect(city == [
            HistoryEntry(field: "city", oldValue: nil, newValue: "York", importId: firstImport, sourceRow: 5,
                         at: "2026-11-29T08:23:30Z", isCreation: true),
            HistoryEntry(field: "city", oldValue: "York", newValue: "Leeds", importId: secondImport, sourceRow: 7,
                         at: "2026-11-30T08:23:30Z", isCreation: false),
        ])
        let all = try fixture.store.history(email: "a@x.com", key: nil)
        #expect(all.filter(\.isCreation).map(\.field) == ["first_name", "contact_type", "city"])
        #expect(all.filter { !$0.isCreation }.count == 4)
        #expect(try fixture.store.history(email: "nobody@x.com", key: nil).isEmpty)
    }

    @Test func aContactCreatedByTheImportAndChangedInALaterBatchHasOnlyItsCreation() throws {
        let fixture = try StoreFixture()
        let (counts, importId) = try fixture.importBatches([
            [record("a@x.com", first: "Ann", type: .anonymous, properties: [("city", "York")], lists: ["L1"], row: 2)],
            [record("b@x.com", row: 3), record("a@x.com", first: "Anne", last: "Lee", type: .identified,
                                               properties: [("city", "Leeds")], lists: ["L2"], row: 40)],
            [record("a@x.com", type: .anonymous, properties: [("zip", "LS1")], row: 41)],
        ])
        #expect(counts == MergeCounts(created: 2, duplicates: 2))
        #expect(try fixture.rows("SELECT count(*) FROM property_history") == [["0"]])
        let contact = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(contact.firstName == "Anne" && contact.lastName == "Lee" && contact.contactType == .identified)
        #expect(contact.properties == ["city": "Leeds", "zip": "LS1"])
        #expect(contact.lists == ["L1", "L2"])
        let history = try fixture.store.history(email: "a@x.com", key: nil)
        #expect(history.allSatisfy { $0.isCreation && $0.importId == importId && $0.sourceRow == 2 })
        #expect(history.map(\.newValue) == ["Anne", "Lee", "Identified", "Leeds", "LS1"])
    }

    @Test func aPreExistingContactChangedTwiceHasOneRowPerFieldFromItsOldToItsFinalValue() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", first: "Ann", last: "Lee", mobile: "+441",
                                           properties: [("city", "York")], subscriptions: [("news", true)], row: 2)]])
        fixture.clock.advance(100)
        let (counts, importId) = try fixture.importBatches([
            [record("a@x.com", first: "Anna", last: "Low", properties: [("city", "Leeds")], row: 2)],
            [record("a@x.com", first: "Anne", last: "Lee", properties: [("zip", "LS1")],
                    subscriptions: [("news", false)], row: 9)],
            [record("a@x.com", first: "Annie", row: 12)],
        ])
        #expect(counts == MergeCounts(updated: 1, duplicates: 2))
        let rows = try fixture.rows("SELECT field, old_value, new_value, import_id, source_row FROM property_history ORDER BY field")
        let id = String(importId)
        #expect(rows == [
            ["city", "York", "Leeds", id, "2"],
            ["first_name", "Ann", "Annie", id, "12"],
            ["subscription:news", "subscribed", "unsubscribed", id, "9"],
            ["zip", nil, "LS1", id, "9"],
        ].sorted { ($0[0] ?? "") < ($1[0] ?? "") })
        let contact = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(contact.firstName == "Annie" && contact.lastName == "Lee" && contact.mobile == "+441")
        #expect(contact.updatedAt == "2026-11-29T08:25:10Z")
    }

    @Test func aContactFirstFoundUnchangedThenChangedByALaterBatchIsUpdated() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", first: "Ann", row: 2)]])
        let (counts, _) = try fixture.importBatches([[record("a@x.com", first: "Ann", row: 2)],
                                                     [record("a@x.com", first: "Anne", row: 3)]])
        #expect(counts == MergeCounts(updated: 1, duplicates: 1))
        #expect(try fixture.rows("SELECT old_value, new_value FROM property_history") == [["Ann", "Anne"]])
    }
}
