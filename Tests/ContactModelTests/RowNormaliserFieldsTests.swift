import Testing
import Tabular
@testable import ContactModel

/// A record normalised from its fields is exactly the record its row gives, and the fields
/// are declined only for what needs the row's words: a rejection, a warning, a blank row,
/// or text the byte-level path leaves to Unicode (a non-ASCII email or contact type).
@Suite struct RowNormaliserFieldsTests {
    static let layouts: [[String]] = [
        ["Email", "First Name", "Last Name", "Mobile", "Contact Type", "Postcode", "Hubs", "Lists", "Badges", "Subscriptions", "Notes"],
        ["Name", "E-mail", "Phone", "Type", "Favourite Colour", "Ignored?", "Badges"],
        ["Notes", "Email Address"],
    ]

    /// Values each kind of column draws from: the usual, the messy, and the ones that fail.
    static let emails = ["jane@example.com", " Jane.Doe@Example.COM ", "mailto:OK@x.co?subject=hi", "Jo <jo@x.io>",
                         "zoë@exämple.com", "JOSÉ@x.com", "no-at.example.com", "a@b@c.com", "", "   ", "a b@x.com",
                         "x@-bad.com", "\u{00A0}nb@x.com", "tab@x.com\t"]
    static let texts = ["Jane", "  Jane   Mary ", "\tO'Brien\r\n", "Zoë\u{2003}\u{2003}Ann", "日本 語", "", "   ",
                        "\u{3000}", "a\u{200B}b", "x\u{0085}y", "\"quoted\", comma", "é"]
    static let mobiles = ["0412 345 678", "+61 412 345 678", "61412345678", "(04) 1234 5678", "412345678", "ask reception",
                          "", "  ", "\u{00A0}0412345678", "0412-345-678 ", "+44 20 7946 0958", "12"]
    static let types = ["identified", "  AUTH ", "Anonymous", "", "   ", "bogus", "ïdentified", "\u{00A0}auth", "I", "known "]
    static let items = ["VIP; News | Sydney", ";;", "  ", "Melbourne CBD", "a,b\nc", "Offers: no, -Promo, Club=yes", "Zoë ; 日本"]

    static let pools = FieldPools(emails: emails, texts: texts, mobiles: mobiles, types: types, items: items)

    @Test func fieldsGiveTheRecordTheRowGives() throws {
        var random = SplitMix(seed: 42)
        var taken = 0
        var declined = 0
        for layout in Self.layouts {
            let normaliser = RowNormaliser(mapping: try HeaderMapping(header: layout), region: PhoneNumber.Region.known["AU"]!,
                                           fileLists: ["Spring Promo"])
            for number in 2..<1_500 {
                // Ragged rows too: fewer fields than the header, or more.
                let count = random.next(layout.count + 3)
                let fields = Self.pools.fields(count, of: normaliser.mapping, &random)
                var fast: [ContactRecord] = []
                let tookFields = RecordBytes.withFields(fields) { normaliser.normalise(fields: $0, number: number, into: &fast) }
                var slow: [ContactRecord] = []
                var warnings: [String] = []
                let verdict = RecordBytes.withFields(fields) {
                    normaliser.normalise(Row(number: number, line: number, fields: $0), into: &slow, warnings: &warnings)
                }
                if tookFields {
                    taken += 1
                    #expect(verdict == .accepted && warnings.isEmpty, "\(fields)")
                    #expect(fast == slow, "\(fields)")
                } else {
                    declined += 1
                    #expect(fast.isEmpty, "nothing appended when declined: \(fields)")
                    let email = normaliser.mapping.fields.firstIndex(of: .email).flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
                    let type = normaliser.mapping.fields.firstIndex(of: .contactType).flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
                    let unicode = !email.utf8.allSatisfy { $0 < 0x80 } || !type.utf8.allSatisfy { $0 < 0x80 }
                    #expect(verdict != .accepted || !warnings.isEmpty || unicode, "declined without a reason: \(fields)")
                }
            }
        }
        // Most rows of these pools are plain: a path that declined everything would pass the
        // checks above.
        #expect(taken > 1_000 && declined > 500, "taken \(taken), declined \(declined)")
    }

    @Test func aPlainRowIsTakenFromItsFields() throws {
        let normaliser = RowNormaliser(mapping: try HeaderMapping(header: ["Email", "Full Name", "Mobile", "Hubs", "Postcode"]),
                                       region: PhoneNumber.Region.known["AU"]!)
        var records: [ContactRecord] = []
        let taken = RecordBytes.withFields([" Ann@X.com", " Ann  Lee ", "0412 345 678", "Sydney; Perth", " 0800 "]) {
            normaliser.normalise(fields: $0, number: 7, into: &records)
        }
        #expect(taken)
        #expect(records == [ContactRecord(email: "ann@x.com", firstName: "Ann", lastName: "Lee", mobile: "+61412345678",
                                          properties: [PropertyValue(key: "postcode", label: "Postcode", value: "0800")],
                                          hubs: ["Sydney", "Perth"], sourceRow: 7)])
    }
}

/// Values to draw a row's fields from, by what each column of a mapping feeds.
struct FieldPools {
    var emails: [String]
    var texts: [String]
    var mobiles: [String]
    var types: [String]
    var items: [String]

    /// `count` fields for `mapping`'s columns (columns past the header take texts).
    func fields(_ count: Int, of mapping: HeaderMapping, _ random: inout SplitMix) -> [String] {
        (0..<count).map { index -> String in
            switch index < mapping.fields.count ? mapping.fields[index] : .ignored {
            case .email: return random.pick(emails)
            case .mobile: return random.pick(mobiles)
            case .contactType: return random.pick(types)
            case .lists, .hubs, .badges, .subscriptions: return random.pick(items)
            default: return random.pick(texts)
            }
        }
    }
}

/// A small deterministic generator for the test's rows.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
}
