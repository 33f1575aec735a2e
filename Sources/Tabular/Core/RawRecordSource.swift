/// A row source that can show a record's fields as bytes before building its cells, for a
/// caller that may recognise the record from its bytes alone and then never needs its cells
/// (an import skipping rows it has already applied). The CSV reader is one.
///
/// `next()` is `advance()` followed by `currentRow()`.
public protocol RawRecordSource: RowSource {
    /// Reads the next record without building its cells; false at the end.
    func advance() throws(TabularError) -> Bool
    /// The number of fields of the current record.
    var fieldCount: Int { get }
    /// Calls `body` with each field of the current record, in order, as UTF-8 bytes (valid
    /// only during the call) and returns true; returns false, without calling it, when a field
    /// is not UTF-8 as it stands (text that `currentRow()` reads as Windows-1252).
    func forEachField(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool
    /// The current record as a row, its cells built now (each field a `.text` cell).
    func currentRow() -> Row
    /// Sets the current record aside so that `heldRow()` can still build it after the next
    /// `advance()`: one record of look-ahead, for a caller that looks the next record up
    /// before it decides what to do with this one. Replaces the record held before.
    func holdCurrent()
    /// The record set aside by `holdCurrent()`, as a row (as `currentRow()` built it then).
    func heldRow() -> Row
}
