import Foundation

/// Streams the records of a CSV file: a byte-level scanner over a fixed-size buffer
/// refilled from `CSVInput`. RFC 4180 quoting, LF / CRLF / CR line ends; every field
/// becomes `.text`. Python's `csv` module is the reference for the edge cases: a blank
/// line is a record with no fields, a quote inside an unquoted field is an ordinary
/// character, and text after a closing quote is kept.
///
/// Memory is the buffer (one chunk, or the longest field if that is longer) plus the
/// current record: it does not grow with the number of rows.
final class CSVRowReader: RawRecordSource {
    private let input: CSVInput
    private let path: String
    private let delimiter: UInt8
    private let windows1252: Bool
    private let maxFieldBytes: Int
    private let maxFields: Int
    private let maxRecordBytes: Int
    private let chunkSize: Int

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pos = 0
    private var end = 0
    private var eof = false
    /// Byte classes: which bytes stop the scan of an unquoted / a quoted field.
    private let classes: UnsafeMutablePointer<UInt8>

    /// The physical line of the next byte (1-based).
    private var line = 1
    private var recordNumber = 0
    /// The last record ended with a CR at the end of the buffer: an LF right after it belongs to it.
    private var lfAfterCR = false
    /// The field count of the first record, which ragged records are compared with.
    private var headerWidth: Int?
    private var done = false
    private var failure: TabularError?

    /// The record read by `advance()`, as bytes (see `RecordFields`).
    private var fields = RecordFields()
    /// The line where the current record starts (its number is `recordNumber`).
    private var currentLine = 0

    private var storedWarnings: [TabularWarning] = []
    /// One encoding warning per line is enough.
    private var lastEncodingWarningLine = 0
    private var suppressedWarnings = 0
    /// Warnings kept in full; beyond this only a count, so memory does not grow with a bad file.
    static let warningLimit = 1000

    private static let stopUnquoted: UInt8 = 1
    private static let stopQuoted: UInt8 = 2
    private static let quote: UInt8 = 0x22
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    init(path: String, dialect: CSVDialect, options: CSVOptions, chunkSize: Int) throws(TabularError) {
        self.path = path
        self.delimiter = dialect.delimiter
        self.windows1252 = dialect.encoding == .windows1252
        self.maxFieldBytes = max(1, options.maxFieldBytes)
        self.maxFields = max(1, options.maxFields)
        self.maxRecordBytes = max(self.maxFieldBytes, 256 << 20)
        self.chunkSize = max(chunkSize, CSVInput.minimumRoom)
        self.input = try CSVInput(path: path, encoding: dialect.encoding, skip: dialect.bomLength, chunkSize: max(1, chunkSize))
        self.capacity = 2 * self.chunkSize
        self.buffer = Self.allocateBuffer(capacity: capacity)
        self.classes = .allocate(capacity: 256)
        classes.initialize(repeating: 0, count: 256)
        for b in [dialect.delimiter, Self.lf, Self.cr, 0] { classes[Int(b)] |= Self.stopUnquoted }
        for b in [Self.quote, Self.lf, Self.cr, 0] { classes[Int(b)] |= Self.stopQuoted }
    }

    deinit {
        buffer.deallocate()
        classes.deallocate()
    }

    /// The buffer's size now (for tests that memory does not grow with rows).
    var bufferCapacity: Int { capacity }

    var warnings: [TabularWarning] {
        guard suppressedWarnings > 0 else { return storedWarnings }
        let last = storedWarnings.last?.line ?? 0
        return storedWarnings + [TabularWarning(line: last, message: "\(suppressedWarnings) more warnings not listed")]
    }

    func useAsHeader(_ row: Row) {
        headerWidth = row.cells.count
        storedWarnings.removeAll { $0.line <= row.line }
    }

    func next() throws(TabularError) -> Row? {
        var sink = CellSink(reader: self, capacity: headerWidth ?? 8)
        guard try scan(into: &sink) else { return nil }
        return Row(number: recordNumber, line: currentLine, cells: sink.cells)
    }

    func advance() throws(TabularError) -> Bool {
        fields.removeAll()
        var sink = ByteSink(fields: fields)
        return try scan(into: &sink)
    }

