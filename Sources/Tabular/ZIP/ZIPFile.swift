import Foundation

/// An open file read with `pread`, shared by an archive and the entry streams it opens.
final class ZIPFile: @unchecked Sendable {
    // Immutable after init; pread is safe to call from any thread.
    let path: String
    let fd: Int32
    let size: UInt64

    init(path: String) throws(TabularError) {
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            Foundation.close(fd)
            throw .cannotOpen(path: path, reason: "it is a folder, not a file")
        }
        self.path = path
        self.fd = fd
        self.size = UInt64(max(0, st.st_size))
    }

    deinit { Foundation.close(fd) }

    /// Reads exactly `count` bytes at `offset` into `buffer`, or throws (a short read means truncation).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: UInt64, what: @autoclosure () -> String) throws(TabularError) {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 {
                throw .corrupt(TableLocation(path: path), detail: "the file ends early, inside \(what()); it is truncated")
            }
            done += n
        }
    }

    /// Reads `count` bytes at `offset` into a new array.
    func bytes(at offset: UInt64, count: Int, what: @autoclosure () -> String) throws(TabularError) -> [UInt8] {
        if count == 0 { return [] }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 1)
        defer { raw.deallocate() }
        try read(into: raw, count: count, at: offset, what: what())
        let out = [UInt8](UnsafeRawBufferPointer(start: raw, count: count))
        return out
    }
}

/// Little-endian field access on a byte array.
extension Array where Element == UInt8 {
    @inline(__always) func le16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    @inline(__always) func le32(_ i: Int) -> UInt32 { UInt32(le16(i)) | UInt32(le16(i + 2)) << 16 }
    @inline(__always) func le64(_ i: Int) -> UInt64 { UInt64(le32(i)) | UInt64(le32(i + 4)) << 32 }
}
