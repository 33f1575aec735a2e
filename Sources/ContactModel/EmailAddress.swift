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
        asciiAddress(bytes).map { found in
            found.map { slice in
                String(unsafeUninitializedCapacity: slice.count) { out in
                    lowerCase(slice, into: out.baseAddress!)
                    return slice.count
                }
            }
        }
    }

    /// Calls `body` with the normalised address's bytes when `bytes` are ASCII and a valid
    /// address (what `normalise` would give as text, without making it); nil otherwise.
    public static func withASCIINormalised<Result>(_ bytes: UnsafeBufferPointer<UInt8>,
                                                   _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard case .success(let slice)? = asciiAddress(bytes) else { return nil }
        // Valid addresses are at most 254 bytes.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: slice.count) { out in
            lowerCase(slice, into: out.baseAddress!)
            return body(UnsafeBufferPointer(out))
        }
    }

    private static func lowerCase(_ slice: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
        for i in 0..<slice.count {
            let b = slice[i]
            out[i] = b >= 65 && b <= 90 ? b + 32 : b
        }
    }

    /// The address within ASCII text (trimmed, unwrapped) once validated, still in its case;
    /// nil when the text holds non-ASCII bytes.
    private static func asciiAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<UnsafeBufferPointer<UInt8>, Problem>? {
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
            // "mailto:" in any case (`| 0x20` lower-cases letters and leaves ":" as it is), as
            // one number: an array of the expected bytes cost an allocation per row.
            var word: UInt64 = 0
            for i in 0..<7 { word |= UInt64(bytes[start + i] | 0x20) << UInt64(8 * i) }
            if word == 0x003A_6F74_6C69_616D {
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
        return .success(slice)
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
    /// (Plain indices on the buffer: slices made this ~700 instructions per address.)
    static func validate(bytes: UnsafeBufferPointer<UInt8>, lowered: Bool) -> Problem? {
        let count = bytes.count
        if count > 254 { return .tooLong }
        var at = -1
        var i = 0
        while i < count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0xA0 { return .containsSpace }
            if b == 0x40 {
                if at >= 0 { return .severalAt }
                at = i
            }
            i += 1
        }
        if at < 0 { return .noAt }
        if at == 0 { return .emptyLocalPart }
        if bytes[0] == 0x2E || bytes[at - 1] == 0x2E { return .badDomain("is fine but the part before the @ starts or ends with a dot") }
        if at + 1 == count { return .badDomain("is missing") }
        var labels = 0
        var labelStart = at + 1
        i = at + 1
        while i <= count {
            if i == count || bytes[i] == 0x2E {
                let length = i - labelStart
                if length == 0 { return .badDomain("has an empty part (two dots, or a dot at the start or end)") }
                if length > 63 { return .badDomain("has a part longer than 63 characters") }
                if bytes[labelStart] == 0x2D || bytes[i - 1] == 0x2D { return .badDomain("has a part that starts or ends with a hyphen") }
                var j = labelStart
                while j < i {
                    var b = bytes[j]
                    if !lowered && b >= 65 && b <= 90 { b += 32 }
                    let ok = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b >= 0x80
                    if !ok { return .badDomain("contains the character \"\(String(decoding: [b], as: UTF8.self))\"") }
                    j += 1
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
