/// Trimming and whitespace folding for names and other short text fields.
public enum Whitespace {
    /// Trims and collapses every run of inner whitespace to a single space.
    public static func collapse(_ text: String) -> String {
        var needsWork = false
        var previousSpace = true
        for b in text.utf8 {
            if b >= 0x80 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C { needsWork = true; break }
            let space = b == 0x20
            if space && previousSpace { needsWork = true; break }
            previousSpace = space
        }
        if !needsWork && !previousSpace { return text }
        var out = ""
        var pendingSpace = false
        for ch in text.unicodeScalars {
            if ch.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.unicodeScalars.append(" "); pendingSpace = false }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    /// Trims leading and trailing whitespace (Unicode-aware), without Foundation's
    /// bridging cost in the common case of nothing to trim.
    public static func trim(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        if !maybeSpace(first) && !maybeSpace(last) { return text }
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