    /// Scans one record into `sink`, remembering a failure (every later call rethrows it).
    private func scan<Sink: FieldSink>(into sink: inout Sink) throws(TabularError) -> Bool {
        if let failure { throw failure }
        if done { return false }
        do throws(TabularError) {
            return try scanRecord(into: &sink)
        } catch {
            failure = error
            throw error
        }
    }

    var fieldCount: Int { fields.fieldCount }

    func withFields<Result>(_ body: (RecordBytes) -> Result) -> Result? {
        if windows1252 { return nil }
        let base = fields.bytes
        if !UTF8Check.isASCII(base, fields.count) {
            var start = 0
            for index in 0..<fields.fieldCount {
                let end = fields.end(index)
                if !UTF8Check.isValid(base + start, end - start) { return nil }
                start = end
            }
        }
        return body(RecordBytes(bytes: base, ends: fields.ends, count: fields.fieldCount))
    }

    func currentRow() -> Row {
        row(of: fields, number: recordNumber, line: currentLine)
    }

    var currentPosition: (number: Int, line: Int) { (recordNumber, currentLine) }

    /// A record's fields as a row of text cells.
    private func row(of record: RecordFields, number: Int, line: Int) -> Row {
        var cells: [Cell] = []
        cells.reserveCapacity(record.fieldCount)
        var start = 0
        for index in 0..<record.fieldCount {
            let end = record.end(index)
            cells.append(.text(makeText(record.bytes + start, end - start, line: record.lines[index])))
            start = end
        }
        return Row(number: number, line: line, cells: cells)
    }

    // MARK: - Scanning

    private enum State {
        /// At the start of a field (after a delimiter).
        case fieldStart
        /// Inside an unquoted field: the field is buffer[fieldStart..<pos].
        case unquoted
        /// Inside a quoted field: the text so far is buffer[fieldStart..<w].
        case quoted
        /// Just after a quote inside a quoted field: a closing quote, or the first of a doubled one.
        case quoteInQuoted
        /// After the closing quote, before the delimiter: more text is kept (buffer[fieldStart..<w]).
        case afterQuote
    }

