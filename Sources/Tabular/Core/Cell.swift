/// One cell as a reader found it, typed so that a date stays a date and a
/// number typed into a spreadsheet can be rendered back exactly.
public enum Cell: Sendable, Hashable {
    /// No value (a missing cell, or a blank one).
    case empty
    /// Text, exactly as stored (CSV fields are always text).
    case text(String)
    /// A number with no date format.
    case number(Double)
    /// A boolean cell (`TRUE` / `FALSE`).
    case bool(Bool)
    /// A number formatted as a date, time or duration in its workbook.
    case date(ExcelDate)
    /// An XLSX `t="d"` cell: the ISO-8601 text stored in the file.
    case isoDate(String)
    /// An error cell, as its Excel literal (`#N/A`, `#DIV/0!`, ...).
    case error(String)

    /// True when the cell holds nothing or only an empty string.
    @inlinable
    public var isBlank: Bool {
        switch self {
        case .empty: return true
        case .text(let s): return s.isEmpty
        default: return false
        }
    }
}

/// A date/time serial as Excel stores it, with what is needed to print it.
public struct ExcelDate: Sendable, Hashable {
    /// How the number format presents the serial.
    public enum Kind: Sendable, Hashable {
        /// A calendar date and/or time of day.
        case dateTime
        /// An elapsed-time format such as `[h]:mm:ss`: hours are not wrapped.
        case elapsed
    }

    /// The serial number (days since the workbook's epoch, fraction = time of day).
    public var serial: Double
    /// True for workbooks on the 1904 date system.
    public var is1904: Bool
    /// How to present it.
    public var kind: Kind

    public init(serial: Double, is1904: Bool = false, kind: Kind = .dateTime) {
        self.serial = serial
        self.is1904 = is1904
        self.kind = kind
    }
}
