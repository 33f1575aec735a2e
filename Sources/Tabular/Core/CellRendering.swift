/// Renders cells as text, following the corpus convention (`shared/corpus/README.md`):
/// the one way every reader of ours prints a cell for `cat`, for exports and for
/// the values that reach the contact store.
extension Cell {
    /// The cell as text.
    public var rendered: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let d): return NumberText.render(d)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date(let date): return date.rendered
        case .isoDate(let s): return s
        case .error(let e): return e
        }
    }
}

/// Number rendering: integral values below 1e16 without a decimal point,
/// everything else as Python's `repr(float)` (shortest round-trip digits).
public enum NumberText {
    public static func render(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(.towardZero), abs(value) < 1e16 {
            if value == 0 { return "0" }
            return String(Int64(value))
        }
        return pythonRepr(value)
    }

    /// Python's `repr(float)`: the shortest round-trip digits, positional when the decimal
    /// exponent is in -4..<16, scientific otherwise. Swift's `description` follows the same
    /// rules for every value that reaches here (non-integral values are below 2^53, and
    /// integral ones from 1e16 up print in exponent form in both), as the tests pin down.
    public static func pythonRepr(_ value: Double) -> String {
        value.description
    }
}

extension ExcelDate {
    /// The serial rendered per the corpus convention (calamine's classification):
    /// elapsed formats as `H:MM:SS[.fff]`; serials below 1 as a time of day;
    /// integral serials as `YYYY-MM-DD`; others as `YYYY-MM-DDTHH:MM:SS[.fff]`.
    public var rendered: String {
        // Beyond 9999-12-31 (or absurdly negative) no calendar date exists: print the number.
        guard serial.isFinite, serial > -2_958_466, serial < 2_958_466 else { return NumberText.render(serial) }
        let totalMillis = (serial * 86_400_000).rounded()
        switch kind {
        case .elapsed:
            let negative = totalMillis < 0
            let ms = Int64(abs(totalMillis))
            let h = ms / 3_600_000
            let m = (ms / 60_000) % 60
            let s = (ms / 1000) % 60
            return (negative ? "-" : "") + "\(h):" + two(m) + ":" + two(s) + millis(ms % 1000)
        case .dateTime:
            if serial < 1 {
                let dayMillis: Int64 = 86_400_000
                var ms = Int64(totalMillis) % dayMillis
                if ms < 0 { ms += dayMillis }
                return timeOfDay(ms)
            }
            let ms = Int64(totalMillis)
            let days = ms / 86_400_000
            let rest = ms % 86_400_000
            let date = civilDate(serialDays: days)
            if rest == 0 && serial == serial.rounded(.down) {
                return date
            }
            return date + "T" + timeOfDay(rest)
        }
    }

    private func timeOfDay(_ ms: Int64) -> String {
        two(ms / 3_600_000) + ":" + two((ms / 60_000) % 60) + ":" + two((ms / 1000) % 60) + millis(ms % 1000)
    }

    private func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }

    private func millis(_ v: Int64) -> String {
        guard v != 0 else { return "" }
        let s = String(v)
        return "." + String(repeating: "0", count: 3 - s.count) + s
    }

    /// The calendar date of a whole-day serial in this workbook's date system.
    /// The 1900 system counts the phantom 1900-02-29 (serial 60), as Excel does.
    private func civilDate(serialDays: Int64) -> String {
        let unixDays: Int64
        if is1904 {
            unixDays = serialDays - 24_107 // 1904-01-01 is day 0
        } else if serialDays < 60 {
            unixDays = serialDays - 25_568 // 1900-01-01 is day 1
        } else if serialDays == 60 {
            return "1900-02-29"
        } else {
            unixDays = serialDays - 25_569 // 1899-12-30 is day 0 past the phantom leap day
        }
        let (y, m, d) = CivilCalendar.date(fromUnixDays: unixDays)
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)
        return year + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    private func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01.
public enum CivilCalendar {
    /// Year, month and day of a count of days since 1970-01-01.
    public static func date(fromUnixDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }

    /// Days since 1970-01-01 of a calendar date.
    public static func unixDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
