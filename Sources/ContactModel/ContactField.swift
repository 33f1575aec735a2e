/// The fields a column can feed: the core contact fields, the collections that
/// accumulate, one of the brand's own properties, or nothing.
public enum ContactField: Sendable, Hashable, CustomStringConvertible {
    case email
    case firstName
    case lastName
    /// A full name to split into first and last when those columns are absent.
    case fullName
    case mobile
    case contactType
    case lists
    case hubs
    case badges
    case subscriptions
    /// One of the brand's own properties: normalised key and original label.
    case property(key: String, label: String)
    /// A column the configuration says to ignore.
    case ignored

    /// Parses the target names used in pipeline.json's `headers` overrides.
    public init?(configName: String) {
        switch HeaderMapping.squash(configName) {
        case "email": self = .email
        case "firstname": self = .firstName
        case "lastname": self = .lastName
        case "fullname", "name": self = .fullName
        case "mobile", "phone": self = .mobile
        case "contacttype", "type": self = .contactType
        case "lists", "list": self = .lists
        case "hubs", "hub": self = .hubs
        case "badges", "badge": self = .badges
        case "subscriptions", "subscriptiongroups": self = .subscriptions
        case "ignore", "ignored", "skip": self = .ignored
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .email: return "email"
        case .firstName: return "first_name"
        case .lastName: return "last_name"
        case .fullName: return "full_name"
        case .mobile: return "mobile"
        case .contactType: return "contact_type"
        case .lists: return "lists"
        case .hubs: return "hubs"
        case .badges: return "badges"
        case .subscriptions: return "subscriptions"
        case .property(let key, _): return key
        case .ignored: return "(ignored)"
        }
    }
}
