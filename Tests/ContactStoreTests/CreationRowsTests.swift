import ContactModel
import Foundation
import Testing
@testable import ContactStore

@Suite struct CreationRowsTests {
    /// 3,000 contacts of varied rows (spilled to the file after a few KiB), read back through a
    /// reader in id order, backwards and at random (its windows are refilled every way), with
    /// more rows appended between reads: each comes back as the columns it was prepared with.
    @Test(arguments: [256, 1 << 20])
    func rowsComeBackAsTheyWereAppended(spillBytes: Int) throws {
        let directory = NSTemporaryDirectory() + "creation-rows-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rows = CreationRows(directory: directory, firstId: 1_000, spillBytes: spillBytes)
        var expected: [(type: ContactType?, columns: [String?])] = []
        func add(_ n: Int) throws {
            let batch = ImportSession.prepare([record(
                "c\(n)@x.com", first: n % 5 == 0 ? nil : "First\(n)", last: "Last\(String(repeating: "é", count: n % 40))",
                mobile: n % 3 == 0 ? "+6141234\(1000 + n % 9000)" : nil, type: ContactType(rawValue: n % 4),
                properties: n % 7 == 0 ? [] : [("colour", "c\(n)"), ("notes", String(repeating: "x", count: n % 300))],
                hubs: n % 2 == 0 ? ["Perth", "Hub \(n)"] : [], badges: n % 11 == 0 ? ["gold"] : [])])
            let group = batch.groups[0]
            try rows.append(id: 1_000 + n, type: group.type, columns: group.encoded, bytes: batch.bytes)
            expected.append((group.type, Self.strings(group.encoded, in: batch.bytes.arena)))
        }
        for n in 0..<2_000 { try add(n) }
        let reader = rows.reader()
        let arena = ByteArena()
        func check(_ n: Int) throws {
            arena.removeAll()
            let (type, columns) = try reader.read(id: 1_000 + n, into: arena)
            #expect(type == expected[n].type)
            #expect(Self.strings(columns, in: arena) == expected[n].columns, "row \(n)")
        }
        for n in stride(from: 0, to: 2_000, by: 3) { try check(n) }
        for n in stride(from: 1_999, through: 0, by: -7) { try check(n) }
        for n in 2_000..<3_000 { try add(n) }
        var random = StableHash(seed: 5)
        for step in 0..<1_000 {
            random.combine(UInt64(step))
            try check(Int(random.value % 3_000))
        }
        try rows.flush()
        for n in stride(from: 0, to: 3_000, by: 5) { try check(n) }
        #expect(rows.count == 3_000)
    }

    static func strings(_ columns: ContactRowCodec.Encoded, in arena: ByteArena) -> [String?] {
        [columns.firstName, columns.lastName, columns.mobile, columns.properties, columns.lists, columns.hubs,
         columns.badges, columns.subscriptions].map { range in range.map { String(decoding: arena.bufferPointer($0), as: UTF8.self) } }
    }
}
