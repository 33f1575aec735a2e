/// A growable byte buffer reused row after row: strings are copied in, then bound or handed out
/// as pointers once the row is complete (the buffer only moves while appending).
///
/// Its state lives behind an unsafe pointer rather than in stored `var`s, so the hot append
/// paths pay no dynamic exclusivity check per byte.
final class ByteArena {
    private struct Header {
        var base: UnsafeMutablePointer<UInt8>
        var count: Int
        var capacity: Int
    }

    private let header: UnsafeMutablePointer<Header>

    init(capacity: Int = 4096) {
        header = .allocate(capacity: 1)
        header.initialize(to: Header(base: .allocate(capacity: capacity), count: 0, capacity: capacity))
    }

    deinit {
        header.pointee.base.deallocate()
        header.deallocate()
    }

    var base: UnsafeMutablePointer<UInt8> { header.pointee.base }
    var count: Int { header.pointee.count }

    /// Forgets everything after `count` bytes (for scratch use after a mark).
    func truncate(to count: Int) {
        header.pointee.count = min(count, header.pointee.count)
    }

    @inline(__always)
    func removeAll() {
        header.pointee.count = 0
    }

    private func grow(to needed: Int) {
        var newCapacity = header.pointee.capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: header.pointee.base, count: header.pointee.count)
        header.pointee.base.deallocate()
        header.pointee.base = newBase
        header.pointee.capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        let count = header.pointee.count
        if count + 1 > header.pointee.capacity { grow(to: count + 1) }
        header.pointee.base[count] = byte
        header.pointee.count = count + 1
    }

    /// Appends bytes and returns where they landed.
    @inline(__always) @discardableResult
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let count = header.pointee.count
        guard let source = bytes.baseAddress, bytes.count > 0 else { return count..<count }
        if count + bytes.count > header.pointee.capacity { grow(to: count + bytes.count) }
        (header.pointee.base + count).update(from: source, count: bytes.count)
        header.pointee.count = count + bytes.count
        return count..<count + bytes.count
    }

    /// Makes room for `extra` more bytes and returns where they go; call `didWrite` after.
    @inline(__always)
    func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        let count = header.pointee.count
        if count + extra > header.pointee.capacity { grow(to: count + extra) }
        return header.pointee.base + count
    }

    @inline(__always)
    func didWrite(_ written: Int) {
        header.pointee.count += written
    }

    func append(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends a string's UTF-8 and returns where it landed.
    @discardableResult
    func append(_ string: String) -> Range<Int> {
        var string = string
        return string.withUTF8 { append($0) }
    }

    /// The bytes of `range`; valid until the next append.
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: header.pointee.base + range.lowerBound, count: range.count)
    }

    func bufferPointer(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: header.pointee.base + range.lowerBound, count: range.count)
    }
}
