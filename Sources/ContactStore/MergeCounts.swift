/// What merging a batch (or a whole file) did to the store.
///
/// A contact counts once per import, by its net change: `updated` if its final state differs
/// from its state before the import, else `unchanged`; its other rows are `duplicates`. A
/// batch's counts are what it settled at once: its new contacts, its duplicate rows and the
/// existing contacts it found unchanged. Contacts whose rows differ from the store wait for
/// `ImportSession.settle`, which returns the import's final counts (so does `commit`).
public struct MergeCounts: Sendable, Equatable {
    /// New contacts.
    public var created: Int
    /// Existing contacts that gained or changed a value.
    public var updated: Int
    /// Existing contacts the rows brought nothing new to (no write happened).
    public var unchanged: Int
    /// Rows whose email an earlier row of the same import had already touched.
    public var duplicates: Int

    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0, duplicates: Int = 0) {
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.duplicates = duplicates
    }

    /// Rows accounted for.
    public var total: Int { created + updated + unchanged + duplicates }

    public static func += (lhs: inout MergeCounts, rhs: MergeCounts) {
        lhs.created += rhs.created
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
        lhs.duplicates += rhs.duplicates
    }
}
