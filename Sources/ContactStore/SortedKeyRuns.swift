#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContactModel

/// The (email, id) keys of the contacts an import creates, kept as sorted runs (one per batch:
/// a batch's new contacts are created in email order) and merged into one email-ordered stream
/// at commit, so `contact_keys` is filled in key order, each of its pages written once.
///
/// The runs live in a `ScratchFile`, so a million keys cost the import a few megabytes of
/// memory rather than ~35 MB.
final class SortedKeyRuns {
    private let scratch: ScratchFile
    /// Byte ranges of the finished runs.
    private var runs: [Range<Int>] = []
    private var runStart = 0
    /// Keys recorded so far.
    private(set) var count = 0

    /// - Parameters:
    ///   - directory: where the scratch file goes (the store folder).
    ///   - spillBytes: how many bytes of keys to keep in memory.
    init(directory: String, spillBytes: Int = 2 << 20) {
        scratch = ScratchFile(directory: directory, spillBytes: spillBytes)
    }

    /// Adds a key (and the row digest to store with it) to the current run; keys of a run
    /// must come in email (byte) order.
    func append(email: UnsafeRawBufferPointer, id: Int, digest: RowDigest? = nil) throws(StoreError) {
        record.removeAll(keepingCapacity: true)
        record.appendLittleEndian(UInt32(email.count))
        record.append(contentsOf: email)
        record.appendLittleEndian(Int64(id))
        record.appendDigest(digest)
        try scratch.append(record)
        count += 1
    }

    /// The key being appended (reused).
    private var record: [UInt8] = []

    /// Bytes of read buffers the merge shares among its run cursors.
    static let mergeBudget = 2 << 20
    /// A cursor's read buffer: at most this (a few dozen keys per read)...
    static let largestChunk = 4 << 10
    /// ...and at least this (past ~4,000 runs, i.e. ~8M rows, the buffers grow again, 512
    /// bytes per run).
    static let smallestChunk = 512

    /// Ends the current run (an empty run is dropped).
    func endRun() {
        if scratch.count > runStart { runs.append(runStart..<scratch.count) }
        runStart = scratch.count
    }

    /// Calls `body` with every key of every run in email order (runs hold distinct emails).
    /// `mergeBudget`: bytes of read buffers shared by the runs (tests make it tiny).
    func forEachInOrder(mergeBudget: Int = SortedKeyRuns.mergeBudget,
                        _ body: (UnsafeRawBufferPointer, Int, RowDigest?) throws(StoreError) -> Void) throws(StoreError) {
        endRun()
        // One cursor per run (a run per batch: ~430 for 1M rows), their read buffers within
        // `mergeBudget` together, so the merge's memory stays flat however long the file is.
        let chunkSize = min(Self.largestChunk, max(Self.smallestChunk, mergeBudget / max(1, runs.count)))
        var cursors: [RunCursor] = []
        for run in runs {
            let cursor = RunCursor(range: run, scratch: scratch, chunkSize: chunkSize)
            if try cursor.advance() { cursors.append(cursor) }
        }
        var heap = MinHeap(cursors)
        while let top = heap.top {
            try body(top.email, top.id, top.digest)
            if try top.advance() { heap.siftDownTop() } else { heap.removeTop() }
        }
    }
}

/// Reads one run's keys in chunks.
private final class RunCursor {
    private var next: Int
    private let end: Int
    private let scratch: ScratchFile
    private var storage: UnsafeMutableRawBufferPointer
    /// The valid bytes of `storage`, which start at stream offset `chunkStart`.
    private var chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    private var chunkStart: Int
    private(set) var email = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var id = 0
    private(set) var digest: RowDigest?
    init(range: Range<Int>, scratch: ScratchFile, chunkSize: Int) {
        next = range.lowerBound
        end = range.upperBound
        chunkStart = range.lowerBound
        self.scratch = scratch
        storage = .allocate(byteCount: min(chunkSize, range.count), alignment: 8)
    }

    deinit {
        storage.deallocate()
    }

    /// Moves to the next key; false at the end of the run.
    func advance() throws(StoreError) -> Bool {
        guard next < end else { return false }
        try ensure(4)
        let length = Int(UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: next - chunkStart, as: UInt32.self)))
        try ensure(4 + length + 9)
        var offset = next - chunkStart
        let hasDigest = chunk[offset + 4 + length + 8] != 0
        if hasDigest {
            try ensure(4 + length + 9 + 16)
            offset = next - chunkStart
        }
        email = UnsafeRawBufferPointer(rebasing: chunk[(offset + 4)..<(offset + 4 + length)])
        id = Int(Int64(littleEndian: chunk.loadUnaligned(fromByteOffset: offset + 4 + length, as: Int64.self)))
        digest = hasDigest ? RowDigest(
            high: UInt64(littleEndian: chunk.loadUnaligned(fromByteOffset: offset + 4 + length + 9, as: UInt64.self)),
            low: UInt64(littleEndian: chunk.loadUnaligned(fromByteOffset: offset + 4 + length + 17, as: UInt64.self))) : nil
        next += 4 + length + 9 + (hasDigest ? 16 : 0)
        return true
    }

    /// Makes the `count` bytes at `next` available in `chunk`.
    private func ensure(_ count: Int) throws(StoreError) {
        guard next + count > chunkStart + chunk.count else { return }
        if count > storage.count {
            // A key longer than a chunk (the store itself takes emails of any length).
            storage.deallocate()
            storage = .allocate(byteCount: count, alignment: 8)
        }
        let wanted = min(storage.count, end - next)
        try scratch.read(at: next, count: wanted, into: storage.baseAddress!)
        chunk = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<wanted])
        chunkStart = next
    }
}

/// A binary min-heap of run cursors ordered by their current email (memcmp, then length).
private struct MinHeap {
    private var items: [RunCursor]

    init(_ items: [RunCursor]) {
        self.items = items
        var index = items.count / 2 - 1
        while index >= 0 {
            siftDown(index)
            index -= 1
        }
    }

    var top: RunCursor? { items.first }

    mutating func removeTop() {
        items.swapAt(0, items.count - 1)
        items.removeLast()
        if !items.isEmpty { siftDown(0) }
    }

    mutating func siftDownTop() { siftDown(0) }

    private static func less(_ a: RunCursor, _ b: RunCursor) -> Bool {
        let common = min(a.email.count, b.email.count)
        if common > 0 {
            let order = memcmp(a.email.baseAddress!, b.email.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.email.count < b.email.count
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { return }
            var smallest = left
            if left + 1 < items.count, Self.less(items[left + 1], items[left]) { smallest = left + 1 }
            guard Self.less(items[smallest], items[parent]) else { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
