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
        var copy = raw
        if let fast = copy.withUTF8({ asciiNormalise($0) }) { return fast }
        return unicodeNormalise(raw)
    }

    /// The common case, all ASCII, done on bytes; nil when the text holds non-ASCII bytes.
    static func asciiNormalise(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, Problem>? {
        var start = 0
        var end = bytes.count
        for b in bytes where b >= 0x80 { return nil }
        func trim() {
            while start < end, Whitespace.isASCIISpace(bytes[start]) { start += 1 }
            while end > start, Whitespace.isASCIISpace(bytes[end - 1]) { end -= 1 }
        }
        trim()
        if start == end { return .failure(.empty) }
        if bytes[end - 1] == UInt8(ascii: ">") {
            var open = end - 2
            while open >= start, bytes[open] != UInt8(ascii: "<") { open -= 1 }
            if open >= start {
                start = open + 1
                end -= 1
                trim()
            }
        }
        if end - start >= 7 {
            let mailto: [UInt8] = Array("mailto:".utf8)
            var matches = true
            for i in 0..<7 where (bytes[start + i] | 0x20) != mailto[i] {
                matches = false
                break
            }
            if matches {
                start += 7
                var q = start
                while q < end, bytes[q] != UInt8(ascii: "?") { q += 1 }
                end = q
                trim()
            }
        }
        if start == end { return .failure(.empty) }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if let problem = validate(bytes: slice, lowered: false) { return .failure(problem) }
        let text = String(unsafeUninitializedCapacity: slice.count) { out in
            for i in 0..<slice.count {
                let b = slice[i]
                out[i] = b >= 65 && b <= 90 ? b + 32 : b
            }
            return slice.count
        }
        return .success(text)
    }

    /// Text with non-ASCII characters: Foundation for NFC and Unicode case mapping.
    static func unicodeNormalise(_ raw: String) -> Result<String, Problem> {
        var text = Whitespace.trim(raw)
        if text.isEmpty { return .failure(.empty) }
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            text = Whitespace.trim(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        }
        if text.utf8.count >= 7, text.prefix(7).lowercased() == "mailto:" {
            text = String(text.dropFirst(7))
            if let q = text.firstIndex(of: "?") { text = String(text[..<q]) }
            text = Whitespace.trim(text)
        }
        if text.isEmpty { return .failure(.empty) }
        let lowered = text.precomposedStringWithCanonicalMapping.lowercased().precomposedStringWithCanonicalMapping
        if let problem = validate(lowered) { return .failure(problem) }
        return .success(lowered)
    }

    static func validate(_ email: String) -> Problem? {
        var copy = email
        return copy.withUTF8 { validate(bytes: $0, lowered: true) }
    }

    /// Validates an address given as UTF-8 bytes; upper-case ASCII is accepted when `lowered` is false.
    static func validate(bytes: UnsafeBufferPointer<UInt8>, lowered: Bool) -> Problem? {
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
                for var b in label {
                    if !lowered && b >= 65 && b <= 90 { b += 32 }
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
