import ContactModel

/// Rows known to change nothing: for each contact whose last change came from a row read
/// without a warning, that row's `RowDigest`, loaded from `contact_keys.row_digest` when an
/// import begins. The reading thread looks every row up here and passes a known one on as its
/// contact's id instead of normalising it, unless an earlier row of the same import may have
/// changed that contact (see `emailKey`).
///
/// Not changed once `finish` has run, so it is then shared with the reading thread. 24 bytes per contact plus an
/// 8-byte slot per 1–2 contacts (about 35 MB for the 1M-row bench file's 781,441 known rows).
public final class KnownRows: @unchecked Sendable {
    private struct Entry {
        var high: UInt64
        var low: UInt64
        var id: UInt32
        var emailKey: UInt32
    }

    /// Entries (24 bytes each), filled while loading, then only read.
    private let entries: UnsafeMutableBufferPointer<Entry>
    /// Open addressing with linear probing, built by `finish`. A slot holds the digest's top
    /// 32 bits and entry + 1 in the low 32 bits (0 is empty): probes compare in place.
    private var slots = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)

    /// How many contacts have a known row.
    public private(set) var count = 0

    /// Room for `maximumCount` rows; fill with `append`, then call `finish` once before sharing.
    init(maximumCount: Int) {
        entries = .allocate(capacity: max(1, maximumCount))
    }

    /// Adds a contact's known row (ignored past the room made, or for ids beyond 32 bits).
    func append(digest: RowDigest, id: Int, emailKey: UInt32) {
        guard count < entries.count, id > 0, id <= Int(UInt32.max) else { return }
        entries[count] = Entry(high: digest.high, low: digest.low, id: UInt32(id), emailKey: emailKey)
        count += 1
    }

    /// Builds the table (up to 4/5 full: probes compare tags in place, so a full table costs
    /// little, and nothing is added later).
    func finish() {
        var capacity = 64
        while capacity * 4 < count * 5 { capacity *= 2 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        let mask = capacity - 1
        for index in 0..<count {
            let high = entries[index].high
            var position = Int(truncatingIfNeeded: high) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = (high & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
    }

    deinit {
        entries.deallocate()
        if slots.baseAddress != nil { slots.deallocate() }
    }

    /// The contact whose last change came from a row with this digest, and its `emailKey`.
    public func contact(for digest: RowDigest) -> (id: Int, emailKey: UInt32)? {
        let mask = slots.count - 1
        let tag = digest.high & 0xFFFF_FFFF_0000_0000
        var position = Int(truncatingIfNeeded: digest.high) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = entries[Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1]
                if entry.high == digest.high && entry.low == digest.low { return (Int(entry.id), entry.emailKey) }
            }
            position = (position + 1) & mask
        }
    }

    /// 32 bits of a hash of a normalised email. The reading thread records the key of every
    /// row it normalises; a known row whose contact's key was recorded is normalised too, as an
    /// earlier row of the import may have changed that contact (a false match only costs that).
    public static func emailKey(_ email: String) -> UInt32 {
        var email = email
        return email.withUTF8 { emailKey(bytes: $0) }
    }

    static func emailKey(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: StableHash.of(bytes: bytes, tag: 0x6B6E_6F77_6E) >> 32)
    }
}