    /// Scans one record. The hot loops work on local copies of the buffer state, which are
    /// written back before a refill and on return (class properties cost an exclusivity check per access).
    private func scanRecord<Sink: FieldSink>(into sink: inout Sink) throws(TabularError) -> Bool {
        if lfAfterCR {
            if pos == end { _ = try refill(keepingFrom: pos) }
            if pos < end && buffer[pos] == Self.lf { pos += 1 }
            lfAfterCR = false
        }
        if pos == end {
            _ = try refill(keepingFrom: pos)
            if pos == end {
                done = true
                return false
            }
        }
        recordNumber += 1
        let startLine = line
        currentLine = startLine
        let first = buffer[pos]
        if first == Self.lf || first == Self.cr {
            // A blank line: a record with no fields (as Python's csv gives []).
            pos += 1
            endLine(first)
            return true
        }

        let delimiter = self.delimiter
        let cls = classes
        var buf = buffer
        var p = pos
        var e = end
        var ln = line
        var recordBytes = 0
        var state = State.fieldStart
        var fieldStart = p
        var w = p
        var fieldLine = ln
        var crBefore = false

        while true {
            if p == e {
                let keep = state == .fieldStart ? p : fieldStart
                if p - keep > maxFieldBytes {
                    throw fieldTooLong(line: fieldLine, column: sink.count, quoted: state != .unquoted)
                }
                pos = p
                line = ln
                let shift = try refill(keepingFrom: keep)
                fieldStart -= shift
                w -= shift
                buf = buffer
                p = pos
                e = end
                if p == e {
                    // End of file inside the record.
                    switch state {
                    case .fieldStart:
                        try appendField(&sink, buf + p, 0, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: false)
                    case .unquoted:
                        try appendField(&sink, buf + fieldStart, p - fieldStart, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: false)
                    case .quoteInQuoted, .afterQuote:
                        try appendField(&sink, buf + fieldStart, w - fieldStart, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: true)
                    case .quoted:
                        throw .malformed(TableLocation(path: path, row: fieldLine, column: sink.count),
                                         detail: "unterminated quote opened on line \(fieldLine): close the quote or remove it")
                    }
                    return finishRecord(fields: sink.count, line: startLine)
                }
            }
            switch state {
            case .fieldStart:
                fieldLine = ln
                if buf[p] == Self.quote {
                    p += 1
                    fieldStart = p
                    w = p
                    crBefore = false
                    state = .quoted
                    continue
                }
                fieldStart = p
                state = .unquoted
                fallthrough

            case .unquoted:
                while p < e && cls[Int(buf[p])] & Self.stopUnquoted == 0 { p += 1 }
                if p == e { continue }
                let b = buf[p]
                if b == 0 { throw nulByte(line: ln, column: sink.count) }
                try appendField(&sink, buf + fieldStart, p - fieldStart, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: false)
                p += 1
                if b == delimiter {
                    state = .fieldStart
                    continue
                }
                return endRecord(b, fields: sink.count, at: p, line: ln, startLine: startLine)

            case .quoted:
                let before = p
                if p == w {
                    while p < e && cls[Int(buf[p])] & Self.stopQuoted == 0 { p += 1 }
                    w = p
                } else {
                    while p < e {
                        let b = buf[p]
                        if cls[Int(b)] & Self.stopQuoted != 0 { break }
                        buf[w] = b
                        w += 1
                        p += 1
                    }
                }
                if p != before { crBefore = false }
                if p == e { continue }
                let b = buf[p]
                p += 1
                if b == Self.quote {
                    state = .quoteInQuoted
                    continue
                }
                if b == 0 { throw nulByte(line: ln, column: sink.count) }
                // A line break inside the quotes is part of the field; CRLF counts as one line.
                if b == Self.cr {
                    ln += 1
                    crBefore = true
                } else {
                    if !crBefore { ln += 1 }
                    crBefore = false
                }
                buf[w] = b
                w += 1

            case .quoteInQuoted:
                let b = buf[p]
                if b == Self.quote {
                    // A doubled quote stands for one quote.
                    buf[w] = b
                    w += 1
                    p += 1
                    crBefore = false
                    state = .quoted
                    continue
                }
                if b == 0 { throw nulByte(line: ln, column: sink.count) }
                if b == delimiter || b == Self.lf || b == Self.cr {
                    try appendField(&sink, buf + fieldStart, w - fieldStart, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: true)
                    p += 1
                    if b == delimiter {
                        state = .fieldStart
                        continue
                    }
                    return endRecord(b, fields: sink.count, at: p, line: ln, startLine: startLine)
                }
                // Text after the closing quote is kept, as Python's csv does.
                state = .afterQuote

            case .afterQuote:
                while p < e {
                    let b = buf[p]
                    if cls[Int(b)] & Self.stopUnquoted != 0 { break }
                    buf[w] = b
                    w += 1
                    p += 1
                }
                if p == e { continue }
                let b = buf[p]
                if b == 0 { throw nulByte(line: ln, column: sink.count) }
                try appendField(&sink, buf + fieldStart, w - fieldStart, line: fieldLine, record: startLine, bytes: &recordBytes, quoted: true)
                p += 1
                if b == delimiter {
                    state = .fieldStart
                    continue
                }
                return endRecord(b, fields: sink.count, at: p, line: ln, startLine: startLine)
            }
        }
    }

    /// Adds one field to the record, checking the limits.
    @inline(__always)
    private func appendField<Sink: FieldSink>(_ sink: inout Sink, _ start: UnsafeMutablePointer<UInt8>, _ count: Int,
                             line fieldLine: Int, record startLine: Int, bytes: inout Int, quoted: Bool) throws(TabularError) {
        if count > maxFieldBytes { throw fieldTooLong(line: fieldLine, column: sink.count, quoted: quoted) }
        if sink.count >= maxFields {
            throw .limitExceeded(TableLocation(path: path, row: startLine),
                                 detail: "record \(recordNumber) has more than \(maxFields) fields")
        }
        bytes += count
        if bytes > maxRecordBytes {
            throw .limitExceeded(TableLocation(path: path, row: startLine),
                                 detail: "record \(recordNumber) is larger than \(maxRecordBytes >> 20) MiB")
        }
        sink.append(start, count, line: fieldLine)
    }

