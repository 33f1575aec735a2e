import Foundation
import ContactModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SysSQLite3
import Tabular
import CSHA256

/// One import: a single transaction into which the file's batches are merged in file order,
/// then settled, then committed with its ledger entry, or rolled back (also how a dry run ends).
///
/// The bulk path, per batch: sort the records by email bytes (file order kept among equal
/// emails), fold each email's records, then for each email in key order look it up among the
/// contacts this import created (`NewContactIndex`) and, if the store had contacts before, in
/// `contact_keys`; append new contacts, and for existing ones compare the stored fingerprint: an
/// equal one means nothing to do, else the rows wait in `PendingChanges`. Settling merges each
/// waiting contact once, in id order; the keys of new contacts reach `contact_keys` at commit,
/// in email order (`SortedKeyRuns`).
public final class ImportSession {
    /// The ledger id of this import (source of every history entry it writes).
    public let importId: Int
    /// Totals so far (final once `settle` has run; see `MergeCounts`).
    public private(set) var counts = MergeCounts()

    private let store: ContactStore
    private let db: SQLiteConnection
    private var finished = false
    /// How the import's transaction begins and ends: on its own, or within a dry run of
    /// several imports (`ContactStore.beginDryRun`), whose commits keep their changes for the
    /// imports after them to see until the dry run undoes them all.
    private let transaction: Transaction
    private enum Transaction {
        /// `BEGIN IMMEDIATE` … `COMMIT` or `ROLLBACK`.
        case own
        /// The first of a dry run: begins the dry run's transaction, which its commit leaves open.
        case opensDryRun
        /// A later one of a dry run: a savepoint in its transaction (its rollback undoes only it).
        case savepoint

        var begin: String { self == .savepoint ? "SAVEPOINT import" : "BEGIN IMMEDIATE" }
        var rollback: String { self == .savepoint ? "ROLLBACK TO import; RELEASE import" : "ROLLBACK" }
        var commit: String? { self == .own ? "COMMIT" : self == .savepoint ? "RELEASE import" : nil }
    }
    private let clock: @Sendable () -> Int

    private let selectKey: Statement
    private let insertKey: Statement
    /// Inserts `keysPerInsert` keys of new contacts at once (at commit).
    private let insertKeys: Statement
    private let updateKeyHash: Statement
    private let selectContactWithEmail: Statement
    private let insertContact: Statement
    /// Inserts `rowsPerInsert` new contacts at once (one statement step instead of many).
    private let insertContacts: Statement
    static let rowsPerInsert = 16
    /// Keys per multi-row INSERT (3 parameters each, plus the import id): 64 took the 885,292
    /// keys of the 1M-row bench file from 0.89–1.00 s to 0.69–0.72 s (128: 0.67–0.69 s).
    static let keysPerInsert = 64
    /// New contacts of the current batch not inserted yet: (group index, id).
    private var pendingContacts: [(group: Int, id: Int)] = []
    private let updateContact: Statement
    private let insertHistory: Statement
    /// Inserts `historyRowsPerInsert` history rows at once.
    private let insertHistories: Statement
    static let historyRowsPerInsert = 16
    /// History rows of the current batch not inserted yet, their text in `historyText`
    /// (inserted in order, so ids keep the order of the changes).
    private var pendingHistory: [PendingHistory] = []
    private let historyText = ByteArena(capacity: 1 << 14)
    private struct PendingHistory {
        var contactId: Int
        var field: Range<Int>
        var oldValue: Range<Int>?
        var newValue: Range<Int>?
        var sourceRow: Int
    }
    private let insertDefinition: Statement
    private var knownPropertyKeys: Set<String>
    /// Contacts that existed before the import and that it has seen (a later row is a duplicate).
    private var seenExisting = IdBitSet()
    /// Those of them counted `unchanged` when seen (settling may move them to `updated`).
    private var countedUnchanged = IdBitSet()
    /// Rows for contacts that have a row already, merged when the import settles.
    private let pending: PendingChanges
    private var settled = false
    /// A read-only descriptor of the database file, to start the kernel's write-back of the
    /// pages SQLite has written so far (see `startWriteback`); -1 if it could not be opened.
    private var databaseFile: Int32 = -1
    /// Rows merged since the last `startWriteback`.
    private var rowsSinceWriteback = 0
    /// Keys inserted at commit since the last `startWriteback`.
    private var keysSinceWriteback = 0
    /// Whether the store had contacts when the import began (else only `newContacts` can
    /// know an email).
    private let storeHadKeys: Bool
    /// An upper bound on the contacts the store had when the import began (ids are never
    /// reused, so every contact ever created, tombstones too); 0 for an empty store.
    private let storedKeys: Int
    /// Rows known to change nothing, for the reading thread to skip (nil when the store has
    /// none): hand it to whatever reads the file, and pass the ids of the rows it skipped with
    /// their batch (`prepare(_:knownIds:)`).
    public let knownRows: KnownRows?
    /// The email keys of the store's contacts, once `ruleOutNewEmails` made it: an email it
    /// rules out is created without a lookup in `contact_keys`.
    private var storedEmails: StoredEmailFilter?
    /// New contacts that had rows waiting: the digest stored with their key is the one
    /// `creations` holds once they are settled (all their rows'), not their first batch's.
    private var settledNewContacts = IdBitSet()
    /// The contacts this import created, by email hash.
    private var newContacts: NewContactIndex
    /// Their (email, id) keys and creation fingerprints in sorted runs, inserted into
    /// `contact_keys` at commit.
    private let newKeys: SortedKeyRuns
    /// The row digests of the contacts this import creates (for those in `settledNewContacts`,
    /// the digest of all their rows once settled), and the fingerprints they were created with.
    private let creations: CreationDigests
    /// The rows the contacts this import creates were created with, if kept: settling merges
    /// their waiting rows into them on `pending`'s helper threads instead of reading them back.
    private let creationRows: CreationRows?
    /// The fingerprints of the contacts this import created whose values changed when settled
    /// (the others keep their creation's, in `creations`): about one new contact in ten in the
    /// bench file, against every new contact when the index kept them (8 bytes each).
    private var settledFingerprints: [Int: UInt64] = [:]
    /// Keys waiting for the next multi-row INSERT into `contact_keys`, their emails in `keyText`.
    private var keyRows: [(email: Range<Int>, id: Int, fingerprint: UInt64, digest: Range<Int>?)] = []
    private let keyText = ByteArena(capacity: 4096)
    /// The batch's timestamp, then scratch for rewritten contacts.
    private let arena = ByteArena(capacity: 4096)
    private var nowRange = 0..<0
    private var changes: [FieldChange] = []

