import ContactModel

/// One value replaced by an import, for property history.
struct FieldChange {
    var field: String
    var oldValue: String?
    var newValue: String?
    var sourceRow: Int
}

extension ContactState {
    static func subscriptionText(_ subscribed: Bool) -> String { subscribed ? "subscribed" : "unsubscribed" }

    /// Merges incoming values by the store's rules: a non-empty value replaces (and is recorded),
    /// nothing erases, the type only moves up, lists/hubs/badges accumulate, a subscription takes
    /// the incoming status. Returns whether anything changed.
    mutating func absorb(_ incoming: IncomingContact, changes: inout [FieldChange]) -> Bool {
        var changed = false
        let new = incoming.state
        func core(_ current: inout String?, _ value: String?, _ field: String) {
            guard let value, value != current else { return }
            changes.append(FieldChange(field: field, oldValue: current, newValue: value, sourceRow: incoming.sourceRow(of: field)))
            current = value
            changed = true
        }
        core(&firstName, new.firstName, Field.firstName)
        core(&lastName, new.lastName, Field.lastName)
        core(&mobile, new.mobile, Field.mobile)
        if let type = new.contactType, contactType == nil || type > contactType! {
            changes.append(FieldChange(field: Field.contactType, oldValue: contactType?.name, newValue: type.name,
                                       sourceRow: incoming.sourceRow(of: Field.contactType)))
            contactType = type
            changed = true
        }
        for property in new.properties {
            let current = self.property(property.key)
            guard current != property.value else { continue }
            changes.append(FieldChange(field: property.key, oldValue: current, newValue: property.value,
                                       sourceRow: incoming.sourceRow(of: property.key)))
            setProperty(property.key, property.value)
            changed = true
        }
        if ContactState.accumulate(new.lists, into: &lists) { changed = true }
        if ContactState.accumulate(new.hubs, into: &hubs) { changed = true }
        if ContactState.accumulate(new.badges, into: &badges) { changed = true }
        for subscription in new.subscriptions {
            let current = subscriptions.first(where: { $0.group == subscription.group })?.subscribed
            guard current != subscription.subscribed else { continue }
            let field = Field.subscription(subscription.group)
            changes.append(FieldChange(field: field, oldValue: current.map(ContactState.subscriptionText),
                                       newValue: ContactState.subscriptionText(subscription.subscribed),
                                       sourceRow: incoming.sourceRow(of: field)))
            setSubscription(subscription.group, subscription.subscribed)
            changed = true
        }
        return changed
    }

    /// Every field's current value as history shows it (core fields, properties, subscriptions).
    var historyValues: [(field: String, value: String)] {
        var values: [(field: String, value: String)] = []
        if let firstName { values.append((Field.firstName, firstName)) }
        if let lastName { values.append((Field.lastName, lastName)) }
        if let mobile { values.append((Field.mobile, mobile)) }
        if let contactType { values.append((Field.contactType, contactType.name)) }
        for property in properties { values.append((property.key, property.value)) }
        for subscription in subscriptions {
            values.append((Field.subscription(subscription.group), ContactState.subscriptionText(subscription.subscribed)))
        }
        return values
    }
}
