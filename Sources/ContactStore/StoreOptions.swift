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
    /// SQLite page cache bound, in MiB (the largest share of the import's memory). 64 keeps the
    /// whole `contacts import` of a 1M-row file at about 140 MB peak RSS (under 150), a
    /// re-import that rewrites contacts spread over the whole table included, now that the
    /// import's unchanged contacts are a bit set rather than a hash set (which took ~25 MB);
    /// against 48 it cut the store thread's re-import of 1M unchanged rows from 14-16 s to
    /// 10-12 s on a loaded 2-core machine. 128 held `contact_keys` of about 1.5M contacts
    /// besides the pages being written but peaked at about 205 MB.
    public var cacheMiB: Int
    /// Seconds since 1970, for created/updated/history times; nil = the system clock.
    public var clock: (@Sendable () -> Int)?

    public init(journalMode: JournalMode = .rollback, cacheMiB: Int = 64,
                clock: (@Sendable () -> Int)? = nil) {
        self.journalMode = journalMode
        self.cacheMiB = cacheMiB
        self.clock = clock
    }
}