    init(store: ContactStore, db: SQLiteConnection, file: String, sha256: String, list: String?,
         keepCreationRows: Bool, knownRowsLoading: KnownRowsLoading = .always,
         clock: @escaping @Sendable () -> Int) throws(StoreError) {
        self.store = store
        self.db = db
        self.clock = clock
        transaction = !store.inDryRun ? .own : store.dryRunTransactionOpen ? .savepoint : .opensDryRun
        try db.execute(transaction.begin, context: "starting the import of \(file)")
        if transaction == .opensDryRun { store.dryRunBegan() }
        do {
            let ledger = try db.prepare("INSERT INTO imports(file, sha256, list, status, started_at) VALUES(?1, ?2, ?3, 'in progress', ?4)")
            ledger.bind(1, file)
            ledger.bind(2, sha256)
            ledger.bind(3, list)
            ledger.bind(4, Timestamp.iso(clock()))
            try ledger.run()
            importId = Int(sqlite3_last_insert_rowid(db.handle))
            // Ids from here on are contacts this import creates (numbered in order by the index).
            newContacts = NewContactIndex(firstId: try db.scalarInt("SELECT coalesce(max(id), 0) + 1 FROM contacts"))
            newKeys = SortedKeyRuns(directory: store.directory, spillBytes: store.options.scratchMemoryBytes)
            creations = CreationDigests(directory: store.directory, firstId: newContacts.firstId)
            creationRows = keepCreationRows
                ? CreationRows(directory: store.directory, firstId: newContacts.firstId, spillBytes: store.options.scratchMemoryBytes)
                : nil
            pending = PendingChanges(directory: store.directory, spillBytes: store.options.scratchMemoryBytes,
                                     creations: creations, creationRows: creationRows)
            // Not count(*): that reads the whole key B-tree (0.06-0.14 s and ~50 MB of cache
            // for a million contacts), which a small file never needs. Ids are never reused,
            // so the contacts ever created (tombstones too) bound the live ones from above.
            storeHadKeys = try db.scalarInt("SELECT EXISTS (SELECT 1 FROM contact_keys)") != 0
            storedKeys = storeHadKeys ? newContacts.firstId - 1 : 0
            // Loading reads every key anyway: the exact count sizes the table.
            knownRows = storeHadKeys && knownRowsLoading.shouldLoad(storedContacts: storedKeys)
                ? try Self.loadKnownRows(db, keys: try db.scalarInt("SELECT count(*) FROM contact_keys")) : nil
            try store.sizeCacheForImport(keys: storedKeys)
            var keys = Set<String>()
            let definitions = try db.prepare("SELECT key FROM property_definitions")
            while try definitions.step() { keys.insert(definitions.text(0) ?? "") }
            knownPropertyKeys = keys

            selectKey = try db.prepare("SELECT id, hash, row_digest FROM contact_keys WHERE email = ?1")
            insertKey = try db.prepare(Self.insertKeysSQL(rows: 1))
            insertKeys = try db.prepare(Self.insertKeysSQL(rows: Self.keysPerInsert))
            updateKeyHash = try db.prepare("UPDATE OR FAIL contact_keys SET hash = ?2, last_import = ?3, row_digest = ?4 WHERE email = ?1")
            selectContactWithEmail = try db.prepare("SELECT email, \(ContactRowCodec.stateColumns) FROM contacts WHERE id = ?1")
            insertContact = try db.prepare(Self.insertContactsSQL(rows: 1))
            insertContacts = try db.prepare(Self.insertContactsSQL(rows: Self.rowsPerInsert))
            updateContact = try db.prepare("""
                UPDATE OR FAIL contacts SET first_name = ?3, last_name = ?4, mobile = ?5, contact_type = ?6, properties = ?7,
                    lists = ?8, hubs = ?9, badges = ?10, subscriptions = ?11, updated_at = ?13 WHERE id = ?1
                """)
            insertHistory = try db.prepare(Self.insertHistorySQL(rows: 1))
            insertHistories = try db.prepare(Self.insertHistorySQL(rows: Self.historyRowsPerInsert))
            insertDefinition = try db.prepare("INSERT INTO property_definitions(key, label, first_import) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING")
        } catch {
            try? db.execute(transaction.rollback, context: "abandoning the import")
            if transaction == .opensDryRun { store.dryRunRolledBack() }
            throw error
        }
        databaseFile = open(db.path, O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if !finished { rollback() }
        if databaseFile >= 0 { close(databaseFile) }
    }

    /// Whether the end of an import (final settle, key inserts) hands its work that needs no
    /// SQLite to helper threads: when there is another core, as the file has been read by then
    /// and the reading thread's core is free.
    static var helpersAtTheEnd: Bool { ProcessInfo.processInfo.activeProcessorCount > 1 }

    /// Rows merged between two `startWriteback` calls (each walks the file's cached pages).
    static let rowsPerWriteback = 100_000

    /// Asks the kernel to start writing out the database pages SQLite has written so far, so
    /// the commit's fsync has little left to wait for (it took 0.16–0.19 s after a 1M-row
    /// import). Only a hint: nothing depends on it for durability.
    private func startWriteback() {
        if databaseFile >= 0 { _ = csha256_start_writeback(databaseFile, 0, 0) }
    }

    /// Empties the scratch arena and puts the current time at its start (`nowRange`), which
    /// every row written from here binds as its updated_at.
    private func startArena() {
        arena.removeAll()
        nowRange = arena.append(Timestamp.iso(clock()))
    }

    // MARK: merging

    /// Prepares a batch for `merge(prepared:)` without touching the store: pure, so it can run
    /// on another thread (the reader's) while the store writes the previous batch.
    public static func prepare(_ batch: [ContactRecord], knownIds: [Int] = []) -> PreparedBatch {
        PreparedBatch(batch, knownIds: knownIds)
    }

    /// `prepare` of a batch whose records may be packed (see `RecordBatch`).
    public static func prepare(_ batch: RecordBatch, knownIds: [Int] = []) -> PreparedBatch {
        PreparedBatch(batch, knownIds: knownIds)
    }

    /// Merges one batch of records, given in file order; batches must come in file order too.
    /// Returns what this batch did so far. Same as `merge(prepared: ImportSession.prepare(batch))`.
    public func merge(_ batch: [ContactRecord]) throws(StoreError) -> MergeCounts {
        try merge(prepared: PreparedBatch(batch))
    }

    /// Merges a prepared batch (batches in file order). Returns the batch's change to the
    /// import's counts so far: new contacts and duplicate rows, and the existing contacts it
    /// found unchanged; contacts whose rows wait for `settle` are counted there.
    public func merge(prepared batch: PreparedBatch) throws(StoreError) -> MergeCounts {
        // After `settle` only `commit` or `rollback` may follow (rows merged later would never settle).
        guard !finished, !settled else { throw .importFinished }
        var batchCounts = MergeCounts()
        for id in batch.knownIds {
            // The reader skipped this row: it is the contact's last applied row, and no earlier
            // row of this import touched the contact (else the reader would have normalised it).
            if !seenExisting.insert(id) {
                batchCounts.duplicates += 1
            } else if countedUnchanged.insert(id) {
                batchCounts.unchanged += 1
            }
        }
        guard !batch.groups.isEmpty else {
            counts += batchCounts
            return batchCounts
        }
        for property in batch.propertyKeys where !knownPropertyKeys.contains(property.key) {
            knownPropertyKeys.insert(property.key)
            insertDefinition.bind(1, property.key)
            insertDefinition.bind(2, property.label.isEmpty ? property.key : property.label)
            insertDefinition.bind(3, importId)
            try insertDefinition.run()
        }
        startArena()
        pendingHistory.removeAll(keepingCapacity: true)
        historyText.removeAll()
        pendingContacts.removeAll(keepingCapacity: true)
        // Through a buffer pointer, so the groups are read in place rather than copied out of
        // the array one by one (a retain and a release each).
        let failure = batch.groups.withUnsafeBufferPointer { groups -> StoreError? in
            for index in groups.indices {
                if index + Self.prefetchDistance < groups.count {
                    newContacts.prefetch(emailHash: groups[index + Self.prefetchDistance].emailHash)
                }
                batchCounts.duplicates += groups[index].recordCount - 1
                do throws(StoreError) {
                    try apply(groups[index], index: index, of: batch, counts: &batchCounts)
                    if pendingContacts.count == Self.rowsPerInsert { try flushContacts(batch) }
                } catch {
                    return error
                }
            }
            return nil
        }
        if let failure { throw failure }
        try flushContacts(batch)
        try flushHistory()
        newKeys.endRun()
        rowsSinceWriteback += batch.recordCount + batch.knownIds.count
        if rowsSinceWriteback >= Self.rowsPerWriteback {
            rowsSinceWriteback = 0
            startWriteback()
        }
        counts += batchCounts
        return batchCounts
    }

    /// How many emails ahead `merge` asks for the new-contact index's slots.
    static let prefetchDistance = 4

    /// Applies one email's rows to the store (or keeps them for `settle`).
    private func apply(_ group: borrowing PreparedGroup, index: Int, of batch: PreparedBatch,
                       counts: inout MergeCounts) throws(StoreError) {
        let bytes = batch.bytes
        let email = bytes.slice(group.email)
        // A contact this import created.
        if let id = newContacts.contact(emailHash: group.emailHash, emailCheck: group.emailCheck) {
            counts.duplicates += 1
            if pending.contains(id) {
                try pending.add(id: id, group: group, bytes: bytes, isNew: true, storedHash: nil)
            } else if let settled = settledFingerprints[id] {
                // Settled early: kept with the rows, so settling compares with it.
                if settled != group.fingerprint {
                    try pending.add(id: id, group: group, bytes: bytes, isNew: true, storedHash: settled)
                }
            } else if !creations.mayHaveFingerprint(group.fingerprint, id: id) {
                // Surely changes it: whatever takes the rows reads the creation's fingerprint.
                try pending.add(id: id, group: group, bytes: bytes, isNew: true, storedHash: nil)
            } else {
                // The tag matched (the same values, or one chance in 256): read the fingerprint.
                let current = try creations.fingerprint(of: id)
                if current != group.fingerprint {
                    try pending.add(id: id, group: group, bytes: bytes, isNew: true, storedHash: current)
                }
            }
            return
        }
        // A contact the store had before.
        if storeHadKeys, storedEmails?.mayContain(emailKey: KnownRows.emailKey(bytes: email.assumingMemoryBound(to: UInt8.self))) ?? true,
           let existing = try lookUp(email) {
            let seenBefore = !seenExisting.insert(existing.id)
            if seenBefore { counts.duplicates += 1 }
            if pending.contains(existing.id) || existing.hash != group.fingerprint {
                try pending.add(id: existing.id, group: group, bytes: bytes, storedHash: existing.hash, storedDigest: existing.digest)
            } else if !seenBefore {
                _ = countedUnchanged.insert(existing.id)
                counts.unchanged += 1
            }
            return
        }
        // A new contact.
        let id = newContacts.insert(emailHash: group.emailHash, emailCheck: group.emailCheck)
        try newKeys.append(email: email, id: id, fingerprint: group.fingerprint, digest: group.rowsDigest.map(KeyDigest.init))
        try creations.append(id: id, digest: group.rowsDigest?.value, fingerprint: group.fingerprint)
        try creationRows?.append(id: id, type: group.type, columns: group.encoded, bytes: bytes)
        pendingContacts.append((index, id))
        counts.created += 1
    }

    /// Runs `items` through a multi-row INSERT (`many`, `rowsPerInsert` rows) when there are exactly
    /// that many, else through the single-row statement `one`, binding each with `bind(statement, row, item)`.
    private static func insert<Item>(_ items: [Item], many: Statement, rowsPerInsert: Int, one: Statement,
                                     bind: (Statement, Int, Item) -> Void) throws(StoreError) {
        if items.count == rowsPerInsert {
            for (row, item) in items.enumerated() { bind(many, row, item) }
            try many.run()
            return
        }
        for item in items {
            bind(one, 0, item)
            try one.run()
        }
    }

    /// Inserts the pending new contacts: in statements of `rowsPerInsert` rows, the rest one by one.
    private func flushContacts(_ batch: PreparedBatch) throws(StoreError) {
        guard !pendingContacts.isEmpty else { return }
        let bytes = batch.bytes
        let now = arena.slice(nowRange)
        func bind(_ statement: Statement, row: Int, _ pending: (group: Int, id: Int)) {
            if row == 0 {
                // The time (created_at and updated_at) and the import id, after every row's own.
                let shared = Int32((statement === insertContacts ? Self.rowsPerInsert : 1) * Self.columnsPerContact)
                statement.bindStatic(shared + 1, now)
                statement.bind(shared + 2, importId)
            }
            let group = batch.groups[pending.group]
            let offset = Int32(row * Self.columnsPerContact)
            statement.bind(1 + offset, pending.id)
            statement.bindStatic(2 + offset, bytes.slice(group.email))
            ContactRowCodec.bind(group.encoded, type: group.type, arena: bytes.arena, to: statement, offset: offset)
            statement.bind(12 + offset, group.firstRow)
        }
        try Self.insert(pendingContacts, many: insertContacts, rowsPerInsert: Self.rowsPerInsert, one: insertContact, bind: bind)
        pendingContacts.removeAll(keepingCapacity: true)
    }

    /// Parameters each new contact binds; the time and the import id are bound once per
    /// statement (15 binds per contact before: binding was ~2,100 of its ~8,000 instructions).
    static let columnsPerContact = 12

    /// The import's writes say `OR FAIL`: with the default `ABORT`, SQLite keeps a statement
    /// journal (a copy of each page a multi-row statement touches, to undo just that
    /// statement), which cost 8.7% of the store thread's instructions. A failing statement
    /// fails the whole import, which rolls the transaction back anyway.
    static func insertContactsSQL(rows: Int) -> String {
        let shared = rows * columnsPerContact
        let values = (0..<rows).map { row in
            "(" + (1...columnsPerContact).map { "?\(row * columnsPerContact + $0)" }.joined(separator: ", ")
                + ", ?\(shared + 1), ?\(shared + 1), ?\(shared + 2))"
        }
        return """
            INSERT OR FAIL INTO contacts(id, email, first_name, last_name, mobile, contact_type, properties, lists, hubs,
                badges, subscriptions, created_row, created_at, updated_at, created_import)
            VALUES \(values.joined(separator: ", "))
            """
    }

    static func insertKeysSQL(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(?\(row * 4 + 1), ?\(row * 4 + 2), ?\(row * 4 + 3), ?\(row * 4 + 4), ?\(rows * 4 + 1))"
        }
        return "INSERT OR FAIL INTO contact_keys(email, id, hash, row_digest, last_import) VALUES \(values.joined(separator: ", "))"
    }

