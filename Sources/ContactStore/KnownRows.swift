import ContactModel

/// Rows known to change nothing: for each contact whose last change came from a row read
/// without a warning, that row's `RowDigest`, loaded from `contact_keys.row_digest` when an
/// import begins. The reading thread looks every row up here and passes a known one on as its
/// contact's id instead of normalising it, unless an earlier row of the same import may have
/// changed that contact (see `emailKey`).
///
/// Immutable once built, so it is shared with the reading thread. About 30 bytes per contact.
public final class KnownRows: @unchecked Sendable {
    private struct Entry {
        var high: UInt64
        var low: UInt64
        var id: UInt32
        var emailKey: UInt32
    }

    /// Entries (24 bytes each), written once in `init`, then only read.
    private let entries: UnsafeMutableBufferPointer<Entry>
    /// Open addressing with linear probing, written once in `init`. A slot holds the digest's
    /// top 32 bits and entry + 1 in the low 32 bits (0 is empty): probes compare in place.
    private let slots: UnsafeMutableBufferPointer<UInt64>

    /// How many contacts have a known row.
    public let count: Int

    init(_ rows: [(digest: RowDigest, id: Int, emailKey: UInt32)]) {
        let kept = rows.filter { $0.id > 0 && $0.id <= Int(UInt32.max) }
        entries = .allocate(capacity: max(1, kept.count))
        for (index, row) in kept.enumerated() {
            entries[index] = Entry(high: row.digest.high, low: row.digest.low, id: UInt32(row.id), emailKey: row.emailKey)
        }
        count = kept.count
        var capacity = 64
        while capacity * 3 < kept.count * 4 { capacity *= 2 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0)
        let mask = capacity - 1
        for index in 0..<kept.count {
            let high = entries[index].high
            var position = Int(truncatingIfNeeded: high) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = (high & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
    }

    deinit {
        entries.deallocate()
        slots.deallocate()
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
