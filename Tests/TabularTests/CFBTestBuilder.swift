/// Packs streams into an OLE compound file for tests, from the MS-CFB layout rules:
/// used to re-house a real writer's Workbook stream in layouts our fixtures lack
/// (4096-byte sectors, a FAT longer than the header's 109 DIFAT entries, the mini stream).
/// Sibling entries hang off right links (a valid, if unbalanced, tree).
enum CFBTestBuilder {
    static func build(streams: [(name: String, data: [UInt8])], sectorShift: Int = 9) -> [UInt8] {
        let size = 1 << sectorShift
        let perSector = size / 4
        let endOfChain: UInt32 = 0xFFFF_FFFE
        let free: UInt32 = 0xFFFF_FFFF

        var fat: [UInt32] = []
        var body: [UInt8] = []
        /// Appends data as a run of sectors; returns the first sector (or ENDOFCHAIN).
        func place(_ data: [UInt8]) -> UInt32 {
            guard !data.isEmpty else { return endOfChain }
            let first = fat.count
            let count = (data.count + size - 1) / size
            for i in 0..<count { fat.append(i == count - 1 ? endOfChain : UInt32(first + i + 1)) }
            body += data + [UInt8](repeating: 0, count: count * size - data.count)
            return UInt32(first)
        }

        // Small streams go to the mini stream.
        var container: [UInt8] = []
        var miniFAT: [UInt32] = []
        var starts: [UInt32] = []
        var regular: [Int: UInt32] = [:]
        for (i, s) in streams.enumerated() {
            if s.data.count < 4096 {
                let first = miniFAT.count
                let count = (s.data.count + 63) / 64
                for k in 0..<count { miniFAT.append(k == count - 1 ? endOfChain : UInt32(first + k + 1)) }
                container += s.data + [UInt8](repeating: 0, count: count * 64 - s.data.count)
                starts.append(count == 0 ? endOfChain : UInt32(first))
            } else {
                starts.append(0)
                regular[i] = 0
            }
        }
        for (i, s) in streams.enumerated() where regular[i] != nil { starts[i] = place(s.data) }
        let containerStart = place(container)
        var miniFATBytes: [UInt8] = []
        for v in miniFAT { miniFATBytes += le32(v) }
        let miniFATStart = place(miniFATBytes)
        let miniFATSectors = (miniFATBytes.count + size - 1) / size

        // Directory: root, then the streams linked by right siblings.
        var dir: [UInt8] = []
        dir += entry(name: "Root Entry", type: 5, left: free, right: free, child: streams.isEmpty ? free : 1,
                     start: container.isEmpty ? endOfChain : containerStart, size: UInt64(container.count))
        for (i, s) in streams.enumerated() {
            dir += entry(name: s.name, type: 2, left: free, right: i + 1 < streams.count ? UInt32(i + 2) : free, child: free,
                         start: starts[i], size: UInt64(s.data.count))
        }
        while dir.count % size != 0 { dir += entry(name: "", type: 0, left: free, right: free, child: free, start: 0, size: 0) }
        let dirStart = place(dir)

        // FAT and DIFAT sectors come last; find how many are needed.
        let data = fat.count
        var fatCount = 1
        var difatCount = 0
        while true {
            difatCount = fatCount > 109 ? (fatCount - 109 + perSector - 2) / (perSector - 1) : 0
            if data + fatCount + difatCount <= fatCount * perSector { break }
            fatCount += 1
        }
        let fatStart = data
        for _ in 0..<fatCount { fat.append(0xFFFF_FFFD) }
        let difatStart = fat.count
        for _ in 0..<difatCount { fat.append(0xFFFF_FFFC) }
        while fat.count < fatCount * perSector { fat.append(free) }
        for v in fat { body += le32(v) }
        let fatSectorIDs = (0..<fatCount).map { UInt32(fatStart + $0) }
        for d in 0..<difatCount {
            var ids = Array(fatSectorIDs.dropFirst(109 + d * (perSector - 1)).prefix(perSector - 1))
            while ids.count < perSector - 1 { ids.append(free) }
            ids.append(d + 1 < difatCount ? UInt32(difatStart + d + 1) : endOfChain)
            for v in ids { body += le32(v) }
        }

        var header = [UInt8](repeating: 0, count: size)
        let fields: [(Int, [UInt8])] = [
            (0, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            (24, le16(0x3E)), (26, le16(sectorShift == 9 ? 3 : 4)), (28, le16(0xFFFE)),
            (30, le16(UInt16(sectorShift))), (32, le16(6)),
            (40, le32(sectorShift == 9 ? 0 : UInt32(dir.count / size))), (44, le32(UInt32(fatCount))),
            (48, le32(dirStart)), (56, le32(4096)),
            (60, le32(miniFATBytes.isEmpty ? endOfChain : miniFATStart)), (64, le32(UInt32(miniFATSectors))),
            (68, le32(difatCount > 0 ? UInt32(difatStart) : endOfChain)), (72, le32(UInt32(difatCount))),
        ]
        for (offset, bytes) in fields { header.replaceSubrange(offset..<(offset + bytes.count), with: bytes) }
        for i in 0..<109 {
            let v = i < fatCount ? fatSectorIDs[i] : free
            header.replaceSubrange((76 + 4 * i)..<(80 + 4 * i), with: le32(v))
        }
        return header + body
    }

    private static func entry(name: String, type: UInt8, left: UInt32, right: UInt32, child: UInt32,
                              start: UInt32, size: UInt64) -> [UInt8] {
        var e = [UInt8](repeating: 0, count: 128)
        let units = Array(name.utf16.prefix(31))
        for (i, u) in units.enumerated() { e[2 * i] = UInt8(u & 0xFF); e[2 * i + 1] = UInt8(u >> 8) }
        if !name.isEmpty { e.replaceSubrange(64..<66, with: le16(UInt16(2 * units.count + 2))) }
        e[66] = type
        e[67] = 1
        e.replaceSubrange(68..<72, with: le32(left))
        e.replaceSubrange(72..<76, with: le32(right))
        e.replaceSubrange(76..<80, with: le32(child))
        e.replaceSubrange(116..<120, with: le32(start))
        e.replaceSubrange(120..<128, with: le32(UInt32(size & 0xFFFF_FFFF)) + le32(UInt32(size >> 32)))
        return e
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
}