    /// The row digests stored with the store's contacts, and the email keys of those without
    /// one (see `KnownRows`); `keys` is the number of keys.
    private static func loadKnownRows(_ db: SQLiteConnection, keys: Int) throws(StoreError) -> KnownRows? {
        let select = try db.prepare("SELECT email, id, row_digest FROM contact_keys")
        let known = KnownRows(maximumCount: keys)
        /// Reads up to `limit` keys into `rows` (fewer only at the end).
        func read(into rows: inout [(digest: KeyDigest?, id: Int, emailKey: UInt32)], limit: Int) throws(StoreError) {
            while rows.count < limit, try select.step() {
                guard let email = select.bytes(0) else { continue }
                rows.append((select.keyDigest(2), select.int64(1), KnownRows.emailKey(bytes: email)))
            }
        }
        /// Adds rows to the table a group at a time (see `KnownRows.append(_:)`).
        func insert(_ rows: [(digest: KeyDigest?, id: Int, emailKey: UInt32)]) {
            for start in stride(from: 0, to: rows.count, by: Self.knownRowsPerInsert) {
                known.append(rows[start..<min(rows.count, start + Self.knownRowsPerInsert)])
            }
        }
        guard helpersAtTheEnd else {
            var rows: [(digest: KeyDigest?, id: Int, emailKey: UInt32)] = []
            repeat {
                rows.removeAll(keepingCapacity: true)
                try read(into: &rows, limit: Self.knownRowsPerChunk)
                insert(rows)
            } while rows.count == Self.knownRowsPerChunk
            return known.isEmpty ? nil : known
        }
        // With another core, SQLite steps on a helper thread (this one waits for its chunks
        // meanwhile and leaves the connection alone) while this one fills the table.
        let reader = ProducerThread<[(digest: KeyDigest?, id: Int, emailKey: UInt32)], StoreError>(depth: 4, name: "known-rows") { (handoff) throws(StoreError) in
            while true {
                var rows = handoff.recycled() ?? []
                rows.reserveCapacity(Self.knownRowsPerChunk)
                try read(into: &rows, limit: Self.knownRowsPerChunk)
                let full = rows.count == Self.knownRowsPerChunk
                guard handoff.put(rows), full else { return }
            }
        }
        defer { reader.cancelAndWait() }
        while var rows = try reader.take() {
            insert(rows)
            rows.removeAll(keepingCapacity: true)
            reader.recycle(rows)
        }
        return known.isEmpty ? nil : known
    }

