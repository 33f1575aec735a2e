import ContactModel
import Tabular

/// Rows an import brings to contacts that already have a row (created before the import, or
/// earlier in it), kept until the import settles and then merged one contact at a time, in id
/// order.
///
/// Rows of one email are usually far apart in a file (in the bench file the median distance is
/// 160,000 rows), so merging each as it came meant reading and rewriting a random contact row,
/// often twice: once to a value a later row then took back. Kept here, a contact's rows are
/// folded first (file order, later non-empty wins) and merged once, in the order of the
/// `contacts` table, so each page is read and written once, and a re-import that changes nothing
/// writes nothing.
///
/// The rows live in a `ScratchFile` as records chained per contact (each points at the one
/// before), so memory holds one offset per contact, not the rows.
final class PendingChanges {
    private let scratch: ScratchFile
    /// Contact id → offset of its latest record, and the contact's fingerprint when its first
    /// row was kept (see `Waiting.storedHash`).
    private var latest: [Int: Latest] = [:]
    /// An entry of `latest`, in 16 bytes (an optional fingerprint beside the offset took 24,
    /// a megabyte more at the 1M-row file's ~89k waiting contacts).
    private struct Latest {
        /// The offset, or its complement when the fingerprint is not known here.
        private var word: Int
        private var hash: UInt64

        /// `storedHash`: nil for a contact the import created whose fingerprint is still its
        /// creation's, read from `creations` when its rows are taken.
        init(offset: Int, storedHash: UInt64?) {
            word = storedHash == nil ? ~offset : offset
            hash = storedHash ?? 0
        }

        var offset: Int { word < 0 ? ~word : word }
        var storedHash: UInt64? { word < 0 ? nil : hash }
    }
    /// Contacts created by the import that got rows waiting since the current sweep began
    /// (may hold ids settled since: `latest` is the truth).
    private var newContactIds: [Int] = []
    /// The sweep under way (see `takeNewContacts`), in id order, and how far it got.
    private var sweep: [Int] = []
    private var sweepPosition = 0
    /// A record being built (reused).
    private let record = ScratchRecord()
    /// The row digests of the contacts the import creates (ids from `creations.firstId`):
    /// settling one writes its waiting rows' digest beside its creating rows', for the commit.
    private let creations: CreationDigests
    /// New contacts settled once already (early, on the caller's thread): rows they get
    /// afterwards add to their later rows' digest rather than replace it.
    private var settledBefore = IdBitSet()
    /// The rows the contacts the import creates were created with (nil: not kept), which the
    /// waiting rows of a contact not settled before are merged into (`Waiting.merged`).
    private let creationRows: CreationRows?

    /// - Parameters:
    ///   - directory: where the scratch file goes (the store folder).
    ///   - spillBytes: how many bytes of rows to keep in memory.
    ///   - creations: the digests of the contacts the import creates.
    ///   - creationRows: the rows they were created with, if kept.
    init(directory: String, spillBytes: Int = 2 << 20, creations: CreationDigests, creationRows: CreationRows? = nil) {
        scratch = ScratchFile(directory: directory, spillBytes: spillBytes)
        self.creations = creations
        self.creationRows = creationRows
    }

    /// Contacts with rows waiting.
    var count: Int { latest.count }

    func contains(_ id: Int) -> Bool {
        latest[id] != nil
    }

