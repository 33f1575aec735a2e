#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContactModel
import Tabular

/// The (email, id) keys of the contacts an import creates (with the fingerprint and row digest
/// each was created with), kept as sorted runs (one per batch: a batch's new contacts are
/// created in email order) and merged into one email-ordered stream at commit, so
/// `contact_keys` is filled in key order, each of its pages written once.
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

    /// Adds a key (and the fingerprint and digest to store with it) to the current run; keys of
    /// a run must come in email (byte) order.
    func append(email: UnsafeRawBufferPointer, id: Int, fingerprint: UInt64 = 0, digest: KeyDigest? = nil) throws(StoreError) {
        KeyRecord.write(email: email, id: id, fingerprint: fingerprint, digest: digest, into: record)
        try scratch.append(record.bytes)
        count += 1
    }

    /// The key being appended (reused).
    private let record = ScratchRecord()

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
    /// - Parameters:
    ///   - mergeBudget: bytes of read buffers shared by the runs (tests make it tiny).
    ///   - onHelperThread: merge on a helper thread, handing keys over in chunks, so the
    ///     merge (~0.3 s for the 885,292 keys of the 1M-row bench file) overlaps `body`'s
    ///     SQLite inserts instead of adding to the end of the import.
    ///   - replacement: for some keys, the digest (and fingerprint) to hand over instead of
    ///     the ones appended (looked up on the helper thread when there is one).
    ///   - body: called with each key's email, id, fingerprint and digest.
    func forEachInOrder(mergeBudget: Int = SortedKeyRuns.mergeBudget, onHelperThread: Bool = false,
                        replacement: Replacement? = nil,
                        _ body: (UnsafeRawBufferPointer, Int, UInt64, KeyDigest?) throws(StoreError) -> Void) throws(StoreError) {
        endRun()
        guard onHelperThread, runs.count > 1 else {
            try merge(mergeBudget: mergeBudget) { (cursor) throws(StoreError) in
                var digest = cursor.digest
                var fingerprint = cursor.fingerprint
                if let replacement, case .replace(let other, let newer) = try replacement(cursor.id) {
                    digest = other
                    fingerprint = newer ?? fingerprint
                }
                try body(cursor.email, cursor.id, fingerprint, digest)
                return true
            }
            return
        }
        let merger = Merger(runs: self, mergeBudget: mergeBudget, replacement: replacement)
        try ChunkHandoff.run(depth: 4, name: "key-merge", produce: { (handoff, _) throws(StoreError) in
            try merger.run(into: handoff)
        }, consume: { (chunk) throws(StoreError) in
            let failure = chunk.withUnsafeBytes { (raw) -> StoreError? in
                var offset = 0
                while offset < raw.count {
                    let key = KeyRecord(raw, at: offset)
                    do throws(StoreError) { try body(key.email, key.id, key.fingerprint, key.digest) } catch { return error }
                    offset += key.length
                }
                return nil
            }
            if let failure { throw failure }
            chunk.removeAll(keepingCapacity: true)
        })
    }

    /// What to hand over with a key: what was appended, or another digest and (unless nil)
    /// another fingerprint.
    enum KeyChoice {
        case keep
        case replace(digest: KeyDigest?, fingerprint: UInt64?)
    }

    /// Chooses, for a contact id, what is handed over with its key (on the merging thread).
    typealias Replacement = @Sendable (Int) throws(StoreError) -> KeyChoice

    /// Bytes of keys per chunk handed from the merging thread.
    static let handoffChunk = 128 << 10

    /// The merge of `forEachInOrder(onHelperThread: true)`, run on the helper thread. The
    /// caller's thread waits in `forEachInOrder` meanwhile and touches neither the runs nor
    /// their scratch file, so sharing them is safe.
    private final class Merger: @unchecked Sendable {
        let runs: SortedKeyRuns
        let mergeBudget: Int
        let replacement: Replacement?
        /// A key rewritten with a replaced digest or fingerprint (reused).
        let rewritten = ScratchRecord()

        init(runs: SortedKeyRuns, mergeBudget: Int, replacement: Replacement?) {
            self.runs = runs
            self.mergeBudget = mergeBudget
            self.replacement = replacement
        }

        func run(into handoff: ProducerThread<[UInt8], StoreError>) throws(StoreError) {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(SortedKeyRuns.handoffChunk + 4096)
            let completed = try runs.merge(mergeBudget: mergeBudget) { (cursor) throws(StoreError) in
                if let replacement, case .replace(let digest, let fingerprint) = try replacement(cursor.id) {
                    KeyRecord.write(email: cursor.email, id: cursor.id, fingerprint: fingerprint ?? cursor.fingerprint,
                                    digest: digest, into: rewritten)
                    chunk.append(contentsOf: rewritten.bytes)
                } else {
                    chunk.append(contentsOf: cursor.record)
                }
                guard chunk.count >= SortedKeyRuns.handoffChunk else { return true }
                // false: the consumer has gone (its insert failed), so stop merging.
                guard handoff.put(chunk) else { return false }
                chunk = handoff.recycled() ?? []
                if chunk.capacity == 0 { chunk.reserveCapacity(SortedKeyRuns.handoffChunk + 4096) }
                return true
            }
            if completed && !chunk.isEmpty { _ = handoff.put(chunk) }
        }
    }

    /// Visits the runs' cursors in key order, each positioned on its current key, until
    /// `visit` returns false. Returns whether every key was visited.
    @discardableResult
    private func merge(mergeBudget: Int, _ visit: (RunCursor) throws(StoreError) -> Bool) throws(StoreError) -> Bool {
        // One cursor per run (a run per batch: ~430 for 1M rows), their read buffers within
        // `mergeBudget` together, so the merge's memory stays flat however long the file is.
        let chunkSize = min(Self.largestChunk, max(Self.smallestChunk, mergeBudget / max(1, runs.count)))
        var cursors: [RunCursor] = []
        for run in runs {
            let cursor = RunCursor(range: run, scratch: scratch, chunkSize: chunkSize)
            if try cursor.advance() { cursors.append(cursor) }
        }
        var heap = MinHeap(cursors)
        while let index = heap.top {
            let top = cursors[index]
            guard try visit(top) else { return false }
            if try top.advance() { heap.replaceTop(top) } else { heap.removeTop() }
        }
        return true
    }
}

