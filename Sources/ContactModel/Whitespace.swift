/// Trimming and whitespace folding for names and other short text fields.
public enum Whitespace {
    /// Trims and collapses every run of inner whitespace to a single space.
    public static func collapse(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { collapsed($0) } ?? text
    }

    /// `collapse` of UTF-8 text given as bytes (a field as a reader's buffer holds it).
    static func collapse(bytes: UnsafeBufferPointer<UInt8>) -> String {
        collapsed(bytes) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// The collapsed text, or nil when `bytes` need no change (the usual case: no copy).
    private static func collapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isCollapsed(bytes) { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            _ = out.initialize(from: bytes)
            return squeeze(out)
        }
    }

    /// `collapse` done in place (the text never grows): returns the collapsed text's length.
    static func collapseInPlace(_ bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        isCollapsed(UnsafeBufferPointer(bytes)) ? bytes.count : squeeze(bytes)
    }

    /// Drops leading and trailing whitespace and turns each inner run into one space, moving
    /// the text to the front of `bytes`; returns its new length.
    private static func squeeze(_ bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        var pendingSpace = false
        var i = 0
        while i < bytes.count {
            let space = spaceLength(UnsafeBufferPointer(bytes), at: i)
            if space > 0 {
                pendingSpace = count > 0
                i += space
                continue
            }
            if pendingSpace {
                bytes[count] = 0x20
                count += 1
                pendingSpace = false
            }
            bytes[count] = bytes[i]
            count += 1
            i += 1
        }
        return count
    }

    /// Whether `bytes` have no whitespace at either end and no inner run other than one space.
    private static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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
        var copy = text
        return copy.withUTF8 { bytes in
            let kept = trimmedRange(bytes)
            if kept.count == bytes.count { return text }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
        }
    }

    /// The part of `bytes` (UTF-8) that `trim` keeps.
    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        if bytes.isEmpty || (!maybeSpace(bytes[0]) && !maybeSpace(bytes[bytes.count - 1])) { return 0..<bytes.count }
        var start = 0
        while start < bytes.count {
            let length = spaceLength(bytes, at: start)
            if length == 0 { break }
            start += length
        }
        var end = bytes.count
        while end > start {
            var last = end - 1
            while last > start, bytes[last] & 0xC0 == 0x80 { last -= 1 }
            if spaceLength(bytes, at: last) != end - last { break }
            end = last
        }
        return start..<end
    }

    /// The length of the whitespace character starting at `i` (ASCII, or what
    /// `unicodeSpaceLength` knows: together exactly Unicode's White_Space property), or 0.
    @inline(__always)
    static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = bytes[i]
        return b >= 0x80 ? unicodeSpaceLength(bytes, at: i) : (isASCIISpace(b) ? 1 : 0)
    }

    /// ASCII whitespace: space, tab, line feed, vertical tab, form feed, carriage return.
    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    @inline(__always)
    static func maybeSpace(_ b: UInt8) -> Bool { isASCIISpace(b) || b >= 0x80 }
}
