import Testing
import ContactModel
@testable import ContactStore

@Suite struct KnownRowsTableTests {
    @Test func findsEveryRowItWasGivenAndNothingElse() {
        let known = KnownRows(maximumCount: 5_000)
        var digests: [RowDigest] = []
        var state = StableHash(seed: 11)
        for n in 1...5_000 {
            state.combine(UInt64(n))
            let high = state.value
            state.combine(high)
            // Every 50th row shares its `high` with the row before: only `low` tells them apart.
            let digest = RowDigest(high: n % 50 == 0 ? digests[n - 2].high : high, low: state.value)
            digests.append(digest)
            known.append(digest: digest, id: n, emailKey: UInt32(n * 3))
        }
        #expect(known.count == 5_000)
        for (index, digest) in digests.enumerated() {
            let hit = known.contact(for: digest)
            #expect(hit?.id == index + 1 && hit?.emailKey == UInt32((index + 1) * 3))
        }
        #expect(known.contact(for: RowDigest(high: digests[0].high, low: digests[0].low ^ 1)) == nil)
        #expect(known.contact(for: RowDigest(high: 42, low: 42)) == nil)
    }

    /// Every contact loaded has its email key named, whatever it was loaded as: one known row,
    /// several rows, no known row, or a row past the room made (the stored-email filter is
    /// filled from them, and a key it misses would create a second contact).
    @Test func everyLoadedContactsEmailKeyIsNamed() {
        let known = KnownRows(maximumCount: 3)
        let rows: [(digest: KeyDigest?, id: Int, emailKey: UInt32)] = [
            (KeyDigest(value: RowDigest(high: 1, low: 1), severalRows: false), 1, 101),
            (KeyDigest(value: RowDigest(high: 2, low: 2), severalRows: true), 2, 102),
            (nil, 3, 103),
            (KeyDigest(value: RowDigest(high: 4, low: 4), severalRows: false), 4, 104),
            (KeyDigest(value: RowDigest(high: 5, low: 5), severalRows: false), 5, 105),
            (KeyDigest(value: RowDigest(high: 6, low: 6), severalRows: false), 6, 106)]
        known.append(rows)
        known.append(digest: RowDigest(high: 7, low: 7), id: Int(UInt32.max) + 1, emailKey: 107)
        var named: [UInt32] = []
        known.forEachEmailKey { named.append($0) }
        #expect(known.count == 3, "rows past the room made are not in the table")
        #expect(named.sorted() == [101, 102, 103, 104, 105, 106, 107])
    }

    @Test func probesWrapAroundTheEndOfTheTable() {
        let known = KnownRows(maximumCount: 4)
        // All start at the last slot, so the later ones wrap to the first.
        let digests = (1...4).map { RowDigest(high: .max, low: UInt64($0)) }
        for (index, digest) in digests.enumerated() { known.append(digest: digest, id: index + 1, emailKey: 0) }
        known.append(digest: RowDigest(high: .max, low: 99), id: 99, emailKey: 0)
        #expect(known.count == 4, "rows past the room made are ignored")
        for (index, digest) in digests.enumerated() { #expect(known.contact(for: digest)?.id == index + 1) }
        #expect(known.contact(for: RowDigest(high: .max, low: 99)) == nil)
        #expect(known.contact(for: RowDigest(high: 0, low: 5)) == nil)
    }

    /// Stored digests of several rows go to the table by email key, not by digest (no row
    /// has them); two such contacts with the same key are both left to be read.
    @Test func contactsOfSeveralRowsAreFoundByEmailKey() {
        let known = KnownRows(maximumCount: 10)
        let one = KeyDigest(value: RowDigest(high: 1, low: 2), severalRows: false)
        let several = KeyDigest(value: RowDigest(high: 3, low: 4), severalRows: true)
        let rows: [(digest: KeyDigest, id: Int, emailKey: UInt32)] = [(one, 1, 10), (several, 2, 20), (several, 3, 30), (several, 4, 30)]
        known.append(rows)
        #expect(known.count == 1 && known.hasSeveralRows)
        #expect(known.contact(for: one.value)?.id == 1)
        #expect(known.contact(for: several.value) == nil)
        #expect(known.contactOfSeveralRows(emailKey: 20)?.id == 2)
        #expect(known.contactOfSeveralRows(emailKey: 20)?.digest == several.value)
        #expect(known.contactOfSeveralRows(emailKey: 30) == nil, "two contacts share the key")
        #expect(known.contactOfSeveralRows(emailKey: 10) == nil)
    }
}

@Suite struct KeyDigestTests {
    @Test func storesSeveralRowsAsASeventeenthByte() {
        let value = RowDigest(high: 0x0102_0304_0506_0708, low: 0x1112_1314_1516_1718)
        for severalRows in [false, true] {
            let digest = KeyDigest(value: value, severalRows: severalRows)
            let bytes = digest.withStoredBytes { Array($0.bindMemory(to: UInt8.self)) }
            #expect(bytes.count == (severalRows ? 17 : 16))
            #expect(Array(bytes[0..<16]) == value.bytes)
            #expect(bytes.withUnsafeBufferPointer { KeyDigest(bytes: $0) } == digest)
        }
        #expect((value.bytes + [9]).withUnsafeBufferPointer { KeyDigest(bytes: $0) } == nil, "an unknown marker")
        #expect([UInt8](repeating: 0, count: 15).withUnsafeBufferPointer { KeyDigest(bytes: $0) } == nil)
        var sequence = RowSequenceDigest(value)
        #expect(KeyDigest(sequence).severalRows == false)
        sequence.append(value)
        #expect(KeyDigest(sequence) == KeyDigest(value: sequence.value, severalRows: true))
    }
}
