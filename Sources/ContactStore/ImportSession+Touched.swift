extension ImportSession {
    /// SQL of the import's scratch table `temp.import_touched`: the pre-existing contacts this
    /// import changed, with their pre-import hash, `updated_at` and `last_import`, whether they
    /// are currently counted `updated` (`state` 1) or back to their pre-import state (0), and
    /// whether a later batch changed them again (`repeated`, their history needs collapsing).
    ///
    /// A row is added the first time the import changes a pre-existing contact, so within a
    /// file rows of one email merge in file order and the store sees one net change per contact.
    /// The table lives in the connection's temp database and inside the import's transaction
    /// (a rollback undoes it too).
    enum Touched {
        static let create = """
            CREATE TEMP TABLE IF NOT EXISTS import_touched(
                id INTEGER PRIMARY KEY,
                hash INTEGER NOT NULL,
                updated_at TEXT,
                last_import INTEGER,
                state INTEGER NOT NULL,
                repeated INTEGER NOT NULL
            );
            DELETE FROM temp.import_touched;
            """

        /// ?1 id, ?2 pre-import hash, ?3 pre-import last_import (read before the contact is rewritten).
        static let insert = """
            INSERT INTO temp.import_touched(id, hash, updated_at, last_import, state, repeated)
            SELECT id, ?2, updated_at, ?3, 1, 0 FROM contacts WHERE id = ?1
            """

        static let select = "SELECT hash, state FROM temp.import_touched WHERE id = ?1"

        /// ?1 id, ?2 whether it now differs from its pre-import state.
        static let update = "UPDATE temp.import_touched SET state = ?2, repeated = 1 WHERE id = ?1"

        /// ?1 contact, ?2 field, ?3 new value, ?4 source row, ?5 time, ?6 first history id of the import.
        static let extendHistory = """
            UPDATE property_history SET new_value = ?3, source_row = ?4, changed_at = ?5
            WHERE contact_id = ?1 AND field = ?2 AND id >= ?6
            """

        /// Run at commit (?1 = the import id): a contact changed again keeps no history row for a
        /// field back to its old value, and none at all if the whole contact is back to its old state.
        static let settle = [
            """
            DELETE FROM property_history
            WHERE contact_id IN (SELECT id FROM temp.import_touched WHERE repeated = 1) AND import_id = ?1
                AND (old_value IS new_value
                     OR contact_id IN (SELECT id FROM temp.import_touched WHERE state = 0))
            """,
        ]

        /// Contacts back to their pre-import state, with what to restore, in id order. Restored
        /// one row per statement: a multi-row UPDATE would keep a statement journal of every
        /// page it touches (in memory, `temp_store = MEMORY`).
        static let reverted = """
            SELECT t.id, t.updated_at, t.last_import, c.email FROM temp.import_touched t JOIN contacts c ON c.id = t.id
            WHERE t.state = 0 ORDER BY t.id
            """
        static let restoreContact = "UPDATE contacts SET updated_at = ?2 WHERE id = ?1"
        static let restoreKey = "UPDATE contact_keys SET last_import = ?2 WHERE email = ?1"
        static let clear = "DELETE FROM temp.import_touched"
    }
}
