import Testing
import ContactModel

/// The digest of a contact's rows in file order, built from parts of any split.
@Suite struct RowSequenceDigestTests {
    static func digests(_ count: Int) -> [RowDigest] {
        var state: UInt64 = 42
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let high = state
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return RowDigest(high: high, low: state)
        }
    }

    @Test func oneRowIsItsOwnDigest() {
        let row = Self.digests(1)[0]
        #expect(RowSequenceDigest(row).value == row)
        #expect(RowSequenceDigest(row).count == 1)
    }

    @Test func anySplitGivesTheSameDigest() {
        let rows = Self.digests(9)
        var whole = RowSequenceDigest(rows[0])
        for row in rows.dropFirst() { whole.append(row) }
        #expect(whole.count == 9)
        for split in 1..<rows.count {
            var left = RowSequenceDigest(rows[0])
            for row in rows[1..<split] { left.append(row) }
            var right = RowSequenceDigest(rows[split])
            for row in rows[(split + 1)...] { right.append(row) }
            #expect(left.appending(right) == whole, "split at \(split)")
        }
        // Three parts, joined left first or right first.
        let a = RowSequenceDigest(rows[0]).appending(RowSequenceDigest(rows[1]))
        let b = RowSequenceDigest(rows[2])
        var c = RowSequenceDigest(rows[3])
        for row in rows[4...] { c.append(row) }
        #expect(a.appending(b).appending(c) == whole)
        #expect(a.appending(b.appending(c)) == whole)
    }

    @Test func orderAndRepetitionMatter() {
        let rows = Self.digests(3)
        let forward = RowSequenceDigest(rows[0]).appending(RowSequenceDigest(rows[1]))
        let backward = RowSequenceDigest(rows[1]).appending(RowSequenceDigest(rows[0]))
        #expect(forward.value != backward.value)
        #expect(forward.value != rows[0] && forward.value != rows[1])
        let twice = RowSequenceDigest(rows[0]).appending(RowSequenceDigest(rows[0]))
        #expect(twice.value != rows[0])
        #expect(forward.appending(RowSequenceDigest(rows[2])).value != forward.value)
        #expect(RowSequenceDigest(count: 2, value: forward.value) == forward)
    }
}
