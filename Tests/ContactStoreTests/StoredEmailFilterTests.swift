import Testing
@testable import ContactStore

@Suite struct StoredEmailFilterTests {
    /// Every email key recorded is found (a miss would create a second contact for its email),
    /// and few of those never recorded are taken for recorded ones.
    @Test(arguments: [1, 1_000, 100_000])
    func recordedEmailsAreAlwaysFoundAndOthersSeldom(count: Int) {
        var filter = StoredEmailFilter(expectedCount: count)
        for n in 0..<count { filter.insert(emailKey: KnownRows.emailKey("person\(n)@example.com")) }
        for n in 0..<count {
            #expect(filter.mayContain(emailKey: KnownRows.emailKey("person\(n)@example.com")), "person\(n)")
        }
        let others = 20_000
        var falsePositives = 0
        for n in 0..<others {
            if filter.mayContain(emailKey: KnownRows.emailKey("someone.else\(n)@example.org")) { falsePositives += 1 }
        }
        #expect(falsePositives * 100 <= others * 3, "\(falsePositives) of \(others) new emails would be looked up")
    }

    /// An empty filter (a store whose keys are all gone) rules every email out.
    @Test func anEmptyFilterRulesEverythingOut() {
        let filter = StoredEmailFilter(expectedCount: 0)
        #expect(!filter.mayContain(emailKey: KnownRows.emailKey("a@example.com")))
    }
}
