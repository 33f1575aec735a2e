import ContactModel

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
            combine(ByteTail.word(base, from: index, count: count))
        }
        combine(UInt64(count) | 0xA5 << 56)
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
