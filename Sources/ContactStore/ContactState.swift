import ContactModel

/// Every mergeable value of one contact: what the row of `contacts` holds besides bookkeeping.
struct ContactState {
    var firstName: String?
    var lastName: String?
    var mobile: String?
    var contactType: ContactType?
    /// Unique keys, in the order they arrived (labels are not kept here).
    var properties: [PropertyValue]
    var lists: [String]
    var hubs: [String]
    var badges: [String]
    /// Unique groups, in the order they arrived.
    var subscriptions: [SubscriptionChange]

    init(firstName: String? = nil, lastName: String? = nil, mobile: String? = nil, contactType: ContactType? = nil,
         properties: [PropertyValue] = [], lists: [String] = [], hubs: [String] = [],
         badges: [String] = [], subscriptions: [SubscriptionChange] = []) {
        self.firstName = firstName
        self.lastName = lastName
        self.mobile = mobile
        self.contactType = contactType
        self.properties = properties
        self.lists = lists
        self.hubs = hubs
        self.badges = badges
        self.subscriptions = subscriptions
    }

    /// The values one record brings (empty values dropped, repeated keys folded, later wins).
    /// A clean record (the usual case) shares its arrays instead of copying them.
    init(_ record: borrowing ContactRecord) {
        firstName = record.firstName.nonEmpty
        lastName = record.lastName.nonEmpty
        mobile = record.mobile.nonEmpty
        contactType = record.contactType
        lists = ContactState.isCleanSet(record.lists) ? record.lists : []
        hubs = ContactState.isCleanSet(record.hubs) ? record.hubs : []
        badges = ContactState.isCleanSet(record.badges) ? record.badges : []
        subscriptions = []
        if ContactState.isClean(record.properties) {
            properties = record.properties
        } else {
            properties = []
            for property in record.properties where !property.value.isEmpty {
                setProperty(property.key, property.value)
            }
        }
        if ContactState.isClean(record.subscriptions) {
            subscriptions = record.subscriptions
        } else {
            subscriptions = []
            for change in record.subscriptions where !change.group.isEmpty {
                setSubscription(change.group, change.subscribed)
            }
        }
        if lists.isEmpty && !record.lists.isEmpty { ContactState.accumulate(record.lists, into: &lists) }
        if hubs.isEmpty && !record.hubs.isEmpty { ContactState.accumulate(record.hubs, into: &hubs) }
        if badges.isEmpty && !record.badges.isEmpty { ContactState.accumulate(record.badges, into: &badges) }
    }

    static func isClean(_ properties: [PropertyValue]) -> Bool {
        for index in properties.indices {
            if properties[index].value.isEmpty { return false }
            for earlier in 0..<index where properties[earlier].key == properties[index].key { return false }
        }
        return true
    }

    static func isClean(_ changes: [SubscriptionChange]) -> Bool {
        for index in changes.indices {
            if changes[index].group.isEmpty { return false }
            for earlier in 0..<index where changes[earlier].group == changes[index].group { return false }
        }
        return true
    }

    static func isCleanSet(_ items: [String]) -> Bool {
        for index in items.indices {
            if items[index].isEmpty { return false }
            for earlier in 0..<index where items[earlier] == items[index] { return false }
        }
        return true
    }

    mutating func setProperty(_ key: String, _ value: String) {
        if let index = properties.firstIndex(where: { $0.key == key }) {
            properties[index].value = value
        } else {
            properties.append(PropertyValue(key: key, label: "", value: value))
        }
    }

    mutating func setSubscription(_ group: String, _ subscribed: Bool) {
        if let index = subscriptions.firstIndex(where: { $0.group == group }) {
            subscriptions[index].subscribed = subscribed
        } else {
            subscriptions.append(SubscriptionChange(group: group, subscribed: subscribed))
        }
    }

    func property(_ key: String) -> String? {
        properties.first(where: { $0.key == key })?.value
    }

    /// Adds the items not yet present, keeping first-arrival order. Returns whether any was new.
    @discardableResult
    static func accumulate(_ items: [String], into target: inout [String]) -> Bool {
        var added = false
        for item in items where !item.isEmpty && !target.contains(item) {
            target.append(item)
            added = true
        }
        return added
    }
}
