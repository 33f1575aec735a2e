/// Parses the shared string table (SST record and its CONTINUE records, MS-XLS 2.4.265).
///
/// A string's characters may be split across records; each continuation then starts with
/// a fresh option byte saying whether the rest is 8-bit or 16-bit. Rich-text runs and
/// phonetic (extended) data are skipped.
enum XLSSharedStrings {
    /// `data` holds the SST body followed by each CONTINUE body; `boundaries` are the
    /// offsets in `data` where each CONTINUE body starts.
    static func parse(data: [UInt8], boundaries: [Int], location: TableLocation) throws(TabularError) -> [String] {
        let result: Result<[String], TabularError> = data.withUnsafeBytes { raw in
            Result { () throws(TabularError) -> [String] in try parse(raw, boundaries: boundaries, location: location) }
        }
        return try result.get()
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, boundaries: [Int], location: TableLocation) throws(TabularError) -> [String] {
        var cursor = Cursor(data: raw, boundaries: boundaries)
        guard let _ = cursor.u32(), let unique = cursor.u32() else { return [] }
        var strings: [String] = []
        strings.reserveCapacity(min(Int(unique), raw.count / 3))
        var text = XLSTextBuilder()
        while strings.count < Int(unique) {
            guard cursor.hasMore else { break }
            guard let count = cursor.u16(), let flags = cursor.u8() else {
                throw .corrupt(location, detail: "shared string #\(strings.count) is cut off")
            }
            var runs = 0
            var extra = 0
            if flags & 0x08 != 0 {
                guard let r = cursor.u16() else { throw .corrupt(location, detail: "shared string #\(strings.count) is cut off") }
                runs = r
            }
            if flags & 0x04 != 0 {
                guard let e = cursor.u32() else { throw .corrupt(location, detail: "shared string #\(strings.count) is cut off") }
                extra = Int(e)
            }
            let string: String
            if flags & 0x01 == 0, let ascii = cursor.asciiString(count) {
                string = ascii // the common case, made straight from the bytes
            } else {
                text.reset()
                guard cursor.chars(count, highByte: flags & 0x01 != 0, into: &text) else {
                    throw .corrupt(location, detail: "shared string #\(strings.count) runs past the end of the string table")
                }
                string = text.makeString()
            }
            guard cursor.skip(4 * runs), cursor.skip(extra) else {
                throw .corrupt(location, detail: "shared string #\(strings.count) runs past the end of the string table")
            }
            strings.append(string)
        }
        return strings
    }

    /// Reads across the record boundaries of the SST.
    private struct Cursor {
        let data: UnsafeRawBufferPointer
        let boundaries: [Int]
        var pos = 0
        /// Index of the first boundary at or after `pos`.
        var next = 0

        init(data: UnsafeRawBufferPointer, boundaries: [Int]) {
            self.data = data
            self.boundaries = boundaries
        }

        var hasMore: Bool { pos < data.count }

        private mutating func sync() {
            while next < boundaries.count && boundaries[next] < pos { next += 1 }
        }

        mutating func u8() -> Int? {
            guard pos < data.count else { return nil }
            defer { pos += 1; sync() }
            return Int(data[pos])
        }

        mutating func u16() -> Int? {
            guard pos + 2 <= data.count else { return nil }
            defer { pos += 2; sync() }
            return Int(data[pos]) | Int(data[pos + 1]) << 8
        }

        mutating func u32() -> UInt32? {
            guard pos + 4 <= data.count else { return nil }
            defer { pos += 4; sync() }
            return UInt32(littleEndian: data.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
        }

        mutating func skip(_ n: Int) -> Bool {
            guard n >= 0, n <= data.count - pos else { return false }
            pos += n
            sync()
            return true
        }

        /// Reads `count` 8-bit characters as a String when they are all ASCII and lie
        /// before the next record boundary; otherwise reads nothing and returns nil.
        mutating func asciiString(_ count: Int) -> String? {
            let limit = next < boundaries.count ? boundaries[next] : data.count
            guard count > 0, count <= limit - pos, let base = data.baseAddress else { return count == 0 ? "" : nil }
            let start = base + pos
            var i = 0
            var high: UInt64 = 0
            while count - i >= 8 {
                high |= start.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            var tail: UInt8 = 0
            while i < count {
                tail |= start.load(fromByteOffset: i, as: UInt8.self)
                i += 1
            }
            guard high & 0x8080_8080_8080_8080 == 0, tail & 0x80 == 0 else { return nil }
            pos += count
            sync()
            return String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
        }

        /// Reads `count` characters, taking a new option byte at each record boundary.
        mutating func chars(_ count: Int, highByte: Bool, into text: inout XLSTextBuilder) -> Bool {
            var high = highByte
            var remaining = count
            while remaining > 0 {
                let limit = next < boundaries.count ? boundaries[next] : data.count
                if pos == limit {
                    guard next < boundaries.count, pos < data.count else { return false }
                    high = data[pos] & 0x01 != 0
                    pos += 1
                    next += 1
                    sync()
                    continue
                }
                let available = limit - pos
                let n = min(remaining, high ? available / 2 : available)
                guard n > 0 else { return false }
                let piece = UnsafeRawBufferPointer(rebasing: data[pos..<(pos + (high ? 2 * n : n))])
                if high { text.appendUTF16(piece) } else { text.appendCompressed(piece) }
                pos += piece.count
                remaining -= n
            }
            sync()
            return true
        }
    }
}
