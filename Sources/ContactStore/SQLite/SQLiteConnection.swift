import SysSQLite3
import CSHA256

/// A thin owner of one `sqlite3*` handle: opening, plain statements, errors.
///
/// Not thread-safe by design (opened with `SQLITE_OPEN_NOMUTEX`): one store, one thread at a time,
/// which spares SQLite's mutex on every call of the bulk path.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    /// SQLite keeps memory statistics behind a global mutex taken on every allocation unless
    /// told otherwise before it starts; nothing here reads them. Set once per process, before
    /// the first connection (a later call would change nothing).
    private static let memoryStatisticsOff: Bool = csha256_sqlite_disable_memstatus() == SQLITE_OK

    /// The busy handler's state, kept alive with the handle.
    private var busyWait: BusyWait?

    /// `readOnly`: open an existing database for reading only (a second reader of the store).
    init(path: String, readOnly: Bool = false) throws(StoreError) {
        _ = Self.memoryStatisticsOff
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw .cannotOpen(path: path, reason: message)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Waits up to `seconds` for another process holding the database, calling `onWait` when
    /// a wait starts.
    func waitWhenBusy(seconds: Double, onWait: (@Sendable () -> Void)?) {
        let wait = BusyWait(timeout: seconds, onWait: onWait)
        wait.install(on: handle)
        busyWait = wait
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String, context: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorMessage)
            throw .sqlite(code: rc, message: message, context: context)
        }
    }

    /// Compiles `sql` once; the statement is reused for every row of the bulk path.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw error(rc, context: "preparing \(sql.prefix(60))")
        }
        return Statement(stmt: stmt, connection: self)
    }

    /// Reads a single integer (a pragma or a count).
    func scalarInt(_ sql: String) throws(StoreError) -> Int {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return Int(statement.int64(0))
    }

    /// Rows inserted, updated or deleted since the connection opened: lets tests prove that
    /// an unchanged contact cost no write.
    var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    func error(_ rc: Int32, context: String) -> StoreError {
        .sqlite(code: rc, message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}
