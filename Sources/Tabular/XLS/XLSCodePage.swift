/// An 8-bit Windows or Mac code page, as named by a BIFF5 workbook's CODEPAGE record, used
/// to decode its 8-bit strings (BIFF8 strings are UTF-16 or Latin-1 whatever the code page).
struct XLSCodePage: Sendable {
    /// The code page number as stored (1252, 1251, 10000, ...).
    let number: Int
    /// Characters of bytes 0x80...0xFF.
    private let upper: [Unicode.Scalar]

    /// The code page `number`; unknown code pages fall back to Windows-1252, the
    /// default of Excel 5/95 files.
    init(_ number: Int) {
        self.number = number
        let effective: Int
        switch number {
        case 32768: effective = 10000 // Apple Roman
        case 32769, 367, 1200, 0: effective = 1252 // Windows 3.x Latin 1, ASCII, UTF-16 (not 8-bit), missing
        default: effective = number
        }
        let text = Self.upperHalf(effective) ?? Self.upperHalf(1252)!
        let scalars = Array(text.unicodeScalars)
        upper = scalars.count == 128 ? scalars : Array(Self.upperHalf(1252)!.unicodeScalars)
    }

    /// Decodes 8-bit text.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        var s = String()
        s.unicodeScalars.reserveCapacity(bytes.count)
        for b in bytes {
            s.unicodeScalars.append(b < 0x80 ? Unicode.Scalar(b) : upper[Int(b) - 0x80])
        }
        return s
    }
}
