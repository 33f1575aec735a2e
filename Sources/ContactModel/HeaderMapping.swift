import Tabular

/// Maps a file's header row to contact fields: built-in aliases matched ignoring
/// case, spaces and punctuation, overridable per deployment; every other column
/// becomes one of the brand's own properties.
public struct HeaderMapping: Sendable, Equatable {
    /// What each column (by index) feeds.
    public var fields: [ContactField]
    /// The header labels as the file wrote them.
    public var labels: [String]

    /// Why a header row cannot be used.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// No column holds emails; lists the columns that were found.
        case noEmailColumn(found: [String])
        /// The header row is empty.
        case emptyHeader

        /// The column names found, for `noEmailColumn` (else none).
        public var columnsFound: [String] {
            if case .noEmailColumn(let found) = self { return found }
            return []
        }

        /// Column names as a message lists them: quoted, the empty ones left out; "" when none.
        public static func quoted(_ names: [String]) -> String {
            names.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")
        }

        public var description: String {
            switch self {
            case .noEmailColumn(let found):
                let names = Self.quoted(found)
                return "no email column was found (the columns are: \(names.isEmpty ? "none" : names)). "
                    + "Name one column \"Email\", or map it in pipeline.json under \"headers\"."
            case .emptyHeader:
                return "the first row is empty, so there are no column names. Put the column names (Email, First Name, …) in the first row."
            }
        }
    }

    /// The store's own columns, by the names exports use: a property key never takes one of
    /// them (a second "Email" column, a "Created At" column), or an export could not name it.
    public static let storeColumns = ["email", "first_name", "last_name", "mobile", "contact_type", "created_at", "updated_at", "lists", "hubs", "badges"]

    /// Built-in aliases, squashed (lower-case letters and digits only).
    public static let aliases: [String: ContactField] = {
        var table: [String: ContactField] = [:]
        let groups: [(ContactField, [String])] = [
            (.email, ["email", "e-mail", "email address", "e-mail address", "emailaddress", "mail", "email_address", "emails",
                      "email 1", "primary email", "work email", "personal email", "contact email", "your email", "your email address"]),
            (.firstName, ["first name", "firstname", "given name", "given names", "forename", "first", "fname", "your first name"]),
            (.lastName, ["last name", "lastname", "surname", "family name", "last", "lname", "your last name"]),
            (.fullName, ["name", "full name", "fullname", "contact name", "your name", "customer name"]),
            (.mobile, ["mobile", "mobile number", "mobile phone", "phone", "phone number", "cell", "cell phone", "cellphone", "mobile no", "mob", "telephone", "tel",
                       "mobile phone number", "cell number", "cell phone number", "phone (mobile)", "mobile telephone", "contact number", "phone no", "sms number"]),
            (.contactType, ["contact type", "contacttype", "contact_type", "type of contact"]),
            (.lists, ["list", "lists", "list name", "list membership", "list memberships"]),
            (.hubs, ["hub", "hubs", "hubs visited", "hub visited"]),
            (.badges, ["badge", "badges"]),
            (.subscriptions, ["subscriptions", "subscription groups", "subscription group", "subscribed groups"]),
        ]
        for (field, names) in groups {
            for name in names { table[squash(name)] = field }
        }
        return table
    }()

    /// Builds the mapping for a header row. `overrides` maps header labels (matched
    /// like aliases) to field names or to a property key.
    public init(header: [String], overrides: [String: String] = [:]) throws(Problem) {
        let labels = header.map { Whitespace.collapse($0) }
        guard labels.contains(where: { !$0.isEmpty }) else { throw .emptyHeader }
        var squashedOverrides: [String: String] = [:]
        for (k, v) in overrides { squashedOverrides[Self.squash(k)] = v }

        var fields: [ContactField] = []
        var usedKeys = Set(Self.storeColumns)
        var taken: Set<ContactField> = []
        for (index, label) in labels.enumerated() {
            let squashed = Self.squash(label)
            var field: ContactField
            if let target = squashedOverrides[squashed] {
                field = ContactField(configName: target) ?? .property(key: Self.propertyKey(target), label: label)
            } else if let alias = Self.aliases[squashed] {
                field = alias
            } else {
                let base = label.isEmpty ? "column_" + ColumnName.letters(index).lowercased() : Self.propertyKey(label)
                field = .property(key: base, label: label.isEmpty ? ColumnName.letters(index) : label)
            }
            // A second column for the same core field becomes a property, so nothing is lost.
            switch field {
            case .email, .firstName, .lastName, .fullName, .mobile, .contactType:
                if taken.contains(field) { field = .property(key: Self.propertyKey(label), label: label) }
            default: break
            }
            if case .property(var key, let lbl) = field {
                if key.isEmpty { key = "column_" + ColumnName.letters(index).lowercased() }
                var unique = key
                var n = 2
                while usedKeys.contains(unique) { unique = "\(key)_\(n)"; n += 1 }
                usedKeys.insert(unique)
                field = .property(key: unique, label: lbl)
            }
            taken.insert(field)
            fields.append(field)
        }
        guard fields.contains(.email) else { throw .noEmailColumn(found: labels) }
        self.fields = fields
        self.labels = labels
    }

    /// Lower-case ASCII letters and digits only: "E-mail Address" → "emailaddress".
    public static func squash(_ text: String) -> String {
        var out: [UInt8] = []
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A stable property key: lower-case words joined by `_` ("Favourite Colour" → "favourite_colour").
    public static func propertyKey(_ label: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in label.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingUnderscore && !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return out
    }
}
