import Foundation

/// Recognises a password-protected XLSX: Excel wraps the encrypted package in an OLE
/// compound file whose directory holds a stream named "EncryptedPackage".
public enum XLSXEncryption {
    /// True when `path` is a compound file with an "EncryptedPackage" stream.
    ///
    /// Walks the directory sector chain through the FAT (header DIFAT, then DIFAT
    /// sectors), bounded so that a damaged file cannot loop; never throws.
    public static func isEncryptedPackage(path: String) -> Bool {
        guard let file = try? ZIPFile(path: path), file.size >= 512,
              let header = try? file.bytes(at: 0, count: 512, what: "the compound file header"),
              header.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) else { return false }
        let shift = Int(header.le16(0x1E))
        guard shift == 9 || shift == 12 else { return false }
        let sectorSize = 1 << shift
        let perSector = sectorSize / 4
        func sectorOffset(_ s: UInt32) -> UInt64 { (UInt64(s) + 1) << UInt64(shift) }
        func sector(_ s: UInt32) -> [UInt8]? {
            guard s < 0xFFFF_FFFA, sectorOffset(s) + UInt64(sectorSize) <= file.size else { return nil }
            return try? file.bytes(at: sectorOffset(s), count: sectorSize, what: "a compound file sector")
        }
        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        var difat: [UInt32] = (0..<109).map { header.le32(0x4C + $0 * 4) }
        var next = header.le32(0x44)
        var guardCount = 0
        while next < 0xFFFF_FFFA, guardCount < 4096, let s = sector(next) {
            difat += (0..<(perSector - 1)).map { s.le32($0 * 4) }
            next = s.le32((perSector - 1) * 4)
            guardCount += 1
        }
        let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        var directory = header.le32(0x30)
        var visited = 0
        while directory < 0xFFFF_FFFA, visited < 65_536, let s = sector(directory) {
            for entry in stride(from: 0, to: sectorSize, by: 128)
            where s.le16(entry + 64) == UInt16(name.count + 2) && Array(s[entry..<(entry + name.count)]) == name {
                return true
            }
            visited += 1
            let fatIndex = Int(directory) / perSector
            guard fatIndex < difat.count, let fat = sector(difat[fatIndex]) else { break }
            directory = fat.le32((Int(directory) % perSector) * 4)
        }
        return false
    }
}
