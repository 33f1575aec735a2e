/// Trimming and whitespace folding for names and other short text fields.
public enum Whitespace {
    /// Trims and collapses every run of inner whitespace to a single space.
    public static func collapse(_ text: String) -> String {
        var copy = text
        let clean = copy.withUTF8 { bytes -> Bool in
            var previousSpace = true
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x80 {
                    if unicodeSpaceLength(bytes, at: i) > 0 { return false }
                    previousSpace = false
                } else if b == 0x20 {
                    if previousSpace { return false }
                    previousSpace = true
                } else if b >= 0x09 && b <= 0x0D {
                    return false
                } else {
                    previousSpace = false
                }
                i += 1
            }
            return !previousSpace || bytes.isEmpty
        }
        if clean { return text }
        return copy.withUTF8 { bytes in
            // Whitespace is ASCII 09–0D and 20 plus the characters `unicodeSpaceLength` knows:
            // exactly Unicode's White_Space property.
            String(unsafeUninitializedCapacity: bytes.count) { out in
                var count = 0
                var pendingSpace = false
                var i = 0
                while i < bytes.count {
                    let b = bytes[i]
                    let space = b >= 0x80 ? unicodeSpaceLength(bytes, at: i) : (b == 0x20 || (b >= 0x09 && b <= 0x0D) ? 1 : 0)
                    if space > 0 {
                        pendingSpace = count > 0
                        i += space
                        continue
                    }
                    if pendingSpace {
                        out[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    out[count] = b
                    count += 1
                    i += 1
                }
                return count
            }
        }
    }

    /// The length of the Unicode whitespace character (other than ASCII) starting at `i`, or 0.
    /// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    @inline(__always)
    static func unicodeSpaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = bytes[i]
        if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 { return 2 }
        guard i + 2 < bytes.count else { return 0 }
        let c1 = bytes[i + 1], c2 = bytes[i + 2]
        switch b {
        case 0xE1: return c1 == 0x9A && c2 == 0x80 ? 3 : 0
        case 0xE2:
            if c1 == 0x80 && (c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) { return 3 }
            return c1 == 0x81 && c2 == 0x9F ? 3 : 0
        case 0xE3: return c1 == 0x80 && c2 == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// Trims leading and trailing whitespace (Unicode-aware), without Foundation's
    /// bridging cost in the common case of nothing to trim.
    public static func trim(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if !maybeSpace(first) && !maybeSpace(last) { return text }
        var copy = text
        let noUnicodeEdges = copy.withUTF8 { bytes -> Bool in
            // Only a non-ASCII edge byte could be Unicode whitespace: check the real characters.
            let firstOK = bytes[0] < 0x80 ? !maybeSpace(bytes[0]) : unicodeSpaceLength(bytes, at: 0) == 0
            var lastStart = bytes.count - 1
            while lastStart > 0, bytes[lastStart] & 0xC0 == 0x80 { lastStart -= 1 }
            let lastOK = bytes[lastStart] < 0x80 ? !maybeSpace(bytes[lastStart]) : unicodeSpaceLength(bytes, at: lastStart) == 0
            return firstOK && lastOK
        }
        if noUnicodeEdges { return text }
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    @inline(__always)
    static func maybeSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || b >= 0x80 }
}
