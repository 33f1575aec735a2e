import Testing
import Foundation

@Suite struct ImportExportCommandTests {
    @Test func importThenExportChosenColumnsWithFormulaGuard() throws {
        let cli = try CLIHarness()
        try cli.write("people.csv", """
            Email,First Name,Mobile,Favourite Colour,Comment
            a@example.com,Ann,0412 345 678,Blue,=1+1
            b@example.com,Bob,+61 400 000 000,"Red, dark",-5
            B@EXAMPLE.COM,,,Green,@home

            """)
        let imported = try cli.run(["import", "people.csv", "--list", "Spring"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("3 rows read, created 2"))
        #expect(imported.stdout.contains("1 duplicate rows merged"))
        let exported = try cli.run(["export", "--columns", "email,first_name,mobile,favourite_colour,comment,lists"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let text = try cli.latestExport()
        #expect(text == "email,first_name,mobile,favourite_colour,comment,lists\r\n"
                + "a@example.com,Ann,+61412345678,Blue,'=1+1,Spring\r\n"
                + "b@example.com,Bob,+61400000000,Green,'@home,Spring\r\n")
        let unknown = try cli.run(["export", "--columns", "email,shoe_size"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown column \"shoe_size\""))

        // Columns may be named as the spreadsheet labels them; the file names them by key.
        let outbox = cli.files(under: "var/outbox")
        let labelled = try cli.run(["export", "--columns", "Email, First Name,Favourite Colour"])
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(try cli.latestExport().hasPrefix("email,first_name,favourite_colour\r\na@example.com,Ann,Blue\r\n"))
        #expect(cli.files(under: "var/outbox").count == outbox.count + 2)
        // A refused export leaves nothing in the outbox, not even its profile's folder.
        try cli.write("pipeline.json", #"{"exports": [{"name": "crm", "columns": ["email", "shoe size"]}]}"#)
        let refused = try cli.run(["export", "crm"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("unknown column \"shoe size\""), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("var/outbox/crm")))
    }

    @Test func importJSONReportAndDryRun() throws {
        let cli = try CLIHarness()
        try cli.write("p.csv", "Email\nx@example.com\nbad\n")
        let dry = try cli.run(["import", "p.csv", "--dry-run", "--format", "json"])
        #expect(dry.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        let first = (json?["imports"] as? [[String: Any]])?.first
        #expect(first?["created"] as? Int == 1)
        #expect(first?["rejected"] as? Int == 1)
        #expect(first?["status"] as? String == "dry-run")
        let real = try cli.run(["import", "p.csv"])
        #expect(real.status == 1)
        #expect(real.stdout.contains("created 1"))
        #expect(try cli.read("p.csv.errors.csv").contains("the email has no @"))
    }

    /// The same content again under another name is recognised by its checksum, which is
    /// read while the first rows merge: nothing of it is stored, and the first import's
    /// errors file stays as it was (the second's rows go to a temporary file, then away).
    @Test func theSameContentAgainChangesNothingAndKeepsTheErrorsFile() throws {
        let cli = try CLIHarness()
        var text = "Email,First Name,Notes\n"
        for n in 0..<40_000 {
            text += n % 100 == 0 ? "bad-\(n),Bad,\n" : "person\(n)@example.com,P\(n),note \(n)\n"
        }
        try cli.write("big.csv", text)
        let first = try cli.run(["import", "big.csv"])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stdout.contains("created 39600"), "\(first.stdout)")
        let errors = try cli.read("big.csv.errors.csv")
        #expect(errors.split(separator: "\r\n").count == 401)

        try FileManager.default.createDirectory(atPath: cli.path("again"), withIntermediateDirectories: true)
        try cli.write("again/big.csv", text)
        try cli.write("again/big.csv.errors.csv", "an earlier report\n")
        let second = try cli.run(["import", "again/big.csv"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("big.csv: skipped, the same content was already imported"), "\(second.stdout)")
        #expect(try cli.read("again/big.csv.errors.csv") == "an earlier report\n")
        #expect(!cli.files(under: "again").contains { $0.hasSuffix(".partial") })
        #expect(try cli.read("big.csv.errors.csv") == errors)

        let export = try cli.run(["export"])
        #expect(export.status == 0)
        #expect(try cli.latestExport().split(separator: "\r\n").count == 39_601)
    }

    @Test func catPrintsCellsAsRead() throws {
        let cli = try CLIHarness()
        try cli.write("semi.csv", "a;b\r\n\"x;y\";2\r\n")
        let outcome = try cli.run(["cat", "semi.csv"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "a,b\nx;y,2\n")
        let missing = try cli.run(["cat", "nope.csv"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("nope.csv"))
    }

    /// A mistyped store folder must not become an empty store and an export of no contacts.
    @Test func exportingFromAStoreThatIsNotThereFails() throws {
        let cli = try CLIHarness()
        let outcome = try cli.run(["export", "--store", "no-such-store"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("there is no contact store here, so nothing was exported"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("no-such-store")))
        #expect(cli.files(under: "var/outbox").isEmpty)
    }

    /// A store folder whose contacts.sqlite is not a database says so and what to do, not
    /// "check disk space", and leaves the file as it was.
    @Test func aStoreFileThatIsNotADatabaseSaysSo() throws {
        let cli = try CLIHarness()
        let garbage = Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try cli.write("damaged/contacts.sqlite", garbage)
        try cli.write("in.csv", "Email\nok@example.com\n")
        let outcome = try cli.run(["import", "in.csv", "--store", "damaged"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("is not a contact store: restore contacts.sqlite from a backup"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("disk space"), "\(outcome.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("damaged/contacts.sqlite"))) == garbage)
    }

    /// `--errors` names a folder that is made when missing; one that cannot be made, and an
    /// output that cannot be written, say why in the system's words.
    @Test func theErrorsFolderIsMadeAndWriteFailuresSayWhy() throws {
        let cli = try CLIHarness()
        try cli.write("in.csv", "Email\nnot-an-email\nok@example.com\n")
        let made = try cli.run(["import", "in.csv", "--errors", "reports/week 1"])
        #expect(made.status == 1, "\(made.stderr)")
        #expect(try cli.read("reports/week 1/in.csv.errors.csv").contains("not-an-email"))

        try cli.write("a-file", "")
        try cli.write("again.csv", "Email\nbad\n")
        let blocked = try cli.run(["import", "again.csv", "--errors", "a-file/sub"])
        #expect(blocked.status == 3)
        #expect(blocked.stderr.contains("Could not create the errors folder a-file/sub: Not a directory."), "\(blocked.stderr)")
        #expect(try cli.run(["export", "--columns", "email"]).status == 0)
        #expect(try cli.latestExport() == "email\r\nok@example.com\r\n", "nothing of again.csv was imported")

        let full = Process()
        full.executableURL = CLIHarness.binary
        full.arguments = ["cat", "in.csv"]
        full.currentDirectoryURL = cli.root
        full.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let errors = Pipe()
        full.standardError = errors
        try full.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        full.waitUntilExit()
        #expect(full.terminationStatus == 3)
        #expect(message.contains("standard output: cannot be written (No space left on device)"), "\(message)")
    }
}
