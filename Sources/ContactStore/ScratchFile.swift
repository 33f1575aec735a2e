#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only byte stream for an import's scratch data: kept in memory up to `spillBytes`,
/// then spilled to a file in the store folder that is unlinked as soon as it is created (a
/// crash or a dry run leaves nothing behind). Bytes are read back by offset.
final class ScratchFile {
    private let directory: String
    private let spillBytes: Int
    /// Bytes not written to the file yet; they follow the file's `fileBytes` bytes.
    private var buffer: [UInt8] = []
    private var fileDescriptor: Int32 = -1
    private var fileBytes = 0

    /// - Parameters:
    ///   - directory: where the file goes once the bytes outgrow memory.
    ///   - spillBytes: how many bytes to keep in memory before writing them out.
    init(directory: String, spillBytes: Int = 2 << 20) {
        self.directory = directory
        self.spillBytes = spillBytes
    }

    deinit {
        if fileDescriptor >= 0 { close(fileDescriptor) }
    }

    /// Bytes appended so far (the offset of the next byte).
    var count: Int { fileBytes + buffer.count }

    /// Appends bytes, copied at once (through a typed view: appending a raw buffer as a
    /// collection took it a byte at a time).
    func append(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        buffer.append(contentsOf: UnsafeBufferPointer(start: source.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        if buffer.count >= spillBytes { try spill() }
    }

    /// Keeps the buffer's capacity at what it can hold before a spill (plus one record), so it
    /// never doubles past the threshold.
    @inline(__always)
    private func reserve(_ extra: Int) {
        if buffer.count + extra > buffer.capacity {
            buffer.reserveCapacity(max(buffer.count + extra, min(spillBytes + 4096, max(4096, buffer.capacity * 2))))
        }
    }

    func append<Value: FixedWidthInteger>(_ value: Value) throws(StoreError) {
        var little = value.littleEndian
        try withUnsafeBytes(of: &little) { (raw) throws(StoreError) in try append(raw) }
    }

    /// Copies `count` bytes from `offset` into `destination`.
    func read(at offset: Int, count: Int, into destination: UnsafeMutableRawPointer) throws(StoreError) {
        try access(at: offset, count: count, failure: "it cannot be read back", file: { done, wanted in
            pread(fileDescriptor, destination + done, wanted, off_t(offset + done))
        }, memory: { done, start in
            buffer.withUnsafeBytes { raw in
                (destination + done).copyMemory(from: raw.baseAddress! + start, byteCount: count - done)
            }
        })
    }

    /// Replaces `count` bytes at `offset` (within what was written) with `source`'s.
    func overwrite(at offset: Int, from source: UnsafeRawPointer, count: Int) throws(StoreError) {
        try access(at: offset, count: count, failure: "it cannot be written", file: { done, wanted in
            pwrite(fileDescriptor, source + done, wanted, off_t(offset + done))
        }, memory: { done, start in
            buffer.withUnsafeMutableBytes { raw in
                (raw.baseAddress! + start).copyMemory(from: source + done, byteCount: count - done)
            }
        })
    }

    /// Reads or writes `count` bytes at `offset`: the part in the file with `file(done, wanted)`
    /// (a `pread` or `pwrite` returning its result, retried after an interruption), the rest in
    /// the buffer with `memory(done, bufferOffset)`.
    private func access(at offset: Int, count: Int, failure: String, file: (Int, Int) -> Int,
                        memory: (Int, Int) -> Void) throws(StoreError) {
        precondition(offset >= 0 && offset + count <= self.count, "scratch reads and writes stay within what was written")
        var done = 0
        while done < count, offset + done < fileBytes {
            let result = file(done, min(count - done, fileBytes - offset - done))
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                let why = result < 0 ? String(cString: strerror(errno)) : "it ends early"
                throw .scratchFile(directory: directory, reason: "\(failure) (\(why))")
            }
            done += result
        }
        if done < count { memory(done, offset + done - fileBytes) }
    }

    func readInteger<Value: FixedWidthInteger>(at offset: Int, as: Value.Type = Value.self) throws(StoreError) -> Value {
        var value = Value.zero
        try withUnsafeMutableBytes(of: &value) { (raw) throws(StoreError) in
            try read(at: offset, count: MemoryLayout<Value>.size, into: raw.baseAddress!)
        }
        return Value(littleEndian: value)
    }

    /// Writes the bytes still in memory out to the file, so that from now on reads and
    /// `overwrite`s touch only the file (several threads may then use disjoint ranges).
    func flush() throws(StoreError) {
        if !buffer.isEmpty { try spill() }
    }

    private func spill() throws(StoreError) {
        if fileDescriptor < 0 {
            var template = Array((directory + "/.import-scratch-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw .scratchFile(directory: directory, reason: "it cannot be created (\(String(cString: strerror(errno))))")
            }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            fileDescriptor = descriptor
        }
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in
                pwrite(fileDescriptor, raw.baseAddress! + written, raw.count - written, off_t(fileBytes + written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .scratchFile(directory: directory, reason: "it cannot be written (\(String(cString: strerror(errno))))")
            }
            written += result
        }
        fileBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
