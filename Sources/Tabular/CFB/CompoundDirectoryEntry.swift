/// One 128-byte entry of a compound file's directory (MS-CFB 2.6): a storage, a stream
/// or the root, with its place in the red-black tree of its siblings.
struct CompoundDirectoryEntry: Sendable {
    enum Kind: UInt8, Sendable {
        case unknown = 0
        case storage = 1
        case stream = 2
        case root = 5
    }

    var name: String
    var kind: Kind
    var left: UInt32
    var right: UInt32
    var child: UInt32
    var startSector: UInt32
    var size: UInt64

    static let noStream: UInt32 = 0xFFFF_FFFF

    /// Parses an entry; `isVersion3` drops the high half of the size, which version 3
    /// writers may leave uninitialised.
    init(_ bytes: UnsafeRawBufferPointer, isVersion3: Bool) {
        func u32(_ o: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
        let nameBytes = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 64, as: UInt16.self)))
        let units = max(0, min(32, nameBytes / 2) - 1)
        var utf16: [UInt16] = []
        utf16.reserveCapacity(units)
        for i in 0..<units {
            let u = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            if u == 0 { break }
            utf16.append(u)
        }
        name = String(decoding: utf16, as: UTF16.self)
        kind = Kind(rawValue: bytes[66]) ?? .unknown
        left = u32(68)
        right = u32(72)
        child = u32(76)
        startSector = u32(116)
        let low = UInt64(u32(120))
        let high = UInt64(u32(124))
        size = isVersion3 ? low : (high << 32 | low)
    }
}