    /// A contact's waiting rows, folded, as handed to the settling code.
    struct Waiting {
        var id: Int
        /// The rows folded (empty when `alreadyApplied`: they were not).
        var incoming: IncomingContact
        /// The contact's email (as the rows carry it).
        var email: [UInt8]
        /// The contact's fingerprint when its first waiting row came: what `contact_keys.hash`
        /// held then or, for a contact the import created, its creation's or its last
        /// settling's. Only settling changes it, and settling takes the rows, so it is still
        /// the contact's when they are settled.
        /// Nil for rows merged into a kept creation row (`merged`), which need no comparison.
        var storedHash: UInt64?
        /// The digest of the waiting rows in file order (nil if one had a warning): stored
        /// with the contact once settled (after its creating rows' when the import created it).
        var rowsDigest: RowSequenceDigest?
        /// The contact existed before the import and its stored row digest is `rowsDigest`:
        /// its state came from these very rows, and folding them again changes nothing
        /// (`RowSequenceDigest`), so they were not even read (a re-import of the same file).
        var alreadyApplied: Bool
        /// The fingerprint of the folded rows as a contact's values (`ContactRowCodec`): when it
        /// equals the contact's, the rows change nothing and the contact need not be read.
        /// Nil when not needed: the rows were not read (`alreadyApplied`), or were merged (`merged`).
        var foldedFingerprint: UInt64?
        /// For a contact the import created and had not settled before, when its creation row
        /// is kept: the rows merged into that row (which is still its row in `contacts`),
        /// where they were read. Nil otherwise.
        var merged: Merged?
    }

    /// The outcome of merging a new contact's waiting rows into its row (`Waiting.merged`).
    enum Merged {
        /// The rows change nothing.
        case unchanged
        /// Its new type and columns (their ranges are `bytes`'), and its fingerprint.
        case changed(type: ContactType?, columns: ContactRowCodec.Encoded, bytes: [UInt8], fingerprint: UInt64)
    }

    /// Keeps a prepared email group for contact `id` (`isNew`: a contact the import created,
    /// which `takeNewContacts` may settle early; `storedHash` and `storedDigest`: its current
    /// fingerprint and its row digest in the store, as the contact's first group found them;
    /// nil `storedHash` for a new contact: the fingerprint it was created with, which the
    /// thread that takes its rows reads from `creations`, so the caller's need not).
    func add(id: Int, group: PreparedGroup, bytes: FrozenBytes, isNew: Bool = false,
             storedHash: UInt64?, storedDigest: RowDigest? = nil) throws(StoreError) {
        precondition(storedHash != nil || id >= creations.firstId, "only a new contact's fingerprint can be read later")
        record.removeAll()
        record.append(Int64(group.firstRow))
        record.append(Int32(group.recordCount))
        record.append(type: group.type, columns: group.encoded, bytes: bytes)
        let rows = group.fieldRows
        record.append(UInt32(rows?.count ?? 0))
        for (field, row) in rows ?? [:] {
            var field = field
            field.withUTF8 { utf8 in
                record.append(UInt32(utf8.count))
                record.append(UnsafeRawBufferPointer(utf8))
            }
            record.append(Int64(row))
        }
        let email = bytes.slice(group.email)
        record.append(UInt32(email.count))
        record.append(email)
        record.append(UInt32(group.rowsDigest?.count ?? 0))
        record.append(group.rowsDigest?.value)
        record.append(storedDigest)
        let offset = scratch.count
        let previous = latest[id]
        try scratch.append(Int64(previous?.offset ?? -1))
        try scratch.append(UInt32(record.count))
        try scratch.append(record.bytes)
        if isNew, previous == nil { newContactIds.append(id) }
        latest[id] = Latest(offset: offset, storedHash: previous.map(\.storedHash) ?? storedHash)
    }

    /// Calls `body` for each contact in id order with its rows folded in file order, and
    /// forgets them.
    ///
    /// `helperThreads`: read and fold the rows on that many helper threads, a few hundred
    /// contacts ahead of `body`, so that work overlaps the store's reads and writes of the
    /// contacts, or (when the rows change nothing, as in a re-import) runs on two cores
    /// (the caller must not use this object until it returns).
    func forEachInIdOrder(helperThreads: Int = 0, _ body: (Waiting) throws(StoreError) -> Void) throws(StoreError) {
        let ids = latest.keys.sorted()
        if helperThreads > 0 && ids.count > Self.contactsPerChunk {
            // The helpers write slots of the creation digests, and read creation rows: in the
            // files only.
            try creations.flush()
            try creationRows?.flush()
            let reader = HelperReader(pending: self, ids: ids, threads: helperThreads)
            try ChunkHandoff.run(depth: 4, name: "settle-read", producers: helperThreads, produce: { (handoff, index) throws(StoreError) in
                try reader.run(into: handoff, thread: index)
            }, consume: { (chunk) throws(StoreError) in
                for waiting in chunk { try body(waiting) }
                chunk.removeAll(keepingCapacity: true)
            })
            latest.removeAll()
        } else {
            try take(ids, body)
        }
        newContactIds.removeAll()
        sweep.removeAll()
        sweepPosition = 0
    }

