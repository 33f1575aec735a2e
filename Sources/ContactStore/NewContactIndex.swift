/// The contacts created by the import in progress, found by email without touching SQLite.
///
/// An import keeps the keys of the contacts it creates out of `contact_keys` until it commits
/// (then inserts them in email order, see `SortedKeyRuns`): inserting a million keys in random
/// order into the email B-tree while it grows was the largest cost of a big import. This index
/// is the in-file dedupe index that replaces the B-tree meanwhile, so a later row of an email
/// the import created finds its contact.
///
/// It holds a 64-bit hash of each email, not the email (16 bytes per contact plus the table).
/// A hash match is confirmed by an equal fingerprint (which covers the email as well, so both
/// 64-bit hashes would have to collide) or else by reading the contact's email from its row;
/// a mismatch moves on to the next entry with the same hash.
struct NewContactIndex {
    /// The id of the first contact the import creates; entry `n` is contact `firstId + n`.
    let firstId: Int
    private var emailHashes: [UInt64] = []
    private var fingerprints: [UInt64] = []
    /// Open addressing with linear probing: 0 is empty, else entry number + 1.
    private var slots: [UInt32]
    private var mask: Int

    init(firstId: Int) {
        self.firstId = firstId
        slots = Array(repeating: 0, count: 1024)
        mask = slots.count - 1
    }

    /// How many contacts the import has created.
    var count: Int { emailHashes.count }

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
        id >= firstId && id - firstId < emailHashes.count
    }

    /// Records the next contact (id `firstId + count`); returns its id.
    mutating func insert(emailHash: UInt64, fingerprint: UInt64) -> Int {
        if (emailHashes.count + 1) * 4 > slots.count * 3 { grow() }
        let entry = emailHashes.count
        emailHashes.append(emailHash)
        fingerprints.append(fingerprint)
        place(entry: entry, hash: emailHash)
        return firstId + entry
    }

    /// The first contact whose email hash is `emailHash` and that `accept` confirms (called for
    /// each candidate in turn), or nil.
    func first<E: Error>(emailHash: UInt64, where accept: (Int) throws(E) -> Bool) throws(E) -> Int? {
        var position = Int(truncatingIfNeeded: emailHash) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            let entry = Int(slot) - 1
            if emailHashes[entry] == emailHash, try accept(firstId + entry) { return firstId + entry }
            position = (position + 1) & mask
        }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        var position = Int(truncatingIfNeeded: hash) & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = UInt32(entry + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for entry in emailHashes.indices { place(entry: entry, hash: emailHashes[entry]) }
    }
}