    /// From here on, creates a new email's contact without looking the email up in
    /// `contact_keys` when no stored contact has its email key (`StoredEmailFilter`, filled
    /// from the known rows; nothing changes when they were not loaded). For a file that is
    /// mostly new: a re-import, whose rows are mostly known, gains nothing from it.
    ///
    /// The page cache, sized to hold the key B-tree for lookups batch after batch, then goes
    /// down to `ContactStore.cacheForNewRows` at most: what still looks keys up (an email the filter
    /// has seen, the contacts it finds) is a few in a hundred rows, and the keys of the new
    /// contacts go in at the commit in key order. 1M new rows into the 885k-contact store:
    /// peak 121 MB instead of 145 MB, 4.8-5.5 s against 6.0-6.4 s.
    public func ruleOutNewEmails() {
        guard storedEmails == nil, let knownRows else { return }
        var filter = StoredEmailFilter(expectedCount: storedKeys)
        knownRows.forEachEmailKey { filter.insert(emailKey: $0) }
        storedEmails = filter
        // Only a bound on memory: a failure to set it changes nothing else.
        try? store.sizeCacheForImport(keys: storedKeys, newEmailsRuledOut: true)
    }

    /// Known rows added to the table at once while loading (see `KnownRows.append(_:)`).
    static let knownRowsPerInsert = 32
    /// Known rows handed over at once from the thread that reads them.
    static let knownRowsPerChunk = 4096

