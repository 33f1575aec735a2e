import ContactModel

/// The rows of one batch that share an email, folded in file order (a later non-empty value
/// wins; lists, hubs and badges accumulate; a later subscription value wins), with the source
/// row of every value so history can say which row brought it.
struct IncomingContact {
    var state: ContactState
    /// Source row of the first record.
    var firstRow: Int
    /// How many records were folded.
    var recordCount = 1
    /// Per-field source rows once more than one record was folded (field name → row).
    var fieldRows: [String: Int]?

    init(_ record: borrowing ContactRecord) {
        state = ContactState(record)
        firstRow = record.sourceRow
    }

    /// One record's values, already cleaned (e.g. decoded from its encoded columns).
    init(state: ContactState, firstRow: Int) {
        self.state = state
        self.firstRow = firstRow
    }

    func sourceRow(of field: String) -> Int {
        fieldRows?[field] ?? firstRow
    }

    /// Folds a later record of the same email into this one (cleaned as its own group first,
    /// so one set of folding rules serves records and groups).
    mutating func fold(_ record: borrowing ContactRecord) {
        fold(IncomingContact(record))
    }

    /// Folds the rows of a later group of the same email into this one (as if its records had
    /// been folded one by one), keeping the source row of every value it brings.
    mutating func fold(_ later: IncomingContact) {
        if fieldRows == nil { fieldRows = [:] }
        recordCount += later.recordCount
        let new = later.state
        func core(_ current: inout String?, _ value: String?, _ field: String) {
            guard let value else { return }
            current = value
            fieldRows![field] = later.sourceRow(of: field)
        }
        core(&state.firstName, new.firstName, Field.firstName)
        core(&state.lastName, new.lastName, Field.lastName)
        core(&state.mobile, new.mobile, Field.mobile)
        if let type = new.contactType, state.contactType == nil || type > state.contactType! {
            state.contactType = type
            fieldRows![Field.contactType] = later.sourceRow(of: Field.contactType)
        }
        for property in new.properties where !property.value.isEmpty {
            state.setProperty(property.key, property.value)
            fieldRows![property.key] = later.sourceRow(of: property.key)
        }
        ContactState.accumulate(new.lists, into: &state.lists)
        ContactState.accumulate(new.hubs, into: &state.hubs)
        ContactState.accumulate(new.badges, into: &state.badges)
        for change in new.subscriptions where !change.group.isEmpty {
            state.setSubscription(change.group, change.subscribed)
            let field = Field.subscription(change.group)
            fieldRows![field] = later.sourceRow(of: field)
        }
    }
}

/// Names of the fields history records.
enum Field {
    static let firstName = "first_name"
    static let lastName = "last_name"
    static let mobile = "mobile"
    static let contactType = "contact_type"
    static let subscriptionPrefix = "subscription:"
    static func subscription(_ group: String) -> String { subscriptionPrefix + group }
}

extension Optional where Wrapped == String {
    /// The value, unless it is nil or empty (an empty cell never erases).
    var nonEmpty: String? {
        switch self {
        case let .some(value) where !value.isEmpty: return value
        default: return nil
        }
    }
}