    /// Contacts per chunk handed over by `forEachInIdOrder(helperThreads:)`.
    static let contactsPerChunk = 256

    /// The helper threads' side of `forEachInIdOrder(helperThreads:)`. They only read this
    /// object (its records and `latest`, which nothing changes until they end: the caller's
    /// thread leaves it alone meanwhile), so sharing it is safe.
    private final class HelperReader: @unchecked Sendable {
        let pending: PendingChanges
        let ids: [Int]
        let threads: Int

        init(pending: PendingChanges, ids: [Int], threads: Int) {
            self.pending = pending
            self.ids = ids
            self.threads = threads
        }

        /// Reads chunks `thread`, `thread + threads`, ... of `ids`.
        func run(into handoff: ProducerThread<[Waiting], StoreError>, thread: Int) throws(StoreError) {
            let size = PendingChanges.contactsPerChunk
            var start = thread * size
            while start < ids.count {
                let end = min(ids.count, start + size)
                var chunk = handoff.recycled() ?? []
                chunk.reserveCapacity(size)
                try pending.take(ids[start..<end], forget: false) { (waiting) throws(StoreError) in chunk.append(waiting) }
                // false: the consumer has gone (a write failed).
                guard handoff.put(chunk) else { return }
                start += threads * size
            }
        }
    }

    /// Like `forEachInIdOrder`, for up to `limit` of the contacts the import created, so they
    /// can be settled while the store would otherwise wait for rows. Returns how many it took
    /// (0 when fewer than `minimumSweep` wait and no sweep is under way).
    ///
    /// Contacts are taken in sweeps: each sweep is every new contact waiting when it starts, in
    /// id order, taken `limit` at a time; contacts that get rows meanwhile wait for the next
    /// one. The contacts of one page of the `contacts` table then share its read and its write.
    /// Taken oldest first, each one cost a random page read and a page write.
    func takeNewContacts(limit: Int, minimumSweep: Int = 0, _ body: (Waiting) throws(StoreError) -> Void) throws(StoreError) -> Int {
        if sweepPosition == sweep.count {
            sweep.removeAll(keepingCapacity: true)
            sweepPosition = 0
            guard newContactIds.count >= max(1, minimumSweep) else { return 0 }
            sweep = newContactIds.sorted()
            newContactIds.removeAll(keepingCapacity: true)
        }
        var ids: [Int] = []
        ids.reserveCapacity(limit)
        while ids.count < limit, sweepPosition < sweep.count {
            let id = sweep[sweepPosition]
            sweepPosition += 1
            if latest[id] != nil, ids.last != id { ids.append(id) }
        }
        try take(ids, body)
        return ids.count
    }