    /// Inserts the keys of the contacts this import created, in email order (so each page of
    /// `contact_keys` is written once), with their final fingerprints.
    private func insertNewKeys() throws(StoreError) {
        guard newKeys.count > 0 else { return }
        // Contacts that had rows waiting get the digest of all their rows, read (on the
        // merging thread) from the creation digests.
        try creations.flush()
        let settledNew = settledNewContacts
        let settledFingerprints = self.settledFingerprints
        let creations = self.creations
        try newKeys.forEachInOrder(onHelperThread: Self.helpersAtTheEnd, replacement: { (id) throws(StoreError) in
            // Settled: rows came after the creating ones, so the digest covers several (and
            // the fingerprint is the settled values', if they changed).
            guard settledNew.contains(id) else { return .keep }
            return .replace(digest: try creations.digest(of: id).map { KeyDigest(value: $0, severalRows: true) },
                            fingerprint: settledFingerprints[id])
        }) { (email, id, fingerprint, digest) throws(StoreError) in
            try addKey(email, id: id, fingerprint: fingerprint, digest: digest)
        }
        try flushKeys()
    }

    /// Queues the key of new contact `id` for `contact_keys` (inserted `keysPerInsert` at a time).
    private func addKey(_ email: UnsafeRawBufferPointer, id: Int, fingerprint: UInt64, digest: KeyDigest?) throws(StoreError) {
        let start = keyText.count
        keyText.append(email.assumingMemoryBound(to: UInt8.self))
        let emailRange = start..<keyText.count
        var digestRange: Range<Int>?
        if let digest {
            // Kept beside the email so the statement binds it without a copy.
            _ = digest.withStoredBytes { keyText.append($0.assumingMemoryBound(to: UInt8.self)) }
            digestRange = emailRange.upperBound..<keyText.count
        }
        keyRows.append((emailRange, id, fingerprint, digestRange))
        if keyRows.count == Self.keysPerInsert {
            try flushKeys()
            keysSinceWriteback += Self.keysPerInsert
            if keysSinceWriteback >= Self.rowsPerWriteback {
                keysSinceWriteback = 0
                startWriteback()
            }
        }
    }

