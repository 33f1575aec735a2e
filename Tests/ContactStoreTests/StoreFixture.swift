import ContactModel
import Foundation
import Testing
@testable import ContactStore

/// A settable clock for tests (seconds since 1970).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Int

    init(_ seconds: Int = 1_795_940_610) {
        self.seconds = seconds
    }

    var now: Int {
        get { lock.withLock { seconds } }
        set { lock.withLock { seconds = newValue } }
    }

    func advance(_ delta: Int) { now += delta }
}

/// A store in a fresh temporary folder, removed at the end of the test.
final class StoreFixture {
    let directory: String
    let clock = TestClock()
    private(set) var store: ContactStore!

    init(journalMode: StoreOptions.JournalMode = .rollback) throws {
        directory = NSTemporaryDirectory() + "contact-store-tests-" + UUID().uuidString
        store = try open(journalMode: journalMode)
    }

    deinit {
        store = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    func open(journalMode: StoreOptions.JournalMode = .rollback) throws -> ContactStore {
        let clock = self.clock
        // A tiny scratch memory, so every import's scratch data goes through the spill file.
        return try ContactStore(directory: directory, options: StoreOptions(journalMode: journalMode, cacheMiB: 8,
                                                                             clock: { clock.now }, scratchMemoryBytes: 512,
                                                                             earlySettleSweep: 64))
    }

    func reopen() throws {
        store = nil
        store = try open()
    }

    var databasePath: String { directory + "/" + ContactStore.databaseFileName }

    /// Imports batches in one transaction and commits; returns the totals and the import id.
    @discardableResult
    /// `workWhileIdle`: settle early between batches; `keepCreationRows`: see `beginImport`.
    func importBatches(_ batches: [[ContactRecord]], file: String = "file.csv", sha256: String? = nil,
                       workWhileIdle: Bool = false, keepCreationRows: Bool = false) throws -> (counts: MergeCounts, importId: Int) {
        let session = try store.beginImport(file: file, sha256: sha256 ?? UUID().uuidString, keepCreationRows: keepCreationRows)
        var total = MergeCounts()
        for batch in batches {
            total += try session.merge(batch)
            while workWhileIdle, try session.workWhileIdle() {}
        }
        let final = try session.commit(rowsRead: batches.map(\.count).reduce(0, +), rejected: 0)
        // New contacts and duplicates are known batch by batch; updated/unchanged once settled.
        #expect(final.created == total.created && final.duplicates == total.duplicates,
                "the batches count every new contact and duplicate row")
        return (final, session.importId)
    }

    /// Runs a query through the store's own connection and returns every row as text.
    func rows(_ sql: String) throws -> [[String?]] {
        let statement = try store.db.prepare(sql)
        var result: [[String?]] = []
        let columns = statement.columnCount
        while try statement.step() {
            result.append((0..<columns).map { statement.text(Int32($0)) })
        }
        return result
    }

    /// Every export row as strings.
    func export(_ columns: [String], order: ExportOrder = .email) throws -> [[String?]] {
        var rows: [[String?]] = []
        try store.exportRows(columns: columns, order: order) { row in
            rows.append((0..<row.count).map { row.cell($0).map { String(decoding: $0, as: UTF8.self) } })
        }
        return rows
    }
}

func record(_ email: String, first: String? = nil, last: String? = nil, mobile: String? = nil, type: ContactType? = nil,
            properties: [(String, String)] = [], lists: [String] = [], hubs: [String] = [], badges: [String] = [],
            subscriptions: [(String, Bool)] = [], row: Int = 2) -> ContactRecord {
    ContactRecord(email: email, firstName: first, lastName: last, mobile: mobile, contactType: type,
                  properties: properties.map { PropertyValue(key: $0.0, label: $0.0.capitalized, value: $0.1) },
                  lists: lists, hubs: hubs, badges: badges,
                  subscriptions: subscriptions.map { SubscriptionChange(group: $0.0, subscribed: $0.1) }, sourceRow: row)
}

