import CZipCRC
import SysZlib

/// CRC-32 as ZIP checks it (zlib's `crc32` convention), on the CPU's carry-less multiply when
/// it has one: inflating a sheet spent a quarter of its instructions on zlib's table CRC.
enum ZIPCRC {
    /// Whether this CPU folds with carry-less multiplication (else zlib does it all).
    static let accelerated = czipcrc_has_accel() != 0

    /// `crc` advanced over `count` bytes at `bytes` (0 to start).
    static func update(_ crc: UInt32, _ bytes: UnsafePointer<UInt8>, count: Int, accelerated: Bool = accelerated) -> UInt32 {
        var crc = crc
        var start = 0
        if accelerated, count >= 64 {
            start = count & ~15
            crc = ~czipcrc_fold(~crc, bytes, start)
        }
        guard start < count else { return crc }
        return UInt32(truncatingIfNeeded: crc32(UInt(crc), bytes + start, uInt(count - start)))
    }
}
