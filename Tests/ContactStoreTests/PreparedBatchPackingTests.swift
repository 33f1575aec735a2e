import Testing
import Tabular
import ContactModel
@testable import ContactStore

/// A batch of packed records prepares exactly as the same records given as values: the same
/// groups, column bytes, fingerprints, digests and property keys, whether a record stands
/// alone or folds with others (packed and built mixed).
@Suite struct PreparedBatchPackingTests {
    @Test func packedAndBuiltRecordsPrepareAlike() throws {
        let header = ["Email", "First Name", "Last Name", "Mobile", "Contact Type", "Postcode", "Hub", "Lists", "Notes", "Full Name"]
        let normaliser = RowNormaliser(mapping: try HeaderMapping(header: header), region: PhoneNumber.Region.known["AU"]!,
                                       fileLists: ["Spring"])
        let emails = ["a@x.com", "B@x.com", "c@x.com", "a@x.com ", "d@y.org", "eeeeeeeeeeeeeeeeeeee@x.com", "eeeeeeeeeeeeeeeeeeee@x.co"]
        let texts = ["Ann", " Ann  Lee ", "", "Zoë", "say \"hi\"\\ now", "tab\there", "日本 語", "Ann \u{301}Lee"]
        let items = ["Sydney", "Perth; Sydney", "", "Spring", "VIP; VIP", "Zoë"]
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var packed = RecordBatch(columns: normaliser.columnProperties)
        var values: [ContactRecord] = []
        for number in 2..<600 {
            let fields = header.indices.map { column -> String in
                switch column {
                // Mostly emails of one row each (prepared alone), some shared (folded).
                case 0: return next(4) == 0 ? emails[next(emails.count)] : "User\(next(1_000))@Example.com"
                case 3: return ["0412 345 678", "", "412345678"][next(3)]
                case 4: return ["identified", "", "AUTHENTICATED"][next(3)]
                case 6, 7: return items[next(items.count)]
                default: return texts[next(texts.count)]
                }
            }
            var built: [ContactRecord] = []
            guard RecordBytes.withFields(fields, { normaliser.normalise(fields: $0, number: number, into: &built) }) else { continue }
            built[0].rowDigest = number % 5 == 0 ? nil : RowDigest(high: UInt64(number), low: 1)
            values.append(built[0])
            if !RecordBytes.withFields(fields, { normaliser.pack(fields: $0, number: number, into: &packed) }) {
                packed.append(built[0])
            }
            packed.setRowDigest(built[0].rowDigest, at: packed.count - 1)
        }
        #expect(packed.packedCount > 200 && packed.packedCount < packed.count, "\(packed.packedCount) of \(packed.count) packed")
        #expect(packed.allRecords == values)

        let a = PreparedBatch(packed)
        let b = PreparedBatch(values)
        #expect(a.groups.count == b.groups.count && a.groups.count < values.count)
        #expect(a.propertyKeys == b.propertyKeys)
        let single = a.groups.filter { !$0.folded }
        #expect(single.count > 100 && single.filter { $0.encoded.hubs != nil }.count > 20, "\(single.count) groups of one clean record")
        for (x, y) in zip(a.groups, b.groups) {
            func bytes(_ batch: PreparedBatch, _ range: Range<Int>?) -> [UInt8]? { range.map { Array(batch.bytes.slice($0)) } }
            #expect(bytes(a, x.email) == bytes(b, y.email))
            for (p, q) in [(x.encoded.firstName, y.encoded.firstName), (x.encoded.lastName, y.encoded.lastName),
                           (x.encoded.mobile, y.encoded.mobile), (x.encoded.properties, y.encoded.properties),
                           (x.encoded.lists, y.encoded.lists), (x.encoded.hubs, y.encoded.hubs),
                           (x.encoded.badges, y.encoded.badges), (x.encoded.subscriptions, y.encoded.subscriptions)] {
                #expect(bytes(a, p) == bytes(b, q))
            }
            #expect(x.type == y.type && x.fingerprint == y.fingerprint && x.firstRow == y.firstRow)
            #expect(x.emailHash == y.emailHash && x.emailCheck == y.emailCheck && x.recordCount == y.recordCount)
            #expect(x.rowsDigest == y.rowsDigest)
            #expect(x.folded == y.folded && x.fieldRows == y.fieldRows)
        }
    }
}
