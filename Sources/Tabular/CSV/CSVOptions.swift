/// How to read a CSV file; anything left nil is detected from the content.
public struct CSVOptions: Sendable, Equatable {
    /// The field delimiter; nil detects among `,` `;` TAB `|`.
    public var delimiter: UInt8?
    /// The text encoding; nil detects (BOM, then UTF-8, else Windows-1252).
    public var encoding: CSVEncoding?
    /// Fields longer than this many bytes are refused (a runaway quote, or not a CSV at all).
    public var maxFieldBytes: Int
    /// Rows with more fields than this are refused.
    public var maxFields: Int

    public init(delimiter: UInt8? = nil, encoding: CSVEncoding? = nil, maxFieldBytes: Int = 64 << 20, maxFields: Int = 16_384) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
    }
}

/// Text encodings a CSV file may come in.
public enum CSVEncoding: String, Sendable, Equatable {
    case utf8
    case utf16LE
    case utf16BE
    case windows1252
}
