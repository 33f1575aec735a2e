import ContactModel
import Foundation
import Testing
@testable import ContactStore

@Suite struct TombstoneTests {
    @Test func deleteWipesPersonalDataAndReimportCreatesANewContact() throws {
        let fixture = try StoreFixture()
        let secrets = ["zelda.quartermaine@example.org", "Zeldaname", "Quartermainesurname", "+447700911922",
                       "Xylophonecity", "Secretlist", "Mysteryhub", "Rarebadge", "Hiddengroup", "Oldfirstname"]
        try fixture.importBatches([[record(secrets[0], first: secrets[9], last: secrets[2], mobile: secrets[3],
                                           properties: [("city", secrets[4])], lists: [secrets[5]], hubs: [secrets[6]],
                                           badges: [secrets[7]], subscriptions: [(secrets[8], true)])]])
        try fixture.importBatches([[record(secrets[0], first: secrets[1])]])   // leaves Oldfirstname in history
        try fixture.importBatches([[record("other@example.org", first: "Olga")]])
        let oldId = try #require(try fixture.store.contact(email: secrets[0])?.id)

        #expect(try fixture.store.delete(email: secrets[0]))
        #expect(try !fixture.store.delete(email: secrets[0]))
        #expect(try fixture.store.contact(email: secrets[0]) == nil)
        #expect(try fixture.store.liveContactCount() == 1)
        let tomb = try fixture.rows("""
            SELECT email, first_name, last_name, mobile, properties, lists, hubs, badges, subscriptions,
                   deleted_at IS NOT NULL, public_id LIKE 'deleted-%' FROM contacts WHERE id = \(oldId)
            """)
        #expect(tomb == [[nil, nil, nil, nil, nil, nil, nil, nil, nil, "1", "1"]])
        #expect(try fixture.rows("SELECT count(*) FROM property_history WHERE contact_id = \(oldId) AND (old_value IS NOT NULL OR new_value IS NOT NULL)") == [["0"]])
        #expect(try fixture.export(["email"]) == [["other@example.org"]])

        // No byte of the person is left in the file, even before compaction (secure_delete).
        try fixture.store.checkpoint()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
        for secret in secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in the database file")
        }
        #expect(bytes.range(of: Data("Olga".utf8)) != nil)
        try fixture.store.vacuum()
        let compacted = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
        for secret in secrets { #expect(compacted.range(of: Data(secret.utf8)) == nil) }

        let (counts, _) = try fixture.importBatches([[record(secrets[0], first: "New")]])
        #expect(counts == MergeCounts(created: 1))
        let again = try #require(try fixture.store.contact(email: secrets[0]))
        #expect(again.id != oldId)
        #expect(again.firstName == "New")
        #expect(try fixture.store.history(email: secrets[0], key: nil).map(\.newValue) == ["New"])
    }
}
