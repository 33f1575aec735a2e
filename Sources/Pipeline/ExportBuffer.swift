import Foundation

/// The export's byte-level CSV output: RFC 4180 quoting, formula neutralising,
/// SHA-256 of everything written, flushed to a file descriptor in 1 MiB writes.
final class ExportBuffer {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let capacity = 1 << 20
    private let fd: Int32
    private(set) var hasher = SHA256()
    let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer = .allocate(capacity: capacity + 64)
    }

    deinit { buffer.deallocate() }

    @inline(__always)
    func byte(_ b: UInt8) throws(PipelineError) {
        if count >= capacity { try flush() }
        buffer[count] = b
        count += 1
    }

    /// Appends one field, quoting and neutralising as needed.
    func field(_ bytes: UnsafeRawBufferPointer?) throws(PipelineError) {
        guard let bytes, bytes.count > 0 else { return }
        var needsQuote = false
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuote = true
            break
        }
        let guardPrefix = FormulaGuard.mayNeedGuard(bytes[0]) && !(bytes[0] == 0x2B || bytes[0] == 0x2D ? FormulaGuard.isPlainNumber(bytes) : false)
        if !needsQuote && !guardPrefix {
            try append(bytes)
            return
        }
        if needsQuote { try byte(0x22) }
        if guardPrefix { try byte(0x27) }
        if needsQuote {
            for b in bytes {
                try byte(b)
                if b == 0x22 { try byte(0x22) }
            }
            try byte(0x22)
        } else {
            try append(bytes)
        }
    }

    func field(_ text: String) throws(PipelineError) {
        let bytes = Array(text.utf8)
        var failure: PipelineError?
        bytes.withUnsafeBytes { raw in
            do { try field(Optional(raw)) } catch { failure = (error as? PipelineError) ?? .usage("\(error)") }
        }
        if let failure { throw failure }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(PipelineError) {
        if count + bytes.count > capacity { try flush() }
        if bytes.count > capacity {
            try writeAll(bytes)
            return
        }
        (buffer + count).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    func endRecord() throws(PipelineError) {
        try byte(0x0D)
        try byte(0x0A)
    }

    func flush() throws(PipelineError) {
        guard count > 0 else { return }
        let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
        try writeAll(chunk)
        count = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(PipelineError) {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, action: "write", reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    func digest() -> String { hasher.finalizeHex() }
}
