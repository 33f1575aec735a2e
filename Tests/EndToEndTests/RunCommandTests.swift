import Testing
import Foundation

@Suite struct RunCommandTests {
    @Test func samplesFlowFromInboxToStoreToOutbox() throws {
        let cli = try CLIHarness()
        try cli.seedSamples()
        let first = try cli.run(["run"])
        // The messy sample has rejected rows, so the run ends with exit code 1.
        #expect(first.status == 1, "\(first.stderr)")
        // Files are taken in name order: the list subfolder first, so Olivia already exists.
        #expect(first.stdout.contains("hub-signups.csv: 4 rows read, created 4"))
        #expect(first.stdout.contains("spring-competition-entries.csv: 10 rows read, created 9, updated 1, unchanged 0"))
        #expect(first.stdout.contains("messy-crm-dump.csv: 8 rows read, created 4, updated 0, unchanged 0, 1 duplicate rows merged, rejected 3, 1 warnings"))
        #expect(first.stdout.contains("messy-crm-dump.csv:"))
        #expect(first.stdout.contains("export contacts:"))

        // Everything left the inbox: archived, with an errors file for the messy one.
        let archived = cli.files(under: "var/archive")
        #expect(archived.contains { $0.hasSuffix("/messy-crm-dump.csv") })
        #expect(archived.contains { $0.hasSuffix("/messy-crm-dump.csv.errors.csv") })
        #expect(archived.contains { $0.hasSuffix("/hub-signups.csv") })
        #expect(cli.files(under: "var/inbox").filter { !$0.hasPrefix(".") }.allSatisfy { !$0.contains(".csv") })

        let errorsName = archived.first { $0.hasSuffix("messy-crm-dump.csv.errors.csv") }!
        let errors = try cli.read("var/archive/" + errorsName)
        #expect(errors.contains("the email has no @"))
        #expect(errors.contains("the email is empty"))
        #expect(errors.contains("has no dot"))
        #expect(errors.contains("ask at front desk"))

        // The export holds the merged contacts: duplicates folded, types only up, E.164 mobiles.
        let export = try cli.latestExport()
        let lines = export.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "email,first_name,last_name,mobile,contact_type,created_at,updated_at")
        let grace = lines.filter { $0.hasPrefix("grace.lee@example.com,") }
        #expect(grace.count == 1)
        #expect(grace.first?.contains(",Grace,Lee,+61413111222,Authenticated,") == true)
        // A later non-empty value wins: the spring file (read last) says Nguyen.
        #expect(lines.contains { $0.hasPrefix("olivia.nguyen@example.com,Olivia,Nguyen,+61412345678,Identified,") })
        #expect(lines.contains { $0.hasPrefix("henry.clark@example.com,Henry,Clark,+61455666777,Anonymous,") })
        #expect(!lines.contains { $0.contains("not-an-email") })
        let manifests = cli.files(under: "var/outbox/contacts").filter { $0.hasSuffix(".manifest.json") }
        #expect(manifests.count == 1)

        // The same files again: recognised by content and skipped.
        try cli.seedSamples()
        let second = try cli.run(["run"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("spring-competition-entries.csv: skipped, the same content was already imported"))
    }

