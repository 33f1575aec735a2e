/// The emails (as `KnownRows.emailKey`s) of the rows an import has normalised so far, in a
/// fixed-size Bloom filter: a known row is only skipped when its contact's key is not here,
/// since an earlier row of the import may have changed that contact. A false "seen" only
/// means a row is normalised although it could have been skipped; a seen key is never missed.
///
/// 1 MiB whatever the file's size (about 3% false "seen" after a million different emails).
struct SeenEmails {
    private var words = [UInt64](repeating: 0, count: 1 << 17)

    mutating func insert(_ key: UInt32) {
        for bit in Self.bits(key) { words[bit >> 6] |= 1 << UInt64(bit & 63) }
    }

    func contains(_ key: UInt32) -> Bool {
        for bit in Self.bits(key) where words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        return true
    }

    /// Three bit positions from one key (double hashing over 2^23 bits).
    private static func bits(_ key: UInt32) -> [Int] {
        let mixed = UInt64(key) &* 0x9E37_79B9_7F4A_7C15
        let first = Int(truncatingIfNeeded: mixed >> 41)
        let step = Int(truncatingIfNeeded: (mixed >> 18) & 0x7F_FFFF) | 1
        let mask = (1 << 23) - 1
        return [first & mask, (first &+ step) & mask, (first &+ 2 &* step) & mask]
    }
}
