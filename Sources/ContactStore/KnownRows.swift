import ContactModel
import CSHA256

/// Rows known to change nothing, loaded from `contact_keys.row_digest` when an import begins.
///
/// - For each contact whose last change came from one row read without a warning, that row's
///   `RowDigest`. The reading thread looks every row up here and passes a known one on as its
///   contact's id instead of normalising it, unless an earlier row of the same import may have
///   changed that contact (see `emailKey`).
/// - For each contact whose last change came from several rows, the digest of their sequence
///   (`RowSequenceDigest`), by the contact's `emailKey`: no single row matches it, so the
///   reading thread holds such a contact's rows back until it knows whether the file has
///   exactly that sequence for it (see `contactOfSeveralRows(emailKey:)`).
///
/// Filled when the import begins, then only read, so it is shared with the reading thread.
/// One open-addressing table of 24-byte entries that hold the whole digest, so a lookup costs
/// one cache miss, not two (with 8-byte tag slots pointing into a separate entry array, the
/// 1M-row re-import spent 0.44 s of its 3.2 s looking rows up): about 25 MB for the 1M-row
/// bench file's 781,441 known rows.
public final class KnownRows: @unchecked Sendable {
    private struct Entry {
        var high: UInt64
        var low: UInt64
        /// 0: an empty slot (contact ids start at 1).
        var id: UInt32
        var emailKey: UInt32
    }

    /// Open addressing with linear probing, at most 4/5 full, positioned by the digest's `high`
    /// scaled to the table (any size, not a power of two). Filled while loading, then only read.
    private let slots: UnsafeMutableBufferPointer<Entry>
    /// How many rows the table may take.
    private let room: Int

    /// How many contacts have a known row.
    public private(set) var count = 0

    /// Room for `maximumCount` rows; fill with `append` before sharing.
    init(maximumCount: Int) {
        room = max(1, maximumCount)
        slots = .allocate(capacity: room + room / 4 + 1)
        slots.initialize(repeating: Entry(high: 0, low: 0, id: 0, emailKey: 0))
    }

    /// Adds a contact's known row (ignored past the room made, or for ids beyond 32 bits: then
    /// only its email key is kept, for `forEachEmailKey`).
    func append(digest: RowDigest, id: Int, emailKey: UInt32) {
        guard count < room, id > 0, id <= Int(UInt32.max) else {
            otherEmailKeys.append(emailKey)
            return
        }
        var position = start(digest)
        while slots[position].id != 0 { position = position + 1 == slots.count ? 0 : position + 1 }
        slots[position] = Entry(high: digest.high, low: digest.low, id: UInt32(id), emailKey: emailKey)
        count += 1
    }

    /// Adds the stored digests of several contacts: every slot of a one-row digest is
    /// requested before the first is written, so their cache misses overlap (the table is far
    /// larger than the caches, and one at a time each insert waited for its own miss: ~40% of
    /// loading a million known rows).
    /// A row without a digest is a contact with no known row: only its email key is kept.
    func append(_ rows: some Collection<(digest: KeyDigest?, id: Int, emailKey: UInt32)>) {
        for row in rows { if let digest = row.digest, !digest.severalRows { prefetch(digest.value) } }
        for row in rows {
            guard let digest = row.digest else {
                otherEmailKeys.append(row.emailKey)
                continue
            }
            if digest.severalRows {
                appendSeveralRows(digest: digest.value, id: row.id, emailKey: row.emailKey)
            } else {
                append(digest: digest.value, id: row.id, emailKey: row.emailKey)
            }
        }
    }

    /// A contact whose last change came from several rows, by its email key.
    private struct SeveralRows {
        /// 0 when two such contacts share the key (neither is recognised then).
        var id: UInt32
        var digest: RowDigest
    }
    private var severalRows: [UInt32: SeveralRows] = [:]

    /// The email keys of the stored contacts that are in neither table (no known row, or
    /// beyond what the tables take), so that `forEachEmailKey` names every stored contact.
    private var otherEmailKeys: [UInt32] = []

    /// Calls `body` with the email key of every contact loaded (with a known row or not),
    /// and of no other: a key it never names is no stored contact's (see `StoredEmailFilter`).
    func forEachEmailKey(_ body: (UInt32) -> Void) {
        for entry in slots where entry.id != 0 { body(entry.emailKey) }
        for key in severalRows.keys { body(key) }
        for key in otherEmailKeys { body(key) }
    }

    /// Whether some contacts' last change came from several rows (see `contactOfSeveralRows`).
    public var hasSeveralRows: Bool { !severalRows.isEmpty }

    /// Whether no row or contact is known at all (contacts without a known row aside).
    var isEmpty: Bool { count == 0 && !hasSeveralRows }

    /// Adds a contact whose last change came from several rows with digest `digest`.
    func appendSeveralRows(digest: RowDigest, id: Int, emailKey: UInt32) {
        guard id > 0, id <= Int(UInt32.max) else {
            otherEmailKeys.append(emailKey)
            return
        }
        if severalRows[emailKey] != nil {
            severalRows[emailKey]!.id = 0
        } else {
            severalRows[emailKey] = SeveralRows(id: UInt32(id), digest: digest)
        }
    }

    /// The contact with this `emailKey` whose last change came from several rows, and the
    /// digest of those rows: a file's rows for it change nothing when their sequence has the
    /// same digest (and no other row of the file names the contact). Nil when there is none,
    /// or when two such contacts share the key.
    public func contactOfSeveralRows(emailKey: UInt32) -> (id: Int, digest: RowDigest)? {
        guard let entry = severalRows[emailKey], entry.id != 0 else { return nil }
        return (Int(entry.id), entry.digest)
    }

    deinit {
        slots.deallocate()
    }

    /// The contact whose last change came from a row with this digest, and its `emailKey`.
    public func contact(for digest: RowDigest) -> (id: Int, emailKey: UInt32)? {
        var position = start(digest)
        while true {
            let entry = slots[position]
            if entry.id == 0 { return nil }
            if entry.high == digest.high && entry.low == digest.low { return (Int(entry.id), entry.emailKey) }
            position = position + 1 == slots.count ? 0 : position + 1
        }
    }

    /// Starts loading the slot where a lookup of `digest` begins (a hint for a lookup soon after).
    public func prefetch(_ digest: RowDigest) {
        csha256_prefetch(slots.baseAddress! + start(digest))
    }

    /// Where a digest's probe starts: `high` scaled to the table size.
    @inline(__always)
    private func start(_ digest: RowDigest) -> Int {
        Int(truncatingIfNeeded: digest.high.multipliedFullWidth(by: UInt64(slots.count)).high)
    }

    /// 32 bits of a hash of a normalised email. The reading thread records the key of every
    /// row it normalises; a known row whose contact's key was recorded is normalised too, as an
    /// earlier row of the import may have changed that contact (a false match only costs that).
    public static func emailKey(_ email: String) -> UInt32 {
        var email = email
        return email.withUTF8 { emailKey(bytes: $0) }
    }

    /// `emailKey` of a normalised email's bytes.
    public static func emailKey(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: StableHash.of(bytes: bytes, tag: 0x6B6E_6F77_6E) >> 32)
    }
}
