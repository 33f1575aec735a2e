import ContactModel

/// The row digests of the contacts an import creates, by id: the digest of the rows that
/// created each (its first batch's rows) and, once its later rows are settled, theirs. The key
/// of each new contact is stored at commit with the digest of all its rows, so a re-import of
/// the same file finds a contact of several rows unchanged without folding them (see
/// `PendingChanges` and `RowSequenceDigest`). Each slot also keeps the fingerprint the
/// contact was created with, which a later row of its email is compared with.
///
/// New contacts get consecutive ids, so each has a fixed slot in a `ScratchFile`: memory stays
/// flat (a million contacts, 46 MB of file), and settling a contact writes its later rows'
/// digest without reading anything.
final class CreationDigests: @unchecked Sendable {
    /// A slot: the creating rows' digest (a flag byte, two words), then the later rows'
    /// (a state byte, a row count, two words), then the creation's fingerprint (a word).
    static let slotSize = 46
    private static let laterOffset = 17
    private static let fingerprintOffset = 38
    /// The id of the first contact the import creates (every later id is one of its contacts).
    let firstId: Int
    private let scratch: ScratchFile
    /// The low byte of each contact's creation fingerprint, by id, in memory (a byte per
    /// contact, in chunks that are never copied to grow): a later row whose fingerprint
    /// differs there differs from the creation's without reading the slot (see
    /// `mayHaveFingerprint`).
    private var fingerprintTags: [[UInt8]] = []
    private static let tagsPerChunk = 1 << 16

    /// - Parameters:
    ///   - directory: where the scratch file goes (the store folder).
    ///   - firstId: the id of the first contact the import creates.
    init(directory: String, firstId: Int, spillBytes: Int = 64 << 10) {
        self.firstId = firstId
        scratch = ScratchFile(directory: directory, spillBytes: spillBytes)
    }

    /// Contacts recorded so far.
    var count: Int { scratch.count / Self.slotSize }