    /// Ends the record at the line break `b` (already consumed; `p` is the byte after it).
    @inline(__always)
    private func endRecord(_ b: UInt8, fields: Int, at p: Int, line ln: Int, startLine: Int) -> Bool {
        pos = p
        line = ln
        endLine(b)
        return finishRecord(fields: fields, line: startLine)
    }

    /// Counts the line break just consumed; after a CR, an LF that follows belongs to it.
    @inline(__always)
    private func endLine(_ b: UInt8) {
        line += 1
        guard b == Self.cr else { return }
        if pos < end {
            if buffer[pos] == Self.lf { pos += 1 }
        } else {
            lfAfterCR = true
        }
    }

    private func finishRecord(fields count: Int, line startLine: Int) -> Bool {
        if let width = headerWidth {
            if count != width {
                warn(line: startLine, "record \(recordNumber) has \(count) field\(count == 1 ? "" : "s") but the header has \(width)")
            }
        } else {
            headerWidth = count
        }
        return true
    }

    /// The field's text: UTF-8 as is, or Windows-1252 decoded. A field of a UTF-8 file
    /// that is not valid UTF-8 is read as Windows-1252, with a warning.
    @inline(__always)
    fileprivate func makeText(_ start: UnsafeMutablePointer<UInt8>, _ count: Int, line: Int) -> String {
        if count == 0 { return "" }
        let bytes = UnsafeBufferPointer(start: UnsafePointer(start), count: count)
        if windows1252 { return Windows1252.decode(bytes) }
        if UTF8Check.isASCII(start, count) || UTF8Check.isValid(start, count) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if line != lastEncodingWarningLine {
            lastEncodingWarningLine = line
            warn(line: line, "text that is not valid UTF-8 was read as Windows-1252; check the accented characters on this line")
        }
        return Windows1252.decode(bytes)
    }

    private func warn(line: Int, _ message: String) {
        if storedWarnings.count < Self.warningLimit {
            storedWarnings.append(TabularWarning(line: line, message: message))
        } else {
            suppressedWarnings += 1
        }
    }

    private func nulByte(line: Int, column: Int) -> TabularError {
        .malformed(TableLocation(path: path, row: line, column: column),
                   detail: "line \(line) contains a NUL byte (character code 0): this is probably not a text file; export the data again as CSV")
    }

    private func fieldTooLong(line: Int, column: Int, quoted: Bool) -> TabularError {
        let limit = maxFieldBytes >= 1 << 20 ? "\(maxFieldBytes >> 20) MiB" : "\(maxFieldBytes) bytes"
        let hint = quoted ? " (perhaps the quote opened on line \(line) is never closed)" : ""
        return .limitExceeded(TableLocation(path: path, row: line, column: column),
                              detail: "a field starting on line \(line) is longer than \(limit)\(hint)")
    }

    // MARK: - Buffer

    /// Bytes after the end of the scanner's buffer that may be read (never used): a field of
    /// up to this many bytes is copied as two words (`RecordFields.append`).
    static let slack = 16

    /// A scanner buffer of `capacity` bytes plus `slack`, all zero to begin with.
    private static func allocateBuffer(capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + slack)
        buffer.initialize(repeating: 0, count: capacity + slack)
        return buffer
    }

    /// Moves the bytes from `keep` on to the front of the buffer, makes room for a chunk
    /// and reads it. Returns how far the kept bytes moved; `pos == end` afterwards means end of file.
    private func refill(keepingFrom keep: Int) throws(TabularError) -> Int {
        if eof { return 0 }
        let kept = end - keep
        if keep > 0 && kept > 0 { memmove(buffer, buffer + keep, kept) }
        pos -= keep
        end = kept
        // Grow for a field longer than the buffer; shrink back once such a field is behind us.
        let normal = 2 * chunkSize
        if capacity - kept < chunkSize || (capacity > 4 * chunkSize && kept + chunkSize <= normal) {
            let newCapacity = capacity - kept < chunkSize ? max(capacity * 2, kept + chunkSize) : normal
            let bigger = Self.allocateBuffer(capacity: newCapacity)
            bigger.update(from: buffer, count: kept)
            buffer.deallocate()
            buffer = bigger
            capacity = newCapacity
        }
        let n = try input.read(into: buffer + kept, room: capacity - kept)
        if n == 0 { eof = true }
        end += n
        return keep
    }
}

