/// Converts UTF-16 (little- or big-endian) to UTF-8 piece by piece, so that a file can be
/// read in chunks: a code unit split across two chunks, or a surrogate pair split across
/// two chunks, is carried over to the next call. Broken surrogates become U+FFFD.
struct UTF16Transcoder {
    let bigEndian: Bool
    /// A lone first byte of a code unit left over from the previous chunk.
    private var pendingByte: UInt8?
    /// A high surrogate waiting for its low surrogate.
    private var pendingHigh: UInt32?

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    /// The most UTF-8 bytes `convert` can write for `count` input bytes.
    static func maxOutput(forInput count: Int) -> Int { (count / 2 + 2) * 3 + 6 }

    /// Converts `input` into `output` (room for `maxOutput(forInput:)` bytes); returns the bytes written.
    /// With `final`, anything left over is flushed as U+FFFD.
    mutating func convert(_ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>, final: Bool) -> Int {
        var n = 0
        var i = 0
        let count = input.count
        while true {
            var unit: UInt32
            if let first = pendingByte {
                guard i < count else { break }
                let second = input[i]
                i += 1
                pendingByte = nil
                unit = bigEndian ? UInt32(first) << 8 | UInt32(second) : UInt32(second) << 8 | UInt32(first)
            } else if i + 1 < count {
                let a = UInt32(input[i]), b = UInt32(input[i + 1])
                i += 2
                unit = bigEndian ? a << 8 | b : b << 8 | a
            } else {
                if i < count { pendingByte = input[i] }
                break
            }
            if let high = pendingHigh {
                pendingHigh = nil
                if unit >= 0xDC00 && unit <= 0xDFFF {
                    n += put(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), output + n)
                    continue
                }
                n += put(0xFFFD, output + n)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                pendingHigh = unit
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                n += put(0xFFFD, output + n)
            } else {
                n += put(unit, output + n)
            }
        }
        if final {
            if pendingHigh != nil { n += put(0xFFFD, output + n); pendingHigh = nil }
            if pendingByte != nil { n += put(0xFFFD, output + n); pendingByte = nil }
        }
        return n
    }

    @inline(__always)
    private func put(_ s: UInt32, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        if s < 0x80 {
            out[0] = UInt8(s)
            return 1
        } else if s < 0x800 {
            out[0] = UInt8(0xC0 | (s >> 6))
            out[1] = UInt8(0x80 | (s & 0x3F))
            return 2
        } else if s < 0x10000 {
            out[0] = UInt8(0xE0 | (s >> 12))
            out[1] = UInt8(0x80 | ((s >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (s & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (s >> 18))
        out[1] = UInt8(0x80 | ((s >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((s >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (s & 0x3F))
        return 4
    }
}
