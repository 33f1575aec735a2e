import Tabular
import ContactModel
import ContactStore

/// Rows read and normalised together, handed from the reading thread to the merging one.
struct RowBatch: Sendable {
    var records: [ContactRecord] = []
    /// The records sorted, folded and encoded for the store, done on the reading thread
    /// so the merging thread has nothing left but SQLite work.
    var prepared: PreparedBatch?
    /// Rows refused or flagged, with their original cells for the errors file.
    var issues: [(row: Row, issue: ImportSummary.RowIssue)] = []
    var blank = 0
    var rowsRead = 0

    static let size = 12288

    /// Prepares the records for the store (on the calling thread).
    mutating func prepare() {
        prepared = ImportSession.prepare(records)
        records = []
    }
}
