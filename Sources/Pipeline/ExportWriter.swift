import Foundation
import CSHA256

/// The export's writing thread: hashes and writes filled buffers while the producers format
/// the next ones, and asks the kernel to start write-back every few MiB so the closing
/// `fsync` has little left.
///
/// Producers write through lanes: each lane has its own small pool of buffers (bounded
/// memory: a producer blocks when all of its buffers wait to be written) and its own queue.
/// The file is the lanes' chunks taken in turn: lane 0's first chunk, lane 1's first, ...
/// lane 0's second, and so on, a chunk ending with a buffer submitted with `endsChunk`. With
/// one lane (and no chunk ends) the file is simply the buffers in the order submitted.
final class ExportWriter: @unchecked Sendable {
    /// Size of each buffer handed between the threads.
    static let bufferSize = 1 << 20
    /// Start kernel write-back after this many bytes.
    static let writebackStride = 8 << 20

    private let fd: Int32
    private let path: String
    private let condition = NSCondition()
    // All below guarded by `condition`.
    private var free: [[UnsafeMutablePointer<UInt8>]] = []
    private var filled: [[(buffer: UnsafeMutablePointer<UInt8>, count: Int, endsChunk: Bool)]] = []
    /// The lane whose chunk is being written.
    private var turn = 0
    private var closed = false
    private var finished = false
    private var failure: PipelineError?
    private var allBuffers: [UnsafeMutablePointer<UInt8>] = []
    // Owned by the writer thread until `finished`.
    private var hasher = SHA256()
    private var written: Int64 = 0
    private var writebackFrom: Int64 = 0

    /// Starts the writer thread for `fd` with `lanes` lanes of `buffers` pooled buffers each
    /// (at least 2).
    init(fd: Int32, path: String, lanes: Int = 1, buffers: Int = 4) {
        self.fd = fd
        self.path = path
        for _ in 0..<max(1, lanes) {
            var pool: [UnsafeMutablePointer<UInt8>] = []
            for _ in 0..<max(2, buffers) {
                let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.bufferSize)
                allBuffers.append(buffer)
                pool.append(buffer)
            }
            free.append(pool)
            filled.append([])
        }
        let thread = Thread { [self] in self.loop() }
        thread.name = "export-writer"
        thread.start()
    }

    deinit {
        for buffer in allBuffers { buffer.deallocate() }
    }

    /// Takes an empty buffer from `lane`'s pool, waiting while all of them are in flight.
    func takeBuffer(lane: Int = 0) throws(PipelineError) -> UnsafeMutablePointer<UInt8> {
        condition.lock()
        defer { condition.unlock() }
        while free[lane].isEmpty && failure == nil { condition.wait() }
        if let failure { throw failure }
        return free[lane].removeLast()
    }

    /// Queues `count` bytes of `buffer` (from `takeBuffer(lane:)`) for hashing and writing;
    /// `endsChunk`: the buffer ends the lane's current chunk (it may then be empty).
    func submit(_ buffer: UnsafeMutablePointer<UInt8>, count: Int, lane: Int = 0, endsChunk: Bool = false) throws(PipelineError) {
        condition.lock()
        defer { condition.unlock() }
        if let failure {
            free[lane].append(buffer)
            throw failure
        }
        if count > 0 || endsChunk { filled[lane].append((buffer, count, endsChunk)) } else { free[lane].append(buffer) }
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
        for lane in filled.indices { filled[lane].removeAll() }
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        let lanes = filled.count
        while true {
            condition.lock()
            while filled[turn].isEmpty && !closed { condition.wait() }
            if filled[turn].isEmpty, failure == nil, let next = filled.indices.first(where: { !filled[$0].isEmpty }) {
                // Closed with a chunk left unended: write what there is rather than drop it.
                turn = next
            }
            if filled[turn].isEmpty || failure != nil {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let (buffer, count, endsChunk) = filled[turn].removeFirst()
            let lane = turn
            if endsChunk { turn = (turn + 1) % lanes }
            condition.unlock()
            let error = count > 0 ? write(UnsafeRawBufferPointer(start: buffer, count: count)) : nil
            condition.lock()
            free[lane].append(buffer)
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
