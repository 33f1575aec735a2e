import Foundation
import Testing
import Tabular
@testable import ContactModel

@Suite struct RowDigestTests {
    func normaliser(_ header: [String] = ["Email", "First Name", "Colour"], region: String = "AU",
                    lists: [String] = []) throws -> RowNormaliser {
        RowNormaliser(mapping: try HeaderMapping(header: header), region: PhoneNumber.Region.known[region]!, fileLists: lists)
    }

    let row = Row(number: 2, cells: [.text("a@example.com"), .text("Ann"), .text("Blue")])

    /// Digests are stored with contacts, so they must not change between runs or versions
    /// without a reason (a change only makes stored rows unknown, never wrong).
    @Test func theDigestIsStable() throws {
        let digest = try normaliser().digest(row)
        #expect(digest == (try normaliser().digest(row)))
        #expect(RowDigest(bytes: digest.bytes.withUnsafeBufferPointer { $0 }) == digest)
        #expect(digest.bytes.count == 16)
        #expect(digest == RowDigest(high: 0x471A_EE30_6CC7_ACEB, low: 0x3493_DF61_513F_B94E))
    }

    /// The word-at-a-time tail read gives what packing the last bytes one by one gives.
    @Test func bytesHashTheSameWhateverTheirLength() {
        let text = Array("0123456789abcdefghijklmnopqrstuvwxyzé日本語!".utf8)
        for length in 0...text.count {
            let bytes = Array(text[0..<length])
            var fast = RowDigestHasher()
            bytes.withUnsafeBufferPointer { fast.combine(bytes: $0) }
            var reference = RowDigestHasher()
            var index = 0
            while index + 8 <= length {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bytes[index + k]) << UInt64(8 * k) }
                reference.combine(word)
                index += 8
            }
            var tail: UInt64 = 0
            for k in index..<length { tail |= UInt64(bytes[k]) << UInt64(8 * (k - index)) }
            reference.combine(tail)
            reference.combine(UInt64(length) | 0x5A << 56)
            #expect(fast.digest == reference.digest, "length \(length)")
        }
    }

    @Test func anyCellOrTheWayTheRowIsReadChangesIt() throws {
        let base = try normaliser().digest(row)
        var changed = row
        changed.cells[2] = .text("Blue ")
        #expect(try normaliser().digest(changed) != base)
        changed = row
        changed.cells.append(.text(""))
        #expect(try normaliser().digest(changed) != base, "an extra empty cell is another row")
        changed = Row(number: 99, cells: row.cells)
        #expect(try normaliser().digest(changed) == base, "the row number is not part of it")
        #expect(try normaliser(["Email", "First Name", "Favourite colour"]).digest(row) != base)
        #expect(try normaliser(["Email", "Last Name", "Colour"]).digest(row) != base)
        #expect(try normaliser(region: "NZ").digest(row) != base)
        #expect(try normaliser(lists: ["VIP"]).digest(row) != base)
        // Cells are delimited: moving text between cells changes it.
        let shifted = Row(number: 2, cells: [.text("a@example.com"), .text("AnnB"), .text("lue")])
        #expect(try normaliser().digest(shifted) != base)
    }

    /// A CSV record's digest taken from its field bytes equals the digest of its row, for every
    /// record of a file with empty fields, quotes, line breaks in quotes, ragged records, blank
    /// lines and accented text; a record whose bytes are not UTF-8 has none from its bytes.
    @Test func theDigestFromFieldBytesEqualsTheRowDigest() throws {
        var text = "Email,First Name,Colour\n"
        for n in 0..<500 {
            switch n % 7 {
            case 0: text += "u\(n)@x.com,,\n"
            case 1: text += "u\(n)@x.com,\"Zoë, \"\"Z\"\"\",\"Blue\nGreen\"\n"
            case 2: text += "u\(n)@x.com,Ann\n"
            case 3: text += "\n"
            case 4: text += "u\(n)@x.com,Ann,Red,extra,\n"
            case 5: text += ",,\n"
            default: text += "u\(n)@x.com,\(String(repeating: "名", count: n % 13)),\(n)\n"
            }
        }
        var bytes = Array(text.utf8)
        bytes += [0x76, 0x40, 0x78, 0x2E, 0x63, 0x6F, 0x6D, 0x2C, 0x43, 0x61, 0x66, 0xE9, 0x2C, 0x0A]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString).csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try #require(try TableOpener.open(path: path).rows(sheet: 0) as? any RawRecordSource)
        let normaliser = try normaliser()
        var records = 0
        var fromBytes = 0
        while try source.advance() {
            let row = source.currentRow()
            if let digest = source.withFields({ normaliser.digest(fields: $0) }) {
                #expect(digest == normaliser.digest(row), "record \(row.number)")
                fromBytes += 1
            }
            records += 1
        }
        #expect(records == 502)
        #expect(fromBytes == 501, "only the last record, not UTF-8, has no digest from its bytes")
    }
}