    /// Inserts the queued keys: in statements of `keysPerInsert` rows, the rest one by one.
    private func flushKeys() throws(StoreError) {
        guard !keyRows.isEmpty else { return }
        func bind(_ statement: Statement, row: Int, _ key: (email: Range<Int>, id: Int, fingerprint: UInt64, digest: Range<Int>?)) {
            let offset = Int32(row * 4)
            // The import id is the statement's last parameter, after every row's four: bound
            // once per statement.
            if row == 0 { statement.bind(statement === insertKeys ? Int32(Self.keysPerInsert * 4 + 1) : 5, importId) }
            statement.bindStatic(1 + offset, keyText.slice(key.email))
            statement.bind(2 + offset, key.id)
            statement.bind(3 + offset, Int(Int64(bitPattern: key.fingerprint)))
            if let digest = key.digest { statement.bindStaticBlob(4 + offset, keyText.slice(digest)) } else { statement.bindNull(4 + offset) }
        }
        try Self.insert(keyRows, many: insertKeys, rowsPerInsert: Self.keysPerInsert, one: insertKey, bind: bind)
        keyRows.removeAll(keepingCapacity: true)
        keyText.removeAll()
    }

    private func lookUp(_ email: UnsafeRawBufferPointer) throws(StoreError) -> (id: Int, hash: UInt64, digest: RowDigest?)? {
        selectKey.bindStatic(1, email)
        defer { selectKey.reset() }
        guard try selectKey.step() else { return nil }
        return (selectKey.int64(0), UInt64(bitPattern: Int64(selectKey.int64(1))), selectKey.keyDigest(2)?.value)
    }

    /// Rewrites a contact (row, key hash, pending history of `changes`).
    /// `digest`: the digest to keep with a contact that existed before the import.
    private func write(_ state: ContactState, id: Int, email: UnsafeRawBufferPointer,
                       digest: KeyDigest? = nil) throws(StoreError) {
        let mark = arena.count
        defer { arena.truncate(to: mark) }
        let encoded = ContactRowCodec.encode(state, into: arena)
        try update(id: id, columns: encoded, type: state.contactType)

        let fingerprint = ContactRowCodec.fingerprint(encoded, type: state.contactType, email: email, arena: arena)
        if newContacts.contains(id: id) {
            settledFingerprints[id] = fingerprint
        } else {
            updateKeyHash.bindStatic(1, email)
            updateKeyHash.bind(2, Int(Int64(bitPattern: fingerprint)))
            updateKeyHash.bind(3, importId)
            updateKeyHash.bind(4, digest)
            try updateKeyHash.run()
        }
        defer { changes.removeAll(keepingCapacity: true) }
        for change in changes {
            pendingHistory.append(PendingHistory(
                contactId: id, field: historyText.append(change.field),
                oldValue: change.oldValue.map { historyText.append($0) },
                newValue: change.newValue.map { historyText.append($0) },
                sourceRow: change.sourceRow))
            if pendingHistory.count == Self.historyRowsPerInsert { try flushHistory() }
        }
    }

