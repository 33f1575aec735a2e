import Testing
@testable import ContactStore

@Suite struct StoredEmailFilterTests {
    static func hashes(_ email: String) -> (hash: UInt64, check: UInt64) {
        Array(email.utf8).withUnsafeBytes { NewContactIndex.hashes(email: $0) }
    }

    /// Every email recorded is found (a miss would create a second contact for it), and few
    /// of those never recorded are taken for recorded ones.
    @Test(arguments: [1, 1_000, 100_000])
    func recordedEmailsAreAlwaysFoundAndOthersSeldom(count: Int) {
        var filter = StoredEmailFilter(expectedCount: count)
        for n in 0..<count {
            let (hash, check) = Self.hashes("person\(n)@example.com")
            filter.insert(hash: hash, check: check)
        }
        for n in 0..<count {
            let (hash, check) = Self.hashes("person\(n)@example.com")
            #expect(filter.mayContain(hash: hash, check: check), "person\(n)")
        }
        let others = 20_000
        var falsePositives = 0
        for n in 0..<others {
            let (hash, check) = Self.hashes("someone.else\(n)@example.org")
            if filter.mayContain(hash: hash, check: check) { falsePositives += 1 }
        }
        #expect(falsePositives * 100 <= others * 3, "\(falsePositives) of \(others) new emails would be looked up")
    }

    /// An empty filter (a store whose keys are all gone) rules every email out.
    @Test func anEmptyFilterRulesEverythingOut() {
        let filter = StoredEmailFilter(expectedCount: 0)
        let (hash, check) = Self.hashes("a@example.com")
        #expect(!filter.mayContain(hash: hash, check: check))
    }
}
