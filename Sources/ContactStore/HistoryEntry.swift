/// One change of one field of a contact.
///
/// The creation of a contact is not written as history rows (that would multiply the writes of
/// every import); `ContactStore.history` synthesizes it as the first entry of each field, with
/// `oldValue == nil`, `isCreation == true` and the creating import and row as its source.
public struct HistoryEntry: Sendable, Equatable {
    /// `first_name`, `last_name`, `mobile`, `contact_type`, a property key, or `subscription:<group>`.
    public var field: String
    public var oldValue: String?
    public var newValue: String?
    /// The import (ledger id) that made the change; nil for a manual edit.
    public var importId: Int?
    /// The row of that import's file.
    public var sourceRow: Int?
    /// When (ISO-8601 UTC).
    public var at: String
    public var isCreation: Bool

    public init(field: String, oldValue: String?, newValue: String?, importId: Int?, sourceRow: Int?,
                at: String, isCreation: Bool) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.importId = importId
        self.sourceRow = sourceRow
        self.at = at
        self.isCreation = isCreation
    }
}
