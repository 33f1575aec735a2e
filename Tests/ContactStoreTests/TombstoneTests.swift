import ContactModel
import Foundation
import Testing
@testable import ContactStore

@Suite struct TombstoneTests {
    @Test(arguments: [StoreOptions.JournalMode.rollback, .wal])
    func deleteWipesPersonalDataAndReimportCreatesANewContact(journalMode: StoreOptions.JournalMode) throws {
        let fixture = try StoreFixture(journalMode: journalMode)
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

        // No byte of the person is left in the file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
        bytes.append((try? Data(contentsOf: URL(fileURLWithPath: fixture.databasePath + "-wal"))) ?? Data())
        for secret in secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in the database files")
        }
        #expect(bytes.range(of: Data("Olga".utf8)) != nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.databasePath + "-journal"))

        let (counts, _) = try fixture.importBatches([[record(secrets[0], first: "New")]])
        #expect(counts == MergeCounts(created: 1))
        let again = try #require(try fixture.store.contact(email: secrets[0]))
        #expect(again.id != oldId)
        #expect(again.firstName == "New")
        #expect(try fixture.store.history(email: secrets[0], key: nil).map(\.newValue) == ["New"])
    }

    /// With thousands of contacts the email index has interior pages holding some of the emails;
    /// deleting must not leave any behind, with or without compaction.
    @Test func deletingFromABigStoreLeavesNoEmailInInteriorPages() throws {
        let fixture = try StoreFixture()
        let emails = (0..<6000).map { "person-\($0)-with-a-rather-long-address@example-domain.org" }
        try fixture.importBatches(stride(from: 0, to: emails.count, by: 1000).map { start in
            emails[start..<(start + 1000)].enumerated().map { record($1, first: "N\($0)", properties: [("note", "P\($1)")]) }
        })
        let doomed = stride(from: 0, to: emails.count, by: 37).map { emails[$0] }
        // Change a few first so their history holds values too.
        try fixture.importBatches([doomed.prefix(20).map { record($0, first: "Changed") }])
        let half = doomed.count / 2
        #expect(try fixture.store.delete(emails: Array(doomed[..<half])) == half)
        #expect(try fixture.store.delete(emails: Array(doomed[half...]), compact: true) == doomed.count - half)
        #expect(try fixture.store.liveContactCount() == emails.count - doomed.count)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
        for email in doomed {
            #expect(bytes.range(of: Data(email.utf8)) == nil, "\(email) survived the delete")
        }
        #expect(bytes.range(of: Data(emails[1].utf8)) != nil)
        #expect(try fixture.rows("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL AND public_id LIKE 'deleted-%'") == [[String(doomed.count)]])
    }
}
