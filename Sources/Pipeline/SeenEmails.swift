/// The emails (as `KnownRows.emailKey`s) of the rows an import has normalised so far, in a
/// fixed-size Bloom filter: a known row is only skipped when its contact's key is not here,
/// since an earlier row of the import may have changed that contact. A false "seen" only
/// means a row is normalised although it could have been skipped; a seen key is never missed.
///
/// 1 MiB whatever the file's size. Blocked: a key's three bits share one 64-bit word, so a
/// lookup costs one cache miss rather than three (about 3% false "seen" after a million
/// different emails, as with three bits spread over the whole filter).
struct SeenEmails {
    private var words = [UInt64](repeating: 0, count: 1 << Self.wordBits)
    private static let wordBits = 17

    mutating func insert(_ key: UInt32) {
        let (word, mask) = Self.slot(key)
        words[word] |= mask
    }

    func contains(_ key: UInt32) -> Bool {
        let (word, mask) = Self.slot(key)
        return words[word] & mask == mask
    }

    /// The word a key lives in and its three bits there, from the high bits of one multiply.
    @inline(__always)
    static func slot(_ key: UInt32) -> (word: Int, mask: UInt64) {
        let mixed = UInt64(key) &* 0x9E37_79B9_7F4A_7C15
        let word = Int(truncatingIfNeeded: mixed >> UInt64(64 - wordBits))
        let mask: UInt64 = 1 << ((mixed >> 29) & 63) | 1 << ((mixed >> 35) & 63) | 1 << ((mixed >> 41) & 63)
        return (word, mask)
    }
}
