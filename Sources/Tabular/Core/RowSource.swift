/// A stream of rows from one sheet (or one CSV file), read on demand.
///
/// Readers hold a fixed-size buffer, never the whole file: `next()` hands out
/// rows one at a time in file order. Rows that are missing from a sheet are
/// simply skipped; `Row.number` tells where a row sits.
public protocol RowSource: AnyObject {
    /// The next row, or nil at the end of the sheet.
    func next() throws(TabularError) -> Row?
    /// Non-fatal findings so far (for example ragged CSV rows), for reports.
    var warnings: [TabularWarning] { get }
    /// Threads of its own this source keeps busy while it is read (0: it reads on the
    /// caller's thread), so a caller can tell whether a core is left for other work.
    var helperThreads: Int { get }
    /// Tells the source that `row`, read from it, is the header although rows came before it
    /// (a title above the table): later rows are compared with it, and findings about the
    /// rows above it, which are no contacts, are dropped.
    func useAsHeader(_ row: Row)
}

extension RowSource {
    public var warnings: [TabularWarning] { [] }
    public var helperThreads: Int { 0 }
    public func useAsHeader(_ row: Row) {}
}

/// Something a reader noticed that does not stop it, with where it was.
public struct TabularWarning: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line or row where it was seen.
    public var line: Int
    /// Plain-words description.
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