    /// Records the digest of the rows that created contact `id` (the next id in turn), and the
    /// fingerprint (`ContactRowCodec.fingerprint`) the contact was created with.
    func append(id: Int, digest: RowDigest?, fingerprint: UInt64) throws(StoreError) {
        precondition(id == firstId + count, "new contacts are numbered in order")
        if count % Self.tagsPerChunk == 0 {
            fingerprintTags.append([])
            fingerprintTags[fingerprintTags.count - 1].reserveCapacity(Self.tagsPerChunk)
        }
        fingerprintTags[fingerprintTags.count - 1].append(UInt8(truncatingIfNeeded: fingerprint))
        var slot: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &slot) { (raw) throws(StoreError) in
            Self.store(digest, at: raw.baseAddress!)
            raw.baseAddress!.storeBytes(of: fingerprint.littleEndian, toByteOffset: Self.fingerprintOffset, as: UInt64.self)
            try scratch.append(UnsafeRawBufferPointer(rebasing: raw[0..<Self.slotSize]))
        }
    }

    /// Whether contact `id` may have been created with `fingerprint`: false means it surely was
    /// not. Asked for every later row of a new contact, this spares a read of its slot for all
    /// but one in 256 of the rows that change it: those reads were 89,184 system calls on the
    /// store's thread for the 1M-row bench file, ~0.27 s of its ~2.4 s of merging.
    func mayHaveFingerprint(_ fingerprint: UInt64, id: Int) -> Bool {
        precondition(id >= firstId && id - firstId < count, "only contacts this import created")
        let entry = id - firstId
        return fingerprintTags[entry / Self.tagsPerChunk][entry % Self.tagsPerChunk] == UInt8(truncatingIfNeeded: fingerprint)
    }

    /// The fingerprint contact `id` was created with.
    func fingerprint(of id: Int) throws(StoreError) -> UInt64 {
        var word: UInt64 = 0
        try withUnsafeMutableBytes(of: &word) { (raw) throws(StoreError) in
            try scratch.read(at: offset(of: id) + Self.fingerprintOffset, count: 8, into: raw.baseAddress!)
        }
        return UInt64(littleEndian: word)
    }

    /// Records the digest of contact `id`'s later rows (nil: one of them had a warning).
    /// Contacts of different ids may be set on different threads once `flush()` has run.
    func setLater(_ digest: RowSequenceDigest?, of id: Int) throws(StoreError) {
        var part: (UInt64, UInt64, UInt64) = (0, 0, 0)
        try withUnsafeMutableBytes(of: &part) { (raw) throws(StoreError) in
            let base = raw.baseAddress!
            base.storeBytes(of: digest == nil ? 2 : 1, as: UInt8.self)
            base.storeBytes(of: UInt32(truncatingIfNeeded: digest?.count ?? 0).littleEndian, toByteOffset: 1, as: UInt32.self)
            Self.storeWords(digest?.value, at: base + 5)
            try scratch.overwrite(at: offset(of: id) + Self.laterOffset, from: base, count: Self.fingerprintOffset - Self.laterOffset)
        }
    }

    /// Records the digest of rows of contact `id` that came after those recorded by
    /// `setLater` or by an earlier call (a contact settled early can get rows again).
    func appendLater(_ digest: RowSequenceDigest?, of id: Int) throws(StoreError) {
        var part: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let earlier = try withUnsafeMutableBytes(of: &part) { (raw) throws(StoreError) -> RowSequenceDigest?? in
            let base = raw.baseAddress!
            try scratch.read(at: offset(of: id) + Self.laterOffset, count: Self.fingerprintOffset - Self.laterOffset, into: base)
            switch base.load(as: UInt8.self) {
            case 0: return .some(nil)
            case 1:
                let count = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
                return .some(Self.loadWords(base + 5, present: true).map { RowSequenceDigest(count: count, value: $0) })
            default: return .none
            }
        }
        switch earlier {
        case .none: return  // an earlier row had a warning: the contact keeps no digest
        case .some(nil): try setLater(digest, of: id)
        case .some(let first?): try setLater(digest.map { first.appending($0) }, of: id)
        }
    }

    /// Writes what is still in memory out to the file: call before other threads use it.
    func flush() throws(StoreError) {
        try scratch.flush()
    }

    /// The digest of all of contact `id`'s rows: its creating rows', followed by its later
    /// rows' once set (nil when a row had a warning).
    func digest(of id: Int) throws(StoreError) -> RowDigest? {
        var slot: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &slot) { (raw) throws(StoreError) -> RowDigest? in
            let base = raw.baseAddress!
            try scratch.read(at: offset(of: id), count: Self.fingerprintOffset, into: base)
            guard let creating = Self.loadWords(base + 1, present: base.load(as: UInt8.self) == 1) else { return nil }
            let later = base + Self.laterOffset
            switch later.load(as: UInt8.self) {
            case 0: return creating
            case 1:
                let count = Int(UInt32(littleEndian: later.loadUnaligned(fromByteOffset: 1, as: UInt32.self)))
                guard let value = Self.loadWords(later + 5, present: true) else { return nil }
                return RowSequenceDigest(creating).appending(RowSequenceDigest(count: count, value: value)).value
            default: return nil
            }
        }
    }

    private func offset(of id: Int) -> Int {
        precondition(id >= firstId && id < firstId + count, "only contacts this import created")
        return (id - firstId) * Self.slotSize
    }

    /// Writes the creating part of a slot: a flag byte, then the digest's words.
    private static func store(_ digest: RowDigest?, at slot: UnsafeMutableRawPointer) {
        slot.storeBytes(of: digest == nil ? 0 : 1, as: UInt8.self)
        storeWords(digest, at: slot + 1)
    }

    private static func storeWords(_ digest: RowDigest?, at place: UnsafeMutableRawPointer) {
        place.storeBytes(of: (digest?.high ?? 0).littleEndian, as: UInt64.self)
        place.storeBytes(of: (digest?.low ?? 0).littleEndian, toByteOffset: 8, as: UInt64.self)
    }

    private static func loadWords(_ place: UnsafeRawPointer, present: Bool) -> RowDigest? {
        guard present else { return nil }
        return RowDigest(high: UInt64(littleEndian: place.loadUnaligned(as: UInt64.self)),
                         low: UInt64(littleEndian: place.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}
