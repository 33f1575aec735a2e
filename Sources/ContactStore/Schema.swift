/// The store's tables, created and upgraded by numbered migrations recorded in `user_version`.
///
/// Layout, chosen by measurement (1M contacts, random email order, 2 cores):
/// - `contacts` is a rowid table in creation order: new contacts are appended, so an import of
///   new contacts writes each page once. Its compact columns hold JSON (properties, lists, hubs,
///   badges, subscriptions) so one row is one contact and merging costs one row write.
/// - `contact_keys` (email → id, fingerprint of the email and merged values, last import that
///   wrote the contact) is the only structure touched in email order; an import looks it up in
///   key order batch by batch (the cache is sized to hold it), its fingerprint lets an unchanged
///   contact be recognised without reading the contact row, and the keys of the contacts an
///   import creates are inserted at its commit, in key order (see `ImportSession`).
/// - `property_history` is a rowid table indexed by contact (history rows are written only when
///   a value changes, so the index costs nothing on the bulk path).
/// - `secure_delete` is on, so wiped values are zeroed in place rather than left in free space.
enum Schema {
    static let currentVersion = 2

    static func migrate(_ db: SQLiteConnection) throws(StoreError) {
        let version = try db.scalarInt("PRAGMA user_version")
        guard version < currentVersion else {
            if version > currentVersion {
                throw .newerSchema(found: version, supported: currentVersion)
            }
            return
        }
        if version < 1 { try step(version1, to: 1, db) }
        if version < 2 { try step(version2, to: 2, db) }
    }

    private static func step(_ sql: String, to version: Int, _ db: SQLiteConnection) throws(StoreError) {
        try db.execute("BEGIN IMMEDIATE", context: "starting the schema migration")
        do {
            // Another process opening the store at the same time may have upgraded it while
            // this one waited for the lock.
            guard try db.scalarInt("PRAGMA user_version") < version else {
                try db.execute("COMMIT", context: "committing the schema migration")
                return
            }
            try db.execute(sql, context: "upgrading the store's tables to version \(version)")
            try db.execute("PRAGMA user_version = \(version)", context: "recording the schema version")
            try db.execute("COMMIT", context: "committing the schema migration")
        } catch {
            try? db.execute("ROLLBACK", context: "undoing the schema migration")
            throw error
        }
    }

    /// Version 2: `contact_keys.row_digest`, the `RowDigest` of the last row that changed the
    /// contact (NULL when unknown or when that row had a warning). An import loads them into
    /// `KnownRows`, and a row with a known digest is skipped unread (it would change nothing).
    /// Anything that changes a contact other than an import must clear it.
    static let version2 = """
        ALTER TABLE contact_keys ADD COLUMN row_digest BLOB;
        """

    static let version1 = """
        CREATE TABLE contacts(
            id INTEGER PRIMARY KEY,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            mobile TEXT,
            contact_type INTEGER,
            properties TEXT,
            lists TEXT,
            hubs TEXT,
            badges TEXT,
            subscriptions TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            created_import INTEGER,
            created_row INTEGER,
            public_id TEXT
        );
        CREATE TABLE contact_keys(
            email TEXT PRIMARY KEY,
            id INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            last_import INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE property_history(
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            import_id INTEGER,
            source_row INTEGER,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX property_history_by_contact ON property_history(contact_id);
        CREATE TABLE property_definitions(
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            first_import INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE imports(
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            list TEXT,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            rows_read INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            created INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX imports_by_sha256 ON imports(sha256);
        CREATE TABLE export_cursors(
            profile TEXT PRIMARY KEY,
            high_water TEXT,
            file TEXT,
            rows INTEGER,
            exported_at TEXT
        ) WITHOUT ROWID;
        CREATE TABLE store_meta(
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
