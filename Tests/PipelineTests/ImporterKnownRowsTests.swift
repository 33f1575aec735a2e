import Testing
import Foundation
import ContactStore
@testable import Pipeline

/// Known rows are only an optimisation: an import must leave the same store whether it loads
/// them or merges every row.
@Suite struct ImporterKnownRowsTests {
    let temporary = TemporaryFolder("importer-known")

    static let header = "Email,First Name,Mobile,Colour,Hubs\n"

    /// The first file: 2,500 contacts, one in seven with a second row that changes it.
    static func firstRows() -> [String] {
        var rows: [String] = []
        for i in 0..<2_500 {
            rows.append("p\(i)@example.com,P\(i),0412 \(String(format: "%06d", i)),Blue,Perth\n")
            if i % 7 == 0 { rows.append("P\(i)@Example.com ,,,Green,Darwin\n") }
        }
        return rows
    }

    /// The second file: the first file's rows (known), some changed, new contacts, repeats,
    /// a known row after a change of its own contact, and a bad row.
    static func secondRows() -> [String] {
        let first = firstRows()
        var rows = Array(first[0..<900])
        for i in 1000..<1300 { rows.append("p\(i)@example.com,Changed\(i),,Mauve,Perth; Hobart\n") }
        for i in 5000..<5200 { rows.append("n\(i)@example.com,N\(i),0412 345 678,,\n") }
        for i in 1000..<1100 { rows.append("p\(i)@example.com,,,Red,\n") }
        rows.append("p3@example.com,Bea,,,\n")
        rows.append(first.first { $0.hasPrefix("p3@") }!)
        rows.append("not-an-email,Bad,,,\n")
        return rows
    }

    static let columns = ["email", "first_name", "last_name", "mobile", "contact_type", "created_at", "updated_at",
                          "lists", "hubs", "badges", "colour"]

    /// Every live contact, every column, as text.
    func dump(_ store: ContactStore) throws -> [String] {
        var lines: [String] = []
        try store.exportRows(columns: Self.columns) { row in
            lines.append((0..<row.count).map { row.cell($0).map { String(decoding: $0, as: UTF8.self) } ?? "" }.joined(separator: "|"))
        }
        return lines
    }

    /// Imports `first`, then `second` with the known rows loaded and without, each pair into a
    /// store of its own (`name`-true, `name`-false): the second imports' summaries and the
    /// stores, loaded first.
    func importSecond(_ second: String, after first: String, stores name: String) throws -> [(summary: ImportSummary, store: ContactStore)] {
        let config = PipelineConfig(baseDirectory: temporary.path)
        return try [true, false].map { load in
            let options = StoreOptions(cacheMiB: 8, clock: { 1_800_000_000 })
            let store = try ContactStore(directory: (temporary.path as NSString).appendingPathComponent("\(name)-\(load)"), options: options)
            _ = try Importer(config: config).run(ImportRequest(path: first), store: store)
            var request = ImportRequest(path: second)
            request.loadKnownRows = load
            return (try Importer(config: config).run(request, store: store), store)
        }
    }

    @Test func loadingKnownRowsOrNotLeavesTheSameStore() throws {
        let first = try temporary.write("first.csv", Self.header + Self.firstRows().joined())
        let second = try temporary.write("second.csv", Self.header + Self.secondRows().joined())
        let outcomes = try importSecond(second, after: first, stores: "store").map { (summary, store) in
            (summary: summary, dump: try dump(store),
             history: try ["p3@example.com", "p1000@example.com", "p7@example.com"].map { try store.history(email: $0, key: nil) })
        }
        let (loaded, merged) = (outcomes[0], outcomes[1])
        #expect(loaded.summary.knownRows > 800, "the first file's rows were skipped unread")
        #expect(merged.summary.knownRows == 0)
        #expect(loaded.summary.created == 200 && merged.summary.created == 200)
        #expect(loaded.summary.updated == merged.summary.updated)
        #expect(loaded.summary.unchanged == merged.summary.unchanged)
        #expect(loaded.summary.duplicates == merged.summary.duplicates)
        #expect(loaded.summary.rejected == 1 && merged.summary.rejected == 1)
        #expect(loaded.dump.count == 2_700)
        #expect(loaded.dump == merged.dump)
        #expect(loaded.history == merged.history)
        #expect(loaded.dump.contains { $0.hasPrefix("p3@example.com|P3|") }, "the known row after Bea wins again")
    }

    /// A file far bigger than the store's known rows is read as a new one even when its first
    /// rows are known (then its known rows are still skipped by the reading thread).
    @Test func aFileFarBiggerThanTheKnownRowsIsNotMostlyKnown() {
        #expect(!RecordDecider.tooBigToBeMostlyKnown(rows: nil, knownRows: 10), "no estimate: the first rows decide")
        #expect(!RecordDecider.tooBigToBeMostlyKnown(rows: 40, knownRows: 10))
        #expect(RecordDecider.tooBigToBeMostlyKnown(rows: 41, knownRows: 10))
        #expect(RecordDecider.tooBigToBeMostlyKnown(rows: 1, knownRows: 0))
    }

