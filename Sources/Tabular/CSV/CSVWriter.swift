import Foundation

/// Writes RFC 4180 CSV (comma, `\n` records, quotes only where needed, `"` doubled),
/// byte-compatible with Python's `csv.writer` (QUOTE_MINIMAL, lineterminator `\n`).
/// Buffered; call `flush()` (or `close()`) at the end.
///
/// The buffer is raw memory filled through local copies of its state, one record at a
/// time, so writing a field costs no exclusivity checks or array bookkeeping.
public final class CSVWriter {
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// What errors call the output: its path, or "standard output".
    private let name: String
    private var storage: UnsafeMutablePointer<UInt8>
    private var storageCapacity: Int
    private var count = 0
    /// Buffered bytes that trigger a write.
    private let capacity = 1 << 20
    /// Line terminator, `\n` by default; exports may ask for `\r\n`.
    public var lineTerminator: [UInt8] = [0x0A]

    /// Writes to an open file descriptor (for example 1, standard output).
    public init(fileDescriptor: Int32) {
        self.fd = fileDescriptor
        self.ownsDescriptor = false
        name = fileDescriptor == 1 ? "standard output" : "file descriptor \(fileDescriptor)"
        self.storageCapacity = capacity + 4096
        self.storage = .allocate(capacity: storageCapacity)
    }

    /// Creates (or truncates) `path` and writes to it.
    public init(path: String) throws(TabularError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.ownsDescriptor = true
        name = path
        self.storageCapacity = capacity + 4096
        self.storage = .allocate(capacity: storageCapacity)
    }

    deinit {
        try? flush()
        if ownsDescriptor { Foundation.close(fd) }
        storage.deallocate()
    }

    /// Writes one record. (An array rather than any sequence: generic, it was not
    /// specialised for callers in other modules, and an errors-file row cost ~10,000
    /// instructions.)
    public func write(_ fields: [String]) throws(TabularError) {
        var n = count
        var p = storage
        var room = storageCapacity
        var first = true
        for field in fields {
            var s = field
            s.withUTF8 { bytes in
                let need = 2 * bytes.count + 3
                if room - n < need {
                    count = n
                    reserve(need)
                    p = storage
                    room = storageCapacity
                }
                if !first {
                    p[n] = 0x2C
                    n += 1
                }
                first = false
                n = Self.appendField(bytes, to: p, at: n)
            }
        }
        count = n
        appendTerminator()
        if count >= capacity { try flush() }
    }

    /// Writes one record; a record of a single empty field is written as `""`
    /// so that it is not mistaken for a blank line (as Python does).
    public func writeRow(_ fields: [String]) throws(TabularError) {
        if fields.count == 1 && fields[0].isEmpty {
            try writeRaw([0x22, 0x22])
            appendTerminator()
            if count >= capacity { try flush() }
            return
        }
        try write(fields)
    }

    /// The field at `start`, quoted when it holds a comma, a quote or a line break.
    @inline(__always)
    static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return start }
        if !needsQuoting(base, bytes.count) {
            (p + start).update(from: base, count: bytes.count)
            return start + bytes.count
        }
        var n = start
        p[n] = 0x22
        n += 1
        for b in bytes {
            p[n] = b
            n += 1
            if b == 0x22 {
                p[n] = 0x22
                n += 1
            }
        }
        p[n] = 0x22
        return n + 1
    }

    /// True when the bytes hold a comma, a quote, CR or LF. Eight bytes at a time: a byte
    /// equal to `c` is a zero byte of `word ^ c*0x01..01`, and `(x - 0x01..01) & ~x & 0x80..80`
    /// is non-zero exactly when `x` has a zero byte.
    @inline(__always)
    static func needsQuoting(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func has(_ w: UInt64, _ c: UInt64) -> UInt64 {
            let x = w ^ (ones &* c)
            return (x &- ones) & ~x & highs
        }
        var i = 0
        let raw = UnsafeRawPointer(base)
        while count - i >= 8 {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if has(w, 0x2C) | has(w, 0x22) | has(w, 0x0A) | has(w, 0x0D) != 0 { return true }
            i += 8
        }
        while i < count {
            let b = base[i]
            if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
            i += 1
        }
        return false
    }

    private func appendTerminator() {
        let terminator = lineTerminator
        terminator.withUnsafeBufferPointer { t in
            if storageCapacity - count < t.count { reserve(t.count) }
            if let base = t.baseAddress, t.count > 0 { (storage + count).update(from: base, count: t.count) }
            count += t.count
        }
    }

    /// Makes room for `extra` more bytes after `count`.
    private func reserve(_ extra: Int) {
        guard storageCapacity - count < extra else { return }
        let newCapacity = max(storageCapacity * 2, count + extra)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        storageCapacity = newCapacity
    }

    /// Writes a preformatted record body, `padding` more empty fields, and the terminator.
    public func writeEncoded(_ bytes: UnsafeRawBufferPointer, padding: Int) throws(TabularError) {
        reserve(bytes.count + padding + 2)
        if let base = bytes.baseAddress, bytes.count > 0 {
            (storage + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        count += bytes.count
        if padding > 0 {
            (storage + count).update(repeating: 0x2C, count: padding)
            count += padding
        }
        appendTerminator()
        if count >= capacity { try flush() }
    }

    /// Writes raw bytes (for a BOM or a preformatted line).
    public func writeRaw(_ bytes: [UInt8]) throws(TabularError) {
        bytes.withUnsafeBufferPointer { b in
            reserve(b.count)
            if let base = b.baseAddress, b.count > 0 { (storage + count).update(from: base, count: b.count) }
            count += b.count
        }
        if count >= capacity { try flush() }
    }

    /// Sends buffered bytes to the file.
    public func flush() throws(TabularError) {
        var offset = 0
        while offset < count {
            let n = Foundation.write(fd, storage + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                count = 0
                throw .cannotWrite(path: name, reason: reason)
            }
            offset += n
        }
        count = 0
        if storageCapacity > 4 * capacity {
            // A giant record grew the buffer: give the memory back.
            storage.deallocate()
            storageCapacity = capacity + 4096
            storage = .allocate(capacity: storageCapacity)
        }
    }

    /// Flushes and, when this writer opened the file, syncs it to disk.
    public func sync() throws(TabularError) {
        try flush()
        if ownsDescriptor && fsync(fd) != 0 {
            throw .cannotWrite(path: name, reason: String(cString: strerror(errno)))
        }
    }
}
