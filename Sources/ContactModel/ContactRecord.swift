/// One normalised, valid input row, ready to merge into the store.
///
/// `nil` and empty collections mean "not given": merging never erases a stored
/// value with them.
public struct ContactRecord: Sendable, Equatable {
    /// The normalised email (trimmed, NFC, lower-cased): the contact's key.
    public var email: String
    public var firstName: String?
    public var lastName: String?
    /// E.164 when it could be normalised, else as typed.
    public var mobile: String?
    public var contactType: ContactType?
    /// The brand's own fields with a non-empty value, in column order.
    public var properties: [PropertyValue]
    /// Lists the contact joins (from the inbox subfolder or a column).
    public var lists: [String]
    /// Hubs visited.
    public var hubs: [String]
    /// Badges earned.
    public var badges: [String]
    /// Subscription group opt-ins (true) and explicit opt-outs (false).
    public var subscriptions: [SubscriptionChange]
    /// Where the row came from: its row number in the file (Excel numbering / CSV record).
    public var sourceRow: Int
    /// The digest of the row it came from, when that row was read without a warning (see
    /// `RowDigest`); the store keeps it with the contact so the same row later costs nothing.
    public var rowDigest: RowDigest?

    public init(email: String, firstName: String? = nil, lastName: String? = nil, mobile: String? = nil,
                contactType: ContactType? = nil, properties: [PropertyValue] = [], lists: [String] = [],
                hubs: [String] = [], badges: [String] = [], subscriptions: [SubscriptionChange] = [],
                sourceRow: Int = 0, rowDigest: RowDigest? = nil) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.mobile = mobile
        self.contactType = contactType
        self.properties = properties
        self.lists = lists
        self.hubs = hubs
        self.badges = badges
        self.subscriptions = subscriptions
        self.sourceRow = sourceRow
        self.rowDigest = rowDigest
    }
}

/// A value of one of the brand's own contact properties.
public struct PropertyValue: Sendable, Equatable {
    /// The normalised key (`favourite_colour`), stable across files.
    public var key: String
    /// The column header as the brand wrote it (`Favourite Colour`).
    public var label: String
    public var value: String

    public init(key: String, label: String, value: String) {
        self.key = key
        self.label = label
        self.value = value
    }
}

/// A subscription group's status change carried by a row.
public struct SubscriptionChange: Sendable, Equatable {
    public var group: String
    /// true: subscribed; false: an explicit opt-out.
    public var subscribed: Bool

    public init(group: String, subscribed: Bool) {
        self.group = group
        self.subscribed = subscribed
    }
}
