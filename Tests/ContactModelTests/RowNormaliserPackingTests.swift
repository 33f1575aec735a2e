import Testing
import Tabular
@testable import ContactModel

/// A packed record reads back as exactly the record its fields give, and a record is declined
/// for packing only when it would need cleaning or has a subscription.
@Suite struct RowNormaliserPackingTests {
    static let layouts: [[String]] = [
        ["Email", "First Name", "Last Name", "Mobile", "Contact Type", "Postcode", "Hubs", "Lists", "Badges", "Notes"],
        ["Name", "E-mail", "Phone", "Type", "Favourite Colour", "Ignored?", "Badges", "Subscriptions"],
        ["Notes", "Email Address", "First Name", "First Name", "Full Name", "Hub", "Hubs"],
    ]
    static let emails = ["jane@example.com", " Jane.Doe@Example.COM ", "Jo <jo@x.io>", "bob@x.com", "zoë@exämple.com", ""]
    /// Names and values: full names that split at an ASCII space, at a space before a
    /// non-ASCII letter, and at a space followed by a combining mark (no split there for `String`).
    static let texts = ["Jane", "  Jane   Mary ", "\tO'Brien\r\n", "Zoë\u{2003}\u{2003}Ann", "日本 語", "", "   ",
                        "Ann \u{301}Lee", "Ann Lee \u{301}x", "José Lee", "Ann Émile", "\"quoted\", comma", "é"]
    static let mobiles = ["0412 345 678", "+61 412 345 678", "412345678", "", "  ", "ask reception"]
    static let types = ["identified", "  AUTH ", "", "   ", "bogus"]
    /// Items, some repeated within a cell, one the file's own list, some equal only as `String`s.
    static let items = ["VIP; News | Sydney", ";;", "  ", "Melbourne CBD", "VIP; VIP", "Spring Promo", "a; A",
                        "Zoë ; Zoë", "Zoe\u{0308}; Zoë", "Offers: no, -Promo", "Sydney"]

    static let pools = FieldPools(emails: emails, texts: texts, mobiles: mobiles, types: types, items: items)

    @Test func packedRecordsReadBackAsTheRecordsTheirFieldsGive() throws {
        var random = SplitMix(seed: 7)
        var packed = 0
        var built = 0
        for layout in Self.layouts {
            let normaliser = RowNormaliser(mapping: try HeaderMapping(header: layout), region: PhoneNumber.Region.known["AU"]!,
                                           fileLists: ["Spring Promo"])
            var batch = RecordBatch(columns: normaliser.columnProperties)
            var expected: [ContactRecord] = []
            var packedHere = 0
            for number in 2..<2_000 {
                let count = random.next(layout.count + 2)
                let fields = Self.pools.fields(count, of: normaliser.mapping, &random)
                let before = batch.count
                let didPack = RecordBytes.withFields(fields) { normaliser.pack(fields: $0, number: number, into: &batch) }
                var records: [ContactRecord] = []
                let didBuild = RecordBytes.withFields(fields) { normaliser.normalise(fields: $0, number: number, into: &records) }
                if didPack {
                    packed += 1
                    packedHere += 1
                    #expect(didBuild, "packed but not built: \(fields)")
                    #expect(batch.count == before + 1 && batch.isPacked(before))
                    expected.append(contentsOf: records)
                } else {
                    #expect(batch.count == before, "nothing appended when declined: \(fields)")
                    guard let record = records.first else { continue }
                    built += 1
                    #expect(Self.needsCleaning(record) || !record.subscriptions.isEmpty || Self.hasUnicodeSet(record),
                            "declined without a reason: \(fields)")
                    batch.append(record)
                    expected.append(record)
                }
            }
            #expect(batch.allRecords == expected)
            #expect(batch.packedCount == packedHere)
        }
        #expect(packed > 1_500 && built > 300, "packed \(packed), built \(built)")
    }

    @Test func aPackedRecordKeepsItsDigestAndPlace() throws {
        let normaliser = RowNormaliser(mapping: try HeaderMapping(header: ["Email", "Full Name", "Hubs", "Postcode"]),
                                       region: PhoneNumber.Region.known["AU"]!)
        var batch = RecordBatch(columns: normaliser.columnProperties)
        #expect(RecordBytes.withFields([" Ann@X.com", " Ann  Lee ", "Sydney; Perth", " 0800 "]) {
            normaliser.pack(fields: $0, number: 7, into: &batch)
        })
        batch.append(ContactRecord(email: "bob@x.com", firstName: "Bob", sourceRow: 8))
        let digest = RowDigest(high: 1, low: 2)
        batch.setRowDigest(digest, at: 0)
        batch.moveToEnd(0)
        #expect(batch.allRecords == [
            ContactRecord(email: "bob@x.com", firstName: "Bob", sourceRow: 8),
            ContactRecord(email: "ann@x.com", firstName: "Ann", lastName: "Lee",
                          properties: [PropertyValue(key: "postcode", label: "Postcode", value: "0800")],
                          hubs: ["Sydney", "Perth"], sourceRow: 7, rowDigest: digest),
        ])
        #expect(batch.withEmail(at: 1) { Array($0) } == Array("ann@x.com".utf8))
    }

    /// Two columns mapped to one property (a mapping can be built so; the header's never is):
    /// the record needs cleaning, so it is not packed.
    @Test func twoColumnsOfOnePropertyAreNotPacked() throws {
        var mapping = try HeaderMapping(header: ["Email", "Colour", "Color"])
        mapping.fields[2] = .property(key: "colour", label: "Color")
        let normaliser = RowNormaliser(mapping: mapping, region: PhoneNumber.Region.known["AU"]!)
        var batch = RecordBatch(columns: normaliser.columnProperties)
        #expect(!RecordBytes.withFields(["a@x.com", "Red", "Blue"]) { normaliser.pack(fields: $0, number: 2, into: &batch) })
        #expect(batch.isEmpty)
    }

    /// Whether a list, the hubs or the badges repeat an item (`ContactState.isCleanSet`).
    static func needsCleaning(_ record: ContactRecord) -> Bool {
        [record.lists, record.hubs, record.badges].contains { items in
            items.indices.contains { i in items[..<i].contains(items[i]) }
        }
    }

    /// Whether a list, the hubs or the badges have several items, one of them not ASCII.
    static func hasUnicodeSet(_ record: ContactRecord) -> Bool {
        [record.lists, record.hubs, record.badges].contains { items in
            items.count > 1 && items.contains { !$0.utf8.allSatisfy { $0 < 0x80 } }
        }
    }
}
