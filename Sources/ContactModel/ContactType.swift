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
        var copy = text
        if let ascii = copy.withUTF8({ Self.parseASCII($0) }) {
            guard let type = ascii else { return nil }
            self = type
            return
        }
        // Unicode spaces around it, or letters that lower-case to ASCII (the Kelvin sign).
        var folded = Whitespace.trim(text).lowercased()
        guard let type = folded.withUTF8({ Self.parseASCII($0) }) ?? nil else { return nil }
        self = type
    }

    /// The common case on bytes: nil when the text holds non-ASCII bytes (the general path
    /// handles Unicode spaces and case), else the parsed type or `.some(nil)` for no type.
    static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> ContactType?? {
        var start = 0
        var end = bytes.count
        for b in bytes where b >= 0x80 { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let length = end - start
        guard length > 0, length <= 13 else { return .some(nil) }
        // Up to 13 lower-cased letters packed into two words, compared with the names'.
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<length {
            var b = bytes[start + index]
            if b >= 65 && b <= 90 { b += 32 }
            if index < 8 { high |= UInt64(b) << UInt64(8 * index) } else { low |= UInt64(b) << UInt64(8 * (index - 8)) }
        }
        for (name, type) in Self.spellings where name.high == high && name.low == low { return type }
        return .some(nil)
    }

    /// Every accepted spelling, lower case, packed as `parseASCII` packs its input.
    private static let spellings: [((high: UInt64, low: UInt64), ContactType)] = [
        ("anonymous", .anonymous), ("anon", .anonymous), ("a", .anonymous),
        ("identified", .identified), ("known", .identified), ("i", .identified),
        ("authenticated", .authenticated), ("verified", .authenticated), ("auth", .authenticated),
    ].map { name, type in
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, b) in name.utf8.enumerated() {
            if index < 8 { high |= UInt64(b) << UInt64(8 * index) } else { low |= UInt64(b) << UInt64(8 * (index - 8)) }
        }
        return ((high, low), type)
    }

    public static func < (lhs: ContactType, rhs: ContactType) -> Bool { lhs.rawValue < rhs.rawValue }
}
