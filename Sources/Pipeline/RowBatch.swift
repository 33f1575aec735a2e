import Tabular
import ContactModel
import ContactStore

/// Rows read and normalised together, handed from the reading thread to the merging one.
struct RowBatch: Sendable {
    var records: [ContactRecord] = []
    /// Contacts of rows skipped as known to change nothing (see `KnownRows`), one per row.
    var knownIds: [Int] = []
    /// How many of its rows were known (`knownIds` moves into `prepared`).
    var knownCount = 0
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
        knownCount = knownIds.count
        prepared = ImportSession.prepare(records, knownIds: knownIds)
        records = []
        knownIds = []
    }
}
