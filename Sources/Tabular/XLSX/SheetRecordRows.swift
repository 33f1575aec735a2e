/// The rows of a worksheet, handed out one record at a time from the batches of
/// `SheetRecords` its parser completes: as rows of typed cells (`next()`), or as their
/// rendered fields (`RawRecordSource`), which an import normalises without building cells.
final class SheetRecordRows: RawRecordSource {
    /// The next batch of completed records (never empty), nil at the end; an error comes after
    /// the batches completed before it.
    typealias Refill = () throws(TabularError) -> SheetRecords?

    private let refill: Refill
    let helperThreads: Int
    private var batch = SheetRecords(is1904: false)
    /// The current record in `batch` (`advance()` moves it on first).
    private var index = -1
    private var ended = false

    init(helperThreads: Int = 0, refill: @escaping Refill) {
        self.helperThreads = helperThreads
        self.refill = refill
    }

    func next() throws(TabularError) -> Row? {
        guard try advance() else { return nil }
        return currentRow()
    }

    func advance() throws(TabularError) -> Bool {
        index += 1
        if index < batch.count { return true }
        guard !ended, let more = try refill(), more.count > 0 else {
            ended = true
            batch = SheetRecords(is1904: false)
            index = 0
            return false
        }
        batch = more
        index = 0
        return true
    }

    var fieldCount: Int { batch.withFields(index) { $0.count } }

    /// Never nil: a sheet's text is UTF-8 as libxml2 hands it out.
    func withFields<Result>(_ body: (RecordBytes) -> Result) -> Result? {
        // In place: calling it on `batch` itself copied the batch (a retain and a release of
        // each of its arrays) for every record, 5% of an import's reading thread.
        let index = index
        return withUnsafeMutablePointer(to: &batch) { $0.pointee.withFields(index, body) }
    }

    func currentRow() -> Row { batch.row(index) }

    var currentPosition: (number: Int, line: Int) {
        let index = index
        let number = withUnsafeMutablePointer(to: &batch) { $0.pointee.number(index) }
        return (number, number)
    }
}
