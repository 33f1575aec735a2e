import Foundation

/// A ZIP archive opened for reading, entry by entry, without loading it.
///
/// Only the central directory is read up front (end record, ZIP64 end record and
/// locator, ZIP64 extra fields). Entries are inflated as streams by `ZIPEntryStream`,
/// whose output counts against the archive's `ZIPLimits` (total size, ratio).
public final class ZIPArchive {
    /// The file as the user named it.
    public let path: String
    /// Every entry in central-directory order.
    public let entries: [ZIPEntry]
    /// The limits every stream of this archive obeys.
    public let limits: ZIPLimits
    let file: ZIPFile
    let budget: ZIPInflateBudget
    private let byName: [String: Int]

    /// Opens `path` and reads its central directory.
    public init(path: String, limits: ZIPLimits = ZIPLimits()) throws(TabularError) {
        self.path = path
        self.limits = limits
        self.file = try ZIPFile(path: path)
        self.budget = ZIPInflateBudget(limit: limits.maxTotalInflated)
        let (entries, byName) = try ZIPCentralDirectory.read(file, limits: limits)
        self.entries = entries
        self.byName = byName
    }

    /// The entry called `name` (ZIP names are matched exactly, then case-insensitively, as OPC asks).
    public func entry(named name: String) -> ZIPEntry? {
        if let i = byName[name] { return entries[i] }
        if let i = byName[ZIPCentralDirectory.key(name)] { return entries[i] }
        return nil
    }

    /// Opens `entry` as chunks inflated on a helper thread when it is big enough for
    /// that to pay (and there is a second core), else as a plain stream.
    public func chunks(_ entry: ZIPEntry, location: TableLocation? = nil) throws(TabularError) -> any ZIPChunkSource {
        let stream = try self.stream(entry, location: location)
        if entry.uncompressedSize >= limits.prefetchThreshold, ProcessInfo.processInfo.activeProcessorCount > 1 {
            return ZIPPrefetchStream(stream)
        }
        return stream
    }

    /// Opens `entry` as a stream of inflated chunks. `location` says where errors happened.
    public func stream(_ entry: ZIPEntry, location: TableLocation? = nil) throws(TabularError) -> ZIPEntryStream {
        try ZIPEntryStream(file: file, entry: entry, limits: limits, budget: budget,
                           location: location ?? TableLocation(path: path))
    }

    /// Inflates a small entry whole, refusing it when it would exceed `maxBytes`.
    public func readWhole(_ entry: ZIPEntry, maxBytes: Int, location: TableLocation? = nil) throws(TabularError) -> [UInt8] {
        let location = location ?? TableLocation(path: path)
        guard entry.uncompressedSize <= UInt64(maxBytes) else {
            throw .limitExceeded(location, detail: "the part \(entry.name) is \(entry.uncompressedSize >> 20) MB once unpacked, more than the \(maxBytes >> 20) MB allowed for it")
        }
        let stream = try self.stream(entry, location: location)
        var out: [UInt8] = []
        out.reserveCapacity(Int(entry.uncompressedSize))
        while let chunk = try stream.next() {
            out.append(contentsOf: chunk)
        }
        return out
    }
}

/// Total bytes inflated from one archive, shared by its streams (which may run on
/// helper threads, hence the lock; it is taken once per chunk).
final class ZIPInflateBudget: @unchecked Sendable {
    let limit: UInt64
    private var used: UInt64 = 0
    private let lock = NSLock()
    init(limit: UInt64) { self.limit = limit }

    /// Adds `bytes`; false once the total exceeds the limit.
    func spend(_ bytes: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        used += bytes
        return used <= limit
    }
}

/// Reads the end-of-central-directory records and the central directory.
enum ZIPCentralDirectory {
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let centralSignature: UInt32 = 0x0201_4B50

    /// The lookup key of a name: without a leading slash, backslashes as slashes, lower-cased.
    static func key(_ name: String) -> String {
        var n = name.replacingOccurrences(of: "\\", with: "/")
        while n.hasPrefix("/") { n.removeFirst() }
        return n.lowercased()
    }

