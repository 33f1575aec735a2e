/// One moment of the store, read by several cursors at once so that an export can format on
/// every core: the live contacts in creation order, cut into consecutive ranges of ids
/// (`chunks`), chunk `k` read by `cursors[k % cursors.count]`. Concatenating the chunks' rows in
/// order gives exactly what a single cursor in creation order gives.
///
/// Every cursor reads the same committed state: the store's own connection takes its read lock
/// first, and a commit needs every reader gone, so none can land before the other connections
/// take theirs. A connection that cannot take its lock at once (a writer is waiting to commit)
/// is dropped rather than waited for: the export then runs on fewer cursors, never on two states.
/// Call `end()` when done (also done on deinit), which ends the read transactions.
public final class ExportSnapshot {
    /// One cursor per connection; the first reads through the store's own connection.
    public let cursors: [ExportCursor]
    /// Consecutive id ranges covering every contact, in creation order.
    public let chunks: [ClosedRange<Int>]
    /// The store's connection, then the extra read-only ones (kept open for their cursors).
    private let connections: [SQLiteConnection]
    private let store: ContactStore
    private var ended = false

    /// Cache per connection while exporting: the export reads the table once, in order, so a
    /// small cache loses nothing (the store's 48 MiB made the export's memory 83 MB).
    static let cacheKiB = 4096

    init(store: ContactStore, columns: [String], parts: Int, idsPerChunk: Int) throws(StoreError) {
        guard !store.importOpen, !store.inDryRun else { throw .importInProgress }
        self.store = store
        let primary = store.db
        try primary.execute("BEGIN; PRAGMA cache_size = -\(Self.cacheKiB)", context: "starting the export")
        var connections = [primary]
        var cursors: [ExportCursor] = []
        do {
            // The first read takes the store's read lock: from here no commit can land.
            let lastId = try primary.scalarInt("SELECT coalesce(max(id), 0) FROM contacts")
            cursors.append(try ExportCursor(db: primary, columns: columns, order: .creation, ranged: true))
            // Only with a rollback journal: in WAL mode a reader does not hold commits back.
            if lastId >= 2 * idsPerChunk && store.options.journalMode == .rollback {
                for _ in 1..<max(1, parts) {
                    guard let extra = Self.openReader(path: primary.path, lastId: lastId) else { break }
                    do {
                        cursors.append(try ExportCursor(db: extra, columns: columns, order: .creation, ranged: true))
                        connections.append(extra)
                    } catch {
                        try? extra.execute("COMMIT", context: "ending a read of the export")
                    }
                }
            }
            let step = max(1, idsPerChunk)
            chunks = lastId == 0 ? [1...1] : stride(from: 1, through: lastId, by: step).map { $0...min(lastId, $0 + step - 1) }
        } catch {
            try? primary.execute("COMMIT", context: "ending the export")
            try? store.restoreCache()
            throw error
        }
        self.connections = connections
        self.cursors = cursors
    }

    deinit { end() }

    /// Ends the read transactions (and gives the store its cache back). Safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        for connection in connections.reversed() {
            try? connection.execute("COMMIT", context: "ending the export")
        }
        try? store.restoreCache()
    }

    /// A second read-only connection holding a read transaction on the state of `lastId`, or nil
    /// when it cannot be had at once.
    private static func openReader(path: String, lastId: Int) -> SQLiteConnection? {
        guard let reader = try? SQLiteConnection(path: path, readOnly: true) else { return nil }
        // No busy handler: waiting here could deadlock with a writer waiting for our first lock.
        do {
            try reader.execute("PRAGMA cache_size = -\(cacheKiB); BEGIN", context: "starting a read of the export")
            // Belt and braces: the same state has the same last contact.
            guard try reader.scalarInt("SELECT coalesce(max(id), 0) FROM contacts") == lastId else {
                try? reader.execute("COMMIT", context: "ending a read of the export")
                return nil
            }
        } catch {
            try? reader.execute("COMMIT", context: "ending a read of the export")
            return nil
        }
        return reader
    }
}

extension ContactStore {
    /// Opens a consistent export of the live contacts in creation order, read by up to `parts`
    /// cursors at once (one per connection; fewer for a small store, or when another process is
    /// about to write). See `ExportSnapshot`.
    public func exportSnapshot(columns: [String], parts: Int, idsPerChunk: Int = 16_384) throws(StoreError) -> ExportSnapshot {
        try ExportSnapshot(store: self, columns: columns, parts: parts, idsPerChunk: idsPerChunk)
    }
}
