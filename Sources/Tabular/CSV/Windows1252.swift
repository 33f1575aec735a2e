/// Windows-1252, the "ANSI" code page of Western Windows, decoded to Unicode.
///
/// Used for CSV files that are not valid UTF-8 (Excel's "CSV (Comma delimited)" on a
/// Western Windows), and for single fields of a UTF-8 file that turn out not to be UTF-8.
/// Latin-1 (ISO-8859-1) text reads the same, except for the rarely used C1 controls. Also
/// how the inbox names a file whose name is not UTF-8 (copied from an old Windows share).
public enum Windows1252 {
    /// Unicode scalars for bytes 0x80...0x9F; the five bytes the code page leaves
    /// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same value, as Windows does.
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar value of one byte.
    @inline(__always)
    static func scalar(_ byte: UInt8) -> UInt32 {
        if byte < 0x80 || byte >= 0xA0 { return UInt32(byte) }
        return UInt32(high[Int(byte - 0x80)])
    }

    /// Decodes `bytes` into a String (every byte sequence is valid Windows-1252).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            var n = 0
            for byte in bytes {
                let s = scalar(byte)
                if s < 0x80 {
                    out[n] = UInt8(s)
                    n += 1
                } else if s < 0x800 {
                    out[n] = UInt8(0xC0 | (s >> 6))
                    out[n + 1] = UInt8(0x80 | (s & 0x3F))
                    n += 2
                } else {
                    out[n] = UInt8(0xE0 | (s >> 12))
                    out[n + 1] = UInt8(0x80 | ((s >> 6) & 0x3F))
                    out[n + 2] = UInt8(0x80 | (s & 0x3F))
                    n += 3
                }
            }
            return n
        }
    }
}
