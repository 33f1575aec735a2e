import ContactModel

/// A batch made ready for the store without touching it: records sorted by email bytes, the
/// rows of each email folded (file order, later non-empty wins), cleaned, encoded into the
/// row's column bytes and fingerprinted.
///
/// Preparing is pure and `Sendable`, so the pipeline can do it on the reading thread
/// (`ImportSession.prepare`) and leave the store's thread nothing but SQLite work.
public struct PreparedBatch: Sendable {
    /// The records, kept for the rare path that must merge into an existing contact's values.
    let records: [ContactRecord]
    /// One entry per distinct email, in key order.
    let groups: [PreparedGroup]
    /// Emails and encoded columns of every group.
    let bytes: FrozenBytes
    /// Property keys (with their labels) in the order the batch first used them.
    let propertyKeys: [PropertyValue]

    /// Records in the batch.
    public var recordCount: Int { records.count }
}

/// One email's contribution to a batch.
struct PreparedGroup: Sendable {
    var email: Range<Int>
    /// A hash of the email, for the import's set of unchanged contacts.
    var emailHash: UInt64
    var encoded: ContactRowCodec.Encoded
    var type: ContactType?
    var fingerprint: UInt64
    /// Source row of the first record.
    var firstRow: Int
    /// Index in `records` of the first record.
    var recordIndex: Int
    /// Set when several rows were folded or the single row needed cleaning.
    var folded: IncomingContact?
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
    init(_ batch: [ContactRecord]) {
        let arena = ByteArena(capacity: max(4096, batch.count * 320))
        let order = Self.sortKeys(batch)
        var groups: [PreparedGroup] = []
        groups.reserveCapacity(batch.count)
        var propertyKeys: [PropertyValue] = []
        var seenKeys = Set<String>()
        var lastKeys: [String] = []
        var lastKeysUnique = true
        var keyFragments: [[UInt8]] = []

        /// Notes a record's keys; returns whether they are distinct (cached while the keys repeat).
        func noteKeys(_ properties: [PropertyValue]) -> Bool {
            if properties.count == lastKeys.count {
                var same = true
                for index in properties.indices where properties[index].key != lastKeys[index] {
                    same = false
                    break
                }
                if same { return lastKeysUnique }
            }
            lastKeys = properties.map(\.key)
            lastKeysUnique = Set(lastKeys).count == lastKeys.count
            let fragments = ByteArena(capacity: 64)
            keyFragments = lastKeys.map { key in
                fragments.removeAll()
                CompactJSON.appendString(key, to: fragments)
                fragments.append(UInt8(ascii: ":"))
                return Array(fragments.bufferPointer(0..<fragments.count))
            }
            for property in properties where seenKeys.insert(property.key).inserted {
                propertyKeys.append(property)
            }
            return lastKeysUnique
        }

        var index = 0
        while index < order.count {
            let key = order[index]
            let first = key.index
            var next = index + 1
            while next < order.count, order[next].high == key.high, order[next].low == key.low,
                  Self.compareBytes(batch[order[next].index].email, batch[first].email) == 0 {
                next += 1
            }
            let emailRange = arena.append(batch[first].email)
            let unique = noteKeys(batch[first].properties)
            if next == index + 1, unique, Self.isClean(batch[first]) {
                let encoded = ContactRowCodec.encode(clean: batch[first], keyFragments: keyFragments, into: arena)
                let type = batch[first].contactType
                groups.append(PreparedGroup(
                    email: emailRange, emailHash: StableHash.of(bytes: arena.bufferPointer(emailRange), tag: 0xE3A1),
                    encoded: encoded, type: type,
                    fingerprint: ContactRowCodec.fingerprint(encoded, type: type, arena: arena),
                    firstRow: batch[first].sourceRow, recordIndex: first, folded: nil, recordCount: 1))
            } else {
                var incoming = IncomingContact(batch[first])
                for later in (index + 1)..<next {
                    _ = noteKeys(batch[order[later].index].properties)
                    incoming.fold(batch[order[later].index])
                }
                let encoded = ContactRowCodec.encode(incoming.state, into: arena)
                let type = incoming.state.contactType
                groups.append(PreparedGroup(
                    email: emailRange, emailHash: StableHash.of(bytes: arena.bufferPointer(emailRange), tag: 0xE3A1),
                    encoded: encoded, type: type,
                    fingerprint: ContactRowCodec.fingerprint(encoded, type: type, arena: arena),
                    firstRow: incoming.firstRow, recordIndex: first, folded: incoming, recordCount: incoming.recordCount))
            }
            index = next
        }
        self.records = batch
        self.groups = groups
        self.bytes = FrozenBytes(arena)
        self.propertyKeys = propertyKeys
    }

    /// Whether a record (whose property keys are distinct) needs no cleaning.
    static func isClean(_ record: borrowing ContactRecord) -> Bool {
        for property in record.properties where property.value.isEmpty { return false }
        return (record.lists.isEmpty || ContactState.isCleanSet(record.lists))
            && (record.hubs.isEmpty || ContactState.isCleanSet(record.hubs))
            && (record.badges.isEmpty || ContactState.isCleanSet(record.badges))
            && (record.subscriptions.isEmpty || ContactState.isClean(record.subscriptions))
    }
}
