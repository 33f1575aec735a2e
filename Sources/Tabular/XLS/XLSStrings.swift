/// Decoding of the string layouts found in BIFF records.
enum XLSStrings {
    /// A BIFF8 XLUnicodeString at `offset`: a 16-bit character count, an option byte,
    /// then 8-bit (Latin-1) or UTF-16LE characters. Characters past the record's end are dropped.
    static func unicode(_ rec: BIFFRecord, at offset: Int) -> String {
        guard rec.count >= offset + 3 else { return "" }
        var text = XLSTextBuilder()
        _ = appendUnicode(rec, at: offset, into: &text)
        return text.makeString()
    }

    /// Appends a BIFF8 XLUnicodeString's characters to `text`; returns how many of its
    /// characters did not fit in the record (to be read from CONTINUE records) and whether
    /// the last piece was 16-bit.
    static func appendUnicode(_ rec: BIFFRecord, at offset: Int, into text: inout XLSTextBuilder) -> (missing: Int, high: Bool) {
        guard rec.count >= offset + 3 else { return (0, false) }
        let count = rec.u16(offset)
        let high = rec.u8(offset + 2) & 1 != 0
        let chars = rec.tail(offset + 3)
        let fit = min(count, high ? chars.count / 2 : chars.count)
        let piece = chars.prefix(high ? 2 * fit : fit).rebased
        if high { text.appendUTF16(piece) } else { text.appendCompressed(piece) }
        return (count - fit, high)
    }

    /// The Excel literal of a BIFF error code.
    static func errorLiteral(_ code: Int) -> String {
        switch code {
        case 0x00: return "#NULL!"
        case 0x07: return "#DIV/0!"
        case 0x0F: return "#VALUE!"
        case 0x17: return "#REF!"
        case 0x1D: return "#NAME?"
        case 0x24: return "#NUM!"
        case 0x2A: return "#N/A"
        case 0x2B: return "#GETTING_DATA"
        default: return "#ERR\(code)!"
        }
    }
}