    /// Reads, folds and hands over each contact's rows; `forget`: drop them from `latest` as
    /// it goes (helper threads must not, as they share it).
    private func take(_ ids: some Collection<Int>, forget: Bool = true, _ body: (Waiting) throws(StoreError) -> Void) throws(StoreError) {
        let arena = ByteArena(capacity: 4096)
        let encoding = ByteArena(capacity: 4096)
        let creation = creationRows?.reader()
        var chain: [RawRecord] = []
        /// The changes a merge into a creation row makes (unused: a new contact has no history).
        var changes: [FieldChange] = []
        for id in ids {
            chain.removeAll(keepingCapacity: true)
            arena.removeAll()
            let entry = latest[id]!
            var storedHash = entry.storedHash
            var offset = entry.offset
            while offset >= 0 {
                let record = try read(at: offset, into: arena)
                chain.append(record)
                offset = record.previous
            }
            // The chain is newest first; the digest goes in file order.
            var rowsDigest: RowSequenceDigest? = chain.last!.rowsDigest
            for record in chain.dropLast().reversed() {
                guard let digest = record.rowsDigest, rowsDigest != nil else { rowsDigest = nil; break }
                rowsDigest!.append(digest)
            }
            let newest = chain[0]
            let email = Array(arena.slice(newest.email).assumingMemoryBound(to: UInt8.self))
            if forget { latest[id] = nil }
            var settledEarlier = false
            if id >= creations.firstId {
                settledEarlier = settledBefore.contains(id)
                // Stored with its key at commit, after its creating rows' digest (and after
                // the rows of an earlier settling: helper threads only read `settledBefore`).
                if settledEarlier {
                    try creations.appendLater(rowsDigest, of: id)
                } else {
                    try creations.setLater(rowsDigest, of: id)
                }
                if forget { _ = settledBefore.insert(id) }
            } else if let rowsDigest, let stored = chain.last!.storedDigest, rowsDigest.value == stored {
                try body(Waiting(id: id, incoming: IncomingContact(state: ContactState(), firstRow: 0), email: email,
                                 storedHash: storedHash, rowsDigest: rowsDigest, alreadyApplied: true,
                                 foldedFingerprint: nil, merged: nil))
                continue
            }
            var folded = try decode(chain.last!, contactId: id, arena: arena)
            for record in chain.dropLast().reversed() { folded.fold(try decode(record, contactId: id, arena: arena)) }
            var merged: Merged?
            var fingerprint: UInt64?
            if let creation, id >= creations.firstId, !settledEarlier {
                // The merge finds rows that change nothing by itself: the folded rows' own
                // fingerprint (an encoding of them) is not needed.
                arena.removeAll()
                merged = try merge(folded, intoCreationOf: id, email: email, rows: creation, arena: arena, output: encoding,
                                   changes: &changes)
            } else {
                // A new contact's creation fingerprint, if it is still its own, is read only here,
                // where it is compared (and on a helper thread, when helpers take the rows).
                if storedHash == nil { storedHash = try creations.fingerprint(of: id) }
                encoding.removeAll()
                let encoded = ContactRowCodec.encode(folded.state, into: encoding)
                fingerprint = email.withUnsafeBytes { email in
                    ContactRowCodec.fingerprint(encoded, type: folded.state.contactType, email: email, arena: encoding)
                }
            }
            try body(Waiting(id: id, incoming: folded, email: email, storedHash: storedHash,
                             rowsDigest: rowsDigest, alreadyApplied: false, foldedFingerprint: fingerprint, merged: merged))
        }
    }

    /// Merges a new contact's folded rows into the row it was created with, as settling it
    /// against its row in `contacts` would (a new contact's changes make no history).
    /// `changes`: scratch for `absorb`, reused from contact to contact.
    private func merge(_ incoming: IncomingContact, intoCreationOf id: Int, email: [UInt8], rows: CreationRows.Reader,
                       arena: ByteArena, output: ByteArena, changes: inout [FieldChange]) throws(StoreError) -> Merged {
        let (type, columns) = try rows.read(id: id, into: arena)
        guard var state = ContactRowCodec.decode(columns, type: type, arena: arena) else {
            throw .corruptValue(contactId: id, column: "import scratch row")
        }
        changes.removeAll(keepingCapacity: true)
        guard state.absorb(incoming, changes: &changes) else { return .unchanged }
        output.removeAll()
        let encoded = ContactRowCodec.encode(state, into: output)
        let fingerprint = email.withUnsafeBytes { email in
            ContactRowCodec.fingerprint(encoded, type: state.contactType, email: email, arena: output)
        }
        return .changed(type: state.contactType, columns: encoded,
                        bytes: Array(output.bufferPointer(0..<output.count)), fingerprint: fingerprint)
    }

