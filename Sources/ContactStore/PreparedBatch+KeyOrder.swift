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
        sortKeys(RecordBatch(batch)).map(\.index)
    }

    /// The first 16 bytes of an email, big-endian, zero-padded: most comparisons stop there.
    struct SortKey {
        var high: UInt64
        var low: UInt64
        var index: Int
    }

    static func sortKeys(_ batch: RecordBatch) -> [SortKey] {
        var keys: [SortKey] = []
        keys.reserveCapacity(batch.count)
        for index in 0..<batch.count {
            var words: (UInt64, UInt64) = (0, 0)
            batch.withEmail(at: index) { email in
                withUnsafeMutableBytes(of: &words) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(email).prefix(16)))
                }
            }
            keys.append(SortKey(high: UInt64(bigEndian: words.0), low: UInt64(bigEndian: words.1), index: index))
        }
        keys.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            let order = compareEmails(batch, a.index, b.index)
            if order != 0 { return order < 0 }
            return a.index < b.index
        }
        return keys
    }

    /// memcmp order of the emails of records `a` and `b`.
    static func compareEmails(_ batch: RecordBatch, _ a: Int, _ b: Int) -> Int {
        batch.withEmail(at: a) { pa in
            batch.withEmail(at: b) { pb -> Int in
                let common = min(pa.count, pb.count)
                if common > 0 {
                    let c = memcmp(pa.baseAddress!, pb.baseAddress!, common)
                    if c != 0 { return Int(c) }
                }
                return pa.count - pb.count
            }
        }
    }
}
