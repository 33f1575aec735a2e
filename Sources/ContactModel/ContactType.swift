import Foundation

/// How well a brand knows a contact; it only ever moves up.
public enum ContactType: Int, Sendable, Comparable, CaseIterable, Codable {
    case anonymous = 0
    case identified = 1
    case authenticated = 2

    /// The name shown to users and written to exports.
    public var name: String {
        switch self {
        case .anonymous: return "Anonymous"
        case .identified: return "Identified"
        case .authenticated: return "Authenticated"
        }
    }

    /// Parses a contact type as a marketer might type it (case and spacing ignored).
    public init?(text: String) {
        let trimmed = Whitespace.trim(text)
        let folded = trimmed.utf8.allSatisfy({ $0 < 65 || $0 > 90 }) ? trimmed : trimmed.lowercased()
        switch folded {
        case "anonymous", "anon", "a": self = .anonymous
        case "identified", "known", "i": self = .identified
        case "authenticated", "verified", "auth": self = .authenticated
        default: return nil
        }
    }

    public static func < (lhs: ContactType, rhs: ContactType) -> Bool { lhs.rawValue < rhs.rawValue }
}
