/// A tiny deterministic pseudo-random generator (SplitMix64).
///
/// The benchmark data must be byte-identical for the same seed on every machine and
/// Swift version, so the generator never uses `SystemRandomNumberGenerator` or the
/// standard library's unspecified algorithms (`Int.random(in:using:)` may change).
struct SplitMix64 {
    private var state: UInt64

    /// Starts a stream from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// A value in `0..<bound` (`bound` > 0). The tiny modulo bias is irrelevant for test data.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// True with probability `perMille` / 1000.
    mutating func chance(perMille: Int) -> Bool {
        below(1000) < perMille
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// The SplitMix64 finaliser: a stateless hash, used to derive a contact's fixed
    /// attributes from its identity number without remembering them.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
