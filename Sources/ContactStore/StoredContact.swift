import ContactModel

/// A live contact as the store holds it (for `show` and tests).
public struct StoredContact: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var firstName: String?
    public var lastName: String?
    public var mobile: String?
    public var contactType: ContactType?
    /// The brand's properties, key → value.
    public var properties: [String: String]
    public var lists: [String]
    public var hubs: [String]
    public var badges: [String]
    /// Subscription group → subscribed (false = opted out).
    public var subscriptions: [String: Bool]
    public var createdAt: String
    public var updatedAt: String
    /// The import (ledger id) and row that created the contact; nil for a contact added by hand.
    public var createdByImport: Int?
    public var createdFromRow: Int?
}
