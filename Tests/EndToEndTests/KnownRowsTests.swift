import Foundation
import Testing
import ContactStore

/// Rows already applied to their contact are recognised by their digest and skipped unread on
/// a later import; the outcome must always be what reading them would give.
@Suite struct KnownRowsTests {
    static let header = "Email,First Name,Mobile,Colour\n"

    func json(_ outcome: CLIHarness.Outcome) throws -> [String: Any] {
        let root = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return (root?["imports"] as? [[String: Any]])?.first ?? [:]
    }

    /// Writes `rows` under the header as `name`, imports it and returns its JSON summary.
    func importJSON(_ cli: CLIHarness, _ name: String, rows: String, _ options: [String] = []) throws -> [String: Any] {
        try cli.write(name, Self.header + rows)
        return try json(cli.run(["import", name] + options + ["--format", "json"]))
    }

    @Test func theSameRowsAgainAreSkippedUnreadAndChangeNothing() throws {
        let cli = try CLIHarness()
        let rows = (0..<50).map { "p\($0)@example.com,P\($0),0412 345 \(String(format: "%03d", $0)),Blue\n" }.joined()
        try cli.write("a.csv", Self.header + rows)
        try cli.write("b.csv", Self.header + rows + "\n")
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let again = try json(cli.run(["import", "b.csv", "--format", "json"]))
        #expect(again["knownRows"] as? Int == 50)
        #expect(again["unchanged"] as? Int == 50)
        #expect(again["updated"] as? Int == 0)
    }

    /// A known row after a changed row of the same email must still be applied after it.
    @Test func aKnownRowAfterAChangeOfTheSameContactIsStillApplied() throws {
        let cli = try CLIHarness()
        try cli.write("one.csv", Self.header + "x@example.com,Ann,,Blue\ny@example.com,Yan,,Red\n")
        #expect(try cli.run(["import", "one.csv"]).status == 0)
        // The Ann row is x's known last row; Bea comes first here, so Ann must win again.
        let two = try importJSON(cli, "two.csv", rows: "x@example.com,Bea,,Green\nx@example.com,Ann,,Blue\ny@example.com,Yan,,Red\n")
        #expect(two["knownRows"] as? Int == 1, "only y's row is skipped")
        #expect(two["unchanged"] as? Int == 2)
        // Now Ann (still x's last row) is known and comes first: Bea after it wins.
        let three = try importJSON(cli, "three.csv", rows: "x@example.com,Ann,,Blue\nx@example.com,Bea,,Green\n")
        #expect(three["knownRows"] as? Int == 1)
        #expect(three["updated"] as? Int == 1)
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        #expect(try cli.latestExport() == "email,first_name,colour\r\nx@example.com,Bea,Green\r\ny@example.com,Yan,Red\r\n")
    }

    /// Same, with the change and the known row in different batches (13,000 rows apart).
    @Test func aKnownRowInALaterBatchAfterAChangeIsStillApplied() throws {
        let cli = try CLIHarness()
        try cli.write("one.csv", Self.header + "x@example.com,Ann,,Blue\n")
        #expect(try cli.run(["import", "one.csv"]).status == 0)
        let filler = (0..<13_000).map { "f\($0)@example.com,F,,\n" }.joined()
        try cli.write("two.csv", Self.header + "x@example.com,Bea,,Green\n" + filler + "x@example.com,Ann,,Blue\n")
        #expect(try cli.run(["import", "two.csv"]).status == 0)
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        #expect(try cli.latestExport().hasPrefix("email,first_name,colour\r\nx@example.com,Ann,Blue\r\n"))
    }

    /// A row kept with a warning is read again (its warning reported again), and a row read
    /// for another list is not the same row.
    @Test func rowsWithWarningsOrAnotherListAreReadAgain() throws {
        let cli = try CLIHarness()
        try cli.write("a.csv", Self.header + "w@example.com,Wes,not a number,Blue\nz@example.com,Zoe,,Red\n")
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let again = try importJSON(cli, "b.csv", rows: "w@example.com,Wes,not a number,Blue\nz@example.com,Zoe,,Red\n\n")
        #expect(again["knownRows"] as? Int == 1, "only the row without a warning is known")
        #expect(again["warnings"] as? Int == 1)
        #expect(try cli.read("b.csv.errors.csv").contains("not a phone number"))
        let listed = try importJSON(cli, "c.csv", rows: "z@example.com,Zoe,,Red\n", ["--list", "VIP"])
        #expect(listed["knownRows"] as? Int == 0)
        #expect(listed["updated"] as? Int == 1)
    }

