/// One entry of the imports ledger: a file that was merged into the store.
public struct ImportRecord: Sendable, Equatable {
    public var id: Int
    /// The file's display name.
    public var file: String
    /// Hex SHA-256 of the file's content: the same content is never imported twice.
    public var sha256: String
    /// The list every contact of the file joined, if the file came from a list folder.
    public var list: String?
    /// `committed` (only committed imports are kept: a rolled-back one leaves no entry).
    public var status: String
    public var startedAt: String
    public var finishedAt: String?
    public var rowsRead: Int
    public var rejected: Int
    public var counts: MergeCounts

    public init(id: Int, file: String, sha256: String, list: String?, status: String, startedAt: String,
                finishedAt: String?, rowsRead: Int, rejected: Int, counts: MergeCounts) {
        self.id = id
        self.file = file
        self.sha256 = sha256
        self.list = list
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rowsRead = rowsRead
        self.rejected = rejected
        self.counts = counts
    }
}
