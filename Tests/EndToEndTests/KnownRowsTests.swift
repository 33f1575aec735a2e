import Foundation
import Testing

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
        #expect(again["knownRows"] as? Int == 5_000, "the filler's rows; x's and y's are read")
        #expect(again["unchanged"] as? Int == 5_002)
        #expect(again["updated"] as? Int == 0)
        let swapped = try importJSON(cli, "c.csv", rows: late + filler + early)
        #expect(swapped["updated"] as? Int == 1, "x: Ann now comes last")
        #expect(swapped["unchanged"] as? Int == 5_001)
        #expect(try cli.run(["export", "--columns", "email,first_name,colour"]).status == 0)
        let export = try cli.latestExport()
        #expect(export.contains("\r\nx@example.com,Ann,Blue\r\n") && export.contains("\r\ny@example.com,Yan,Red\r\n"))
    }
}
