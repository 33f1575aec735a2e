import Testing
import ContactModel
@testable import ContactStore

/// Stored fingerprints must not change from one version to the next: the hash's word-wise
/// tail gives the value the bytes give one by one.
@Suite struct StableHashTests {
    /// The tail as the bytes give it one by one (little-endian).
    static func bytewiseTail(_ bytes: [UInt8], from index: Int) -> UInt64 {
        var tail: UInt64 = 0
        for (shift, byte) in bytes[index...].enumerated() { tail |= UInt64(byte) << UInt64(8 * shift) }
        return tail
    }

    @Test func theTailIsTheBytesInOrder() {
        var state: UInt64 = 0x1234_5678
        for count in 0...24 {
            let bytes: [UInt8] = (0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            // The hash only asks for the last 0–7 bytes after its whole words.
            let index = count - count % 8
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                #expect(ByteTail.word(base, from: index, count: count) == Self.bytewiseTail(bytes, from: index),
                        "\(count) bytes")
            }
        }
    }

    /// Known values, so a change of the hash shows (every stored fingerprint would change).
    @Test func valuesAreStable() {
        var expected: [UInt64] = []
        for text in ["a", "abcdefg", "abcdefgh", "abcdefghijklmno", "Sydney, Australia"] {
            expected.append(StableHash.of(text, tag: 7))
        }
        // Computed with the byte-by-byte tail before it was read in words.
        #expect(expected == Self.pinned)
    }

    static let pinned: [UInt64] = [0x1FB1_1E54_8145_837D, 0x8F36_444C_2BFD_340F, 0xA4C8_BBCC_325B_C022,
                                   0x3DF8_D5BA_A076_34A9, 0x33BC_657F_C414_3570]
}
