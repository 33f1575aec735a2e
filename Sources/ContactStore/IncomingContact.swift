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

    /// Folds a later record of the same email into this one.
    mutating func fold(_ record: borrowing ContactRecord) {
        if fieldRows == nil { fieldRows = [:] }
        recordCount += 1
        let row = record.sourceRow
        if let value = record.firstName.nonEmpty { state.firstName = value; fieldRows![Field.firstName] = row }
        if let value = record.lastName.nonEmpty { state.lastName = value; fieldRows![Field.lastName] = row }
        if let value = record.mobile.nonEmpty { state.mobile = value; fieldRows![Field.mobile] = row }
        if let type = record.contactType, type > (state.contactType ?? .anonymous) || state.contactType == nil {
            state.contactType = type
            fieldRows![Field.contactType] = row
        }
        for property in record.properties where !property.value.isEmpty {
            state.setProperty(property.key, property.value)
            fieldRows![property.key] = row
        }
        ContactState.accumulate(record.lists, into: &state.lists)
        ContactState.accumulate(record.hubs, into: &state.hubs)
        ContactState.accumulate(record.badges, into: &state.badges)
        for change in record.subscriptions where !change.group.isEmpty {
            state.setSubscription(change.group, change.subscribed)
            fieldRows![Field.subscription(change.group)] = row
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
