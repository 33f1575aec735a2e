import Foundation

/// An OLE compound file (MS-CFB) opened for reading: the header, the FAT (found through
/// the DIFAT), the mini FAT and the directory are read at open; stream data is read on
/// demand with `pread`, so a big stream never has to sit in memory.
///
/// Every damaged structure (a sector number past the end of the file, a chain that loops,
/// a stream larger than the file) ends in `TabularError.corrupt`, never a hang or crash.
final class CompoundFile {
    /// The file as the user named it.
    let path: String
    let header: CompoundFileHeader
    let fileSize: Int
    /// The directory, in file order; entry 0 is the root.
    let entries: [CompoundDirectoryEntry]
    /// Indexes of the entries directly under the root storage.
    let topLevel: [Int]

    private let fd: Int32
    private let fat: [UInt32]
    private let miniFAT: [UInt32]
    /// Sectors of the mini stream container (the root entry's stream).
    private let miniContainer: [UInt32]
    /// Number of whole or partial sectors the file holds after its header.
    private let sectorCount: Int

    /// Opens `path` and reads the compound file's tables.
    init(path: String) throws(TabularError) {
        self.path = path
        let fd = Foundation.open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        self.fd = fd
        self.fileSize = Int(st.st_size)
        // From here on `deinit` closes the descriptor, once every stored property is set.
        var headerBytes = [UInt8](repeating: 0, count: 512)
        let got = headerBytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 0) }
        let parsed = headerBytes.withUnsafeBytes { CompoundFileHeader.parse($0) }
        let location = TableLocation(path: path)
        guard got == 512, case .success(let header) = parsed else {
            Foundation.close(fd)
            if got != 512 { throw .corrupt(location, detail: "the file is shorter than a compound file header (it was probably cut off)") }
            if case .failure(let f) = parsed { throw .corrupt(location, detail: f.detail) }
            throw .corrupt(location, detail: "unreadable compound file header")
        }
        self.header = header
        let sectorSize = header.sectorSize
        let sectors = max(0, (fileSize - sectorSize + sectorSize - 1) / sectorSize)
        self.sectorCount = sectors
        do throws(CompoundFileFailure) {
            let fat = try Self.loadFAT(fd: fd, header: header, sectorCount: sectors)
            self.fat = fat
            // Directory.
            let dirChain = try Self.chain(start: header.firstDirectorySector, table: fat, validCount: min(fat.count, sectors),
                                          expected: nil, what: "directory").get()
            guard !dirChain.isEmpty else { throw CompoundFileFailure("the directory is missing") }
            var dirBytes = [UInt8](repeating: 0, count: dirChain.count * sectorSize)
            try Self.fill(&dirBytes) { (base) throws(CompoundFileFailure) in
                for (i, s) in dirChain.enumerated() {
                    try Self.readExactly(fd: fd, offset: (Int(s) + 1) << header.sectorShift,
                                         into: base + i * sectorSize, count: sectorSize)
                }
            }
            let isV3 = header.sectorShift == 9
            var entries: [CompoundDirectoryEntry] = []
            entries.reserveCapacity(dirBytes.count / 128)
            dirBytes.withUnsafeBytes { buf in
                for i in 0..<(buf.count / 128) {
                    entries.append(CompoundDirectoryEntry(UnsafeRawBufferPointer(rebasing: buf[(i * 128)..<(i * 128 + 128)]), isVersion3: isV3))
                }
            }
            guard let root = entries.first, root.kind == .root else { throw CompoundFileFailure("the root directory entry is missing") }
            self.entries = entries
            self.topLevel = Self.children(of: 0, in: entries)
            // Mini stream container and mini FAT.
            guard root.size <= UInt64(fileSize) else { throw CompoundFileFailure("the mini stream claims more bytes than the file holds") }
            let containerSectors = (Int(root.size) + sectorSize - 1) / sectorSize
            self.miniContainer = containerSectors == 0 ? [] :
                try Self.chain(start: root.startSector, table: fat, validCount: min(fat.count, sectors),
                               expected: containerSectors, what: "mini stream").get()
            if header.miniFATSectorCount > 0 && header.firstMiniFATSector != CompoundSector.endOfChain {
                let miniChain = try Self.chain(start: header.firstMiniFATSector, table: fat, validCount: min(fat.count, sectors),
                                               expected: nil, what: "mini FAT").get()
                self.miniFAT = try Self.readTable(fd: fd, sectors: miniChain, shift: header.sectorShift)
            } else {
                self.miniFAT = []
            }
        } catch {
            Foundation.close(fd)
            throw .corrupt(location, detail: error.detail)
        }
    }

    deinit { Foundation.close(fd) }

    /// The stream called `name` (compared case-insensitively), looked up first among the
    /// root's children and then anywhere in the directory.
    func streamEntry(named name: String) -> CompoundDirectoryEntry? {
        let wanted = name.lowercased()
        for i in topLevel where entries[i].kind == .stream && entries[i].name.lowercased() == wanted { return entries[i] }
        return entries.first { $0.kind == .stream && $0.name.lowercased() == wanted }
    }

    /// Opens a stream for sequential reading.
    func open(_ entry: CompoundDirectoryEntry) throws(TabularError) -> CompoundStream {
        let location = TableLocation(path: path)
        guard entry.size <= UInt64(fileSize) else {
            throw .corrupt(location, detail: "the \"\(entry.name)\" stream claims \(entry.size) bytes, more than the whole file")
        }
        let size = Int(entry.size)
        do throws(CompoundFileFailure) {
            if size < header.miniStreamCutoff {
                return CompoundStream(file: self, size: size, sectors: [], memory: try readMiniStream(entry, size: size))
            }
            let count = (size + header.sectorSize - 1) / header.sectorSize
            let sectors = try Self.chain(start: entry.startSector, table: fat, validCount: min(fat.count, sectorCount),
                                         expected: count, what: "\"\(entry.name)\" stream").get()
            return CompoundStream(file: self, size: size, sectors: sectors, memory: nil)
        } catch {
            throw .corrupt(location, detail: error.detail)
        }
    }

    /// Reads exactly `count` bytes at `offset`, or fails saying the file was cut short.
    func read(at offset: Int, into buffer: UnsafeMutableRawPointer, count: Int) throws(TabularError) {
        do throws(CompoundFileFailure) {
            try Self.readExactly(fd: fd, offset: offset, into: buffer, count: count)
        } catch {
            throw .corrupt(TableLocation(path: path), detail: error.detail)
        }
    }

    /// File offset of a regular sector.
    @inline(__always)
    func offset(ofSector sector: UInt32) -> Int { (Int(sector) + 1) << header.sectorShift }

    // MARK: - Private

    private func readMiniStream(_ entry: CompoundDirectoryEntry, size: Int) throws(CompoundFileFailure) -> [UInt8] {
        guard size > 0 else { return [] }
        let miniSize = 1 << header.miniSectorShift
        let count = (size + miniSize - 1) / miniSize
        let containerBytes = miniContainer.count * header.sectorSize
        let chain = try Self.chain(start: entry.startSector, table: miniFAT, validCount: min(miniFAT.count, containerBytes / miniSize),
                                   expected: count, what: "\"\(entry.name)\" stream (in the mini stream)").get()
        var out = [UInt8](repeating: 0, count: size)
        try Self.fill(&out) { (base) throws(CompoundFileFailure) in
            for (i, m) in chain.enumerated() {
                let inContainer = Int(m) * miniSize
                let sector = miniContainer[inContainer >> header.sectorShift]
                let off = ((Int(sector) + 1) << header.sectorShift) + (inContainer & (header.sectorSize - 1))
                let n = min(miniSize, size - i * miniSize)
                try Self.readExactly(fd: fd, offset: off, into: base + i * miniSize, count: n)
            }
        }
        return out
    }

    private static func readExactly(fd: Int32, offset: Int, into buffer: UnsafeMutableRawPointer, count: Int) throws(CompoundFileFailure) {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw CompoundFileFailure("reading failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw CompoundFileFailure("the file ends early (it was probably cut off while copying)") }
            done += n
        }
    }

    /// Reads the FAT sectors listed by the header's DIFAT and the DIFAT sector chain.
    private static func loadFAT(fd: Int32, header: CompoundFileHeader, sectorCount: Int) throws(CompoundFileFailure) -> [UInt32] {
        let count = header.fatSectorCount
        guard count > 0 else { throw CompoundFileFailure("the file allocation table is empty") }
        guard count <= sectorCount else {
            throw CompoundFileFailure("the header lists \(count) allocation table sectors, more than the file holds")
        }
        var fatSectors = Array(header.headerDIFAT.prefix(min(109, count)))
        var next = header.firstDIFATSector
        let perSector = header.sectorSize / 4 - 1
        var seen = SectorSet(count: sectorCount)
        var block = [UInt8](repeating: 0, count: header.sectorSize)
        while fatSectors.count < count {
            guard next < CompoundSector.maxRegular else {
                throw CompoundFileFailure("the DIFAT chain ends before listing all \(count) allocation table sectors")
            }
            guard Int(next) < sectorCount else { throw CompoundFileFailure("DIFAT sector \(next) lies past the end of the file") }
            guard seen.insert(next) else { throw CompoundFileFailure("the DIFAT chain loops back on itself") }
            let at = (Int(next) + 1) << header.sectorShift
            try fill(&block) { (base) throws(CompoundFileFailure) in
                try readExactly(fd: fd, offset: at, into: base, count: header.sectorSize)
            }
            block.withUnsafeBytes { buf in
                for i in 0..<perSector where fatSectors.count < count {
                    fatSectors.append(UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
                next = UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: 4 * perSector, as: UInt32.self))
            }
        }
        for s in fatSectors where Int(s) >= sectorCount {
            throw CompoundFileFailure("allocation table sector \(s) lies past the end of the file")
        }
        return try readTable(fd: fd, sectors: fatSectors, shift: header.sectorShift)
    }

    /// Reads sectors holding 32-bit sector numbers into one table.
    private static func readTable(fd: Int32, sectors: [UInt32], shift: Int) throws(CompoundFileFailure) -> [UInt32] {
        let size = 1 << shift
        var table = [UInt32](repeating: CompoundSector.free, count: sectors.count * size / 4)
        try fill(&table) { (base) throws(CompoundFileFailure) in
            for (i, s) in sectors.enumerated() {
                try readExactly(fd: fd, offset: (Int(s) + 1) << shift, into: base + i * size, count: size)
            }
        }
        #if _endian(big)
        for i in table.indices { table[i] = UInt32(littleEndian: table[i]) }
        #endif
        return table
    }

    /// Runs `body` on the storage of a non-empty array, passing its typed error on.
    private static func fill<T>(_ array: inout [T], _ body: (UnsafeMutableRawPointer) throws(CompoundFileFailure) -> Void) throws(CompoundFileFailure) {
        guard !array.isEmpty else { return }
        let result: Result<Void, CompoundFileFailure> = array.withUnsafeMutableBytes { buf in
            Result { () throws(CompoundFileFailure) in try body(buf.baseAddress!) }
        }
        try result.get()
    }

    /// Follows a sector chain through `table`. With `expected`, exactly that many sectors
    /// must be there (extra links are ignored); without it, the chain runs to ENDOFCHAIN.
    static func chain(start: UInt32, table: [UInt32], validCount: Int, expected: Int?,
                      what: String) -> Result<[UInt32], CompoundFileFailure> {
        var out: [UInt32] = []
        if let expected { out.reserveCapacity(expected) }
        var seen = SectorSet(count: validCount)
        var s = start
        while true {
            if let expected, out.count == expected { return .success(out) }
            if s == CompoundSector.endOfChain {
                if let expected {
                    return .failure(.init("the \(what) is shorter than its declared size (\(out.count) of \(expected) sectors)"))
                }
                return .success(out)
            }
            guard Int(s) < validCount, s <= CompoundSector.maxRegular else {
                return .failure(.init("the \(what) refers to sector \(s), which does not exist"))
            }
            guard seen.insert(s) else { return .failure(.init("the \(what) sector chain loops back on itself")) }
            out.append(s)
            s = table[Int(s)]
        }
    }

    /// Indexes of the entries in the sibling tree under `parent`, in tree order.
    private static func children(of parent: Int, in entries: [CompoundDirectoryEntry]) -> [Int] {
        var out: [Int] = []
        var seen = SectorSet(count: entries.count)
        var stack: [UInt32] = [entries[parent].child]
        while let i = stack.popLast() {
            guard Int(i) < entries.count, seen.insert(i) else { continue }
            out.append(Int(i))
            stack.append(entries[Int(i)].right)
            stack.append(entries[Int(i)].left)
        }
        return out
    }
}

/// A fixed-size bit set of sector numbers, to catch chains that loop.
struct SectorSet {
    private var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: count / 64 + 1) }

    /// Adds `s`; false when it was already there.
    @inline(__always)
    mutating func insert(_ s: UInt32) -> Bool {
        let w = Int(s >> 6)
        guard w < words.count else { return false }
        let bit = UInt64(1) << UInt64(s & 63)
        if words[w] & bit != 0 { return false }
        words[w] |= bit
        return true
    }
}
