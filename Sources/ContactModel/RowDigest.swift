import Tabular

/// A 128-bit digest of one input row as read (its cells, in order) together with everything
/// that decides how a row becomes a contact: the header mapping, the phone region and the
/// lists the file's contacts join.
///
/// The store keeps, with each contact, the digest of the last row that changed it (when that
/// row had no warning), so a later import of the very same row, read the same way, is known to
/// change nothing without being normalised again: re-importing a file costs little more than
/// reading it. Two different rows share a digest with a probability of about 2^-128.
public struct RowDigest: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The 16 bytes stored for it (big-endian high then low).
    public var bytes: [UInt8] {
        withStoredBytes { Array($0) }
    }

    /// Calls `body` with the 16 stored bytes (as `bytes`, without an array).
    public func withStoredBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var words = (high.bigEndian, low.bigEndian)
        return try withUnsafeBytes(of: &words, body)
    }

    /// The digest stored as `bytes`, or nil if they are not 16 bytes.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        self.init(high: high, low: low)
    }
}

/// Two independent 64-bit lanes, one multiply each per 8 bytes; the same in every process.
struct RowDigestHasher {
    private var a: UInt64
    private var b: UInt64

    init(seed: RowDigest = RowDigest(high: 0x243F_6A88_85A3_08D3, low: 0x1319_8A2E_0370_7344)) {
        a = seed.high
        b = seed.low
    }

    @inline(__always)
    mutating func combine(_ word: UInt64) {
        let x = (a ^ word).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        a = x.high ^ x.low
        let y = (b ^ (word &+ 0xA076_1D64_78BD_642F)).multipliedFullWidth(by: 0xE703_7ED1_A0B4_28DB)
        b = y.high ^ y.low
    }

    @inline(__always)
    mutating func combine(bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                combine(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            combine(ByteTail.word(base, from: index, count: bytes.count))
        }
        combine(UInt64(bytes.count) | 0x5A << 56)
    }

    mutating func combine(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ combine(bytes: $0) }) != nil { return }
        var copy = string
        copy.withUTF8 { combine(bytes: $0) }
    }

    private static func finish(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    var digest: RowDigest {
        RowDigest(high: Self.finish(a ^ 0x6A09_E667_F3BC_C908), low: Self.finish(b ^ 0xBB67_AE85_84CA_A73B))
    }
}

extension RowDigest {
    /// The same two-lane 128-bit hash over any bytes, with its own seed: the import indexes
    /// emails by it (two independent 64-bit hashes in one pass).
    public static func of(bytes: UnsafeBufferPointer<UInt8>) -> RowDigest {
        var hasher = RowDigestHasher(seed: RowDigest(high: 0x452821E6_38D01377, low: 0xBE5466CF_34E90C6C))
        hasher.combine(bytes: bytes)
        return hasher.digest
    }
}

extension RowNormaliser {
    /// The digest of everything besides the cells that decides what a row becomes.
    static func context(mapping: HeaderMapping, region: PhoneNumber.Region, fileLists: [String]) -> RowDigest {
        var hasher = RowDigestHasher()
        hasher.combine(UInt64(mapping.fields.count))
        for field in mapping.fields {
            hasher.combine(field.description)
            if case let .property(key, label) = field {
                hasher.combine(key)
                hasher.combine(label)
            }
        }
        hasher.combine(region.code)
        hasher.combine(region.callingCode)
        hasher.combine(region.trunkPrefix ?? "-")
        for length in region.lengths { hasher.combine(UInt64(length)) }
        hasher.combine(UInt64(fileLists.count))
        for list in fileLists { hasher.combine(list) }
        return hasher.digest
    }

    /// The digest of a record given as its fields (UTF-8, each its cell's rendered text, as
    /// `RawRecordSource.withFields` hands them out): CSV and XLSX rows. It equals `digest(_:)`
    /// of the row of text cells with that text, and it is all a row's contact depends on (a
    /// contact is made from rendered text), so a number and the text it renders to count as
    /// the same row.
    @inline(__always)
    public func digest(fields: RecordBytes) -> RowDigest {
        var hasher = RowDigestHasher(seed: context)
        for index in 0..<fields.count {
            let bytes = fields[index]
            // An empty field as the empty text of `digest(_:)`, whatever pointer it comes with.
            if bytes.isEmpty { hasher.combine("") } else { hasher.combine(bytes: bytes) }
        }
        hasher.combine(UInt64(fields.count))
        return hasher.digest
    }

    /// The digest of `row` as this normaliser reads it (see `RowDigest`): XLS rows, whose
    /// reader builds cells. It covers the cells' values, not their rendering: what a cell
    /// renders to is a function of its value, and rendering numbers and dates for every row
    /// would cost more than the digest saves.
    public func digest(_ row: Row) -> RowDigest {
        var hasher = RowDigestHasher(seed: context)
        // Cells read in place (iterating the array copied each cell out: a retain and a
        // release of its text).
        row.cells.withUnsafeBufferPointer { cells in
            for index in cells.indices {
                hash(cells[index], into: &hasher)
            }
        }
        hasher.combine(UInt64(row.cells.count))
        return hasher.digest
    }

    @inline(__always)
    private func hash(_ cell: borrowing Cell, into hasher: inout RowDigestHasher) {
        switch cell {
        case .empty: hasher.combine(0xE0)
        case .text(let text): hasher.combine(text)
        case .number(let value): hasher.combine(0xE2); hasher.combine(value.bitPattern)
        case .bool(let value): hasher.combine(value ? 0xE3 : 0xE4)
        case .date(let date):
            hasher.combine(date.kind == .elapsed ? 0xE5 : 0xE6)
            hasher.combine(date.serial.bitPattern)
            hasher.combine(date.is1904 ? 1 : 0)
        case .isoDate(let text): hasher.combine(0xE7); hasher.combine(text)
        case .error(let text): hasher.combine(0xE8); hasher.combine(text)
        }
    }
}