/// Where the scanner puts a record's fields: built into cells (`next()`), or copied as bytes
/// (`advance()`). Generic, so each is its own specialisation of the scanner.
private protocol FieldSink {
    var count: Int { get }
    mutating func append(_ start: UnsafeMutablePointer<UInt8>, _ count: Int, line: Int)
}

/// Builds each field's cell as it is scanned.
private struct CellSink: FieldSink {
    let reader: CSVRowReader
    var cells: [Cell] = []

    init(reader: CSVRowReader, capacity: Int) {
        self.reader = reader
        cells.reserveCapacity(capacity)
    }

    var count: Int { cells.count }

    @inline(__always)
    mutating func append(_ start: UnsafeMutablePointer<UInt8>, _ count: Int, line: Int) {
        cells.append(.text(reader.makeText(start, count, line: line)))
    }
}

/// Copies each field's bytes into `RecordFields`.
private struct ByteSink: FieldSink {
    let fields: RecordFields
    var count: Int { fields.fieldCount }

    @inline(__always)
    mutating func append(_ start: UnsafeMutablePointer<UInt8>, _ count: Int, line: Int) {
        fields.append(start, count, line: line)
    }
}

/// A record's fields as bytes, end to end, copied out of the scanner's buffer (which a refill
/// may move on before the record ends), with where each ends and the line it starts on.
/// Reused from record to record.
private final class RecordFields {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 4096
    /// Bytes in use.
    private(set) var count = 0
    /// Where each field ends in `bytes`, and the line it starts on (kept in plain buffers:
    /// as arrays, their appends' uniqueness and capacity checks were ~3% of a re-import's
    /// reading thread).
    private(set) var ends: UnsafeMutablePointer<Int>
    private(set) var lines: UnsafeMutablePointer<Int>
    /// Fields in use.
    private(set) var fieldCount = 0
    private var fieldCapacity = 64

    init() {
        bytes = .allocate(capacity: capacity)
        ends = .allocate(capacity: fieldCapacity)
        lines = .allocate(capacity: fieldCapacity)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
        lines.deallocate()
    }

    func removeAll() {
        count = 0
        fieldCount = 0
    }

    /// The end of field `index` in `bytes`.
    @inline(__always)
    func end(_ index: Int) -> Int { ends[index] }

    /// Copies a field from the scanner's buffer, which may be read `CSVRowReader.slack`
    /// bytes past any field: a short field is copied as two words (through `memcpy`, each
    /// field cost ~47 instructions).
    @inline(__always)
    func append(_ start: UnsafePointer<UInt8>, _ length: Int, line: Int) {
        let slack = CSVRowReader.slack
        if count + max(length, slack) > capacity {
            capacity = max(capacity * 2, count + max(length, slack))
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            bigger.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = bigger
        }
        if fieldCount == fieldCapacity {
            fieldCapacity *= 2
            ends = moved(ends)
            lines = moved(lines)
        }
        if length <= slack {
            let source = UnsafeRawPointer(start)
            let target = UnsafeMutableRawPointer(bytes + count)
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else {
            (bytes + count).update(from: start, count: length)
        }
        count += length
        ends[fieldCount] = count
        lines[fieldCount] = line
        fieldCount += 1
    }

    /// A copy of `buffer`'s fields in a buffer of `fieldCapacity` (the old one is freed).
    private func moved(_ buffer: UnsafeMutablePointer<Int>) -> UnsafeMutablePointer<Int> {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity)
        bigger.update(from: buffer, count: fieldCount)
        buffer.deallocate()
        return bigger
    }
}
