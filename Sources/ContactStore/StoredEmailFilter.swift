/// The email keys (`KnownRows.emailKey`) of the contacts a store held when an import began, as
/// a Bloom filter: an email whose key it has not seen is surely new, so the import creates its
/// contact without looking it up in `contact_keys`.
///
/// A million new rows into a store of 885k other contacts spent ~2.7 s of the store thread's
/// 5.4 s of merging on those lookups, each a walk down the key B-tree that finds nothing. The
/// filter keeps 12–24 bits per stored contact (2 MiB for a million), all of one key's bits in
/// one 64-byte block so a test costs one cache miss; a few new emails in a hundred still take
/// the lookup. It is filled from the known rows the import loaded (which carry every stored
/// contact's email key), once the file shows itself mostly new. An email whose key it has seen
/// always takes the lookup, so the filter never changes what an import does, only how fast.
struct StoredEmailFilter {
    /// 512-bit blocks, eight words each.
    private var words: [UInt64]
    /// Blocks - 1 (their count is a power of two).
    private let blockMask: UInt64
    /// Bits set per key, each placed by 9 bits of the key's second mix.
    static let bitsPerKey = 6
    /// Bits kept per expected key, at least.
    static let bitsPerContact = 12

    /// A filter sized for `expectedCount` keys.
    init(expectedCount: Int) {
        var blocks = 1
        while blocks * 512 < max(1, expectedCount) * Self.bitsPerContact { blocks *= 2 }
        words = Array(repeating: 0, count: blocks * 8)
        blockMask = UInt64(blocks - 1)
    }

    /// Records a stored contact's email key.
    mutating func insert(emailKey: UInt32) {
        let (base, bits) = place(emailKey)
        words.withUnsafeMutableBufferPointer { words in
            for probe in 0..<Self.bitsPerKey {
                let bit = Int(truncatingIfNeeded: (bits >> UInt64(probe * 9)) & 511)
                words[base + (bit >> 6)] |= 1 << UInt64(bit & 63)
            }
        }
    }

    /// Whether a stored contact may have this email key: false means surely none has.
    func mayContain(emailKey: UInt32) -> Bool {
        let (base, bits) = place(emailKey)
        return words.withUnsafeBufferPointer { words in
            for probe in 0..<Self.bitsPerKey {
                let bit = Int(truncatingIfNeeded: (bits >> UInt64(probe * 9)) & 511)
                if words[base + (bit >> 6)] & (1 << UInt64(bit & 63)) == 0 { return false }
            }
            return true
        }
    }

    /// The key's block (its first word) and the bits that place it there: two rounds of a
    /// 64-bit mix, as the key is only 32 bits.
    @inline(__always)
    private func place(_ emailKey: UInt32) -> (base: Int, bits: UInt64) {
        let first = Self.mix(UInt64(emailKey) &+ 0x9E37_79B9_7F4A_7C15)
        return (Int(truncatingIfNeeded: first & blockMask) * 8, Self.mix(first))
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
