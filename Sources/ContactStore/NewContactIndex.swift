/// The contacts created by the import in progress, found by email without touching SQLite.
///
/// An import keeps the keys of the contacts it creates out of `contact_keys` until it commits
/// (then inserts them in email order, see `SortedKeyRuns`): inserting a million keys in random
/// order into the email B-tree while it grows was the largest cost of a big import. This index
/// is the in-file dedupe index that replaces the B-tree meanwhile, so a later row of an email
/// the import created finds its contact.
///
/// It holds 32 bits of a hash of each email, not the email (an 8-byte slot, at most 7/8 of
/// the table full, and the contact's 8-byte fingerprint). A match is confirmed by an equal
/// fingerprint (which covers the email as well, so a 32-bit and a 64-bit hash would both have
/// to collide) or else by reading the contact's email from its row; a mismatch moves on to the
/// next candidate.
struct NewContactIndex {
    /// The id of the first contact the import creates; entry `n` is contact `firstId + n`.
    let firstId: Int
    /// Fingerprints in fixed-size chunks: growing never copies them, so a million contacts
    /// never hold two copies at once (the peak memory of a big import counts such moments).
    private var fingerprintChunks: [[UInt64]] = []
    private(set) var count = 0
    /// The table, split by the email hash's top bits into segments that grow one at a time
    /// (again so that growing copies a sliver, not the whole table). A slot holds the top 32
    /// bits of the email hash (which also place it) and entry number + 1 in the low 32 bits;
    /// 0 is empty. Probes compare the tags in place, and segments grow without the full hashes.
    private var segments: [Segment]

    private static let chunkShift = 16
    private static let segmentBits: UInt64 = 6

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

    /// The 64-bit hash an email is indexed by.
    static func hash(email: UnsafeRawBufferPointer) -> UInt64 {
        StableHash.of(bytes: email.assumingMemoryBound(to: UInt8.self), tag: 0xE3A1_1D)
    }

    /// The current fingerprint of a contact the import created.
    func fingerprint(of id: Int) -> UInt64 {
        let entry = id - firstId
        return fingerprintChunks[entry >> Self.chunkShift][entry & (1 << Self.chunkShift - 1)]
    }

    mutating func setFingerprint(_ fingerprint: UInt64, of id: Int) {
        let entry = id - firstId
        fingerprintChunks[entry >> Self.chunkShift][entry & (1 << Self.chunkShift - 1)] = fingerprint
    }

    /// Whether `id` is a contact this import created.
    func contains(id: Int) -> Bool {
        id >= firstId && id - firstId < count
    }

    /// Records the next contact (id `firstId + count`); returns its id.
    mutating func insert(emailHash: UInt64, fingerprint: UInt64) -> Int {
        let entry = count
        if entry & (1 << Self.chunkShift - 1) == 0 {
            var chunk: [UInt64] = []
            chunk.reserveCapacity(1 << Self.chunkShift)
            fingerprintChunks.append(chunk)
        }
        fingerprintChunks[fingerprintChunks.count - 1].append(fingerprint)
        count += 1
        let segment = Int(emailHash >> (64 - Self.segmentBits))
        if (segments[segment].count + 1) * 8 > segments[segment].slots.count * 7 { grow(segment) }
        segments[segment].count += 1
        Self.place((emailHash & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1), in: &segments[segment])
        return firstId + entry
    }

    /// The first contact whose email hash matches `emailHash` (its top 32 bits) and that
    /// `accept` confirms (called for each candidate in turn), or nil.
    func first<E: Error>(emailHash: UInt64, where accept: (Int) throws(E) -> Bool) throws(E) -> Int? {
        let tag = emailHash >> 32
        let segment = segments[Int(emailHash >> (64 - Self.segmentBits))]
        let mask = segment.slots.count - 1
        var position = Int(truncatingIfNeeded: emailHash >> segment.shift) & mask
        while true {
            let slot = segment.slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let id = firstId + Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if try accept(id) { return id }
            }
            position = (position + 1) & mask
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
