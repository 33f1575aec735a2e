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

/// An append-only file written in large blocks. The caller builds its bytes in its
/// own buffer (a value, so no class-property access checks on the hot path) and
/// hands over about 1 MiB at a time.
final class ByteSink {
    private let fd: Int32
    private let path: String
    /// Bytes written to the file so far.
    private(set) var byteCount = 0

    /// Creates (or truncates) `path`.
    init(path: String) throws(BenchError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
    }

    deinit {
        Foundation.close(fd)
    }

    /// Writes all of `bytes`, retrying short writes.
    func write(_ bytes: [UInt8]) throws(BenchError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        byteCount += bytes.count
    }
}