    /// Where one record's pieces lie in the arena it was read into.
    private struct RawRecord {
        var previous: Int
        var firstRow: Int
        var recordCount: Int
        var type: ContactType?
        var encoded: ContactRowCodec.Encoded
        /// The field → source row pairs, and how many.
        var fieldRows: Int
        var fieldRowCount: Int
        var email: Range<Int>
        var rowsDigest: RowSequenceDigest?
        var storedDigest: RowDigest?
    }

    /// Appends the record at `offset` to `arena` (one read for most records) and finds its
    /// pieces, without decoding its values.
    private func read(at offset: Int, into arena: ByteArena) throws(StoreError) -> RawRecord {
        let start = arena.count
        let guess = min(Self.readAhead, scratch.count - offset)
        try scratch.read(at: offset, count: guess, into: arena.reserve(guess))
        arena.didWrite(guess)
        let header = UnsafeRawPointer(arena.base + start)
        let previous = Int(Int64(littleEndian: header.loadUnaligned(as: Int64.self)))
        let length = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        if 12 + length > guess {
            let rest = 12 + length - guess
            try scratch.read(at: offset + guess, count: rest, into: arena.reserve(rest))
            arena.didWrite(rest)
        }
        var position = start + 12
        func take<Value: FixedWidthInteger>(_: Value.Type) -> Value {
            defer { position += MemoryLayout<Value>.size }
            return Value(littleEndian: UnsafeRawPointer(arena.base + position).loadUnaligned(as: Value.self))
        }
        func digest() -> RowDigest? {
            guard take(UInt8.self) != 0 else { return nil }
            let high = take(UInt64.self)
            return RowDigest(high: high, low: take(UInt64.self))
        }
        let firstRow = Int(take(Int64.self))
        let recordCount = Int(take(Int32.self))
        let (type, encoded) = ContactRowCodec.Encoded.read(at: &position, in: arena)
        let fieldRowCount = Int(take(UInt32.self))
        let fieldRows = position
        for _ in 0..<fieldRowCount { position += Int(take(UInt32.self)) + 8 }
        let emailCount = Int(take(UInt32.self))
        let email = position..<(position + emailCount)
        position += emailCount
        let rowCount = Int(take(UInt32.self))
        let rowsDigest = digest().map { RowSequenceDigest(count: rowCount, value: $0) }
        return RawRecord(previous: previous, firstRow: firstRow, recordCount: recordCount,
                         type: type, encoded: encoded,
                         fieldRows: fieldRows, fieldRowCount: fieldRowCount, email: email,
                         rowsDigest: rowsDigest, storedDigest: digest())
    }

    /// A record's rows as the settling code folds them.
    private func decode(_ record: RawRecord, contactId: Int, arena: ByteArena) throws(StoreError) -> IncomingContact {
        guard let state = ContactRowCodec.decode(record.encoded, type: record.type, arena: arena) else {
            throw .corruptValue(contactId: contactId, column: "import scratch record")
        }
        var incoming = IncomingContact(state: state, firstRow: record.firstRow)
        incoming.recordCount = record.recordCount
        if record.fieldRowCount > 0 {
            var fieldRows: [String: Int] = [:]
            var position = record.fieldRows
            for _ in 0..<record.fieldRowCount {
                let count = Int(UInt32(littleEndian: UnsafeRawPointer(arena.base + position).loadUnaligned(as: UInt32.self)))
                let field = String(decoding: UnsafeBufferPointer(start: arena.base + position + 4, count: count), as: UTF8.self)
                position += 4 + count
                fieldRows[field] = Int(Int64(littleEndian: UnsafeRawPointer(arena.base + position).loadUnaligned(as: Int64.self)))
                position += 8
            }
            incoming.fieldRows = fieldRows
        }
        return incoming
    }

    /// Bytes read at once for a record (most records are shorter).
    private static let readAhead = 1024
}
