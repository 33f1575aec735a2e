import Tabular
import ContactModel

/// Rows read and normalised together, handed from the reading thread to the merging one.
struct RowBatch: Sendable {
    var records: [ContactRecord] = []
    /// Rows refused or flagged, with their original cells for the errors file.
    var issues: [(row: Row, issue: ImportSummary.RowIssue)] = []
    var blank = 0
    var rowsRead = 0

    static let size = 8192
}
