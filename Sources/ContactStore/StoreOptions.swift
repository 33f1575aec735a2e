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
    /// SQLite page cache bound, in MiB (the largest share of the import's memory). 128 holds
    /// `contact_keys` of about 1.5M contacts (every batch touches nearly all its leaves) besides
    /// the pages being written; at 48 a 1M-row import re-read and re-wrote those leaves every
    /// batch (about 1 s more CPU on the store thread per 1M new contacts).
    public var cacheMiB: Int
    /// Seconds since 1970, for created/updated/history times; nil = the system clock.
    public var clock: (@Sendable () -> Int)?

    public init(journalMode: JournalMode = .rollback, cacheMiB: Int = 128,
                clock: (@Sendable () -> Int)? = nil) {
        self.journalMode = journalMode
        self.cacheMiB = cacheMiB
        self.clock = clock
    }
}
