import Foundation

/// Errors of the benchmark tools, printable as is.
enum BenchError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "Cannot write \(path): \(reason). Check the folder exists and is writable."
        }
    }
}

/// A buffered, append-only byte writer to a file: rows are built straight into one
/// reusable buffer and written in 1 MiB blocks, so generating a million rows costs
/// no per-field allocation.
final class ByteSink {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    /// Bytes written to the file so far (call `flush()` first for the total).
    private(set) var byteCount = 0

    /// Creates (or truncates) `path`.
    init(path: String) throws(BenchError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(capacity + 8192)
    }

    deinit {
        Foundation.close(fd)
    }

    /// Appends raw bytes.
    @inline(__always)
    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends one byte.
    @inline(__always)
    func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    /// Ends a record: writes the buffer out once it holds a full block.
    func endRecord() throws(BenchError) {
        if buffer.count >= capacity { try flush() }
    }

    /// Writes everything buffered to the file.
    func flush() throws(BenchError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        byteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