/// One key as the runs store it: email length (UInt32), email, id (Int64), fingerprint
/// (UInt64), a digest flag byte (0 none, 1 one row's, 2 several rows'), then the digest's 16
/// bytes when there is one (all little-endian).
struct KeyRecord {
    var email: UnsafeRawBufferPointer
    var id: Int
    var fingerprint: UInt64
    var digest: KeyDigest?
    /// Bytes of the whole record.
    var length: Int

    /// Writes a key's record into `record` (emptied first).
    static func write(email: UnsafeRawBufferPointer, id: Int, fingerprint: UInt64, digest: KeyDigest?, into record: ScratchRecord) {
        record.removeAll()
        record.append(UInt32(email.count))
        record.append(email)
        record.append(Int64(id))
        record.append(fingerprint)
        record.append(digest)
    }

    /// Where the digest flag lies, from the record's start.
    static func flagOffset(emailCount: Int) -> Int {
        4 + emailCount + 16
    }

    /// The bytes a record takes, from its email length and digest flag.
    static func length(emailCount: Int, hasDigest: Bool) -> Int {
        flagOffset(emailCount: emailCount) + 1 + (hasDigest ? 16 : 0)
    }

    /// Reads the record at `offset` (the bytes must hold all of it).
    init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let flagAt = offset + Self.flagOffset(emailCount: count)
        let flag = bytes[flagAt]
        let hasDigest = flag != 0
        email = UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + count)])
        id = Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 + count, as: Int64.self)))
        fingerprint = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 + count + 8, as: UInt64.self))
        digest = hasDigest ? KeyDigest(value: RowDigest(
            high: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: flagAt + 1, as: UInt64.self)),
            low: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: flagAt + 9, as: UInt64.self))),
                                       severalRows: flag == 2) : nil
        length = Self.length(emailCount: count, hasDigest: hasDigest)
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
    private(set) var fingerprint: UInt64 = 0
    private(set) var digest: KeyDigest?
    /// The current key's whole record (as the run stores it).
    private(set) var record = UnsafeRawBufferPointer(start: nil, count: 0)
    /// `email`'s first bytes as a number (see `prefix(of:)`), compared before the bytes.
    private(set) var prefix: UInt64 = 0
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
        let emailCount = Int(UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: next - chunkStart, as: UInt32.self)))
        try ensure(KeyRecord.length(emailCount: emailCount, hasDigest: false))
        let hasDigest = chunk[next - chunkStart + KeyRecord.flagOffset(emailCount: emailCount)] != 0
        let length = KeyRecord.length(emailCount: emailCount, hasDigest: hasDigest)
        try ensure(length)
        let offset = next - chunkStart
        let key = KeyRecord(chunk, at: offset)
        email = key.email
        id = key.id
        fingerprint = key.fingerprint
        digest = key.digest
        record = UnsafeRawBufferPointer(rebasing: chunk[offset..<(offset + length)])
        prefix = Self.prefix(of: email)
        next += length
        return true
    }

    /// The email's first 8 bytes, big-endian and zero-padded: when two prefixes differ,
    /// they order the emails as their bytes do (equal ones say nothing).
    @inline(__always)
    private static func prefix(of email: UnsafeRawBufferPointer) -> UInt64 {
        if email.count >= 8 { return UInt64(bigEndian: email.loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for (index, byte) in email.enumerated() { value |= UInt64(byte) << UInt64(56 - 8 * index) }
        return value
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
/// It holds each cursor's current email and prefix beside the cursor's index, so ordering
/// touches no cursor object: comparing through the cursors retained and released them at
/// every step, a quarter of the commit's key merge.
private struct MinHeap {
    private struct Entry {
        var prefix: UInt64
        var email: UnsafeRawBufferPointer
        var cursor: Int
    }

    private var items: [Entry]

    init(_ cursors: [RunCursor]) {
        items = cursors.indices.map { Entry(prefix: cursors[$0].prefix, email: cursors[$0].email, cursor: $0) }
        var index = items.count / 2 - 1
        while index >= 0 {
            siftDown(index)
            index -= 1
        }
    }

    /// The index of the cursor with the least email.
    var top: Int? { items.first?.cursor }

    mutating func removeTop() {
        items.swapAt(0, items.count - 1)
        items.removeLast()
        if !items.isEmpty { siftDown(0) }
    }

    /// Re-orders the top cursor, which has moved on to `cursor`'s current key.
    mutating func replaceTop(_ cursor: RunCursor) {
        items[0].prefix = cursor.prefix
        items[0].email = cursor.email
        siftDown(0)
    }

    @inline(__always)
    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        let common = min(a.email.count, b.email.count)
        if common > 0 {
            let order = memcmp(a.email.baseAddress!, b.email.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.email.count < b.email.count
    }

    private mutating func siftDown(_ start: Int) {
        items.withUnsafeMutableBufferPointer { items in
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
}
