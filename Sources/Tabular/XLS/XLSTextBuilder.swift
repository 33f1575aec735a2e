/// Collects the characters of one BIFF string, which may arrive in pieces (split across
/// CONTINUE records, switching between 8-bit and 16-bit storage), as UTF-8.
struct XLSTextBuilder {
    private var bytes: [UInt8] = []
    private var highSurrogate: UInt32 = 0

    init() { bytes.reserveCapacity(256) }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        highSurrogate = 0
    }

    /// Appends "compressed" characters: one byte each, U+0000...U+00FF.
    mutating func appendCompressed(_ p: UnsafeRawBufferPointer) {
        flushSurrogate()
        var ascii = true
        for b in p where b >= 0x80 { ascii = false; break }
        if ascii {
            bytes.append(contentsOf: p)
            return
        }
        for b in p {
            if b < 0x80 {
                bytes.append(b)
            } else {
                bytes.append(0xC0 | (b >> 6))
                bytes.append(0x80 | (b & 0x3F))
            }
        }
    }

    /// Appends UTF-16LE code units (`p.count / 2` of them); unpaired surrogates become U+FFFD.
    mutating func appendUTF16(_ p: UnsafeRawBufferPointer) {
        var i = 0
        while i + 1 < p.count {
            let u = UInt32(p[i]) | UInt32(p[i + 1]) << 8
            i += 2
            if u >= 0xD800 && u < 0xDC00 {
                flushSurrogate()
                highSurrogate = u
                continue
            }
            if u >= 0xDC00 && u < 0xE000 {
                if highSurrogate != 0 {
                    appendScalar(0x10000 + ((highSurrogate - 0xD800) << 10) + (u - 0xDC00))
                    highSurrogate = 0
                } else {
                    appendScalar(0xFFFD)
                }
                continue
            }
            flushSurrogate()
            appendScalar(u)
        }
    }

    /// The text so far as a String.
    mutating func makeString() -> String {
        flushSurrogate()
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func flushSurrogate() {
        if highSurrogate != 0 {
            highSurrogate = 0
            appendScalar(0xFFFD)
        }
    }

    @inline(__always)
    private mutating func appendScalar(_ v: UInt32) {
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else if v < 0x800 {
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
