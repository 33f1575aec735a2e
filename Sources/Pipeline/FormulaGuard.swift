/// Keeps spreadsheet programs from running a cell as a formula when a CSV we
/// write is opened (CSV injection), without mangling numbers or phone numbers.
public enum FormulaGuard {
    /// Prefixes `'` to a value a spreadsheet would treat as a formula (first character
    /// `=` `+` `-` `@` TAB or CR), except a plain number (`-12.5`) or an E.164 phone number.
    public static func neutralise(_ value: String) -> String {
        guard let first = value.utf8.first else { return value }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + value
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isPlainNumber(value.utf8) ? value : "'" + value
        default:
            return value
        }
    }

    /// True when a cell starting with `first` needs a look (fast pre-check for hot paths).
    @inline(__always)
    public static func mayNeedGuard(_ first: UInt8) -> Bool {
        first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    }

    /// `+61412345678`, `-12`, `-0.5`, `+3.25e4`: a sign then a decimal number.
    public static func isPlainNumber<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var it = bytes.makeIterator()
        guard let sign = it.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return false }
        var digits = 0
        var dot = false
        var exp = false
        var expDigits = 0
        var afterExp = false
        while let b = it.next() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if exp { expDigits += 1 } else { digits += 1 }
                afterExp = false
            case UInt8(ascii: "."):
                if dot || exp { return false }
                dot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if exp || digits == 0 { return false }
                exp = true
                afterExp = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if !afterExp { return false }
                afterExp = false
            default:
                return false
            }
        }
        return digits > 0 && (!exp || expDigits > 0)
    }
}