    /// A growing list exported again, oldest contacts first: the known rows come first, then
    /// many more new rows and later rows for known contacts. It ends as merging every row does.
    @Test func aGrowingListWhoseStartIsKnownEndsAsMergingEveryRow() throws {
        let firstRows = Self.firstRows()
        let first = try temporary.write("first.csv", Self.header + firstRows.joined())
        var grown = firstRows
        for n in 0..<(firstRows.count * 5) { grown.append("new\(n)@example.com,New\(n),,,\n") }
        grown.append("p3@example.com,Later,,,\n")
        let second = try temporary.write("grown.csv", Self.header + grown.joined())
        #expect(RecordDecider.tooBigToBeMostlyKnown(rows: RowEstimate.rows(path: second, format: .csv), knownRows: firstRows.count))
        let outcomes = try importSecond(second, after: first, stores: "grown").map { (summary: $0.summary, dump: try dump($0.store)) }
        let (loaded, merged) = (outcomes[0], outcomes[1])
        #expect(loaded.summary.knownRows > firstRows.count / 2, "the known start was skipped unread")
        #expect(loaded.summary.created == firstRows.count * 5 && merged.summary.created == firstRows.count * 5)
        #expect(loaded.summary.updated == merged.summary.updated && loaded.summary.updated >= 1)
        #expect(loaded.summary.unchanged == merged.summary.unchanged)
        #expect(loaded.dump == merged.dump)
        #expect(loaded.dump.contains { $0.hasPrefix("p3@example.com|Later|") })
    }

    /// Random stores and files: a file of rows the store has, changed rows of its contacts,
    /// new contacts and repeats, from a tenth of the store's size (read deciding each row) to
    /// eight times it (read as a new file, its new emails ruled out by the stored emails'
    /// filter without a lookup). Loading the known rows or not ends in the same store.
    @Test func randomFilesEndTheSameWithOrWithoutKnownRows() throws {
        var state: UInt64 = 20_261_207
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(1, bound)))
        }
        for round in 0..<12 {
            let people = 20 + next(300)
            func row(_ n: Int) -> String {
                let email = [" p\(n)@Example.com", "p\(n)@example.com", "P\(n)@EXAMPLE.COM "][next(3)]
                return "\(email),\(["", "P\(n)", "Q\(n)"][next(3)]),\(["", "0412 \(String(format: "%06d", n))"][next(2)]),"
                    + "\(["Blue", "", "Red"][next(3)]),\(["Perth", "", "Darwin; Perth"][next(3)])\n"
            }
            var firstRows: [String] = []
            for n in 0..<people { firstRows.append(row(n)); if next(5) == 0 { firstRows.append(row(n)) } }
            let first = try temporary.write("first\(round).csv", Self.header + firstRows.joined())
            var secondRows: [String] = []
            let size = max(1, people * [1, 5, 10, 40, 80][next(5)] / 10)
            for _ in 0..<size {
                switch next(6) {
                case 0, 1: secondRows.append(firstRows[next(firstRows.count)])
                case 2: secondRows.append(row(next(people)))
                case 3: secondRows.append(secondRows.isEmpty ? row(people) : secondRows[next(secondRows.count)])
                default: secondRows.append(row(people + next(people * 8)))
                }
            }
            let second = try temporary.write("second\(round).csv", Self.header + secondRows.joined())
            let outcomes = try importSecond(second, after: first, stores: "random\(round)").map { (summary, store) in
                (summary: summary, dump: try dump(store),
                 history: try (0..<people).map { try store.history(email: "p\($0)@example.com", key: nil) })
            }
            let (loaded, merged) = (outcomes[0], outcomes[1])
            #expect(merged.summary.knownRows == 0)
            #expect(loaded.summary.created == merged.summary.created, "round \(round)")
            #expect(loaded.summary.updated == merged.summary.updated, "round \(round)")
            #expect(loaded.summary.unchanged == merged.summary.unchanged, "round \(round)")
            #expect(loaded.summary.duplicates == merged.summary.duplicates, "round \(round)")
            #expect(loaded.dump == merged.dump, "round \(round)")
            #expect(loaded.history == merged.history, "round \(round)")
        }
    }

    @Test func theRowsOfAFileAreEstimatedFromItsStart() throws {
        let small = try temporary.write("small.csv", Self.header + "a@example.com,A,,,\n")
        #expect(RowEstimate.rows(path: small, format: .csv) == 2)
        // Longer than the sample: 20,000 lines of 37 bytes.
        let lines = (0..<20_000).map { String(format: "p%05d@example.com,P,0412 345 678,,\n", $0) }.joined()
        let big = try temporary.write("big.csv", lines)
        let estimate = try #require(RowEstimate.rows(path: big, format: .csv))
        #expect(abs(estimate - 20_000) < 200, "\(estimate)")
        #expect(RowEstimate.rows(path: big, format: .xlsx) == (lines.utf8.count + 79) / 80)
        #expect(RowEstimate.rows(path: temporary.path + "/missing.csv", format: .csv) == nil)
        #expect(Importer.knownRowsLoading(ImportRequest(path: small), estimatedRows: RowEstimate.rows(path: small, format: .csv))
                == .ifWorthIt(rows: 2))
    }

    @Test func askingForThemOrNotOverridesTheEstimate() throws {
        let path = try temporary.write("small.csv", Self.header + "a@example.com,A,,,\n")
        var forced = ImportRequest(path: path)
        forced.loadKnownRows = true
        #expect(Importer.knownRowsLoading(forced, estimatedRows: RowEstimate.rows(path: path, format: .csv)) == .always)
        forced.loadKnownRows = false
        #expect(Importer.knownRowsLoading(forced, estimatedRows: RowEstimate.rows(path: path, format: .csv)) == .never)
        #expect(KnownRowsLoading.ifWorthIt(rows: 400).shouldLoad(storedContacts: 1_000))
        #expect(!KnownRowsLoading.ifWorthIt(rows: 399).shouldLoad(storedContacts: 1_000))
    }
}
