import Foundation
import Testing
import ContactModel
import Tabular
@testable import ContactStore

@Suite struct DeferredRowsTests {
    func digest(_ n: Int) -> RowDigest { RowDigest(high: UInt64(n) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(n)) }

    /// Rows come back in file order with their fields, numbers, lines and digests, from
    /// memory or from the spilled file alike; a contact whose held rows are exactly its
    /// stored ones is unchanged, the others are left to be taken back in order.
    @Test(arguments: [64, 4 << 20])
    func heldRowsComeBackAsTheyWere(spillBytes: Int) throws {
        let held = DeferredRows(directory: NSTemporaryDirectory(), spillBytes: spillBytes)
        // Contact 1 (key 10): rows 2 and 5, exactly its stored sequence.
        var stored1 = RowSequenceDigest(digest(2))
        stored1.append(digest(5))
        // Contact 2 (key 20): rows 3 and 4, but its stored sequence is rows 3, 4, 6.
        var stored2 = RowSequenceDigest(digest(3))
        stored2.append(digest(4))
        stored2.append(digest(6))
        // Contact 3 (key 30): row 7, taken back early (a later row of it was read).
        let rows: [(number: Int, fields: [String], key: UInt32, id: Int, stored: RowDigest)] = [
            (2, ["a@x.com", "Ann", ""], 10, 1, stored1.value),
            (3, ["b@x.com", "Bé \"quoted\"", "0412"], 20, 2, stored2.value),
            (4, ["B@X.COM", "", String(repeating: "long ", count: 40)], 20, 2, stored2.value),
            (5, ["a@x.com", "Bea"], 10, 1, stored1.value),
            (7, ["c@x.com"], 30, 3, digest(99)),
        ]
        for row in rows {
            try RecordBytes.withFields(row.fields) { fields in
                try held.hold(fields, number: row.number, line: row.number + 100, digest: digest(row.number),
                              emailKey: row.key, id: row.id, stored: row.stored)
            }
        }
        #expect(held.holds(emailKey: 10) && held.holds(emailKey: 20) && held.holds(emailKey: 30))
        #expect(!held.holds(emailKey: 40))
        let early = try held.takeRows(emailKey: 30)
        #expect(early.map(\.row) == [Row(number: 7, line: 107, cells: [.text("c@x.com")])])
        #expect(early.map(\.digest) == [digest(7)])
        #expect(!held.holds(emailKey: 30))
        #expect(try held.takeRows(emailKey: 30).isEmpty)

        var unchanged: [(Int, Int)] = []
        let rest = held.finish { unchanged.append(($0, $1)) }
        #expect(unchanged.count == 1 && unchanged.first! == (1, 2))
        #expect(rest == [20])
        let taken = try held.takeRows(emailKey: 20)
        #expect(taken.map(\.row) == [
            Row(number: 3, line: 103, cells: [.text("b@x.com"), .text("Bé \"quoted\""), .text("0412")]),
            Row(number: 4, line: 104, cells: [.text("B@X.COM"), .text(""), .text(String(repeating: "long ", count: 40))]),
        ])
        #expect(taken.map(\.digest) == [digest(3), digest(4)])
        #expect(!held.holds(emailKey: 10) && !held.holds(emailKey: 20))
    }
}
