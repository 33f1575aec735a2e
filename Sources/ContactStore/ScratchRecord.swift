import ContactModel

/// One scratch record (`SortedKeyRuns`, `PendingChanges`) being built, in a buffer reused from
/// record to record: integers little-endian, an optional row digest as a flag byte and, when
/// present, its two words. Written in place: appending each piece to an array cost ~100
/// instructions a piece, ~1,000 per key and ~4,000 per waiting row, on the store's thread.
final class ScratchRecord {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int = 512) {
        self.capacity = max(16, capacity)
        base = .allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit {
        base.deallocate()
    }

    /// The record so far (valid until the next change).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() {
        count = 0
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(count + extra, 2 * capacity)
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        bigger.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = bigger
    }

    @inline(__always)
    func append<Value: FixedWidthInteger>(_ value: Value) {
        reserve(MemoryLayout<Value>.size)
        base.storeBytes(of: value.littleEndian, toByteOffset: count, as: Value.self)
        count += MemoryLayout<Value>.size
    }

    /// Replaces the integer written at `offset` (a length known once the rest is written).
    func set<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= count, "within the record")
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Value.self)
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func append(_ digest: RowDigest?) {
        append(digest.map { KeyDigest(value: $0, severalRows: false) })
    }

    /// A key's digest: the flag byte is 2 when it covers several rows.
    func append(_ digest: KeyDigest?) {
        guard let digest else {
            append(UInt8(0))
            return
        }
        append(UInt8(digest.severalRows ? 2 : 1))
        append(digest.value.high)
        append(digest.value.low)
    }
}
