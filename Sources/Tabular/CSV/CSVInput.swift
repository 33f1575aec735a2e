import Foundation

/// The bytes of a CSV file as the scanner wants them: read with `read(2)` in fixed-size
/// chunks, the byte-order mark skipped, and UTF-16 converted to UTF-8 on the way.
/// UTF-8 and Windows-1252 bytes are read straight into the caller's buffer (no copy).
final class CSVInput {
    let path: String
    let chunkSize: Int
    private let fd: Int32
    private var transcoder: UTF16Transcoder?
    private var raw: UnsafeMutableRawPointer?
    private var atEnd = false

    /// Opens `path` and skips its first `skip` bytes (the byte-order mark).
    init(path: String, encoding: CSVEncoding, skip: Int, chunkSize: Int) throws(TabularError) {
        self.path = path
        self.chunkSize = chunkSize
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        if skip > 0, lseek(fd, off_t(skip), SEEK_SET) < 0 {
            let reason = String(cString: strerror(errno))
            Foundation.close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        switch encoding {
        case .utf16LE: transcoder = UTF16Transcoder(bigEndian: false)
        case .utf16BE: transcoder = UTF16Transcoder(bigEndian: true)
        case .utf8, .windows1252: break
        }
        if transcoder != nil { raw = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 8) }
    }

    deinit {
        Foundation.close(fd)
        raw?.deallocate()
    }

    /// The least room `read(into:room:)` needs.
    static let minimumRoom = 32

    /// Reads the next bytes into `dest`, which has room for `room` bytes (at least `minimumRoom`).
    /// Returns 0 only at the end of the file.
    func read(into dest: UnsafeMutablePointer<UInt8>, room: Int) throws(TabularError) -> Int {
        if atEnd { return 0 }
        guard var transcoder, let raw else {
            let n = try readRaw(into: UnsafeMutableRawPointer(dest), count: min(room, chunkSize))
            if n == 0 { atEnd = true }
            return n
        }
        // UTF-16: each 2 input bytes give at most 3 output bytes.
        let rawCount = max(2, min(chunkSize, (room - 24) / 3 * 2))
        while true {
            let n = try readRaw(into: raw, count: rawCount)
            let out = transcoder.convert(UnsafeRawBufferPointer(start: raw, count: n), into: dest, final: n == 0)
            self.transcoder = transcoder
            if n == 0 { atEnd = true }
            if out > 0 || n == 0 { return out }
        }
    }

    private func readRaw(into dest: UnsafeMutableRawPointer, count: Int) throws(TabularError) -> Int {
        while true {
            let n = Foundation.read(fd, dest, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .cannotOpen(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// The first `count` bytes of the file, and whether that is the whole file.
    static func sample(path: String, count: Int) throws(TabularError) -> (bytes: [UInt8], complete: Bool) {
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { Foundation.close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotOpen(path: path, reason: "it is a folder, not a file")
        }
        var bytes = [UInt8](repeating: 0, count: count + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotOpen(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        let complete = filled <= count
        return (Array(bytes.prefix(min(filled, count))), complete)
    }
}