    /// Rewrites a contact's row with columns whose bytes are in `arena`.
    private func update(id: Int, columns: ContactRowCodec.Encoded, type: ContactType?) throws(StoreError) {
        updateContact.bind(1, id)
        ContactRowCodec.bind(columns, type: type, arena: arena, to: updateContact)
        updateContact.bindStatic(13, arena.slice(nowRange))
        try updateContact.run()
    }

    /// Inserts the pending history rows: in statements of `historyRowsPerInsert` rows, the rest one by one.
    private func flushHistory() throws(StoreError) {
        guard !pendingHistory.isEmpty else { return }
        let now = arena.slice(nowRange)
        func bind(_ statement: Statement, row: Int, _ pending: PendingHistory) {
            let offset = Int32(row * 7)
            func text(_ index: Int32, _ range: Range<Int>?) {
                if let range { statement.bindStatic(index + offset, historyText.slice(range)) } else { statement.bindNull(index + offset) }
            }
            statement.bind(1 + offset, pending.contactId)
            text(2, pending.field)
            text(3, pending.oldValue)
            text(4, pending.newValue)
            statement.bind(5 + offset, importId)
            statement.bind(6 + offset, pending.sourceRow)
            statement.bindStatic(7 + offset, now)
        }
        try Self.insert(pendingHistory, many: insertHistories, rowsPerInsert: Self.historyRowsPerInsert, one: insertHistory, bind: bind)
        pendingHistory.removeAll(keepingCapacity: true)
        historyText.removeAll()
    }

