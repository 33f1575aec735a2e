/// The last bytes of a buffer hashed a word at a time (`RowDigestHasher`, and the store's
/// `StableHash`), as one word.
public enum ByteTail {
    /// The bytes from `index` to `count` (0–7 of them) as one little-endian word, read with
    /// at most two loads. The value is the one the bytes give when assembled one by one, so
    /// digests and fingerprints stored by earlier versions stay the same.
    @inlinable @inline(__always)
    public static func word(_ base: UnsafePointer<UInt8>, from index: Int, count: Int) -> UInt64 {
        let rest = count - index
        guard rest > 0 else { return 0 }
        let raw = UnsafeRawPointer(base)
        if count >= 8 {
            return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) >> UInt64(8 * (8 - rest))
        }
        if rest >= 4 {
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return low | high << UInt64(8 * (rest - 4))
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        for position in index..<count {
            tail |= UInt64(base[position]) << shift
            shift += 8
        }
        return tail
    }
}
