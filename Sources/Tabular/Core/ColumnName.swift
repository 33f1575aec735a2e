/// Converts between 0-based column indexes and Excel's column letters.
public enum ColumnName {
    /// `0` → `A`, `25` → `Z`, `26` → `AA`.
    public static func letters(_ index: Int) -> String {
        var n = index + 1
        var chars: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            chars.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(chars.reversed())
    }

    /// Parses an A1-style reference (`B12`, `$AA$3`) into 0-based column and 1-based row.
    /// Returns nil when the text is not a cell reference.
    public static func parseReference(_ bytes: UnsafeBufferPointer<UInt8>) -> (column: Int, row: Int)? {
        var i = 0
        var col = 0
        var letters = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "$") { i += 1 }
        while i < bytes.count {
            var b = bytes[i]
            if b >= 97 && b <= 122 { b -= 32 }
            guard b >= 65 && b <= 90 else { break }
            col = col * 26 + Int(b - 64)
            letters += 1
            if letters > 3 { return nil }
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "$") { i += 1 }
        var row = 0
        var digits = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b >= 48 && b <= 57 else { return nil }
            row = row * 10 + Int(b - 48)
            digits += 1
            if digits > 7 { return nil }
            i += 1
        }
        guard letters > 0 || digits > 0 else { return nil }
        return (letters > 0 ? col - 1 : -1, digits > 0 ? row : -1)
    }

    /// Parses an A1-style reference given as a string.
    public static func parseReference(_ text: String) -> (column: Int, row: Int)? {
        var copy = text
        return copy.withUTF8 { parseReference($0) }
    }
}
