/// Safety limits for reading a ZIP archive, so that a hostile file (a zip bomb, a
/// gigantic central directory) is refused with a clear error instead of eating the machine.
public struct ZIPLimits: Sendable, Equatable {
    /// Total bytes all entries of one archive may inflate to.
    public var maxTotalInflated: UInt64 = 16 << 30
    /// Largest inflated-to-compressed ratio tolerated once `ratioGrace` bytes have come out.
    /// Deflate cannot exceed about 1032:1, so a real file sits far below 1000:1.
    public var maxRatio: UInt64 = 1000
    /// Bytes an entry may inflate before the ratio is enforced.
    public var ratioGrace: UInt64 = 8 << 20
    /// Largest central directory read into memory.
    public var maxCentralDirectoryBytes: UInt64 = 256 << 20
    /// Entries at least this big are inflated on a helper thread by `ZIPArchive.chunks`
    /// (when there is a second core); `UInt64.max` keeps everything on the caller's thread.
    public var prefetchThreshold: UInt64 = 4 << 20
    /// Size of the read and inflate buffers.
    public var chunkSize: Int = 1 << 20

    /// The default limits: 16 GB in total, 1000:1 after the first 8 MB, 1 MiB chunks.
    public init() {}
}
