import Foundation

/// Email normalisation and validation: the key that makes one contact unique.
public enum EmailAddress {
    /// Why an email was refused, in words a marketer can act on.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case noAt
        case severalAt
        case emptyLocalPart
        case containsSpace
        case badDomain(String)
        case tooLong

        public var description: String {
            switch self {
            case .empty: return "the email is empty"
            case .noAt: return "the email has no @"
            case .severalAt: return "the email has more than one @"
            case .emptyLocalPart: return "the email has nothing before the @"
            case .containsSpace: return "the email contains a space"
            case .badDomain(let why): return "the email's domain \(why)"
            case .tooLong: return "the email is longer than 254 characters"
            }
        }
    }

    /// Trims, unwraps `mailto:` and `Name <addr>`, applies Unicode NFC, lower-cases and validates.
    public static func normalise(_ raw: String) -> Result<String, Problem> {
        var text = Whitespace.trim(raw)
        if text.isEmpty { return .failure(.empty) }
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            text = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
                .trimmingCharacters(in: .whitespaces)
        }
        if text.count >= 7, text.prefix(7).lowercased() == "mailto:" {
            text = String(text.dropFirst(7))
            if let q = text.firstIndex(of: "?") { text = String(text[..<q]) }
            text = text.trimmingCharacters(in: .whitespaces)
        }
        if text.isEmpty { return .failure(.empty) }
        let lowered = lowerNFC(text)
        if let problem = validate(lowered) { return .failure(problem) }
        return .success(lowered)
    }

    /// Lower-case and NFC, with a fast path for plain ASCII (the common case).
    static func lowerNFC(_ text: String) -> String {
        var ascii = true
        var hasUpper = false
        for b in text.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b >= 65 && b <= 90 { hasUpper = true }
        }
        if ascii {
            guard hasUpper else { return text }
            return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        return text.precomposedStringWithCanonicalMapping.lowercased().precomposedStringWithCanonicalMapping
    }

    static func validate(_ email: String) -> Problem? {
        let bytes = Array(email.utf8)
        if bytes.count > 254 { return .tooLong }
        var at = -1
        for (i, b) in bytes.enumerated() {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xA0 { return .containsSpace }
            if b == 0x40 {
                if at >= 0 { return .severalAt }
                at = i
            }
        }
        if at < 0 { return .noAt }
        if at == 0 { return .emptyLocalPart }
        let local = bytes[0..<at]
        if local.first == 0x2E || local.last == 0x2E { return .badDomain("is fine but the part before the @ starts or ends with a dot") }
        let domain = bytes[(at + 1)...]
        if domain.isEmpty { return .badDomain("is missing") }
        var labels = 0
        var labelStart = domain.startIndex
        var i = domain.startIndex
        while i <= domain.endIndex {
            if i == domain.endIndex || domain[i] == 0x2E {
                let label = domain[labelStart..<i]
                if label.isEmpty { return .badDomain("has an empty part (two dots, or a dot at the start or end)") }
                if label.count > 63 { return .badDomain("has a part longer than 63 characters") }
                if label.first == 0x2D || label.last == 0x2D { return .badDomain("has a part that starts or ends with a hyphen") }
                for b in label {
                    let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b >= 0x80
                    if !ok { return .badDomain("contains the character \"\(String(decoding: [b], as: UTF8.self))\"") }
                }
                labels += 1
                labelStart = i + 1
            }
            i += 1
        }
        if labels < 2 { return .badDomain("has no dot (like example.com)") }
        return nil
    }
}
