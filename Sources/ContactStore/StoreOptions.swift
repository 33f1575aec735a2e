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
    /// SQLite page cache bound, in MiB. An import sizes its cache to the store's email key
    /// B-tree within this bound (`ContactStore.sizeCacheForImport`): 8 MiB into an empty store,
    /// the whole bound for the ~885k keys of the 1M-row bench file, whose re-import is limited
    /// by reading and normalising rather than by the cache from 48 MiB up.
    public var cacheMiB: Int
    /// Seconds since 1970, for created/updated/history times; nil = the system clock.
    public var clock: (@Sendable () -> Int)?
    /// Bytes of an import's scratch data (keys of new contacts, rows waiting to be settled)
    /// kept in memory before spilling to an unlinked file in the store folder.
    public var scratchMemoryBytes: Int
    /// How many contacts created by an import must have rows waiting before it settles them
    /// early, in one sweep (`ImportSession.workWhileIdle`); nil: 4,096. Tests set a small number
    /// to make small files settle early.
    public var earlySettleSweep: Int?

    /// How long a step waits for another process that holds the store (an import commits as
    /// one transaction, and a big one holds the store for as long as it runs) before giving up.
    public var busyTimeoutSeconds: Int
    /// Called when a step starts waiting for another process that holds the store, so a person
    /// at a terminal can be told why nothing moves.
    public var onBusy: (@Sendable () -> Void)?

    public init(journalMode: JournalMode = .rollback, cacheMiB: Int = 48,
                clock: (@Sendable () -> Int)? = nil, scratchMemoryBytes: Int = 2 << 20,
                earlySettleSweep: Int? = nil, busyTimeoutSeconds: Int = 600,
                onBusy: (@Sendable () -> Void)? = nil) {
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.onBusy = onBusy
        self.journalMode = journalMode
        self.cacheMiB = cacheMiB
        self.clock = clock
        self.scratchMemoryBytes = scratchMemoryBytes
        self.earlySettleSweep = earlySettleSweep
    }
}
