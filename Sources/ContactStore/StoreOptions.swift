/// How the store opens its database. The defaults are what measured best (see DESIGN notes in
/// the module's report); tests inject a clock.
public struct StoreOptions: Sendable {
    public enum JournalMode: String, Sendable {
        /// Rollback journal (`DELETE`): a big import writes each page once, and new pages are not
        /// journaled at all. Atomic with `synchronous=FULL`.
        case rollback = "DELETE"
        /// Write-ahead log: readers never wait, but a big import writes every page twice.
        case wal = "WAL"
    }

    public var journalMode: JournalMode
    /// SQLite page cache bound, in MiB (the largest share of the import's memory). 48 keeps the
    /// whole `contacts import` of a 1M-row file at about 116-121 MB peak RSS, within 1.5x the
    /// 100k-row figure (the bench's memory targets). 64 made the re-import of 1M unchanged rows
    /// about a fifth faster (store thread 10-12 s against 14-16 s on a loaded 2-core machine)
    /// but peaked at 133-143 MB, 1.67x the 100k figure; 128 peaked at about 205 MB.
    public var cacheMiB: Int
    /// Seconds since 1970, for created/updated/history times; nil = the system clock.
    public var clock: (@Sendable () -> Int)?

    public init(journalMode: JournalMode = .rollback, cacheMiB: Int = 48,
                clock: (@Sendable () -> Int)? = nil) {
        self.journalMode = journalMode
        self.cacheMiB = cacheMiB
        self.clock = clock
    }
}
