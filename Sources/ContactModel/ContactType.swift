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
        while start < end, Whitespace.isASCIISpace(bytes[start]) { start += 1 }
        while end > start, Whitespace.isASCIISpace(bytes[end - 1]) { end -= 1 }
        guard end > start, end - start <= 13 else { return .some(nil) }
        // Up to 13 lower-cased letters packed into two words, compared with the names'.
        let packed = Self.pack(bytes[start..<end].lazy.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
        for (name, type) in Self.spellings where name == packed { return type }
        return .some(nil)
    }

    /// Every accepted spelling, lower case, packed as `parseASCII` packs its input.
    private static let spellings: [(Packed, ContactType)] = [
        ("anonymous", .anonymous), ("anon", .anonymous), ("a", .anonymous),
        ("identified", .identified), ("known", .identified), ("i", .identified),
        ("authenticated", .authenticated), ("verified", .authenticated), ("auth", .authenticated),
    ].map { name, type in (pack(name.utf8), type) }

    /// Up to 16 bytes as two little-endian words (zero after the last byte).
    private struct Packed: Equatable {
        var high: UInt64 = 0
        var low: UInt64 = 0
    }

    private static func pack<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Packed {
        var packed = Packed()
        for (index, b) in bytes.enumerated() {
            if index < 8 { packed.high |= UInt64(b) << UInt64(8 * index) } else { packed.low |= UInt64(b) << UInt64(8 * (index - 8)) }
        }
        return packed
    }

    public static func < (lhs: ContactType, rhs: ContactType) -> Bool { lhs.rawValue < rhs.rawValue }
}
