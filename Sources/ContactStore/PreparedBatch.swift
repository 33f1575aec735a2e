import ContactModel

/// A batch made ready for the store without touching it: records sorted by email bytes, the
/// rows of each email folded (file order, later non-empty wins), cleaned, encoded into the
/// row's column bytes and fingerprinted.
///
/// Preparing is pure and `Sendable`, so the pipeline can do it on the reading thread
/// (`ImportSession.prepare`) and leave the store's thread nothing but SQLite work.
public struct PreparedBatch: Sendable {
    /// One entry per distinct email, in key order.
    let groups: [PreparedGroup]
    /// Emails and encoded columns of every group.
    let bytes: FrozenBytes
    /// Property keys (with their labels) in the order the batch first used them.
    let propertyKeys: [PropertyValue]
    /// Contacts of rows the reader skipped as known to change nothing (see `KnownRows`), one
    /// entry per row.
    let knownIds: [Int]

    /// Records in the batch. The records themselves are not kept: the rare path that merges a
    /// single row into an existing contact decodes its encoded columns instead, so the records
    /// are freed on the preparing thread rather than the store's.
    public let recordCount: Int
}

/// One email's contribution to a batch.
struct PreparedGroup: Sendable {
    var email: Range<Int>
    var encoded: ContactRowCodec.Encoded
    var type: ContactType?
    var fingerprint: UInt64
    /// `NewContactIndex.hashes(email:)` of the email.
    var emailHash: UInt64
    var emailCheck: UInt64
    /// Source row of the first record.
    var firstRow: Int
    /// The digest of the group's rows in file order (nil if one of them had a warning).
    var rowsDigest: RowSequenceDigest?
    /// Whether several rows were folded or the single row needed cleaning (its columns were
    /// encoded from the folded values rather than straight from one record).
    var folded: Bool
    /// Per field, the source row of its value, when several rows were folded (else every
    /// value came from `firstRow`). Only this is kept of the fold: the values are in `encoded`
    /// (keeping the whole `IncomingContact` made each group 400 bytes instead of ~280).
    var fieldRows: [String: Int]?
    var recordCount: Int
}

/// Bytes written once while preparing, then only read (so sharing them across threads is safe).
final class FrozenBytes: @unchecked Sendable {
    let arena: ByteArena

    init(_ arena: ByteArena) {
        self.arena = arena
    }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        arena.slice(range)
    }
}

extension PreparedBatch {
    init(_ batch: [ContactRecord], knownIds: [Int] = []) {
        self.init(RecordBatch(batch), knownIds: knownIds)
    }

    init(_ batch: RecordBatch, knownIds: [Int] = []) {
        self.knownIds = knownIds
        let arena = ByteArena(capacity: max(4096, batch.count * 320))
        let order = Self.sortKeys(batch)
        var groups: [PreparedGroup] = []
        groups.reserveCapacity(batch.count)
        var keys = PropertyKeyTable()
        var slots: [Int] = []
        slots.reserveCapacity(16)
        // Per column: the key slot of its property, once a packed record used it (-1 before).
        var columnSlots = [Int](repeating: -1, count: batch.columns.count)

        var index = 0
        while index < order.count {
            let first = order[index].index
            var next = index + 1
            while next < order.count, order[next].high == order[index].high, order[next].low == order[index].low,
                  Self.compareEmails(batch, order[next].index, first) == 0 {
                next += 1
            }
            let emailRange = batch.withEmail(at: first) { arena.append($0) }
            let (emailHash, emailCheck) = NewContactIndex.hashes(email: arena.slice(emailRange))
            // One record alone is encoded straight from itself when it needs no cleaning;
            // anything else is folded (file order) and encoded from the folded values.
            var type = batch.contactType(at: first)
            var fieldRows: [String: Int]?
            var encoded: ContactRowCodec.Encoded?
            if next == index + 1 {
                if batch.isPacked(first) {
                    encoded = batch.withPacked(at: first) { record in
                        ContactRowCodec.encode(packed: record, columnSlots: &columnSlots, columns: batch.columns,
                                               keys: &keys, into: arena)
                    }
                } else {
                    encoded = batch.withRecord(at: first) { record in
                        guard Self.cleanSlots(of: record, keys: &keys, slots: &slots) else { return nil }
                        return ContactRowCodec.encode(clean: record, slots: slots, keys: keys, into: arena)
                    }
                }
            }
            let folded = encoded == nil
            if folded {
                let record = batch.record(at: first)
                keys.note(record.properties)
                var incoming = IncomingContact(record)
                for later in (index + 1)..<next {
                    let record = batch.record(at: order[later].index)
                    keys.note(record.properties)
                    incoming.fold(record)
                }
                encoded = ContactRowCodec.encode(incoming.state, into: arena)
                type = incoming.state.contactType
                fieldRows = incoming.fieldRows
            }
            let columns = encoded!
            groups.append(PreparedGroup(
                email: emailRange,
                encoded: columns, type: type,
                fingerprint: ContactRowCodec.fingerprint(columns, type: type, email: arena.slice(emailRange), arena: arena),
                emailHash: emailHash, emailCheck: emailCheck,
                firstRow: batch.sourceRow(at: first), rowsDigest: Self.rowsDigest(batch, order[index..<next]),
                folded: folded, fieldRows: fieldRows, recordCount: next - index))
            index = next
        }
        self.recordCount = batch.count
        self.groups = groups
        self.bytes = FrozenBytes(arena)
        self.propertyKeys = keys.firstUses
    }

    /// The digest of the records at `keys` (file order), nil if one has no row digest.
    static func rowsDigest(_ batch: RecordBatch, _ keys: ArraySlice<SortKey>) -> RowSequenceDigest? {
        guard let first = batch.rowDigest(at: keys.first!.index) else { return nil }
        var digest = RowSequenceDigest(first)
        for key in keys.dropFirst() {
            guard let next = batch.rowDigest(at: key.index) else { return nil }
            digest.append(next)
        }
        return digest
    }

    /// Whether a record needs no cleaning (no empty property value, no repeated key, group or
    /// item); if so, `slots` holds the key slot of each of its properties, in order.
    /// Notes the record's keys in `keys` as it goes.
    /// (A pointer rather than a value, so the record's fields are read in place, never copied.)
    static func cleanSlots(of record: UnsafePointer<ContactRecord>, keys: inout PropertyKeyTable, slots: inout [Int]) -> Bool {
        slots.removeAll(keepingCapacity: true)
        keys.startRecord()
        var seen: UInt64 = 0
        let clean = record.pointee.properties.withUnsafeBufferPointer { properties -> Bool in
            for index in properties.indices {
                let slot = keys.slot(of: properties[index])
                if slot >= 64 || seen & (1 << UInt64(slot)) != 0 || properties[index].value.isEmpty { return false }
                seen |= 1 << UInt64(slot)
                slots.append(slot)
            }
            return true
        }
        return clean
            && (record.pointee.lists.isEmpty || ContactState.isCleanSet(record.pointee.lists))
            && (record.pointee.hubs.isEmpty || ContactState.isCleanSet(record.pointee.hubs))
            && (record.pointee.badges.isEmpty || ContactState.isCleanSet(record.pointee.badges))
            && (record.pointee.subscriptions.isEmpty || ContactState.isClean(record.pointee.subscriptions))
    }
}
