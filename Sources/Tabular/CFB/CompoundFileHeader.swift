/// The fixed header at the start of an OLE compound file (MS-CFB 2.2): sector sizes,
/// where the FAT, directory and mini FAT start, and the first 109 DIFAT entries.
struct CompoundFileHeader: Sendable {
    /// log2 of the sector size: 9 (512 bytes, version 3) or 12 (4096 bytes, version 4).
    var sectorShift: Int
    /// log2 of the mini sector size (always 6: 64 bytes).
    var miniSectorShift: Int
    var fatSectorCount: Int
    var firstDirectorySector: UInt32
    /// Streams smaller than this live in the mini stream.
    var miniStreamCutoff: Int
    var firstMiniFATSector: UInt32
    var miniFATSectorCount: Int
    var firstDIFATSector: UInt32
    var difatSectorCount: Int
    /// The DIFAT entries held in the header itself.
    var headerDIFAT: [UInt32]
    var majorVersion: Int

    var sectorSize: Int { 1 << sectorShift }

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Parses the first 512 bytes; returns a reason when they are not a usable header.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<CompoundFileHeader, CompoundFileFailure> {
        guard bytes.count >= 512 else { return .failure(.init("the file is shorter than a compound file header")) }
        for i in 0..<8 where bytes[i] != signature[i] {
            return .failure(.init("the compound file signature is missing"))
        }
        func u16(_ o: Int) -> Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self))) }
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        let major = u16(26)
        let shift = u16(30)
        guard shift == 9 || shift == 12 else {
            return .failure(.init("the sector size 2^\(shift) is not 512 or 4096 bytes"))
        }
        let miniShift = u16(32)
        guard miniShift == 6 else { return .failure(.init("the mini sector size 2^\(miniShift) is not 64 bytes")) }
        var difat: [UInt32] = []
        difat.reserveCapacity(109)
        for i in 0..<109 { difat.append(u32(76 + 4 * i)) }
        let cutoff = Int(u32(56))
        return .success(CompoundFileHeader(
            sectorShift: shift, miniSectorShift: miniShift, fatSectorCount: Int(u32(44)),
            firstDirectorySector: u32(48), miniStreamCutoff: cutoff == 0 ? 4096 : cutoff,
            firstMiniFATSector: u32(60), miniFATSectorCount: Int(u32(64)),
            firstDIFATSector: u32(68), difatSectorCount: Int(u32(72)), headerDIFAT: difat, majorVersion: major))
    }
}

/// A reason a compound file could not be read, before it is tied to a file path.
struct CompoundFileFailure: Error, Sendable {
    var detail: String
    init(_ detail: String) { self.detail = detail }
}

/// Special sector numbers of MS-CFB.
enum CompoundSector {
    static let maxRegular: UInt32 = 0xFFFF_FFFA
    static let difat: UInt32 = 0xFFFF_FFFC
    static let fat: UInt32 = 0xFFFF_FFFD
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let free: UInt32 = 0xFFFF_FFFF
}
