/// A 64-bit hash that is the same in every process and on every machine (Swift's `Hasher` is
/// seeded per process), used for the "merged values" fingerprint stored with each contact
/// and for the set of emails touched by an import.
struct StableHash {
    private(set) var state: UInt64

    init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        state = seed
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One multiply per word (the final `value` mixes thoroughly).
    @inline(__always)
    mutating func combine(_ word: UInt64) {
        let product = (state ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        state = product.high ^ product.low
    }

    mutating func combine(bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                combine(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            combine(Self.tail(base, from: index, count: count))
        }
        combine(UInt64(count) | 0xA5 << 56)
    }

    /// The last `count - index` (0–7) bytes as one little-endian word, read with at most two
    /// loads (byte by byte, short columns spent most of their hashing here). The value is the
    /// same as assembling the bytes one by one, so stored fingerprints do not change.
    @inline(__always)
    static func tail(_ base: UnsafePointer<UInt8>, from index: Int, count: Int) -> UInt64 {
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

    mutating func combine(_ string: String) {
        var string = string
        string.withUTF8 { combine(bytes: $0) }
    }

    var value: UInt64 { StableHash.mix(state) }

    /// The hash of one string, with a domain tag so equal strings in different fields differ.
    static func of(_ string: String, tag: UInt64) -> UInt64 {
        var hasher = StableHash(seed: tag)
        hasher.combine(string)
        return hasher.value
    }

    static func of(bytes: UnsafeBufferPointer<UInt8>, tag: UInt64) -> UInt64 {
        var hasher = StableHash(seed: tag)
        hasher.combine(bytes: bytes)
        return hasher.value
    }
}
