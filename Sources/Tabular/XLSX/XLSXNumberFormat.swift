/// Decides which number formats present a number as a date, a time or an elapsed time,
/// following python-calamine's classification (the corpus oracle).
enum XLSXNumberFormat {
    /// The kind of a built-in format id, or nil when it is not a date format.
    /// 14–22 are dates and times, 45–47 minutes/seconds (46 `[h]:mm:ss` is elapsed),
    /// 27–36 and 50–58 the East Asian date formats.
    static func builtinKind(_ id: Int) -> ExcelDate.Kind? {
        switch id {
        case 46: return .elapsed
        case 14...22, 27...36, 45, 47, 50...58: return .dateTime
        default: return nil
        }
    }

    /// The kind of a custom format code, or nil when it shows no date or time.
    ///
    /// Only the first section counts. Quoted text, backslash-escaped characters, the
    /// character after `_` or `*`, and bracketed colours, conditions or locales are
    /// skipped; the first of `y m d h s` (any case) makes it a date or time, while a
    /// bracketed `[h]`, `[mm]`, `[ss]` met first makes it an elapsed time.
    static func kind(ofCode code: String) -> ExcelDate.Kind? {
        let bytes = Array(code.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: ";"):
                return nil
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "]") { j += 1 }
                let inside = bytes[min(i + 1, j)..<j]
                if let first = inside.first, "hHmMsS".utf8.contains(first),
                   inside.allSatisfy({ $0 | 0x20 == first | 0x20 }) {
                    return .elapsed
                }
                i = j
            default:
                switch c | 0x20 {
                case UInt8(ascii: "y"), UInt8(ascii: "m"), UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "s"):
                    return .dateTime
                default:
                    break
                }
            }
            i += 1
        }
        return nil
    }
}