    /// Contacts whose rows lie in different batches: a copy of the file changes nothing (their
    /// stored digest is that of all their rows), and the same rows in another order are folded
    /// again, the later non-empty value winning.
    @Test func severalRowsOfAContactAgainChangeNothing() throws {
        let cli = try CLIHarness()
        let filler = (0..<5_000).map { "f\($0)@example.com,F\($0),,\n" }.joined()
        let early = "x@example.com,Ann,,Blue\ny@example.com,Yan,,\n"
        let late = "x@example.com,Bea,,\ny@example.com,,,Red\n"
        try cli.write("a.csv", Self.header + early + filler + late)
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let again = try importJSON(cli, "b.csv", rows: early + filler + late + "\n")
        #expect(again["knownRows"] as? Int == 5_004, "the filler's rows, and x's and y's held back then matched")
        #expect(again["unchanged"] as? Int == 5_002)
        #expect(again["updated"] as? Int == 0)
        let swapped = try importJSON(cli, "c.csv", rows: late + filler + early)
        #expect(swapped["updated"] as? Int == 1, "x: Ann now comes last")
        #expect(swapped["unchanged"] as? Int == 5_001)
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        let export = try cli.latestExport()
        #expect(export.contains("\r\nx@example.com,Ann,Blue\r\n") && export.contains("\r\ny@example.com,Yan,Red\r\n"))
    }

    /// x's last change came from two rows (Ann, Blue; then Bea): the store keeps the digest of
    /// both, and a re-import holds x's rows back until it knows whether they are the same two.
    static let twoRows = "x@example.com,Ann,,Blue\n"
    static let secondRow = "x@example.com,Bea,,\n"
    static let filler = (0..<3_000).map { "f\($0)@example.com,F\($0),,\n" }.joined()

    /// Imports x's two rows (with the filler between them), then `rows`; returns the second
    /// import's summary and x's exported row.
    func reimport(_ rows: String) throws -> (summary: [String: Any], x: String) {
        let cli = try CLIHarness()
        try cli.write("a.csv", Self.header + Self.twoRows + Self.filler + Self.secondRow)
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let summary = try importJSON(cli, "b.csv", rows: rows)
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        let x = try cli.latestExport().split(separator: "\r\n").first { $0.hasPrefix("x@") }.map(String.init) ?? ""
        return (summary, x)
    }

    /// Only the first of x's rows: folding it over the stored contact makes Ann win again.
    @Test func heldRowsThatAreFewerThanTheStoredOnesAreFolded() throws {
        let (summary, x) = try reimport(Self.twoRows + Self.filler)
        #expect(summary["knownRows"] as? Int == 3_000)
        #expect(summary["updated"] as? Int == 1)
        #expect(x == "x@example.com,Ann,Blue")
    }

    /// A changed row of x after a held one: the held row is folded first, then the change.
    /// (A no-break space after the email keeps that row from being held itself: it takes the
    /// held row back when it is normalised.)
    @Test func aChangedRowAfterHeldRowsIsFoldedAfterThem() throws {
        let (summary, x) = try reimport(Self.twoRows + Self.filler + "X@Example.com\u{A0},,,Green\n")
        #expect(summary["updated"] as? Int == 1)
        #expect(x == "x@example.com,Ann,Green", "Ann from the held row, Green from the change after it")
    }

    /// The same with the held row and the change in the same batch.
    @Test func aChangedRowRightAfterAHeldRowIsFoldedAfterIt() throws {
        let (summary, x) = try reimport(Self.twoRows + "X@Example.com\u{A0},,,Green\n" + Self.filler)
        #expect(summary["updated"] as? Int == 1)
        #expect(x == "x@example.com,Ann,Green")
    }

