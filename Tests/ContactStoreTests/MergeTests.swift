import ContactModel
import Testing
@testable import ContactStore

@Suite struct MergeTests {
    @Test func createsContactsWithAllTheirValues() throws {
        let fixture = try StoreFixture()
        let (counts, importId) = try fixture.importBatches([[
            record("b@example.com", first: "Bea", last: "Burns", mobile: "+447700900001", type: .identified,
                   properties: [("favourite_colour", "blue"), ("city", "Leeds")], lists: ["VIP"], hubs: ["Leeds"],
                   badges: ["gold"], subscriptions: [("news", true)], row: 2),
            record("a@example.com", first: "Ann", row: 3),
        ]])
        #expect(counts == MergeCounts(created: 2))
        let rows = try fixture.rows("""
            SELECT c.email, first_name, last_name, mobile, contact_type, properties, lists, hubs, badges, subscriptions,
                   created_at, updated_at, created_import, created_row, k.email
            FROM contacts c JOIN contact_keys k ON k.id = c.id ORDER BY c.email
            """)
        #expect(rows.count == 2)
        #expect(rows[0] == ["a@example.com", "Ann", nil, nil, nil, nil, nil, nil, nil, nil,
                            "2026-11-29T08:23:30Z", "2026-11-29T08:23:30Z", String(importId), "3", "a@example.com"])
        #expect(rows[1] == ["b@example.com", "Bea", "Burns", "+447700900001", "1",
                            #"{"favourite_colour":"blue","city":"Leeds"}"#, #"["VIP"]"#, #"["Leeds"]"#, #"["gold"]"#,
                            #"{"news":true}"#, "2026-11-29T08:23:30Z", "2026-11-29T08:23:30Z", String(importId), "2",
                            "b@example.com"])
        #expect(try fixture.store.liveContactCount() == 2)
        #expect(try fixture.store.propertyKeys().map(\.key) == ["city", "favourite_colour"])
        #expect(try fixture.store.propertyKeys().map(\.label) == ["City", "Favourite_Colour"])
    }

    @Test func dedupesWithinTheFileAcrossBatchesLaterNonEmptyWins() throws {
        let fixture = try StoreFixture()
        let (counts, _) = try fixture.importBatches([
            [record("a@x.com", first: "Ann", mobile: "+441", row: 2),
             record("b@x.com", first: "Bob", row: 3),
             record("a@x.com", first: "Anne", last: "", row: 4)],
            [record("c@x.com", first: "Cy", row: 5),
             record("a@x.com", first: nil, last: "Ames", properties: [("city", "York")], row: 6)],
            [record("a@x.com", first: "Annie", row: 7)],
        ])
        #expect(counts == MergeCounts(created: 3, updated: 0, unchanged: 0, duplicates: 3))
        let a = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(a.firstName == "Annie")
        #expect(a.lastName == "Ames")
        #expect(a.mobile == "+441")
        #expect(a.properties == ["city": "York"])
        #expect(try fixture.rows("SELECT count(*) FROM contacts") == [["3"]])
    }

    @Test func existingContactsAreUpdatedOrUnchangedAndEmptyNeverErases() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", first: "Ann", last: "Ames", mobile: "+441", properties: [("city", "York")]),
                                    record("b@x.com", first: "Bob")]])
        fixture.clock.advance(3600)
        let (counts, _) = try fixture.importBatches([[
            record("a@x.com", first: "", last: nil, mobile: "", properties: [("city", "")]),
            record("b@x.com", first: "Bob", last: "Brown"),
        ]])
        #expect(counts == MergeCounts(created: 0, updated: 1, unchanged: 1, duplicates: 0))
        let a = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(a.firstName == "Ann" && a.lastName == "Ames" && a.mobile == "+441" && a.properties == ["city": "York"])
        #expect(a.updatedAt == "2026-11-29T08:23:30Z")
        let b = try #require(try fixture.store.contact(email: "b@x.com"))
        #expect(b.lastName == "Brown")
        #expect(b.updatedAt == "2026-11-29T09:23:30Z")
        #expect(b.createdAt == "2026-11-29T08:23:30Z")
    }

    @Test func contactTypeOnlyMovesUp() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", type: .identified)]])
        var (counts, _) = try fixture.importBatches([[record("a@x.com", type: .anonymous)]])
        #expect(counts.unchanged == 1)
        #expect(try fixture.store.contact(email: "a@x.com")?.contactType == .identified)
        (counts, _) = try fixture.importBatches([[record("a@x.com", type: .authenticated)]])
        #expect(counts.updated == 1)
        #expect(try fixture.store.contact(email: "a@x.com")?.contactType == .authenticated)
        // Within one file too: the highest type wins whatever the order.
        try fixture.importBatches([[record("b@x.com", type: .authenticated, row: 2), record("b@x.com", type: .anonymous, row: 3)]])
        #expect(try fixture.store.contact(email: "b@x.com")?.contactType == .authenticated)
    }

    @Test func unchangedContactsCostNoWrite() throws {
        let fixture = try StoreFixture()
        let file = (0..<200).map { record("user\($0)@x.com", first: "F\($0)", properties: [("k", "v\($0)")], lists: ["L"], row: $0 + 2) }
        // Repeats in a later batch: the stored fingerprint then differs from the first row's.
        let repeats = (0..<20).map { record("user\($0)@x.com", last: "L\($0)", row: 300 + $0) }
        try fixture.importBatches([file, repeats])
        fixture.clock.advance(60)
        let session = try fixture.store.beginImport(file: "again.csv", sha256: "again")
        let before = fixture.store.totalChanges
        _ = try session.merge(file)
        _ = try session.merge(repeats)
        let counts = try session.settle()
        #expect(fixture.store.totalChanges == before)
        #expect(counts == MergeCounts(created: 0, updated: 0, unchanged: 200, duplicates: 20))
        try session.commit(rowsRead: 220, rejected: 0)
        #expect(try fixture.rows("SELECT DISTINCT updated_at FROM contacts") == [["2026-11-29T08:23:30Z"]])
    }

    @Test func aContactFoundUnchangedThenChangedLaterInTheFileCountsOnceAsUpdated() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", first: "Ann"), record("b@x.com", first: "Bob")]])
        let (counts, _) = try fixture.importBatches([
            [record("a@x.com", first: "Ann", row: 2), record("b@x.com", last: "Brown", row: 3)],
            [record("a@x.com", last: "Ames", row: 4), record("b@x.com", last: "Black", row: 5)],
            [record("a@x.com", first: "Ann", row: 6)],
        ])
        #expect(counts == MergeCounts(created: 0, updated: 2, unchanged: 0, duplicates: 3))
        #expect(try fixture.store.contact(email: "a@x.com")?.lastName == "Ames")
        #expect(try fixture.store.contact(email: "b@x.com")?.lastName == "Black")
        #expect(try fixture.rows("SELECT field, old_value, new_value, source_row FROM property_history ORDER BY contact_id")
                    == [["last_name", nil, "Ames", "4"], ["last_name", nil, "Black", "5"]])
    }

    @Test func listsHubsAndBadgesAccumulate() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", lists: ["VIP"], hubs: ["Leeds"], badges: ["gold"])]])
        let (counts, _) = try fixture.importBatches([[record("a@x.com", lists: ["Newsletter", "VIP"], hubs: ["York"], badges: ["gold"])]])
        #expect(counts.updated == 1)
        let a = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(a.lists == ["VIP", "Newsletter"])
        #expect(a.hubs == ["Leeds", "York"])
        #expect(a.badges == ["gold"])
        let (again, _) = try fixture.importBatches([[record("a@x.com", lists: ["VIP"], hubs: ["York", "Leeds"])]])
        #expect(again.unchanged == 1)
    }

    @Test func subscriptionOptOutChangesStatus() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[record("a@x.com", subscriptions: [("news", true), ("offers", true)])]])
        fixture.clock.advance(10)
        let (counts, importId) = try fixture.importBatches([[record("a@x.com", subscriptions: [("offers", false)], row: 9)]])
        #expect(counts.updated == 1)
        let a = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(a.subscriptions == ["news": true, "offers": false])
        let history = try fixture.store.history(email: "a@x.com", key: "subscription:offers")
        #expect(history.map(\.newValue) == ["subscribed", "unsubscribed"])
        #expect(history.last?.oldValue == "subscribed")
        #expect(history.last?.importId == importId)
        #expect(history.last?.sourceRow == 9)
        // Opting back in is a change too; repeating the opt-out is not.
        let (repeatCounts, _) = try fixture.importBatches([[record("a@x.com", subscriptions: [("offers", false)])]])
        #expect(repeatCounts.unchanged == 1)
    }

    @Test func escapedValuesRoundTrip() throws {
        let fixture = try StoreFixture()
        let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} é 🎉"
        try fixture.importBatches([[record("a@x.com", first: odd, properties: [("note", odd), ("we\"ird", "x")], lists: [odd])]])
        let a = try #require(try fixture.store.contact(email: "a@x.com"))
        #expect(a.firstName == odd)
        #expect(a.properties == ["note": odd, "we\"ird": "x"])
        #expect(a.lists == [odd])
        #expect(try fixture.rows("SELECT json_extract(properties, '$.note') FROM contacts") == [[odd]])
        #expect(try fixture.export(["note", "lists", "we\"ird"]) == [[odd, odd, "x"]])
        // The same values again are recognised as unchanged.
        let (counts, _) = try fixture.importBatches([[record("a@x.com", properties: [("note", odd)])]])
        #expect(counts.unchanged == 1)
    }

    @Test func aSingleRowWithRepeatsOrEmptiesIsCleanedBeforeStoring() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[
            record("a@x.com", first: "", properties: [("city", "York"), ("tier", ""), ("city", "Leeds")],
                   lists: ["A", "", "A", "B"], subscriptions: [("news", true), ("news", false)]),
            record("b@x.com", properties: [("city", "Bath")]),
        ]])
        let rows = try fixture.rows("SELECT first_name, properties, lists, subscriptions FROM contacts ORDER BY id")
        #expect(rows[0] == [nil, #"{"city":"Leeds"}"#, #"["A","B"]"#, #"{"news":false}"#])
        #expect(rows[1] == [nil, #"{"city":"Bath"}"#, nil, nil])
        let (counts, _) = try fixture.importBatches([[record("a@x.com", properties: [("city", "Leeds")], lists: ["B", "A"])]])
        #expect(counts.unchanged == 1)
    }

    @Test func batchesCanBePreparedOnAnotherThread() async throws {
        let fixture = try StoreFixture()
        let batch = (0..<100).map { record("u\($0 % 60)@x.com", first: "F\($0)", row: $0 + 2) }
        let prepared = await Task.detached { ImportSession.prepare(batch) }.value
        #expect(prepared.recordCount == 100)
        let session = try fixture.store.beginImport(file: "p.csv", sha256: "p")
        #expect(try session.merge(prepared: prepared) == MergeCounts(created: 60, duplicates: 40))
        try session.commit(rowsRead: 100, rejected: 0)
        #expect(try fixture.store.contact(email: "u1@x.com")?.firstName == "F61")
    }

    @Test func keyOrderIsByteOrderAndKeepsFileOrderAmongEquals() {
        let batch = ["b@x", "a@x", "ab@x", "b@x", "Z@x", "é@x", "a@x"].enumerated().map { record($1, row: $0) }
        let order = PreparedBatch.keyOrder(batch)
        #expect(order.map { batch[$0].email } == ["Z@x", "a@x", "a@x", "ab@x", "b@x", "b@x", "é@x"])
        #expect(order.map { batch[$0].sourceRow } == [4, 1, 6, 2, 0, 3, 5])
    }
}
