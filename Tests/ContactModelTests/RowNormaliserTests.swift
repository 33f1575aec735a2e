import Testing
import Tabular
@testable import ContactModel

@Suite struct RowNormaliserTests {
    func normaliser(_ header: [String], lists: [String] = []) throws -> RowNormaliser {
        RowNormaliser(mapping: try HeaderMapping(header: header), region: PhoneNumber.Region.known["AU"]!, fileLists: lists)
    }

    @Test func normalisesAFullRow() throws {
        let n = try normaliser(["Email", "First Name", "Last Name", "Mobile", "Contact Type", "Postcode", "Hubs"], lists: ["Spring Promo"])
        let row = Row(number: 2, cells: [.text(" Jane@Example.com "), .text("  Jane   Mary "), .text("Doe"), .number(412345678),
                                         .text("identified"), .text("0800"), .text("Sydney; Melbourne")])
        guard case let .record(r, warnings) = n.normalise(row) else { Issue.record("expected a record"); return }
        #expect(warnings.isEmpty)
        #expect(r.email == "jane@example.com")
        #expect(r.firstName == "Jane Mary")
        #expect(r.lastName == "Doe")
        #expect(r.mobile == "+61412345678")
        #expect(r.contactType == .identified)
        #expect(r.properties == [PropertyValue(key: "postcode", label: "Postcode", value: "0800")])
        #expect(r.hubs == ["Sydney", "Melbourne"])
        #expect(r.lists == ["Spring Promo"])
        #expect(r.sourceRow == 2)
    }

    @Test func keepsAnUnreadableMobileWithAWarning() throws {
        let n = try normaliser(["Email", "Mobile"])
        guard case let .record(r, warnings) = n.normalise(Row(number: 3, cells: [.text("a@b.co"), .text("ask reception")])) else {
            Issue.record("expected a record"); return
        }
        #expect(r.mobile == "ask reception")
        #expect(warnings.count == 1)
        #expect(warnings[0].contains("column B (Mobile)"))
    }

    @Test func rejectsBadEmailsWithAReason() throws {
        let n = try normaliser(["Name", "Email"])
        #expect(n.normalise(Row(number: 4, cells: [.text("Jo"), .text("jo at example.com")]))
                == .rejected(reason: "the email contains a space (\"jo at example.com\")", column: 1))
        #expect(n.normalise(Row(number: 5, cells: [.text("Jo"), .empty])) == .rejected(reason: "the email is empty", column: 1))
        #expect(n.normalise(Row(number: 6, cells: [.empty, .text("")])) == .blank)
    }

    @Test func splitsAFullNameAndReadsSubscriptions() throws {
        let n = try normaliser(["Email", "Name", "Subscriptions"])
        guard case let .record(r, _) = n.normalise(Row(number: 2, cells: [.text("x@y.io"), .text("Mary Anne Smith"), .text("News; Offers: no; -SMS")])) else {
            Issue.record("expected a record"); return
        }
        #expect(r.firstName == "Mary Anne")
        #expect(r.lastName == "Smith")
        #expect(r.subscriptions == [SubscriptionChange(group: "News", subscribed: true), SubscriptionChange(group: "Offers", subscribed: false),
                                    SubscriptionChange(group: "SMS", subscribed: false)])
    }
}

@Suite struct WhitespaceTests {
    @Test(arguments: [("  a b  ", "a b"), ("\u{00A0}x\u{2003}", "x"), ("plain", "plain"), ("", ""), ("   ", ""), ("\té\n", "é"),
                      ("\u{3000}\u{00A0} 日本 \u{2029}", "日本"), ("x\u{200B}", "x\u{200B}"), ("é", "é"), ("\u{0085}", "")])
    func trims(input: String, expected: String) {
        #expect(Whitespace.trim(input) == expected)
    }

    @Test(arguments: [("  Jane   Mary  ", "Jane Mary"), ("a\tb", "a b"), ("ok", "ok"), ("x\u{00A0}\u{00A0}y", "x y"),
                      ("\u{3000}Zoë\u{2028}\r\nO\u{2019}Brien\u{205F}", "Zoë O\u{2019}Brien"), ("\u{1680}\u{200A}", ""),
                      ("é\u{0085}日本", "é 日本"), ("a\u{200B}b", "a\u{200B}b")])
    func collapses(input: String, expected: String) {
        #expect(Whitespace.collapse(input) == expected)
    }

    /// The byte-level collapse and trim fold exactly what Unicode calls whitespace.
    @Test func collapseAndTrimAgreeWithUnicodeWhitespace() {
        for scalar in (0...0x3100).compactMap(Unicode.Scalar.init) {
            let c = Character(scalar)
            let space = scalar.properties.isWhitespace
            #expect(Whitespace.collapse("a\(c)b") == (space ? "a b" : "a\(c)b"), "U+\(String(scalar.value, radix: 16))")
            #expect(Whitespace.trim("\(c)a\(c)") == (space ? "a" : "\(c)a\(c)"), "U+\(String(scalar.value, radix: 16))")
            #expect(Whitespace.trim(" \(c) ") == (space ? "" : "\(c)"), "U+\(String(scalar.value, radix: 16))")
            // The forms on bytes (a field in a reader's buffer) give the same.
            for text in ["a\(c)b", "\(c)a\(c)\(c)", " \(c) "] {
                var copy = text
                copy.withUTF8 { bytes in
                    #expect(Whitespace.collapse(bytes: bytes) == Whitespace.collapse(text), "U+\(String(scalar.value, radix: 16))")
                    let kept = Whitespace.trimmedRange(bytes)
                    #expect(String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self) == Whitespace.trim(text),
                            "U+\(String(scalar.value, radix: 16))")
                }
            }
        }
    }
}

@Suite struct ContactTypeTests {
    @Test(arguments: [("Identified", ContactType.identified), ("  IDENTIFIED ", .identified), ("known", .identified), ("I", .identified),
                      ("anon", .anonymous), ("\tAnonymous\n", .anonymous), ("a", .anonymous),
                      ("AUTH", .authenticated), ("Verified", .authenticated), ("authenticated", .authenticated),
                      ("\u{00A0}auth\u{3000}", .authenticated), ("\u{212A}nown", .identified)])
    func parses(text: String, expected: ContactType) {
        #expect(ContactType(text: text) == expected)
    }

    @Test(arguments: ["", "   ", "identifiedx", "authenticatedx", "authenticatedauthenticated", "ïdentified", "b", "anonymou s"])
    func refuses(text: String) {
        #expect(ContactType(text: text) == nil)
    }
}
