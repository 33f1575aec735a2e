import Foundation

/// Writes RFC 4180 CSV (comma, `\n` records, quotes only where needed, `"` doubled),
/// byte-compatible with Python's `csv.writer` (QUOTE_MINIMAL, lineterminator `\n`).
/// Buffered; call `flush()` (or `close()`) at the end.
public final class CSVWriter {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    /// Line terminator, `\n` by default; exports may ask for `\r\n`.
    public var lineTerminator: [UInt8] = [0x0A]

    /// Writes to an open file descriptor (for example 1, standard output).
    public init(fileDescriptor: Int32) {
        self.fd = fileDescriptor
        self.ownsDescriptor = false
        buffer.reserveCapacity(capacity + 4096)
    }

    /// Creates (or truncates) `path` and writes to it.
    public init(path: String) throws(TabularError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.ownsDescriptor = true
        buffer.reserveCapacity(capacity + 4096)
    }

    deinit {
        try? flush()
        if ownsDescriptor { Foundation.close(fd) }
    }

    /// Writes one record.
    public func write<S: Sequence>(_ fields: S) throws(TabularError) where S.Element == String {
        var first = true
        var count = 0
        for field in fields {
            if !first { buffer.append(0x2C) }
            first = false
            count += 1
            appendField(field)
        }
        buffer.append(contentsOf: lineTerminator)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes one record; a record of a single empty field is written as `""`
    /// so that it is not mistaken for a blank line (as Python does).
    public func writeRow(_ fields: [String]) throws(TabularError) {
        if fields.count == 1 && fields[0].isEmpty {
            buffer.append(contentsOf: [0x22, 0x22])
            buffer.append(contentsOf: lineTerminator)
            if buffer.count >= capacity { try flush() }
            return
        }
        try write(fields)
    }

    private func appendField(_ field: String) {
        var s = field
        s.withUTF8 { bytes in
            var needsQuote = false
            for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuote = true
                break
            }
            if !needsQuote {
                buffer.append(contentsOf: bytes)
                return
            }
            buffer.append(0x22)
            for b in bytes {
                buffer.append(b)
                if b == 0x22 { buffer.append(0x22) }
            }
            buffer.append(0x22)
        }
    }

    /// Writes raw bytes (for a BOM or a preformatted line).
    public func writeRaw(_ bytes: [UInt8]) throws(TabularError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Sends buffered bytes to the file.
    public func flush() throws(TabularError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeAll(keepingCapacity: true)
                throw .cannotOpen(path: "output", reason: "write failed: \(reason)")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, when this writer opened the file, syncs it to disk.
    public func sync() throws(TabularError) {
        try flush()
        if ownsDescriptor { fsync(fd) }
    }
}
