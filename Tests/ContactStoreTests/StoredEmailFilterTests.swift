import Foundation
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

/// An import whose new emails skip the key lookups keeps a small page cache, never a larger one
/// than its store's keys would get.
@Suite struct RuledOutImportCacheTests {
    @Test func theCacheShrinksToTheNewRowsBoundAndNeverGrows() throws {
        let directory = NSTemporaryDirectory() + "ruled-out-cache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ContactStore(directory: directory, options: StoreOptions(cacheMiB: 64))
        #expect(store.importCacheKiB(keys: 1_000_000, newEmailsRuledOut: false) == 64 * 1024)
        #expect(store.importCacheKiB(keys: 1_000_000, newEmailsRuledOut: true) == ContactStore.cacheForNewRows)
        #expect(store.importCacheKiB(keys: 1_000, newEmailsRuledOut: false) == 8 * 1024 + 70)
        #expect(store.importCacheKiB(keys: 1_000, newEmailsRuledOut: true) == 8 * 1024 + 70)

        let first = try store.beginImport(file: "a.csv", sha256: "a")
        _ = try first.merge((0..<50).map { record("p\($0)@example.com", first: "P", row: $0 + 2) })
        try first.commit(rowsRead: 50, rejected: 0)
        let second = try store.beginImport(file: "b.csv", sha256: "b", knownRows: .always)
        func cacheSize() throws -> Int { try store.db.scalarInt("PRAGMA cache_size") }
        let before = try cacheSize()
        second.ruleOutNewEmails()
        #expect(try cacheSize() == before, "a small store's cache is below the bound already")
        _ = try second.merge([record("p1@example.com", first: "Again", row: 2), record("new@example.com", row: 3)])
        let counts = try second.commit(rowsRead: 2, rejected: 0)
        #expect(counts.created == 1 && counts.updated == 1, "a stored email is still found")
    }
}