    static func read(_ file: ZIPFile, limits: ZIPLimits) throws(TabularError) -> ([ZIPEntry], [String: Int]) {
        let where0 = TableLocation(path: file.path)
        guard file.size >= 22 else {
            throw .corrupt(where0, detail: "the file is too short to be a ZIP archive (no end-of-central-directory record); it is probably truncated")
        }
        let tailLength = Int(min(file.size, 22 + 65_535 + 20))
        let tailStart = file.size - UInt64(tailLength)
        let tail = try file.bytes(at: tailStart, count: tailLength, what: "the end of the archive")
        var found: Int?
        var i = tailLength - 22
        while i >= 0 {
            if tail[i] == 0x50, tail[i + 1] == 0x4B, tail.le32(i) == endSignature,
               i + 22 + Int(tail.le16(i + 20)) <= tailLength {
                found = i
                break
            }
            i -= 1
        }
        guard let eocd = found else {
            throw .corrupt(where0, detail: "no end-of-central-directory record was found; the ZIP archive is truncated or damaged")
        }
        var entryCount = UInt64(tail.le16(eocd + 10))
        var cdSize = UInt64(tail.le32(eocd + 12))
        var cdOffset = UInt64(tail.le32(eocd + 16))
        var cdLimit = tailStart + UInt64(eocd)
        if eocd >= 20, tail.le32(eocd - 20) == zip64LocatorSignature {
            let recordOffset = tail.le64(eocd - 20 + 8)
            guard recordOffset <= cdLimit, cdLimit - recordOffset >= 56 else {
                throw .corrupt(where0, detail: "the ZIP64 end record points outside the file")
            }
            let record = try file.bytes(at: recordOffset, count: 56, what: "the ZIP64 end record")
            guard record.le32(0) == zip64EndSignature else {
                throw .corrupt(where0, detail: "the ZIP64 end record is missing where its locator points")
            }
            entryCount = record.le64(32)
            cdSize = record.le64(40)
            cdOffset = record.le64(48)
            cdLimit = recordOffset
        }
        guard cdOffset <= cdLimit, cdSize <= cdLimit - cdOffset else {
            throw .corrupt(where0, detail: "the central directory lies outside the file; the archive is truncated or damaged")
        }
        guard cdSize <= limits.maxCentralDirectoryBytes else {
            throw .limitExceeded(where0, detail: "the ZIP central directory is \(cdSize >> 20) MB, more than the \(limits.maxCentralDirectoryBytes >> 20) MB allowed")
        }
        let cd = try file.bytes(at: cdOffset, count: Int(cdSize), what: "the central directory")
        var entries: [ZIPEntry] = []
        entries.reserveCapacity(Int(min(entryCount, 1 << 16)))
        var byName: [String: Int] = [:]
        var p = 0
        while p + 46 <= cd.count {
            guard cd.le32(p) == centralSignature else {
                throw .corrupt(where0, detail: "central directory entry \(entries.count + 1) has a bad signature")
            }
            let flags = cd.le16(p + 8)
            let method = cd.le16(p + 10)
            let crc = cd.le32(p + 16)
            var csize = UInt64(cd.le32(p + 20))
            var usize = UInt64(cd.le32(p + 24))
            let nameLength = Int(cd.le16(p + 28))
            let extraLength = Int(cd.le16(p + 30))
            let commentLength = Int(cd.le16(p + 32))
            var offset = UInt64(cd.le32(p + 42))
            let end = p + 46 + nameLength + extraLength + commentLength
            guard end <= cd.count else {
                throw .corrupt(where0, detail: "central directory entry \(entries.count + 1) runs past the directory's end")
            }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // ZIP64 extended information: the saturated fields, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = cd.le16(e)
                let size = Int(cd.le16(e + 2))
                let dataEnd = e + 4 + size
                guard dataEnd <= extraEnd else { break }
                if id == 0x0001 {
                    var q = e + 4
                    if usize == 0xFFFF_FFFF, q + 8 <= dataEnd { usize = cd.le64(q); q += 8 }
                    if csize == 0xFFFF_FFFF, q + 8 <= dataEnd { csize = cd.le64(q); q += 8 }
                    if offset == 0xFFFF_FFFF, q + 8 <= dataEnd { offset = cd.le64(q); q += 8 }
                }
                e = dataEnd
            }
            let entry = ZIPEntry(name: name, method: method, flags: flags, crc32: crc, compressedSize: csize,
                                 uncompressedSize: usize, localHeaderOffset: offset)
            let k = key(name)
            if byName[k] != nil {
                throw .corrupt(where0, detail: "the archive holds two entries named \"\(name)\"; it is damaged or was tampered with")
            }
            byName[k] = entries.count
            entries.append(entry)
            p = end
        }
        if entryCount != 0xFFFF, entryCount != UInt64(entries.count), entries.count < 0xFFFF {
            throw .corrupt(where0, detail: "the central directory lists \(entries.count) entries but the end record says \(entryCount)")
        }
        return (entries, byName)
    }
}