    @Test func dryRunWritesNothing() throws {
        let cli = try CLIHarness()
        try cli.seedSamples()
        let outcome = try cli.run(["run", "--dry-run", "--format", "json"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let imports = json?["imports"] as? [[String: Any]] ?? []
        #expect(imports.count == 3)
        #expect(imports.allSatisfy { $0["status"] as? String == "dry-run" })
        // With no errors file, the text report says which rows would be refused and why.
        let text = try cli.run(["run", "--dry-run"])
        #expect(text.stdout.contains("messy-crm-dump.csv: 8 rows read, would create 4"), "\(text.stdout)")
        #expect(text.stdout.contains("\n  row 4, A (Email): rejected, the email has no @ (\"not-an-email\")\n"), "\(text.stdout)")
        #expect(text.stdout.contains("\n  row 7: warning, column C (Mobile): \"ask at front desk\""), "\(text.stdout)")
        #expect(cli.files(under: "var/archive").isEmpty)
        #expect(cli.files(under: "var/outbox").isEmpty)
        #expect(cli.files(under: "var/inbox").filter { $0.hasSuffix(".csv") }.count == 3)
        let export = try cli.run(["export"])
        #expect(export.status == 0)
        #expect(try cli.latestExport().split(separator: "\r\n").count == 1) // header only: nothing was stored
    }

    /// A dry run of several files reports what a real run would do: each file sees the ones
    /// before it (a contact the first creates, the second updates; a copy is already imported),
    /// and the store is left exactly as it was.
    @Test func aDryRunOfSeveralFilesCountsAsTheRunWould() throws {
        let cli = try CLIHarness()
        try cli.write("var/inbox/a-first.csv", "Email,First Name\nann@example.com,Ann\nbob@example.com,Bob\n")
        try cli.write("var/inbox/b-second.csv", "Email,First Name,Colour\nann@example.com,Ann,Red\ncy@example.com,Cy,Blue\n")
        try cli.write("var/inbox/c-copy.csv", "Email,First Name\nann@example.com,Ann\nbob@example.com,Bob\n")
        func counts(_ outcome: CLIHarness.Outcome) throws -> [String] {
            let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            return (json?["imports"] as? [[String: Any]] ?? []).map {
                "\($0["file"] ?? "") created \($0["created"] ?? "") updated \($0["updated"] ?? "") unchanged \($0["unchanged"] ?? "")"
            }
        }
        let dry = try cli.run(["run", "--dry-run", "--format", "json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("the same content as a-first.csv, earlier in this dry run"), "\(dry.stdout)")
        let text = try cli.run(["import", "--dry-run", cli.path("var/inbox/a-first.csv"), cli.path("var/inbox/b-second.csv")])
        #expect(text.stdout.contains("b-second.csv: 2 rows read, would create 1, updated 1, unchanged 0"), "\(text.stdout)")
        #expect(try cli.run(["export"]).status == 0)
        #expect(try cli.latestExport().split(separator: "\r\n").count == 1, "the dry runs stored nothing")

        let real = try cli.run(["run", "--format", "json"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(try counts(dry) == (try counts(real)))
        #expect(try counts(real) == ["a-first.csv created 2 updated 0 unchanged 0", "b-second.csv created 1 updated 1 unchanged 0",
                                     "c-copy.csv created 0 updated 0 unchanged 0"])
    }

    @Test func unreadableFilesGoToFailedWithAReason() throws {
        let cli = try CLIHarness()
        try cli.write("var/inbox/broken.csv", "Email,Name\na@example.com,\"unterminated\nb@example.com,B\n")
        try cli.write("var/inbox/noemail.csv", "Name,Phone\nJo,0412345678\n")
        try cli.write("var/inbox/picture.csv", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 3)
        let failed = cli.files(under: "var/failed")
        #expect(failed.contains("broken.csv.reason.txt"))
        #expect(try cli.read("var/failed/noemail.csv.reason.txt").contains("no email column was found (the columns are: \"Name\", \"Phone\")"))
        #expect(try cli.read("var/failed/picture.csv.reason.txt").contains("PNG"))
        #expect(try cli.read("var/failed/broken.csv.reason.txt").contains("line 2"))
        // Nothing half-imported: the broken file's first good row is not in the store.
        _ = try cli.run(["export"])
        #expect(!(try cli.latestExport()).contains("a@example.com"))
    }

    /// A run killed in the middle of an import (power cut, `kill -9`) leaves its claim and a
    /// half-written errors file; the next run imports the file once, whole, and files the
    /// errors file away complete, with nothing of the killed attempt left over.
    @Test func aRunKilledMidImportIsFinishedByTheNextOne() throws {
        let cli = try CLIHarness()
        let rows = 200_000
        var text = "Email,First Name,Colour\n"
        text.reserveCapacity(rows * 40)
        var bad = 0
        for i in 0..<rows {
            if i % 97 == 0 {
                text += "not-an-email-\(i),Bad,Red\n"
                bad += 1
            } else {
                text += "person\(i)@example.com,Name\(i),Blue\n"
            }
        }
        try cli.write("var/inbox/big.csv", text)

        let process = Process()
        process.executableURL = CLIHarness.binary
        process.arguments = ["run"]
        process.currentDirectoryURL = cli.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once rows are being imported: the errors file is open under its temporary name.
        let deadline = Date().addingTimeInterval(60)
        var partial: String?
        while partial == nil, process.isRunning, Date() < deadline {
            partial = cli.files(under: "var/inbox/.processing").first { $0.hasSuffix(".errors.csv.partial") }
            if partial == nil { usleep(2_000) }
        }
        usleep(100_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(partial != nil, "the import ended before it could be killed")
        #expect(cli.files(under: "var/archive").isEmpty, "the killed run finished the import")

        let next = try cli.run(["run"])
        #expect(next.status == 1, "\(next.stderr)")
        #expect(next.stdout.contains("big.csv: \(rows) rows read, created \(rows - bad), updated 0, unchanged 0"), "\(next.stdout)")
        let archived = cli.files(under: "var/archive")
        #expect(archived.filter { $0.hasSuffix("/big.csv") }.count == 1, "\(archived)")
        let errorsName = try #require(archived.first { $0.hasSuffix("/big.csv.errors.csv") })
        let errors = try cli.read("var/archive/" + errorsName)
        #expect(errors.split(separator: "\r\n").count == bad + 1)
        #expect(!archived.contains { $0.hasSuffix(".partial") || $0.contains("errors.csv.errors") }, "\(archived)")
        #expect(cli.files(under: "var/inbox/.processing").isEmpty)
        let export = try cli.latestExport()
        #expect(export.split(separator: "\r\n").count == rows - bad + 1)
    }

    /// A run stopped after its import was saved but before it filed the claim away leaves the
    /// claim with its finished errors file; the next run finds the import done and files both
    /// away, so the marketer still gets the rejected rows.
    @Test func aRunStoppedBeforeFilingAwayKeepsItsErrorsFile() throws {
        let cli = try CLIHarness()
        let text = "Email,First Name\nann@example.com,Ann\nnot-an-email,Bad\n"
        try cli.write("var/inbox/entries.csv", text)
        let first = try cli.run(["run"])
        #expect(first.status == 1, "\(first.stderr)")
        let archived = cli.files(under: "var/archive")
        let errorsName = try #require(archived.first { $0.hasSuffix("/entries.csv.errors.csv") })
        let errors = try cli.read("var/archive/" + errorsName)
        #expect(errors.contains("not-an-email"))
        // What the stopped run left: the claim and its published errors file, nothing archived.
        try FileManager.default.removeItem(atPath: cli.path("var/archive"))
        try cli.write("var/inbox/.processing/1800000000000-42-7/entries.csv", text)
        try cli.write("var/inbox/.processing/1800000000000-42-7/.errors.csv", errors)
        try cli.write("var/inbox/.processing/1800000000000-42-7/..errors.csv.partial", "half")

        let next = try cli.run(["run"])
        #expect(next.status == 0, "\(next.stdout) \(next.stderr)")
        #expect(next.stdout.contains("entries.csv: skipped, the same content was already imported"), "\(next.stdout)")
        let refiled = cli.files(under: "var/archive")
        let kept = try #require(refiled.first { $0.hasSuffix("/entries.csv.errors.csv") }, "\(refiled)")
        #expect(try cli.read("var/archive/" + kept) == errors)
        #expect(cli.files(under: "var/inbox/.processing").isEmpty)
    }

    /// A second run while one is working on the inbox (a scheduler firing again during a long
    /// import) does nothing and says why; once the first is gone, runs work again.
    @Test func oneRunAtATimeOnAnInbox() throws {
        let cli = try CLIHarness()
        try cli.seedSamples()
        // This test process plays the first run: it holds the inbox's lock.
        let descriptor = open(cli.path("var/inbox/.run.lock"), O_RDWR | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        _ = "4242\n".withCString { write(descriptor, $0, 5) }
        let blocked = try cli.run(["run"])
        #expect(blocked.status == 5, "\(blocked.stdout) \(blocked.stderr)")
        #expect(blocked.stderr.contains("Another contacts run (process 4242) is working on the inbox"), "\(blocked.stderr)")
        #expect(cli.files(under: "var/inbox").filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.count == 3)
        #expect(cli.files(under: "var/archive").isEmpty)
        #expect(cli.files(under: "var/outbox").isEmpty)
        // A dry run only reads, so it is not kept out.
        #expect(try cli.run(["run", "--dry-run"]).status == 1)

        close(descriptor)
        let next = try cli.run(["run"])
        #expect(next.status == 1, "\(next.stderr)")
        #expect(next.stdout.contains("hub-signups.csv: 4 rows read, created 4"))
        #expect(cli.files(under: "var/archive").contains { $0.hasSuffix("/hub-signups.csv") })
    }

    @Test func filesTheRunLeavesAloneAreNamedWithWhy() throws {
        let cli = try CLIHarness()
        try cli.write("var/inbox/VIP/week 1/entries.csv", "Email\na@example.com\n")
        try cli.write("var/inbox/fresh.csv", "Email\nb@example.com\n", age: 0)
        try cli.write("var/inbox/~$book.xlsx", "lock")
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("VIP/week 1/: left in the inbox, a folder inside the list folder \"VIP\""), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("fresh.csv: left in the inbox, still being written"))
        #expect(outcome.stdout.contains("~$book.xlsx: left in the inbox, an Office lock file"))
        let dry = try cli.run(["run", "--dry-run", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        let skipped = (json?["leftInInbox"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(skipped.contains("VIP/week 1/"), "\(dry.stdout)")
        #expect((json?["waiting"] as? [[String: Any]])?.count == skipped.count, "the first name of the list stays")
    }

    /// A name at the file system's limit has no room for ".errors.csv": the run must still
    /// import it and archive it with its errors file and report, not fail on it every time.
    @Test func aFileNamedToTheLimitIsImportedAndArchived() throws {
        let cli = try CLIHarness()
        let name = String(repeating: "n", count: 246) + ".csv"
        try cli.write("var/inbox/" + name, "Email\nnot-an-email\nlong@example.com\n")
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("\(name): 2 rows read, created 1"), "\(outcome.stdout)")
        let archived = cli.files(under: "var/archive").map { ($0 as NSString).lastPathComponent }
        let stem = String(repeating: "n", count: 100)
        #expect(archived.filter { $0.hasPrefix(stem) }.count == 3, "\(archived)")
        #expect(archived.contains { $0.hasPrefix(stem) && $0.hasSuffix("~.csv") })
        #expect(archived.contains { $0.hasPrefix(stem) && $0.hasSuffix("~.csv.errors.csv") })
        #expect(archived.contains { $0.hasPrefix(stem) && $0.hasSuffix("~.csv.report.json") })
        #expect(cli.files(under: "var/inbox/.processing").isEmpty)
        #expect(try cli.latestExport().contains("long@example.com"))

        // `contacts import` writes its errors file beside the file, fitted too.
        try cli.write("in/" + name, "Email\nnot-an-email\nother@example.com\n")
        let imported = try cli.run(["import", cli.path("in/" + name)])
        #expect(imported.status == 1, "\(imported.stderr)")
        #expect(cli.files(under: "in").contains { $0.hasSuffix("~.csv.errors.csv") })
    }

    @Test func badConfigurationExitsWithTwo() throws {
        let cli = try CLIHarness()
        try cli.write("pipeline.json", #"{"inbox": "in", "colour": "blue"}"#)
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown setting \"colour\""))
        let missing = try cli.run(["run", "--config", "nope.json"])
        #expect(missing.status == 2)
    }
}
