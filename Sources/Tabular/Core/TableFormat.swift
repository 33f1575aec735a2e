/// The file formats we read, decided by content (magic bytes), never by extension.
public enum TableFormat: String, Sendable, Equatable {
    case csv
    case xlsx
    case xls

    /// What the first bytes of a file say it is.
    public enum Sniffed: Sendable, Equatable {
        /// A ZIP archive (XLSX, or another ZIP-based file).
        case zip
        /// An OLE compound file (XLS, or an encrypted XLSX).
        case compoundFile
        /// Text, to be read as CSV.
        case text
        /// Something else, described for the user.
        case other(String)
    }

    /// Classifies a file by its first bytes.
    public static func sniff(_ head: [UInt8]) -> Sniffed {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) || starts([0x50, 0x4B, 0x07, 0x08]) {
            return .zip
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .compoundFile }
        let known: [([UInt8], String)] = [
            ([0x25, 0x50, 0x44, 0x46], "a PDF document"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
            ([0x1F, 0x8B], "a gzip archive"),
            ([0x52, 0x61, 0x72, 0x21], "a RAR archive"),
            ([0x37, 0x7A, 0xBC, 0xAF], "a 7-Zip archive"),
            ([0x7B, 0x5C, 0x72, 0x74, 0x66], "an RTF document"),
            ([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x20, 0x66], "an SQLite database"),
            ([0x7F, 0x45, 0x4C, 0x46], "a program (ELF)"),
            ([0x09, 0x08, 0x10, 0x00], "an Excel 2-4 worksheet"),
        ]
        for (magic, what) in known where starts(magic) { return .other(what) }
        return .text
    }
}