    static func insertHistorySQL(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + (1...7).map { "?\(row * 7 + $0)" }.joined(separator: ", ") + ")"
        }
        return """
            INSERT OR FAIL INTO property_history(contact_id, field, old_value, new_value, import_id, source_row, changed_at)
            VALUES \(values.joined(separator: ", "))
            """
    }

    // MARK: ending

    /// Merges the rows kept for contacts that already had a row: each contact once, with its
    /// rows folded in file order, in id order. Returns the import's final counts: an existing
    /// contact is `updated` if its final state differs from its state before the import, else
    /// `unchanged`; one history row per changed field (old value before the import → final
    /// value, with the row that brought it). Runs once; `commit` runs it if needed, and a dry
    /// run calls it before rolling back to learn the counts.
    @discardableResult
    public func settle() throws(StoreError) -> MergeCounts {
        guard !finished else { throw .importFinished }
        guard !settled else { return counts }
        settled = true
        startArena()
        pendingHistory.removeAll(keepingCapacity: true)
        historyText.removeAll()
        var settledCounts = MergeCounts()
        // Two helpers, so that when the rows change nothing (a re-import) and this thread has
        // little to do, both cores read.
        try pending.forEachInIdOrder(helperThreads: Self.helpersAtTheEnd ? 2 : 0) { (waiting) throws(StoreError) in
            try settle(waiting, counts: &settledCounts)
        }
        try flushHistory()
        counts += settledCounts
        return counts
    }

    /// Merges one contact's waiting rows into its row.
    private func settle(_ waiting: PendingChanges.Waiting, counts settledCounts: inout MergeCounts) throws(StoreError) {
        let id = waiting.id
        let incoming = waiting.incoming
        // A new contact's key gets the digest of all its rows (`PendingChanges` wrote it).
        if newContacts.contains(id: id) { _ = settledNewContacts.insert(id) }
        if waiting.alreadyApplied {
            // The very rows the contact's state came from: nothing to read or write.
            if !countedUnchanged.contains(id) { settledCounts.unchanged += 1 }
            return
        }
        // Rows that fold to exactly the contact's values change nothing: no need to read it.
        // (The contact's fingerprint is the one it had when the first of these rows came: only
        // settling changes it, and settling takes the rows.)
        if let folded = waiting.foldedFingerprint, folded == waiting.storedHash {
            if !newContacts.contains(id: id), !countedUnchanged.contains(id) { settledCounts.unchanged += 1 }
            return
        }
        // Created by this import: the rows were merged into the row it was created with (still
        // its row) where they were read.
        if let merged = waiting.merged {
            if case .changed(let type, let columns, let bytes, let fingerprint) = merged {
                let mark = arena.count
                defer { arena.truncate(to: mark) }
                arena.append(bytes)
                try update(id: id, columns: columns.shifted(by: mark), type: type)
                settledFingerprints[id] = fingerprint
            }
            return
        }
        let select = selectContactWithEmail
        select.bind(1, id)
        defer { select.reset() }
        guard try select.step(), let stored = select.bytes(0) else {
            throw .corruptValue(contactId: id, column: "contact row")
        }
        var state = try ContactRowCodec.decode(select, from: 1, contactId: id)
        let mark = arena.count
        defer { arena.truncate(to: mark) }
        let emailRange = arena.count..<(arena.count + stored.count)
        arena.append(stored)
        select.reset()
        changes.removeAll(keepingCapacity: true)
        let changed = state.absorb(incoming, changes: &changes)
        if newContacts.contains(id: id) {
            // Created by this import: its creation (synthesized from its final values) is its history.
            changes.removeAll(keepingCapacity: true)
            if changed { try write(state, id: id, email: arena.slice(emailRange)) }
        } else if changed {
            try write(state, id: id, email: arena.slice(emailRange), digest: waiting.rowsDigest.map(KeyDigest.init))
            settledCounts.updated += 1
            if countedUnchanged.contains(id) { settledCounts.unchanged -= 1 }
        } else if !countedUnchanged.contains(id) {
            settledCounts.unchanged += 1
        }
    }

    /// Does a little of the work the import would otherwise leave to its end, for a pipeline
    /// to call while it waits for the next batch (the reader is the slower side): settles some
    /// contacts this import created that have rows waiting (the outcome is the same as settling
    /// them at the end). Returns false when there is nothing to do now.
    ///
    /// Keys of new contacts are not added early: measured on the 1M-row files (medians of 3,
    /// side by side), adding them here made the CSV import slower (6.5 s against 6.05 s; 6.9 s
    /// and 145 MB instead of 105 MB when the cache grew with the key B-tree) and the XLSX import
    /// no faster (9.4–10.1 s against 9.7 s): random inserts into the key B-tree cost more than
    /// the sorted insert at commit saves.
    public func workWhileIdle() throws(StoreError) -> Bool {
        guard !finished, !settled else { return false }
        startArena()
        var unused = MergeCounts()
        let settledNow = try pending.takeNewContacts(limit: Self.idleSettleChunk, minimumSweep: store.options.earlySettleSweep ?? Self.sweepMinimum) { (waiting) throws(StoreError) in
            try settle(waiting, counts: &unused)
        }
        return settledNow > 0
    }

    /// Contacts settled per `workWhileIdle` call (a few milliseconds of work).
    static let idleSettleChunk = 256

    /// How many new contacts must wait before a sweep of early settling starts (unless
    /// `StoreOptions.earlySettleSweep` says otherwise), so the contacts of one page of the
    /// `contacts` table (~60 per 16 KiB page) often share its read and write. Measured on the
    /// 1M-row bench file (3 runs each): settling one contact at a time cost 1.5–2.3 s of CPU;
    /// sweeps of at least 1/16 of the contacts created so far 1.0–1.5 s but left 0.6–0.7 s of
    /// settling to the end of the import; sweeps of 4,096 leave 0.15–0.45 s, and the import was
    /// fastest (5.0–5.5 s against 5.3–5.6 s).
    static let sweepMinimum = 4096

    /// Settles (if not done yet), adds the keys of the new contacts, records the import in the
    /// ledger (file, sha256, counts, status, times) and commits. Returns the import's counts.
    @discardableResult
    public func commit(rowsRead: Int, rejected: Int) throws(StoreError) -> MergeCounts {
        guard !finished else { throw .importFinished }
        do {
            try settle()
            try insertNewKeys()
            startWriteback()
            let ledger = try db.prepare("""
                UPDATE imports SET status = 'committed', finished_at = ?2, rows_read = ?3, rejected = ?4,
                    created = ?5, updated = ?6, unchanged = ?7, duplicates = ?8 WHERE id = ?1
                """)
            ledger.bind(1, importId)
            ledger.bind(2, Timestamp.iso(clock()))
            ledger.bind(3, rowsRead)
            ledger.bind(4, rejected)
            ledger.bind(5, counts.created)
            ledger.bind(6, counts.updated)
            ledger.bind(7, counts.unchanged)
            ledger.bind(8, counts.duplicates)
            try ledger.run()
            if let commit = transaction.commit { try db.execute(commit, context: "committing the import") }
        } catch {
            rollback()
            throw error
        }
        finished = true
        store.importEnded()
        return counts
    }

    /// Records the file's checksum in the ledger, for an import begun before it was known
    /// (the importer reads it while the import begins).
    public func setChecksum(_ sha256: String) throws(StoreError) {
        guard !finished else { throw .importFinished }
        let statement = try db.prepare("UPDATE imports SET sha256 = ?2 WHERE id = ?1")
        statement.bind(1, importId)
        statement.bind(2, sha256)
        try statement.run()
    }

    /// Undoes everything this import did (a dry run ends here too).
    public func rollback() {
        guard !finished else { return }
        finished = true
        try? db.execute(transaction.rollback, context: "rolling back the import")
        if transaction == .opensDryRun { store.dryRunRolledBack() }
        store.importEnded()
    }
}
