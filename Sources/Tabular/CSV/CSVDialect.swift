/// How a CSV file is written: its text encoding, byte-order mark and field delimiter,
/// decided from a sample at the start of the file unless `CSVOptions` says otherwise.
struct CSVDialect: Sendable, Equatable {
    var encoding: CSVEncoding
    /// Bytes of byte-order mark at the start of the file, skipped when reading.
    var bomLength: Int
    var delimiter: UInt8

    /// Decides the dialect from the first bytes of the file (`complete` when that is the whole file).
    /// Throws `.unsupportedFormat` when the sample is binary data rather than text.
    static func detect(sample: [UInt8], complete: Bool, options: CSVOptions, path: String) throws(TabularError) -> CSVDialect {
        let (encoding, bom) = try detectEncoding(sample, complete: complete, forced: options.encoding, path: path)
        // The sample as the scanner will see it: UTF-8 (or Windows-1252) bytes without the BOM.
        var text = Array(sample.dropFirst(bom))
        if encoding == .utf16LE || encoding == .utf16BE {
            text = transcode(text, bigEndian: encoding == .utf16BE, final: complete)
        }
        if looksBinary(text) {
            throw .unsupportedFormat(path: path, what: "binary data rather than text")
        }
        if let forced = options.delimiter {
            if forced == 0x22 || forced == 0x0A || forced == 0x0D || forced == 0 {
                throw .malformed(TableLocation(path: path), detail: "the delimiter cannot be a quote, a line break or NUL: choose another one")
            }
            return CSVDialect(encoding: encoding, bomLength: bom, delimiter: forced)
        }
        return CSVDialect(encoding: encoding, bomLength: bom, delimiter: DelimiterSniffer.detect(text, complete: complete))
    }

    /// The encoding and BOM length: a BOM first, then UTF-16 without a BOM (every other byte
    /// zero), then UTF-8 if the sample is valid UTF-8 or mostly so, else Windows-1252.
    static func detectEncoding(_ s: [UInt8], complete: Bool, forced: CSVEncoding?, path: String) throws(TabularError) -> (CSVEncoding, Int) {
        func starts(_ magic: [UInt8]) -> Bool { s.count >= magic.count && s.prefix(magic.count).elementsEqual(magic) }
        let bomFound: (CSVEncoding, Int)?
        if starts([0xFF, 0xFE, 0x00, 0x00]) || starts([0x00, 0x00, 0xFE, 0xFF]) {
            if forced == nil { throw .unsupportedFormat(path: path, what: "UTF-32 text, which we do not read: save it as UTF-8 CSV") }
            bomFound = nil
        } else if starts([0xEF, 0xBB, 0xBF]) {
            bomFound = (.utf8, 3)
        } else if starts([0xFF, 0xFE]) {
            bomFound = (.utf16LE, 2)
        } else if starts([0xFE, 0xFF]) {
            bomFound = (.utf16BE, 2)
        } else {
            bomFound = nil
        }
        if let forced {
            if let bomFound, bomFound.0 == forced { return bomFound }
            return (forced, 0)
        }
        if let bomFound { return bomFound }
        if let utf16 = utf16WithoutBOM(s) { return (utf16, 0) }
        if isUTF8(s, complete: complete) { return (.utf8, 0) }
        // A UTF-8 file with a stray Windows-1252 byte or two stays UTF-8: the reader decodes
        // just those fields as Windows-1252 (with a warning) instead of garbling every accent.
        let evidence = utf8Evidence(s)
        return (evidence.valid >= 2 * evidence.invalid ? .utf8 : .windows1252, 0)
    }

    /// UTF-16 text without a BOM shows as mostly-ASCII text with a zero in every other byte.
    static func utf16WithoutBOM(_ s: [UInt8]) -> CSVEncoding? {
        let pairs = s.count / 2
        guard pairs >= 2 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for i in 0..<pairs {
            if s[2 * i] == 0 { zeroEven += 1 }
            if s[2 * i + 1] == 0 { zeroOdd += 1 }
        }
        if zeroOdd * 10 >= pairs * 7 && zeroEven * 20 <= pairs { return .utf16LE }
        if zeroEven * 10 >= pairs * 7 && zeroOdd * 20 <= pairs { return .utf16BE }
        return nil
    }

    /// True when the sample is valid UTF-8; a sequence cut off at the end of an incomplete sample is allowed.
    static func isUTF8(_ s: [UInt8], complete: Bool) -> Bool {
        s.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return true }
            if UTF8Check.isValid(base, b.count) { return true }
            guard !complete else { return false }
            // Drop a multi-byte sequence cut by the end of the sample, then try again.
            var cut = b.count
            var back = 0
            while cut > 0 && back < 3 && b[cut - 1] & 0xC0 == 0x80 { cut -= 1; back += 1 }
            if cut > 0 && b[cut - 1] >= 0xC0 { cut -= 1 }
            return UTF8Check.isValid(base, cut)
        }
    }

    /// Counts well-formed multi-byte UTF-8 sequences and bytes that fit no UTF-8 sequence.
    static func utf8Evidence(_ s: [UInt8]) -> (valid: Int, invalid: Int) {
        var valid = 0, invalid = 0
        s.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var i = 0
            while i < b.count {
                let lead = b[i]
                if lead < 0x80 { i += 1; continue }
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 1
                if length > 1, i + length <= b.count, UTF8Check.isValid(base + i, length) {
                    valid += 1
                    i += length
                } else {
                    invalid += 1
                    i += 1
                }
            }
        }
        return (valid, invalid)
    }

    /// Binary data has control characters that text never has (NUL and the like, but not TAB,
    /// line breaks or form feeds): more than one in twenty bytes, and more than two (a stray
    /// NUL in a tiny text file is reported by the scanner with its line instead).
    static func looksBinary(_ s: [UInt8]) -> Bool {
        var control = 0
        for b in s where b < 0x09 || (b > 0x0D && b < 0x20) { control += 1 }
        return control > 2 && control * 20 > s.count
    }

    static func transcode(_ bytes: [UInt8], bigEndian: Bool, final: Bool) -> [UInt8] {
        var transcoder = UTF16Transcoder(bigEndian: bigEndian)
        let room = UTF16Transcoder.maxOutput(forInput: bytes.count)
        return [UInt8](unsafeUninitializedCapacity: room) { out, count in
            count = bytes.withUnsafeBytes { transcoder.convert($0, into: out.baseAddress!, final: final) }
        }
    }
}
