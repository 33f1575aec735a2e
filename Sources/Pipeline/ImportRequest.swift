import Foundation

/// One file to import, and how.
public struct ImportRequest: Sendable {
    /// The file to read.
    public var path: String
    /// The name users know the file by (shown in summaries and the ledger).
    public var displayName: String
    /// Lists every contact of the file joins.
    public var lists: [String]
    /// Sheet to read (name or 1-based number); the configured or first visible one when nil.
    public var sheet: String?
    /// Merge, count, then roll back: nothing is written.
    public var dryRun: Bool
    /// Where to write the errors file (rejected rows and warnings), if anywhere.
    public var errorsFile: String?
    /// Whether to load the store's known rows so rows applied before are skipped unread; nil
    /// decides by the file's size against the store's (see `KnownRowsLoading`). Tests set it
    /// to prove both ways give the same store.
    public var loadKnownRows: Bool?

    public init(path: String, displayName: String? = nil, lists: [String] = [], sheet: String? = nil,
                dryRun: Bool = false, errorsFile: String? = nil) {
        self.path = path
        self.displayName = displayName ?? (path as NSString).lastPathComponent
        self.lists = lists
        self.sheet = sheet
        self.dryRun = dryRun
        self.errorsFile = errorsFile
    }
}
