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

    @Test func aLaterBatchOfTheSameFileIsRecordedAgainstTheFirst() throws {
        let fixture = try StoreFixture()
        let (counts, importId) = try fixture.importBatches([[record("a@x.com", first: "Ann", row: 2)],
                                                            [record("a@x.com", first: "Anne", row: 40)]])
        #expect(counts == MergeCounts(created: 1, duplicates: 1))
        let history = try fixture.store.history(email: "a@x.com", key: "first_name")
        #expect(history.map(\.newValue) == ["Ann", "Anne"])
        #expect(history.last?.importId == importId && history.last?.sourceRow == 40)
    }
}
