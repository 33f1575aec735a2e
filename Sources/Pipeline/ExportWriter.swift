import Foundation
import CSHA256

/// The export's second thread: hashes and writes filled buffers while the producer formats
/// the next ones, and asks the kernel to start write-back every few MiB so the closing
/// `fsync` has little left. Buffers come from a small fixed pool (bounded memory): the
/// producer blocks when all of them are waiting to be written.
final class ExportWriter: @unchecked Sendable {
    /// Size of each buffer handed between the threads.
    static let bufferSize = 1 << 20
    /// Start kernel write-back after this many bytes.
    static let writebackStride = 8 << 20

    private let fd: Int32
    private let path: String
    private let condition = NSCondition()
    // All below guarded by `condition`.
    private var free: [UnsafeMutablePointer<UInt8>] = []
    private var filled: [(UnsafeMutablePointer<UInt8>, Int)] = []
    private var closed = false
    private var finished = false
    private var failure: PipelineError?
    private var allBuffers: [UnsafeMutablePointer<UInt8>] = []
    // Owned by the writer thread until `finished`.
    private var hasher = SHA256()
    private var written: Int64 = 0
    private var writebackFrom: Int64 = 0

    /// Starts the writer thread for `fd` with `buffers` pooled buffers (at least 2).
    init(fd: Int32, path: String, buffers: Int = 4) {
        self.fd = fd
        self.path = path
        for _ in 0..<max(2, buffers) {
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.bufferSize)
            allBuffers.append(buffer)
            free.append(buffer)
        }
        let thread = Thread { [self] in self.loop() }
        thread.name = "export-writer"
        thread.start()
    }

    deinit {
        for buffer in allBuffers { buffer.deallocate() }
    }

    /// Takes an empty buffer from the pool, waiting while all are in flight.
    func takeBuffer() throws(PipelineError) -> UnsafeMutablePointer<UInt8> {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && failure == nil { condition.wait() }
        if let failure { throw failure }
        return free.removeLast()
    }

    /// Queues `count` bytes of `buffer` (from `takeBuffer`) for hashing and writing.
    func submit(_ buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(PipelineError) {
        condition.lock()
        defer { condition.unlock() }
        if let failure {
            free.append(buffer)
            throw failure
        }
        if count > 0 { filled.append((buffer, count)) } else { free.append(buffer) }
        condition.broadcast()
    }

    /// Waits until everything queued is written; returns the SHA-256 (hex) of all bytes.
    /// Call once, after the last `submit`.
    func finish() throws(PipelineError) -> String {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return hasher.finalizeHex()
    }

    /// Stops the writer without waiting for a clean end (after a producer failure).
    func abandon() {
        condition.lock()
        closed = true
        if failure == nil { failure = .io(path: path, action: "write", reason: "export abandoned") }
        filled.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while filled.isEmpty && !closed { condition.wait() }
            if filled.isEmpty || failure != nil {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let (buffer, count) = filled.removeFirst()
            condition.unlock()
            let error = write(UnsafeRawBufferPointer(start: buffer, count: count))
            condition.lock()
            free.append(buffer)
            if let error, failure == nil { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) -> PipelineError? {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return .io(path: path, action: "write", reason: String(cString: strerror(errno)))
            }
            offset += n
        }
        written += Int64(bytes.count)
        if written - writebackFrom >= Int64(Self.writebackStride) {
            // Only a hint: failure here is not an error (the fsync still runs and reports).
            _ = csha256_start_writeback(fd, writebackFrom, written - writebackFrom)
            writebackFrom = written
        }
        return nil
    }
}
