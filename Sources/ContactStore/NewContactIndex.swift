import ContactModel
import CSHA256

/// The contacts created by the import in progress, found by email without touching SQLite.
///
/// An import keeps the keys of the contacts it creates out of `contact_keys` until it commits
/// (then inserts them in email order, see `SortedKeyRuns`): inserting a million keys in random
/// order into the email B-tree while it grows was the largest cost of a big import. This index
/// is the in-file dedupe index that replaces the B-tree meanwhile, so a later row of an email
/// the import created finds its contact.
///
/// It holds 96 bits of hashes of each email, not the email: 32 bits of the hash that places it
/// (an 8-byte slot, at most 7/8 of the table full) and a second, independent 64-bit hash
/// that confirms a match. Two emails would have to agree on both hashes to be taken for one
/// another (odds well under 1 in 10^16 within a file of a million new emails, the same order
/// as the 128-bit row digests the store already trusts to skip rows). Confirming by reading the
/// contact's email from its row instead cost a random page read per repeated email: 0.5 s of
/// the store thread's 5 s on the 1M-row bench file. The contacts' fingerprints are not kept
/// here but with their creation digests (`CreationDigests`), on disk: at 8 bytes a contact they
/// were a third of this index, and only a repeated email needs its contact's.
struct NewContactIndex {
    /// The id of the first contact the import creates; entry `n` is contact `firstId + n`.
    let firstId: Int
    /// The confirming hash of each contact's email (`hashes(email:).check`), by entry.
    private var checks = ChunkedWords()
    private(set) var count = 0
    /// The table, split by the email hash's top bits into segments that grow one at a time
    /// (again so that growing copies a sliver, not the whole table). A slot holds the top 32
    /// bits of the email hash (which also place it) and entry number + 1 in the low 32 bits;
    /// 0 is empty. Probes compare the tags in place, and segments grow without the full hashes.
    private var segments: [Segment]

    private static let segmentBits: UInt64 = 6

    /// Words in fixed-size chunks: growing never copies them, so a million contacts never hold
    /// two copies at once (the peak memory of a big import counts such moments).
    private struct ChunkedWords {
        private var chunks: [[UInt64]] = []
        private static let shift = 16

        subscript(entry: Int) -> UInt64 {
            chunks[entry >> Self.shift][entry & (1 << Self.shift - 1)]
        }

        /// Adds the word for entry `entry`, the next one.
        mutating func append(_ word: UInt64, entry: Int) {
            if entry & (1 << Self.shift - 1) == 0 {
                var chunk: [UInt64] = []
                chunk.reserveCapacity(1 << Self.shift)
                chunks.append(chunk)
            }
            chunks[chunks.count - 1].append(word)
        }
    }

    private struct Segment {
        var slots: [UInt64] = Array(repeating: 0, count: 64)
        /// Position = hash >> shift, masked to the segment (its top bits are the segment's).
        var shift: UInt64 = 64 - NewContactIndex.segmentBits - 6
        var count = 0
    }

    init(firstId: Int) {
        self.firstId = firstId
        segments = Array(repeating: Segment(), count: 1 << Int(Self.segmentBits))
    }

    /// The two 64-bit hashes an email is indexed by: `hash` places it (its top 32 bits are
    /// kept), `check` confirms a match. The two lanes of one 128-bit hash, computed in one pass
    /// with independent seeds and multipliers, so their collisions are independent.
    static func hashes(email: UnsafeRawBufferPointer) -> (hash: UInt64, check: UInt64) {
        let digest = RowDigest.of(bytes: email.assumingMemoryBound(to: UInt8.self))
        return (digest.high, digest.low)
    }

    /// Whether `id` is a contact this import created.
    func contains(id: Int) -> Bool {
        id >= firstId && id - firstId < count
    }

    /// Records the next contact (id `firstId + count`); returns its id.
    mutating func insert(emailHash: UInt64, emailCheck: UInt64) -> Int {
        let entry = count
        checks.append(emailCheck, entry: entry)
        count += 1
        let segment = Int(emailHash >> (64 - Self.segmentBits))
        if (segments[segment].count + 1) * 8 > segments[segment].slots.count * 7 { grow(segment) }
        segments[segment].count += 1
        Self.place((emailHash & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1), in: &segments[segment])
        return firstId + entry
    }

    /// The contact whose email has these hashes (`hashes(email:)`: the top 32 bits of `hash`,
    /// and `check`), or nil.
    func contact(emailHash: UInt64, emailCheck: UInt64) -> Int? {
        let tag = emailHash >> 32
        let segment = segments[Int(emailHash >> (64 - Self.segmentBits))]
        let mask = segment.slots.count - 1
        var position = Int(truncatingIfNeeded: emailHash >> segment.shift) & mask
        while true {
            let slot = segment.slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let entry = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if checks[entry] == emailCheck {
                    return firstId + entry
                }
            }
            position = (position + 1) & mask
        }
    }

    /// Starts loading the slot where a lookup of `emailHash` begins, so that lookup, a few
    /// emails later, finds it in cache (the table is far larger than the CPU caches).
    func prefetch(emailHash: UInt64) {
        let index = Int(emailHash >> (64 - Self.segmentBits))
        segments[index].slots.withUnsafeBufferPointer { slots in
            let position = Int(truncatingIfNeeded: emailHash >> segments[index].shift) & (slots.count - 1)
            csha256_prefetch(slots.baseAddress! + position)
        }
    }

    private static func place(_ slot: UInt64, in segment: inout Segment) {
        let mask = segment.slots.count - 1
        // The tag is the hash's top 32 bits, so it gives the position (a segment stays under
        // 2^26 slots).
        var position = Int(truncatingIfNeeded: slot >> segment.shift) & mask
        while segment.slots[position] != 0 { position = (position + 1) & mask }
        segment.slots[position] = slot
    }

    private mutating func grow(_ index: Int) {
        var segment = Segment()
        segment.slots = Array(repeating: 0, count: segments[index].slots.count * 2)
        segment.shift = segments[index].shift - 1
        segment.count = segments[index].count
        for slot in segments[index].slots where slot != 0 { Self.place(slot, in: &segment) }
        segments[index] = segment
    }
}
