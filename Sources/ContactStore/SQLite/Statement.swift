import SysSQLite3
import ContactModel

/// A prepared statement, reset after every use. Text is bound without copying
/// (`SQLITE_STATIC`) where the caller keeps the bytes alive until `step`/`reset`.
final class Statement {
    let stmt: OpaquePointer
    unowned let connection: SQLiteConnection

    init(stmt: OpaquePointer, connection: SQLiteConnection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(stmt)
    }

    // MARK: binding (1-based parameter index, as in SQL)

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(stmt, index, sqlite3_int64(value))
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(stmt, index, sqlite3_int64(value)) } else { sqlite3_bind_null(stmt, index) }
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(stmt, index)
    }

    /// Binds bytes that stay valid until the statement is stepped and reset.
    func bindStatic(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 {
            _ = syssqlite3_bind_text_static(stmt, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        } else {
            _ = syssqlite3_bind_text_transient(stmt, index, "", 0)
        }
    }

    /// Binds bytes as a BLOB without copying; they must stay valid until the statement is
    /// stepped and reset.
    func bindStaticBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_blob(stmt, index, bytes.baseAddress, Int32(bytes.count), syssqlite3_static())
    }

    /// Binds a copy of a key's digest (16 or 17 bytes, see `KeyDigest`), or NULL.
    func bind(_ index: Int32, _ digest: KeyDigest?) {
        guard let digest else { sqlite3_bind_null(stmt, index); return }
        digest.withStoredBytes { raw in
            _ = sqlite3_bind_blob(stmt, index, raw.baseAddress, Int32(raw.count), syssqlite3_transient())
        }
    }

    /// A BLOB column as a key's digest; nil for NULL or anything `KeyDigest` does not read.
    func keyDigest(_ column: Int32) -> KeyDigest? {
        guard sqlite3_column_type(stmt, column) == SQLITE_BLOB,
              let base = sqlite3_column_blob(stmt, column) else { return nil }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return KeyDigest(bytes: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Binds a copy of a string (for the rare paths, where a copy costs nothing that matters).
    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(stmt, index); return }
        value.withUTF8 { utf8 in
            _ = syssqlite3_bind_text_transient(stmt, index, UnsafeRawPointer(utf8.baseAddress!)
                .assumingMemoryBound(to: CChar.self), Int32(utf8.count))
        }
    }

    // MARK: stepping

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = connection.error(rc, context: "running \(String(cString: sqlite3_sql(stmt)).prefix(60))")
        sqlite3_reset(stmt)
        throw error
    }

    func reset() {
        sqlite3_reset(stmt)
    }

    /// Steps a statement that returns no row, then resets it.
    func run() throws(StoreError) {
        defer { sqlite3_reset(stmt) }
        try step()
    }

    // MARK: columns (0-based)

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(stmt, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(stmt, column))
    }

    func optionalInt(_ column: Int32) -> Int? {
        isNull(column) ? nil : Int(sqlite3_column_int64(stmt, column))
    }

    /// The column's UTF-8 bytes, valid until the next step/reset; nil for NULL.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let base = sqlite3_column_text(stmt, column) else { return nil }
        return UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(stmt, column)))
    }

    func text(_ column: Int32) -> String? {
        bytes(column).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension Statement {
    var columnCount: Int { Int(sqlite3_column_count(stmt)) }
}
