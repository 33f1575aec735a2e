import SysZlib
import Testing
@testable import Tabular

/// The folded CRC-32 against zlib's own, over lengths around every boundary the folding has
/// (64-byte steps, 16-byte lanes, the tail zlib finishes), odd alignments and chained calls.
@Suite struct ZIPCRCTests {
    /// zlib's CRC-32 of `bytes`, continuing `crc`.
    func zlibCRC(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32(UInt(crc), $0.baseAddress, uInt($0.count))) }
    }

    func foldedCRC(_ crc: UInt32, _ bytes: ArraySlice<UInt8>, accelerated: Bool = ZIPCRC.accelerated) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return crc }
            return ZIPCRC.update(crc, base, count: buffer.count, accelerated: accelerated)
        }
    }

    func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test func knownValues() {
        // The check value of CRC-32/ISO-HDLC, and a 1 MiB run of zeros and of 0xFF.
        let nine = Array("123456789".utf8)
        #expect(foldedCRC(0, nine[...]) == 0xCBF4_3926)
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(foldedCRC(0, zeros[...]) == zlibCRC(0, zeros[...]))
        let ones = [UInt8](repeating: 0xFF, count: (1 << 20) + 13)
        #expect(foldedCRC(0, ones[...]) == zlibCRC(0, ones[...]))
    }

    @Test func everyLengthAndAlignmentMatchesZlib() {
        let bytes = randomBytes(600, seed: 42)
        for offset in 0..<17 {
            for length in 0...(bytes.count - offset) {
                let slice = bytes[offset..<(offset + length)]
                let expected = zlibCRC(0, slice)
                #expect(foldedCRC(0, slice) == expected, "offset \(offset), length \(length)")
                #expect(foldedCRC(0x1234_5678, slice) == zlibCRC(0x1234_5678, slice))
            }
        }
    }

    @Test func chainedPiecesMatchOneCall() {
        let bytes = randomBytes(3 << 20, seed: 7)
        let whole = zlibCRC(0, bytes[...])
        var rng = SplitMix64(seed: 99)
        var crc: UInt32 = 0
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 0...300_000, using: &rng))
            crc = foldedCRC(crc, bytes[start..<end])
            start = end
        }
        #expect(crc == whole)
        #expect(foldedCRC(0, bytes[...], accelerated: false) == whole)
    }
}
