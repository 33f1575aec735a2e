/// The contacts created by the import in progress, found by email without touching SQLite.
///
/// An import keeps the keys of the contacts it creates out of `contact_keys` until it commits
/// (then inserts them in email order, see `SortedKeyRuns`): inserting a million keys in random
/// order into the email B-tree while it grows was the largest cost of a big import. This index
/// is the in-file dedupe index that replaces the B-tree meanwhile, so a later row of an email
/// the import created finds its contact.
///
/// It holds 32 bits of a hash of each email, not the email (an 8-byte slot, at most 3/4 of
/// the table full, and the contact's 8-byte fingerprint). A match is confirmed by an equal
/// fingerprint (which covers the email as well, so a 32-bit and a 64-bit hash would both have
/// to collide) or else by reading the contact's email from its row; a mismatch moves on to the
/// next candidate.
struct NewContactIndex {
    /// The id of the first contact the import creates; entry `n` is contact `firstId + n`.
    let firstId: Int
    private var fingerprints: [UInt64] = []
    /// Open addressing with linear probing. A slot holds the top 32 bits of the email hash
    /// (which also place the entry) and entry number + 1 in the low 32 bits; 0 is empty. Probes
    /// compare the tags in place, and the table can grow without the full hashes.
    private var slots: [UInt64]
    private var shift: UInt64

    init(firstId: Int) {
        self.firstId = firstId
        slots = Array(repeating: 0, count: 1024)
        shift = 64 - 10
    }

    /// How many contacts the import has created.
    var count: Int { fingerprints.count }

    /// The 64-bit hash an email is indexed by.
    static func hash(email: UnsafeRawBufferPointer) -> UInt64 {
        StableHash.of(bytes: email.assumingMemoryBound(to: UInt8.self), tag: 0xE3A1_1D)
    }

    /// The current fingerprint of a contact the import created.
    func fingerprint(of id: Int) -> UInt64 {
        fingerprints[id - firstId]
    }

    mutating func setFingerprint(_ fingerprint: UInt64, of id: Int) {
        fingerprints[id - firstId] = fingerprint
    }

    /// Whether `id` is a contact this import created.
    func contains(id: Int) -> Bool {
        id >= firstId && id - firstId < fingerprints.count
    }

    /// Records the next contact (id `firstId + count`); returns its id.
    mutating func insert(emailHash: UInt64, fingerprint: UInt64) -> Int {
        if (fingerprints.count + 1) * 4 > slots.count * 3 { grow() }
        let entry = fingerprints.count
        fingerprints.append(fingerprint)
        place((emailHash & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1))
        return firstId + entry
    }

    /// The first contact whose email hash matches `emailHash` (its top 32 bits) and that
    /// `accept` confirms (called for each candidate in turn), or nil.
    func first<E: Error>(emailHash: UInt64, where accept: (Int) throws(E) -> Bool) throws(E) -> Int? {
        let tag = emailHash >> 32
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: emailHash >> shift)
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let id = firstId + Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if try accept(id) { return id }
            }
            position = (position + 1) & mask
        }
    }

    private mutating func place(_ slot: UInt64) {
        let mask = slots.count - 1
        // The tag is the hash's top 32 bits, so it gives the position (the table stays under 2^32 slots).
        var position = Int(truncatingIfNeeded: slot >> shift)
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        shift -= 1
        for slot in old where slot != 0 { place(slot) }
    }
}
