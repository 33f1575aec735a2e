import Testing
import ContactModel
@testable import ContactStore

@Suite struct KnownRowsTableTests {
    @Test func findsEveryRowItWasGivenAndNothingElse() {
        let known = KnownRows(maximumCount: 5_000)
        var digests: [RowDigest] = []
        var state = StableHash(seed: 11)
        for n in 1...5_000 {
            state.combine(UInt64(n))
            let high = state.value
            state.combine(high)
            // Every 50th row shares its `high` with the row before: only `low` tells them apart.
            let digest = RowDigest(high: n % 50 == 0 ? digests[n - 2].high : high, low: state.value)
            digests.append(digest)
            known.append(digest: digest, id: n, emailKey: UInt32(n * 3))
        }
        #expect(known.count == 5_000)
        for (index, digest) in digests.enumerated() {
            let hit = known.contact(for: digest)
            #expect(hit?.id == index + 1 && hit?.emailKey == UInt32((index + 1) * 3))
        }
        #expect(known.contact(for: RowDigest(high: digests[0].high, low: digests[0].low ^ 1)) == nil)
        #expect(known.contact(for: RowDigest(high: 42, low: 42)) == nil)
    }

    @Test func probesWrapAroundTheEndOfTheTable() {
        let known = KnownRows(maximumCount: 4)
        // All start at the last slot, so the later ones wrap to the first.
        let digests = (1...4).map { RowDigest(high: .max, low: UInt64($0)) }
        for (index, digest) in digests.enumerated() { known.append(digest: digest, id: index + 1, emailKey: 0) }
        known.append(digest: RowDigest(high: .max, low: 99), id: 99, emailKey: 0)
        #expect(known.count == 4, "rows past the room made are ignored")
        for (index, digest) in digests.enumerated() { #expect(known.contact(for: digest)?.id == index + 1) }
        #expect(known.contact(for: RowDigest(high: .max, low: 99)) == nil)
        #expect(known.contact(for: RowDigest(high: 0, low: 5)) == nil)
    }
}
