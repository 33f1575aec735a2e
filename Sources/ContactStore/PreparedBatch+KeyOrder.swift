#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContactModel

/// Sorting a batch by email bytes — SQLite's BINARY collation, so the store's B-tree is
/// visited in key order — keeping file order among rows of the same email.
extension PreparedBatch {
    /// Batch indices sorted by email bytes (SQLite's BINARY order), file order among equals.
    static func keyOrder(_ batch: [ContactRecord]) -> [Int] {
        sortKeys(batch).map(\.index)
    }

    /// The first 16 bytes of an email, big-endian, zero-padded: most comparisons stop there.
    struct SortKey {
        var high: UInt64
        var low: UInt64
        var index: Int
    }

    static func sortKeys(_ batch: [ContactRecord]) -> [SortKey] {
        var keys: [SortKey] = []
        keys.reserveCapacity(batch.count)
        for index in batch.indices {
            var words: (UInt64, UInt64) = (0, 0)
            let copied: Void? = batch[index].email.utf8.withContiguousStorageIfAvailable { utf8 in
                withUnsafeMutableBytes(of: &words) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8).prefix(16)))
                }
            }
            if copied == nil {
                withUnsafeMutableBytes(of: &words) { raw in
                    for (offset, byte) in batch[index].email.utf8.prefix(16).enumerated() { raw[offset] = byte }
                }
            }
            keys.append(SortKey(high: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1), index: index))
        }
        keys.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            let order = compareBytes(batch[a.index].email, batch[b.index].email)
            if order != 0 { return order < 0 }
            return a.index < b.index
        }
        return keys
    }

    /// memcmp order of two strings' UTF-8.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        if let result = a.utf8.withContiguousStorageIfAvailable({ pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Int in
                let common = min(pa.count, pb.count)
                if common > 0 {
                    let c = memcmp(pa.baseAddress!, pb.baseAddress!, common)
                    if c != 0 { return Int(c) }
                }
                return pa.count - pb.count
            }
        }), let result {
            return result
        }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}
