import ContactModel
import Testing
@testable import ContactStore

@Suite struct ExportTests {
    @Test func exportsLiveContactsInEmailOrderWithChosenColumns() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([[
            record("c@x.com", first: "Cy", type: .authenticated, properties: [("city", "York"), ("tier", "gold")],
                   lists: ["VIP", "News"], hubs: ["Leeds"], badges: ["b1"], subscriptions: [("news", true), ("sms", false)]),
            record("a@x.com", first: "Ann", last: "Ames", mobile: "+441", properties: [("tier", "silver")]),
            record("b@x.com"),
        ]])
        let columns = ["email", "first_name", "last_name", "mobile", "contact_type", "tier", "unknown_key", "lists", "hubs",
                       "badges", "subscriptions", "created_at", "updated_at", "city"]
        let rows = try fixture.export(columns)
        let t = "2026-11-29T08:23:30Z"
        #expect(rows == [
            ["a@x.com", "Ann", "Ames", "+441", nil, "silver", nil, nil, nil, nil, nil, t, t, nil],
            ["b@x.com", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, t, t, nil],
            ["c@x.com", "Cy", nil, nil, "Authenticated", "gold", nil, "VIP;News", "Leeds", "b1", "news", t, t, "York"],
        ])
        // Creation order: ids follow imports, and email order within a batch.
        try fixture.importBatches([[record("0@x.com")]])
        #expect(try fixture.export(["email"], order: .creation) == [["a@x.com"], ["b@x.com"], ["c@x.com"], ["0@x.com"]])
        #expect(try fixture.export(["email"]).first == ["0@x.com"])
        #expect(try fixture.export(["tier", "email", "tier"])[1] == ["silver", "a@x.com", "silver"])
    }

    @Test func cursorCountsRowsAndRejectsEmptyColumnNames() throws {
        let fixture = try StoreFixture()
        try fixture.importBatches([(0..<50).map { record("u\($0)@x.com", first: "F\($0)") }])
        let cursor = try fixture.store.exportCursor(columns: ["first_name"])
        var firstNames = Set<String>()
        while try cursor.next() {
            firstNames.insert(String(decoding: try #require(cursor.cell(0)), as: UTF8.self))
        }
        #expect(cursor.rowCount == 50 && firstNames.count == 50)
        #expect(throws: StoreError.invalidColumn("")) { _ = try fixture.store.exportCursor(columns: [""]) }
    }
}
