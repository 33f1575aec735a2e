import Testing
@testable import Pipeline

/// The Bloom filter of emails an import has normalised: never misses a key it was given, and
/// stays useful (few false "seen") after a million different emails.
@Suite struct SeenEmailsTests {
    /// Distinct, well spread 32-bit keys: `n` times an odd constant is a bijection on 32 bits.
    static func key(_ n: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: n) &* 0x9E37_79B1
    }

    @Test func everyInsertedKeyIsSeenAndFewOthersAre() {
        var seen = SeenEmails()
        for n in 0..<1_000_000 { seen.insert(Self.key(n)) }
        var missed = 0
        for n in 0..<1_000_000 where !seen.contains(Self.key(n)) { missed += 1 }
        #expect(missed == 0)
        var falseSeen = 0
        for n in 1_000_000..<1_100_000 where seen.contains(Self.key(n)) { falseSeen += 1 }
        // ~2.7% expected for three bits in one of 2^17 words after 10^6 keys.
        #expect(falseSeen < 4_000, "false seen: \(falseSeen) of 100,000")
        #expect(falseSeen > 0)
    }

    /// While it grows (8 KiB, 64 KiB, 512 KiB, 1 MiB), every key inserted before stays seen.
    @Test func growingKeepsEveryKey() {
        var seen = SeenEmails()
        for n in 0..<200_000 {
            seen.insert(Self.key(n))
            if [8_192, 8_193, 65_536, 65_537, 131_072, 131_073, 199_999].contains(n) {
                var missed = 0
                for m in 0...n where !seen.contains(Self.key(m)) { missed += 1 }
                #expect(missed == 0, "after \(n + 1) keys")
            }
        }
    }

    /// A few hundred keys: the small filter gives few false "seen" too.
    @Test func aFewKeysGiveFewFalseSeen() {
        var seen = SeenEmails()
        for n in 0..<5_000 { seen.insert(Self.key(n)) }
        var falseSeen = 0
        for n in 5_000..<105_000 where seen.contains(Self.key(n)) { falseSeen += 1 }
        #expect(falseSeen < 4_000, "false seen: \(falseSeen) of 100,000")
    }

    @Test func anEmptyFilterHasSeenNothing() {
        let seen = SeenEmails()
        for n in 0..<10_000 { #expect(!seen.contains(Self.key(n))) }
    }
}
