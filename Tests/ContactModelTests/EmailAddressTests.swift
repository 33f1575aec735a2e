import Testing
@testable import ContactModel

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:jane@example.com", "jane@example.com"),
        ("MAILTO:Jane@Example.com?subject=hi", "jane@example.com"),
        ("Jane Doe <Jane@Example.com>", "jane@example.com"),
        ("\u{00A0}jane@example.com\t", "jane@example.com"),
        ("Jose\u{0301}@example.com", "jos\u{00E9}@example.com"),
        ("ÉLODIE@exemple.fr", "élodie@exemple.fr"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
    ])
    func normalisesValidAddresses(raw: String, expected: String) throws {
        #expect(try EmailAddress.normalise(raw).get() == expected)
    }

    @Test(arguments: [
        ("", EmailAddress.Problem.empty),
        ("   ", .empty),
        ("jane.example.com", .noAt),
        ("jane@@example.com", .severalAt),
        ("a@b@example.com", .severalAt),
        ("@example.com", .emptyLocalPart),
        ("jane doe@example.com", .containsSpace),
    ])
    func refusesInvalidAddresses(raw: String, problem: EmailAddress.Problem) {
        #expect(throws: problem) { try EmailAddress.normalise(raw).get() }
    }

    @Test(arguments: ["jane@localhost", "jane@example..com", "jane@-example.com", "jane@example.com.", "jane@exa_mple.com", "jane@"])
    func refusesBadDomains(raw: String) {
        guard case .failure(.badDomain) = EmailAddress.normalise(raw) else {
            Issue.record("\(raw) should be refused for its domain")
            return
        }
    }
}