    /// Both rows again and a third: all three are folded, in file order.
    @Test func anExtraRowAfterTheStoredRowsIsFoldedAfterThem() throws {
        let (summary, x) = try reimport(Self.twoRows + Self.filler + Self.secondRow + "x@example.com,Cy,,\n")
        #expect(summary["updated"] as? Int == 1)
        #expect(summary["knownRows"] as? Int == 3_000)
        #expect(x == "x@example.com,Cy,Blue")
    }

    /// A held row taken back at the end still has its warning reported.
    @Test func aHeldRowTakenBackReportsItsWarning() throws {
        let (summary, x) = try reimport(Self.twoRows + Self.filler + Self.secondRow + "x@example.com,,not a number,\n")
        #expect(summary["warnings"] as? Int == 1)
        #expect(summary["updated"] as? Int == 1)
        #expect(x == "x@example.com,Bea,Blue")
    }

    /// The same rows, both again: nothing is read, and a third import still finds them.
    @Test func heldRowsThatAreTheStoredOnesAreSkipped() throws {
        let cli = try CLIHarness()
        let rows = Self.twoRows + Self.filler + Self.secondRow
        try cli.write("a.csv", Self.header + rows)
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        for name in ["b.csv", "c.csv"] {
            let summary = try importJSON(cli, name, rows: rows + (name == "b.csv" ? "\n" : "\n\n"))
            #expect(summary["knownRows"] as? Int == 3_002)
            #expect(summary["unchanged"] as? Int == 3_001)
            #expect(summary["duplicates"] as? Int == 1)
        }
    }

    /// Two emails whose `KnownRows.emailKey`s are equal (32 bits: a few among 300,000).
    static func emailsSharingAKey() -> (String, String)? {
        var byKey: [UInt32: String] = [:]
        for n in 0..<300_000 {
            let email = "k\(n)@example.com"
            if let other = byKey.updateValue(email, forKey: KnownRows.emailKey(email)) { return (other, email) }
        }
        return nil
    }

    /// c (last changed by two rows) and d (by one) share an email key. A changed row of d is
    /// held under c's key; d's known row after it must not be skipped ahead of it.
    @Test func aKnownRowWhoseKeyHasHeldRowsComesAfterThem() throws {
        let (c, d) = try #require(Self.emailsSharingAKey())
        let cli = try CLIHarness()
        try cli.write("a.csv", Self.header + "\(c),Cal,,Blue\n\(c),Cy,,\n\(d),Dan,,Red\n")
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let again = try importJSON(cli, "b.csv", rows: "\(d),Rex,,Green\n\(d),Dan,,Red\n")
        #expect(again["knownRows"] as? Int == 0, "d's known row comes after a held row with its key")
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        let export = try cli.latestExport()
        #expect(export.contains("\r\n\(d),Dan,Red\r\n"), "Rex, then Dan again: \(export)")
        #expect(export.contains("\r\n\(c),Cy,Blue\r\n"))
    }

    /// The reader's own warnings (here a short row) are reported once, whether the file is
    /// mostly known (read on one thread, decided on the store's) or mostly new (read and
    /// normalised on the reading thread, after its first records were read to tell which).
    /// (1,000 rows: the whole file is in the first records read; 3,000: it is not.)
    @Test(arguments: [true, false], [1_000, 3_000])
    func readerWarningsAreReportedOnceEitherWay(mostlyKnown: Bool, count: Int) throws {
        let cli = try CLIHarness()
        let rows = (0..<count).map { "p\($0)@example.com,P\($0),,Blue\n" }.joined()
        try cli.write("a.csv", Self.header + rows)
        #expect(try cli.run(["import", "a.csv"]).status == 0)
        let other = (0..<count).map { "n\($0)@example.com,N\($0),,Red\n" }.joined()
        let summary = try importJSON(cli, "b.csv", rows: (mostlyKnown ? rows : other) + "short@example.com,Shorty\n")
        #expect(summary["warnings"] as? Int == 1, "\(summary)")
        #expect(summary["knownRows"] as? Int == (mostlyKnown ? count : 0))
        #expect(summary["created"] as? Int == (mostlyKnown ? 1 : count + 1))
        #expect(try cli.read("b.csv.errors.csv").components(separatedBy: "has 2 fields but the header has 4").count == 2)
    }
}
