/// Decides whether an XLS number format shows a number as a date, a time or an elapsed
/// duration, so that such cells become `Cell.date` (the corpus convention follows
/// python-calamine's classification).
enum XLSDateFormat {
    /// The kind of a built-in format id, or nil when it is not a date/time format.
    /// 14–22 are dates and times, 45 `mm:ss`, 47 `mm:ss.0`; 46 is `[h]:mm:ss`.
    static func builtIn(_ id: Int) -> ExcelDate.Kind? {
        switch id {
        case 14...22, 45, 47: return .dateTime
        case 46: return .elapsed
        default: return nil
        }
    }

    /// The kind of a format string, or nil when it shows a plain number or text.
    ///
    /// Only the first section (before `;`) counts. Quoted text, backslash escapes, the
    /// character after `_` or `*`, and bracketed parts such as `[Red]`, `[>100]` or
    /// `[$-409]` are ignored; `[h]`, `[mm]`, `[ss]` (any repeat) mark an elapsed time.
    /// Otherwise any of `d m y h s` (either case), `AM/PM` or `A/P` makes it a date/time.
    static func classify(_ format: String) -> ExcelDate.Kind? {
        switch format.lowercased() {
        case "general", "standard", "@", "": return nil
        default: break
        }
        let chars = Array(format.unicodeScalars)
        var i = 0
        var sawDate = false
        while i < chars.count {
            let c = chars[i]
            switch c {
            case ";":
                return sawDate ? .dateTime : nil
            case "\"":
                i += 1
                while i < chars.count && chars[i] != "\"" { i += 1 }
            case "\\", "_", "*":
                i += 1 // the next character is literal (or padding / fill)
            case "[":
                var j = i + 1
                while j < chars.count && chars[j] != "]" { j += 1 }
                if isElapsed(chars[(i + 1)..<min(j, chars.count)]) { return .elapsed }
                i = j
            case "d", "D", "m", "M", "y", "Y", "h", "H", "s", "S":
                sawDate = true
            case "a", "A":
                if matches(chars, at: i, "am/pm") || matches(chars, at: i, "a/p") { sawDate = true }
            default:
                break
            }
            i += 1
        }
        return sawDate ? .dateTime : nil
    }

    /// True for the inside of `[h]`, `[hh]`, `[mm]`, `[ss]` and the like.
    private static func isElapsed(_ inner: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = inner.first else { return false }
        let lower = first.properties.lowercaseMapping
        guard lower == "h" || lower == "m" || lower == "s" else { return false }
        return inner.allSatisfy { $0.properties.lowercaseMapping == lower }
    }

    private static func matches(_ chars: [Unicode.Scalar], at i: Int, _ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= chars.count else { return false }
        for k in 0..<w.count where chars[i + k].properties.lowercaseMapping != String(w[k]) { return false }
        return true
    }
}
