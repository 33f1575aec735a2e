import SysZlib

/// One ZIP entry inflated as a stream of chunks (raw inflate, 1 MiB at a time),
/// read with `pread` from the archive, with the CRC-32 and size checked at the end.
///
/// Memory is two fixed buffers whatever the entry's size. The output counts against
/// the archive's limits: total inflated bytes and the inflate ratio (zip bombs).
public final class ZIPEntryStream: @unchecked Sendable {
    // Used by one thread at a time (the reader, or a helper thread it hands off to).
    /// Where errors are reported (the file, and the sheet when known).
    public var location: TableLocation
    public let entry: ZIPEntry
    private let file: ZIPFile
    private let limits: ZIPLimits
    private let budget: ZIPInflateBudget
    private let chunk: Int
    private let input: UnsafeMutablePointer<UInt8>
    private let output: UnsafeMutablePointer<UInt8>
    private let z: UnsafeMutablePointer<z_stream>
    private var zOpen = false
    private var filePosition: UInt64
    private var compressedLeft: UInt64
    private var consumed: UInt64 = 0
    private var produced: UInt64 = 0
    private var crc: UInt32 = 0
    private var streamEnded = false
    private var finished = false

    init(file: ZIPFile, entry: ZIPEntry, limits: ZIPLimits, budget: ZIPInflateBudget, location: TableLocation) throws(TabularError) {
        self.file = file
        self.entry = entry
        self.limits = limits
        self.budget = budget
        self.location = location
        self.chunk = max(4096, limits.chunkSize)
        precondition(limits.chunkSize >= 4096, "ZIPLimits.chunkSize must be at least 4 KiB")
        let name = entry.name
        guard !entry.isEncrypted else {
            throw .passwordProtected(path: file.path)
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw .corrupt(location, detail: "the part \(name) uses ZIP compression method \(entry.method), which is not supported (only stored and deflated are)")
        }
        if entry.uncompressedSize > limits.ratioGrace,
           entry.uncompressedSize / max(entry.compressedSize, 1) > limits.maxRatio {
            throw .limitExceeded(location, detail: "the part \(name) claims to unpack \(entry.compressedSize) bytes into \(entry.uncompressedSize) (a zip bomb)")
        }
        // The local header: fixed 30 bytes, then its own name and extra lengths.
        guard entry.localHeaderOffset <= file.size, file.size - entry.localHeaderOffset >= 30 else {
            throw .corrupt(location, detail: "the part \(name) starts past the end of the file; it is truncated")
        }
        let header = try file.bytes(at: entry.localHeaderOffset, count: 30, what: "the header of \(name)")
        guard header.le32(0) == 0x0403_4B50 else {
            throw .corrupt(location, detail: "the local header of \(name) is missing or damaged")
        }
        let dataStart = entry.localHeaderOffset + 30 + UInt64(header.le16(26)) + UInt64(header.le16(28))
        guard dataStart <= file.size, file.size - dataStart >= entry.compressedSize else {
            throw .corrupt(location, detail: "the data of \(name) runs past the end of the file; it is truncated")
        }
        if entry.method == 0, entry.compressedSize != entry.uncompressedSize {
            throw .corrupt(location, detail: "the stored part \(name) has different packed and unpacked sizes")
        }
        filePosition = dataStart
        compressedLeft = entry.compressedSize
        input = .allocate(capacity: chunk)
        output = .allocate(capacity: chunk)
        z = .allocate(capacity: 1)
        z.initialize(to: z_stream())
        if entry.method == 8 {
            guard syszlib_inflate_init_raw(z) == Z_OK else {
                throw .cannotOpen(path: file.path, reason: "zlib could not start inflating \(name)")
            }
            zOpen = true
        }
    }

    deinit {
        if zOpen { inflateEnd(z) }
        z.deinitialize(count: 1)
        z.deallocate()
        input.deallocate()
        output.deallocate()
    }

    /// The next chunk of inflated bytes (valid until the next call), or nil at the end
    /// of the entry once its size and CRC-32 have been checked.
    public func next() throws(TabularError) -> UnsafeRawBufferPointer? {
        let n = try next(into: output)
        return n == 0 ? nil : UnsafeRawBufferPointer(start: output, count: n)
    }

    /// The bytes in a chunk, the most `next(into:)` writes.
    public var chunkSize: Int { chunk }

    /// Inflates the next chunk into `buffer` (room for `chunkSize` bytes), so that a caller
    /// with buffers of its own gets the bytes without a copy; returns how many, 0 at the end
    /// of the entry once its size and CRC-32 have been checked.
    public func next(into buffer: UnsafeMutablePointer<UInt8>) throws(TabularError) -> Int {
        if finished { return 0 }
        let n = entry.method == 0 ? try nextStored(into: buffer) : try nextInflated(into: buffer)
        if n == 0 {
            try finish()
            return 0
        }
        crc = ZIPCRC.update(crc, buffer, count: n)
        produced += UInt64(n)
        if produced > entry.uncompressedSize {
            throw .corrupt(location, detail: "the part \(entry.name) unpacks to more than its declared \(entry.uncompressedSize) bytes")
        }
        if !budget.spend(UInt64(n)) {
            throw .limitExceeded(location, detail: "the workbook unpacks to more than \(budget.limit >> 30) GB")
        }
        if produced > limits.ratioGrace, produced / max(consumed, 1) > limits.maxRatio {
            throw .limitExceeded(location, detail: "the part \(entry.name) unpacks more than \(limits.maxRatio) times its packed size (a zip bomb)")
        }
        return n
    }

    private func nextStored(into output: UnsafeMutablePointer<UInt8>) throws(TabularError) -> Int {
        let n = Int(min(UInt64(chunk), compressedLeft))
        if n == 0 { return 0 }
        try file.read(into: output, count: n, at: filePosition, what: "the part \(entry.name)")
        filePosition += UInt64(n)
        compressedLeft -= UInt64(n)
        consumed += UInt64(n)
        return n
    }

    private func nextInflated(into output: UnsafeMutablePointer<UInt8>) throws(TabularError) -> Int {
        if streamEnded { return 0 }
        z.pointee.next_out = output
        z.pointee.avail_out = uInt(chunk)
        while z.pointee.avail_out > 0 {
            if z.pointee.avail_in == 0 {
                if compressedLeft == 0 {
                    if z.pointee.avail_out < uInt(chunk) { break }
                    throw .corrupt(location, detail: "the compressed data of \(entry.name) ends early; the file is truncated")
                }
                let n = Int(min(UInt64(chunk), compressedLeft))
                try file.read(into: input, count: n, at: filePosition, what: "the part \(entry.name)")
                filePosition += UInt64(n)
                compressedLeft -= UInt64(n)
                consumed += UInt64(n)
                z.pointee.next_in = input
                z.pointee.avail_in = uInt(n)
            }
            let status = inflate(z, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                streamEnded = true
                break
            }
            if status == Z_BUF_ERROR, z.pointee.avail_in == 0 { continue }
            guard status == Z_OK else {
                let message = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corrupt(location, detail: "the compressed data of \(entry.name) is damaged (\(message))")
            }
        }
        return chunk - Int(z.pointee.avail_out)
    }

    private func finish() throws(TabularError) {
        finished = true
        guard produced == entry.uncompressedSize else {
            throw .corrupt(location, detail: "the part \(entry.name) unpacks to \(produced) bytes instead of the \(entry.uncompressedSize) its directory declares")
        }
        guard crc == entry.crc32 else {
            throw .corrupt(location, detail: "the part \(entry.name) fails its CRC-32 check")
        }
    }
}
