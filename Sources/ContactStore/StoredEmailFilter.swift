/// The emails of the contacts a store held when an import began, as a Bloom filter: an email
/// it has not seen is surely new, so the import creates its contact without looking it up in
/// `contact_keys`.
///
/// A million new rows into a store of 885k other contacts spent ~2.7 s of the store thread's
/// 5.4 s of merging on those lookups, each a walk down the key B-tree that finds nothing. The
/// filter keeps ~12–24 bits per stored contact (2 MiB for a million), set from the hashes that
/// place emails in `NewContactIndex`, all of one email's bits in one 64-byte block so a test
/// costs one cache miss; about one new email in a hundred still takes the lookup. An email it
/// has seen always takes it, so the filter never changes what an import does, only how fast.
struct StoredEmailFilter {
    /// 512-bit blocks, eight words each.
    private var words: [UInt64]
    /// Blocks - 1 (their count is a power of two).
    private let blockMask: UInt64
    /// Bits set per email, each taken from 9 bits of its confirming hash.
    static let bitsPerEmail = 6
    /// Bits kept per expected email, at least.
    static let bitsPerContact = 12

    /// A filter sized for `expectedCount` emails.
    init(expectedCount: Int) {
        var blocks = 1
        while blocks * 512 < max(1, expectedCount) * Self.bitsPerContact { blocks *= 2 }
        words = Array(repeating: 0, count: blocks * 8)
        blockMask = UInt64(blocks - 1)
    }

    /// Records an email by its hashes (`NewContactIndex.hashes(email:)`).
    mutating func insert(hash: UInt64, check: UInt64) {
        let base = Int(truncatingIfNeeded: hash & blockMask) * 8
        words.withUnsafeMutableBufferPointer { words in
            for probe in 0..<Self.bitsPerEmail {
                let bit = Int(truncatingIfNeeded: (check >> UInt64(probe * 9)) & 511)
                words[base + (bit >> 6)] |= 1 << UInt64(bit & 63)
            }
        }
    }

    /// Whether the email with these hashes may have been recorded: false means surely not.
    func mayContain(hash: UInt64, check: UInt64) -> Bool {
        let base = Int(truncatingIfNeeded: hash & blockMask) * 8
        return words.withUnsafeBufferPointer { words in
            for probe in 0..<Self.bitsPerEmail {
                let bit = Int(truncatingIfNeeded: (check >> UInt64(probe * 9)) & 511)
                if words[base + (bit >> 6)] & (1 << UInt64(bit & 63)) == 0 { return false }
            }
            return true
        }
    }
}
