import Testing
@testable import Pipeline

/// The Bloom filter of emails an import has normalised: never misses a key it was given, and
/// stays useful (few false "seen") after a million different emails.
@Suite struct SeenEmailsTests {
    /// A deterministic stream of 32-bit keys (SplitMix64's output, truncated).
    private struct Keys {
        var state: UInt64
        mutating func next() -> UInt32 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt32(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    @Test func everyInsertedKeyIsSeenAndFewOthersAre() {
        var seen = SeenEmails()
        var inserted = Keys(state: 1)
        for _ in 0..<1_000_000 { seen.insert(inserted.next()) }
        var again = Keys(state: 1)
        var missed = 0
        for _ in 0..<1_000_000 where !seen.contains(again.next()) { missed += 1 }
        #expect(missed == 0)
        var others = Keys(state: 2)
        var falseSeen = 0
        for _ in 0..<100_000 where seen.contains(others.next()) { falseSeen += 1 }
        // ~2.7% expected for three bits in one of 2^17 words after 10^6 keys.
        #expect(falseSeen < 4_000, "false seen: \(falseSeen) of 100,000")
        #expect(falseSeen > 0)
    }

    @Test func anEmptyFilterHasSeenNothing() {
        let seen = SeenEmails()
        var keys = Keys(state: 3)
        for _ in 0..<10_000 { #expect(!seen.contains(keys.next())) }
    }
}
