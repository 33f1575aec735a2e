/// One entry of a ZIP archive, as its central directory describes it.
///
/// The central directory is the authority for sizes and CRC: local headers may leave
/// them zero (data descriptors), and ZIP64 extra fields widen them past 4 GB.
public struct ZIPEntry: Sendable, Equatable {
    /// The entry's name as stored (`xl/worksheets/sheet1.xml`).
    public var name: String
    /// 0 = stored, 8 = deflated; anything else is refused when read.
    public var method: UInt16
    /// General-purpose flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8 name).
    public var flags: UInt16
    /// CRC-32 of the uncompressed data.
    public var crc32: UInt32
    /// Bytes of compressed data in the archive.
    public var compressedSize: UInt64
    /// Bytes once inflated.
    public var uncompressedSize: UInt64
    /// Offset of the entry's local header in the file.
    public var localHeaderOffset: UInt64

    /// True for a folder entry (name ending with `/`), which holds no data.
    public var isDirectory: Bool { name.hasSuffix("/") }
    /// True when the entry is encrypted (we cannot read it).
    public var isEncrypted: Bool { flags & 1 != 0 }
}
