/// A stream of a compound file, read front to back (with seeks) straight from the file:
/// runs of consecutive sectors are fetched with one `pread` into the caller's buffer.
/// Streams below the mini stream cutoff (4 KiB) are held in memory.
final class CompoundStream {
    /// Length of the stream in bytes.
    let size: Int
    /// Where the next `read` starts.
    private(set) var position = 0

    private let file: CompoundFile
    private let sectors: [UInt32]
    private let memory: [UInt8]?

    init(file: CompoundFile, size: Int, sectors: [UInt32], memory: [UInt8]?) {
        self.file = file
        self.size = size
        self.sectors = sectors
        self.memory = memory
    }

    /// The file the stream belongs to.
    var path: String { file.path }

    /// Moves the read position (clamped to the stream).
    func seek(to offset: Int) { position = max(0, min(offset, size)) }

    /// Reads up to `count` bytes; returns how many were read (0 at the end of the stream).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(TabularError) -> Int {
        let wanted = min(count, size - position)
        guard wanted > 0 else { return 0 }
        if let memory {
            memory.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + position, byteCount: wanted) }
            position += wanted
            return wanted
        }
        let shift = file.header.sectorShift
        let sectorSize = 1 << shift
        var done = 0
        while done < wanted {
            let index = position >> shift
            let within = position & (sectorSize - 1)
            var run = 1
            var span = sectorSize - within
            while span < wanted - done, index + run < sectors.count, sectors[index + run] == sectors[index + run - 1] &+ 1 {
                run += 1
                span += sectorSize
            }
            let n = min(span, wanted - done)
            try file.read(at: file.offset(ofSector: sectors[index]) + within, into: buffer + done, count: n)
            done += n
            position += n
        }
        return done
    }
}
