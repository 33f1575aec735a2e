import ContactModel
import Foundation
import Testing
@testable import ContactStore

@Suite struct PendingChangesTests {
    /// Groups of several contacts, interleaved, kept past the spill threshold, come back per
    /// contact in id order with their rows folded in file order.
    @Test(arguments: [128, 1 << 22])
    func foldsEachContactsRowsInFileOrder(spillBytes: Int) throws {
        let directory = NSTemporaryDirectory() + "pending-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pending = PendingChanges(directory: directory, spillBytes: spillBytes)
        func add(_ id: Int, _ records: [ContactRecord]) throws {
            let batch = ImportSession.prepare(records)
            #expect(batch.groups.count == 1)
            try pending.add(id: id, group: batch.groups[0], bytes: batch.bytes)
        }
        for round in 0..<30 {
            for id in [9, 3, 5] {
                try add(id, [record("c\(id)@x.com", first: "F\(round)", properties: [("k\(round % 4)", "v\(round)")],
                                    lists: ["L\(round % 3)"], row: round * 10 + id)])
            }
        }
        // A folded group (two rows of one email in one batch) keeps each value's row.
        try add(7, [record("c7@x.com", first: "Early", type: .identified, row: 400),
                    record("c7@x.com", last: "Late", type: .anonymous, subscriptions: [("news", true)], row: 401)])
        try add(7, [record("c7@x.com", first: "Later", row: 500)])
        #expect(pending.count == 4 && pending.contains(9) && !pending.contains(4))

        var seen: [Int] = []
        try pending.forEachInIdOrder { waiting in
            let id = waiting.id
            let incoming = waiting.incoming
            #expect(waiting.email == Array("c\(id)@x.com".utf8))
            seen.append(id)
            if id == 7 {
                #expect(incoming.state.firstName == "Later" && incoming.state.lastName == "Late")
                #expect(incoming.state.contactType == .identified, "the type only moves up")
                #expect(incoming.state.subscriptions == [SubscriptionChange(group: "news", subscribed: true)])
                #expect(incoming.sourceRow(of: "first_name") == 500)
                #expect(incoming.sourceRow(of: "last_name") == 401)
                #expect(incoming.sourceRow(of: "contact_type") == 400)
                #expect(incoming.recordCount == 3)
                return
            }
            #expect(incoming.recordCount == 30)
            #expect(incoming.state.firstName == "F29")
            #expect(incoming.sourceRow(of: "first_name") == 290 + id)
            #expect(incoming.state.lists == ["L0", "L1", "L2"])
            #expect(incoming.state.properties.map(\.key) == ["k0", "k1", "k2", "k3"])
            #expect(incoming.state.properties.map(\.value) == ["v28", "v29", "v26", "v27"])
            #expect(incoming.sourceRow(of: "k1") == 290 + id)
        }
        #expect(seen == [3, 5, 7, 9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
