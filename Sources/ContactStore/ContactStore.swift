#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContactModel
import Foundation
import Tabular
import SysSQLite3

/// The store directory: one SQLite database (`contacts.sqlite`) holding contacts, their
/// property history, the imports ledger and export cursors.
///
/// Threading: a store and its sessions and cursors belong to one thread (create the store on
/// the pipeline's writer thread). `ImportSession.prepare` is pure and `Sendable`: run it on the
/// reading thread and hand the `PreparedBatch` over, so the writer does nothing but SQLite work.
/// Only one import can be open at a time.
public final class ContactStore {
    /// The database file's name inside the store folder.
    public static let databaseFileName = "contacts.sqlite"

    public let directory: String
    let db: SQLiteConnection
    let options: StoreOptions
    private(set) var importOpen = false

    /// Opens (creating if needed) the store folder and its database, applies the connection
    /// settings and runs pending schema migrations.
    public init(directory: String, options: StoreOptions = StoreOptions()) throws(StoreError) {
        self.directory = directory
        self.options = options
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: directory, reason: "the folder cannot be created (\(SystemReason.of(error)))")
        }
        let path = directory.hasSuffix("/") ? directory + Self.databaseFileName : directory + "/" + Self.databaseFileName
        db = try SQLiteConnection(path: path)
        // First, so that every statement after it (journal_mode too) waits for another process
        // writing the store instead of failing at once.
        db.waitWhenBusy(seconds: Double(max(0, options.busyTimeoutSeconds)), onWait: options.onBusy)
        // page_size only takes effect before the first table exists.
        try db.execute("""
            PRAGMA page_size = 16384;
            PRAGMA journal_mode = \(options.journalMode.rawValue);
            PRAGMA synchronous = \(options.journalMode == .wal ? "NORMAL" : "FULL");
            PRAGMA cache_size = -\(max(1, options.cacheMiB) * 1024);
            PRAGMA temp_store = MEMORY;
            PRAGMA secure_delete = ON;
            """, context: "configuring the database")
        try Schema.migrate(db)
    }

    var clock: @Sendable () -> Int { options.clock ?? { Timestamp.nowSeconds() } }

    /// Rows written since the store was opened (tests use it to prove a no-op cost no write).
    public var totalChanges: Int { db.totalChanges }

    // MARK: imports

    /// The ledger entry of an earlier committed import of identical content, if any.
    public func importRecord(sha256: String) throws(StoreError) -> ImportRecord? {
        let statement = try db.prepare("""
            SELECT id, file, sha256, list, status, started_at, finished_at, rows_read, rejected,
                created, updated, unchanged, duplicates
            FROM imports WHERE sha256 = ?1 AND status = 'committed' ORDER BY id LIMIT 1
            """)
        statement.bind(1, sha256)
        guard try statement.step() else { return nil }
        return ImportRecord(
            id: statement.int64(0), file: statement.text(1) ?? "", sha256: statement.text(2) ?? "",
            list: statement.text(3), status: statement.text(4) ?? "", startedAt: statement.text(5) ?? "",
            finishedAt: statement.text(6), rowsRead: statement.int64(7), rejected: statement.int64(8),
            counts: MergeCounts(created: statement.int64(9), updated: statement.int64(10),
                                unchanged: statement.int64(11), duplicates: statement.int64(12)))
    }

    /// Starts one import: one transaction for the whole file, ended by `commit` or `rollback`.
    /// `list` is recorded in the ledger (the records themselves carry their lists).
    ///
    /// `keepCreationRows`: keep a copy of each new contact's row in a scratch file, so that
    /// settling merges the rows that came later for it on helper threads instead of reading it
    /// back on this thread (see `CreationRows`). It pays when this thread would otherwise wait
    /// for the reader, as behind an XLSX reader with threads of its own (1M-row workbook: settle
    /// 0.72–0.96 s against 1.00–1.26 s, four alternating pairs); behind a CSV reader this
    /// thread is the busier one, and the copies cost it more than the merge saves (1M rows:
    /// 4.53 s against 4.03 s, medians of five) and ~5 MB of peak memory.
    /// `knownRows`: whether to load the store's known rows for the reader to skip (see
    /// `KnownRowsLoading`).
    public func beginImport(file: String, sha256: String, list: String? = nil,
                            keepCreationRows: Bool = false, knownRows: KnownRowsLoading = .always) throws(StoreError) -> ImportSession {
        guard !importOpen else { throw .importInProgress }
        let session = try ImportSession(store: self, db: db, file: file, sha256: sha256, list: list,
                                        keepCreationRows: keepCreationRows, knownRowsLoading: knownRows, clock: clock)
        importOpen = true
        return session
    }

    /// Whether a dry run is open (see `beginDryRun`).
    public private(set) var inDryRun = false
    /// The last ledger id before the open dry run's transaction began; nil until its first
    /// import begins it (and again once it is rolled back).
    private var importsBeforeDryRun: Int?
    /// Whether the open dry run's transaction has begun.
    var dryRunTransactionOpen: Bool { importsBeforeDryRun != nil }

    /// Starts a dry run of several imports: each runs and commits as usual, so it sees the
    /// ones before it as a real run would (a contact the first file creates, the second
    /// updates; a second copy of a file is already imported), and `endDryRun` undoes them all.
    /// The first import begins the dry run's transaction and leaves it open; the others are
    /// savepoints in it. From the first import on, other processes' writes wait until the end,
    /// as they wait for an import. (A dry run of one file needs none of this: it rolls back.)
    public func beginDryRun() throws(StoreError) {
        guard !importOpen, !inDryRun else { throw .importInProgress }
        // A savepoint keeps the pages it changes in a journal of its own, which with
        // temp_store=MEMORY would hold them in memory: on disk, as the main journal is.
        try db.execute("PRAGMA temp_store = FILE", context: "starting the dry run")
        inDryRun = true
    }

    /// Undoes every import since `beginDryRun`, leaving the store as it was.
    public func endDryRun() {
        guard inDryRun else { return }
        if dryRunTransactionOpen { try? db.execute("ROLLBACK", context: "ending the dry run") }
        try? db.execute("PRAGMA temp_store = MEMORY", context: "ending the dry run")
        dryRunRolledBack()
        inDryRun = false
    }

    /// Whether `record` is of an import made earlier in the open dry run (so undone at its end).
    public func isFromThisDryRun(_ record: ImportRecord) -> Bool {
        guard inDryRun, let importsBeforeDryRun else { return false }
        return record.id > importsBeforeDryRun
    }

    /// The first import of the dry run has begun its transaction.
    func dryRunBegan() {
        importsBeforeDryRun = (try? db.scalarInt("SELECT coalesce(max(id), 0) FROM imports")) ?? 0
    }

    /// The dry run's transaction was rolled back (by its end, or by its first import failing).
    func dryRunRolledBack() {
        importsBeforeDryRun = nil
    }

    func importEnded() {
        importOpen = false
        try? restoreCache()
    }

    /// Gives the page cache its configured bound back (after an import or export resized it).
    func restoreCache() throws(StoreError) {
        try setCache(kibibytes: max(1, options.cacheMiB) * 1024)
    }

    /// Bounds the page cache for an import into a store holding `keys` contacts: enough for the
    /// email key B-tree (looked up in key order, batch after batch) plus a working set, within
    /// `options.cacheMiB`. Everything else an import touches it reads or writes in order (new
    /// contacts are appended, waiting rows are settled in id order, new keys inserted in email
    /// order), so an import into an empty store needs little cache, and its memory stays flat.
    ///
    /// `newEmailsRuledOut`: the import's new emails skip the key lookups
    /// (`ImportSession.ruleOutNewEmails`), so at most `cacheForNewRows` KiB.
    func sizeCacheForImport(keys: Int, newEmailsRuledOut: Bool = false) throws(StoreError) {
        try setCache(kibibytes: importCacheKiB(keys: keys, newEmailsRuledOut: newEmailsRuledOut))
    }

    /// The page cache `sizeCacheForImport` sets, in KiB.
    func importCacheKiB(keys: Int, newEmailsRuledOut: Bool) -> Int {
        let kibibytes = min(max(1, options.cacheMiB) * 1024, 8 * 1024 + keys * Self.cacheBytesPerKey / 1024)
        return newEmailsRuledOut ? min(kibibytes, Self.cacheForNewRows) : kibibytes
    }

    /// The page cache, in KiB, of an import of mostly new rows into a store with contacts, at
    /// most: twice an empty store's (8 MiB), for the key B-tree's upper pages.
    static let cacheForNewRows = 16 * 1024

    /// Cache bytes per stored key: the key B-tree takes ~56 bytes per contact (email, id and
    /// fingerprint, pages ~85% full), plus a quarter for interior pages and slack.
    static let cacheBytesPerKey = 72

    private func setCache(kibibytes: Int) throws(StoreError) {
        try db.execute("PRAGMA cache_size = -\(kibibytes)", context: "sizing the page cache")
    }

    // MARK: reading

    /// Live contacts (tombstones excluded).
    public func liveContactCount() throws(StoreError) -> Int {
        try db.scalarInt("SELECT count(*) FROM contact_keys")
    }

    /// The live contact with this (normalised) email.
    public func contact(email: String) throws(StoreError) -> StoredContact? {
        let statement = try db.prepare("""
            SELECT c.id, c.email, \(ContactRowCodec.stateColumns), c.created_at, c.updated_at, c.created_import, c.created_row
            FROM contact_keys k JOIN contacts c ON c.id = k.id WHERE k.email = ?1
            """)
        statement.bind(1, email)
        guard try statement.step() else { return nil }
        let id = statement.int64(0)
        let state = try ContactRowCodec.decode(statement, from: 2, contactId: id)
        return StoredContact(
            id: id, email: statement.text(1) ?? email, firstName: state.firstName, lastName: state.lastName,
            mobile: state.mobile, contactType: state.contactType,
            properties: Dictionary(state.properties.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
            lists: state.lists, hubs: state.hubs, badges: state.badges,
            subscriptions: Dictionary(state.subscriptions.map { ($0.group, $0.subscribed) }, uniquingKeysWith: { $1 }),
            createdAt: statement.text(11) ?? "", updatedAt: statement.text(12) ?? "",
            createdByImport: statement.optionalInt(13), createdFromRow: statement.optionalInt(14))
    }

    /// The property history of a live contact, oldest first, optionally of one field only.
    ///
    /// Creation is synthesized, not stored: for each field, its value at creation is the `old`
    /// of its first recorded change, or its current value if it never changed; it is returned
    /// first with `oldValue == nil`, the creating import and row as source and `createdAt` as time.
    public func history(email: String, key: String?) throws(StoreError) -> [HistoryEntry] {
        guard let contact = try contact(email: email) else { return [] }
        let statement = try db.prepare("""
            SELECT field, old_value, new_value, import_id, source_row, changed_at
            FROM property_history WHERE contact_id = ?1 AND (?2 IS NULL OR field = ?2) ORDER BY id
            """)
        statement.bind(1, contact.id)
        statement.bind(2, key)
        var recorded: [HistoryEntry] = []
        while try statement.step() {
            recorded.append(HistoryEntry(field: statement.text(0) ?? "", oldValue: statement.text(1), newValue: statement.text(2),
                                         importId: statement.optionalInt(3), sourceRow: statement.optionalInt(4),
                                         at: statement.text(5) ?? "", isCreation: false))
        }
        var current = ContactState(firstName: contact.firstName, lastName: contact.lastName, mobile: contact.mobile,
                                   contactType: contact.contactType)
        current.properties = contact.properties.sorted { $0.key < $1.key }.map { PropertyValue(key: $0.key, label: "", value: $0.value) }
        current.subscriptions = contact.subscriptions.sorted { $0.key < $1.key }.map { SubscriptionChange(group: $0.key, subscribed: $0.value) }
        var creation: [HistoryEntry] = []
        for (field, value) in current.historyValues where key == nil || field == key {
            let initial = recorded.first(where: { $0.field == field }).map(\.oldValue) ?? value
            guard let initial else { continue }
            creation.append(HistoryEntry(field: field, oldValue: nil, newValue: initial, importId: contact.createdByImport,
                                         sourceRow: contact.createdFromRow, at: contact.createdAt, isCreation: true))
        }
        return creation + recorded
    }

    /// Every property key the store has seen, with the label it first came with, by key.
    public func propertyKeys() throws(StoreError) -> [(key: String, label: String)] {
        let statement = try db.prepare("SELECT key, label FROM property_definitions ORDER BY key")
        var keys: [(key: String, label: String)] = []
        while try statement.step() { keys.append((statement.text(0) ?? "", statement.text(1) ?? "")) }
        return keys
    }

    // MARK: deleting

    /// Tombstones a contact: wipes every personal value (email, names, mobile, properties, lists,
    /// hubs, badges, subscriptions and the values in its history) and keeps a row with a random
    /// placeholder id, so counts and history stay consistent. Returns false if no live contact
    /// has this email. Same as `delete(emails: [email]) == 1`.
    public func delete(email: String) throws(StoreError) -> Bool {
        try delete(emails: [email]) == 1
    }

    /// Tombstones several contacts in one transaction (see `delete(email:)`). Freed bytes are
    /// zeroed as they are freed (`secure_delete`; SQLite's index B-trees hold each key once, in
    /// a leaf or an interior page, so no stale copy survives). `compact` also rebuilds the file
    /// (`VACUUM`) to give the space back. Returns how many contacts were deleted.
    @discardableResult
    public func delete(emails: [String], compact: Bool = false) throws(StoreError) -> Int {
        guard !importOpen, !inDryRun else { throw .importInProgress }
        var deleted = 0
        try db.execute("BEGIN IMMEDIATE", context: "starting a delete")
        do {
            let find = try db.prepare("SELECT id FROM contact_keys WHERE email = ?1")
            let removeKey = try db.prepare("DELETE FROM contact_keys WHERE email = ?1")
            let wipe = try db.prepare("""
                UPDATE contacts SET email = NULL, first_name = NULL, last_name = NULL, mobile = NULL, properties = NULL,
                    lists = NULL, hubs = NULL, badges = NULL, subscriptions = NULL, deleted_at = ?2, updated_at = ?2,
                    public_id = ?3 WHERE id = ?1
                """)
            let history = try db.prepare("UPDATE property_history SET old_value = NULL, new_value = NULL WHERE contact_id = ?1")
            let now = Timestamp.iso(clock())
            for email in emails {
                find.bind(1, email)
                guard try find.step() else { find.reset(); continue }
                let id = find.int64(0)
                find.reset()
                removeKey.bind(1, email)
                try removeKey.run()
                wipe.bind(1, id)
                wipe.bind(2, now)
                wipe.bind(3, Self.placeholderId())
                try wipe.run()
                history.bind(1, id)
                try history.run()
                deleted += 1
            }
            try db.execute("COMMIT", context: "committing a delete")
        } catch {
            try? db.execute("ROLLBACK", context: "undoing a delete")
            throw error
        }
        if deleted > 0 && options.journalMode == .wal {
            // Older frames of the log still hold the deleted values until they are checkpointed.
            try checkpoint()
        }
        if compact && deleted > 0 { try vacuum() }
        return deleted
    }

    /// A random id that says nothing about the person (`deleted-` + 32 hex digits).
    static func placeholderId() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        func hex(_ v: UInt64) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "deleted-" + hex(high) + hex(low)
    }

    /// Moves everything from the write-ahead log into the database file (no-op in rollback mode).
    public func checkpoint() throws(StoreError) {
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)", context: "checkpointing the store")
    }

    /// Rebuilds the database from its live rows (`VACUUM`), dropping free pages and stale copies
    /// of deleted keys. The rebuild goes through a temporary file, not memory.
    public func vacuum() throws(StoreError) {
        try db.execute("PRAGMA temp_store = FILE", context: "preparing to compact the store")
        defer { try? db.execute("PRAGMA temp_store = MEMORY", context: "after compacting the store") }
        try db.execute("VACUUM", context: "compacting the store")
    }
}
