import Testing
import Foundation

/// Workbooks must import exactly as a CSV with the same cells would.
@Suite struct WorkbookImportTests {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Imports one fixture into a fresh store and returns the export (without timestamps) and the summary.
    func importAndExport(_ name: String, sheet: String?) throws -> (export: String, stdout: String, status: Int32) {
        let cli = try CLIHarness()
        try cli.write(name, try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        var args = ["import", name]
        if let sheet { args += ["--sheet", sheet] }
        let imported = try cli.run(args)
        let exported = try cli.run(["export", "--columns", "email,first_name,last_name,mobile,postcode,date_of_birth,opt_in,score"])
        #expect(exported.status == 0, "\(exported.stderr)")
        return (try cli.latestExport(), imported.stdout, imported.status)
    }

    /// A cover sheet first, and a title above the contacts' header: the cover sheet is
    /// refused with where the contacts are; the chosen sheet imports as the CSV does, its
    /// header found under the title.
    @Test func aCoverSheetAndATitleAboveTheHeader() throws {
        let csv = try importAndExport("contacts.csv", sheet: nil)
        let cli = try CLIHarness()
        try cli.write("book.xlsx", try Data(contentsOf: Self.fixtures.appendingPathComponent("cover-and-title.xlsx")))
        let byDefault = try cli.run(["import", "book.xlsx"])
        #expect(byDefault.status == 3)
        #expect(byDefault.stdout.contains(#"its first sheet, "Cover", has no email column (its first row reads: "Spring competition"). The sheet "Entries" has one: move it first"#), "\(byDefault.stdout)")
        let chosen = try importAndExport("cover-and-title.xlsx", sheet: "Entries")
        #expect(chosen.status == 1)
        #expect(chosen.stdout.contains("5 rows read, created 3, updated 0, unchanged 0, 1 duplicate rows merged, rejected 1, header on row 4 (2 rows above it left out)"), "\(chosen.stdout)")
        #expect(chosen.export == csv.export)
    }

    /// A CSV with a title: the header is found under it, the rows are not ragged against the
    /// title, and the errors file numbers rows as the file does.
    @Test func aCSVWithATitleAboveTheHeader() throws {
        let cli = try CLIHarness()
        try cli.write("titled.csv", "Spring competition entries\nExported 3 Nov by Jo\n\nEmail,First Name,Colour\na@example.com,Ann,Red\nb@example.com,Bob,Blue\nbad,Cy,Green\n")
        let imported = try cli.run(["import", "titled.csv", "--format", "json"])
        #expect(imported.status == 1, "\(imported.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any]
        let summary = try #require((json?["imports"] as? [[String: Any]])?.first)
        #expect(summary["created"] as? Int == 2)
        #expect(summary["headerRow"] as? Int == 4)
        #expect(summary["rowsAboveHeader"] as? Int == 2)
        #expect(summary["warnings"] as? Int == 0)
        let errors = try cli.read("titled.csv.errors.csv")
        #expect(errors.hasSuffix("7,rejected,A (Email),\"the email has no @ (\"\"bad\"\")\",bad,Cy,Green\r\n"), "\(errors)")
        _ = try cli.run(["export", "--columns", "email,first_name,colour"])
        #expect(try cli.latestExport() == "email,first_name,colour\r\na@example.com,Ann,Red\r\nb@example.com,Bob,Blue\r\n")
    }

    @Test func csvXlsxAndXlsImportIdentically() throws {
        let csv = try importAndExport("contacts.csv", sheet: nil)
        let xlsx = try importAndExport("contacts.xlsx", sheet: "Contacts")
        let xls = try importAndExport("contacts.xls", sheet: "2")
        #expect(csv.status == 1)
        #expect(csv.stdout.contains("5 rows read, created 3, updated 0, unchanged 0, 1 duplicate rows merged, rejected 1"))
        #expect(csv.export == """
            email,first_name,last_name,mobile,postcode,date_of_birth,opt_in,score\r
            ann.lee@example.com,Ann,Lee-Smith,+61412345678,0800,1990-04-12,TRUE,99\r
            bob.ng@example.com,Bob,Ng,+61423456789,2000,1985-11-30,FALSE,7\r
            cara@example.com,Cara,Diaz,+61434567890,3000,,TRUE,\r

            """)
        #expect(xlsx.export == csv.export)
        #expect(xls.export == csv.export)
        #expect(xlsx.stdout.contains("5 rows read, created 3"))
        #expect(xls.stdout.contains("5 rows read, created 3"))
    }

    /// The same cells again from a workbook into a store that has them (the XLSX read as
    /// rendered fields, like a CSV; the XLS as rows on the reading thread): nothing changes,
    /// and the export is the same.
    @Test func aWorkbookAfterTheSameCsvChangesNothing() throws {
        let cli = try CLIHarness()
        for name in ["contacts.csv", "contacts.xlsx", "contacts.xls"] {
            try cli.write(name, try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        }
        _ = try cli.run(["import", "contacts.csv"])
        _ = try cli.run(["export", "--columns", "email,first_name,last_name,mobile,postcode"])
        let first = try cli.latestExport()
        for (name, sheet) in [("contacts.xlsx", "Contacts"), ("contacts.xls", "2")] {
            let again = try cli.run(["import", name, "--sheet", sheet])
            #expect(again.stdout.contains("5 rows read, created 0, updated 0, unchanged 3, 1 duplicate rows merged, rejected 1"), "\(again.stdout)")
        }
        _ = try cli.run(["export", "--columns", "email,first_name,last_name,mobile,postcode"])
        #expect(try cli.latestExport() == first)
    }

    @Test(arguments: ["contacts.xlsx", "contacts.xls"])
    func anEmptyFirstSheetNamesTheSheetsWithData(name: String) throws {
        let cli = try CLIHarness()
        try cli.write(name, try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
        let outcome = try cli.run(["import", name])
        #expect(outcome.status == 3)
        #expect(outcome.stdout.contains("sheet \"Read me\" is empty"))
        #expect(outcome.stdout.contains("Sheets with data: \"Contacts\""))
    }

    @Test func sheetChosenInTheConfiguration() throws {
        let cli = try CLIHarness()
        try cli.write("pipeline.json", #"{"sheet": "Contacts", "settleSeconds": 0}"#)
        try cli.write("var/inbox/VIP/contacts.xlsx", try Data(contentsOf: Self.fixtures.appendingPathComponent("contacts.xlsx")))
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("contacts.xlsx: 5 rows read, created 3"))
        _ = try cli.run(["export", "--columns", "email,lists"])
        #expect(try cli.latestExport().contains("bob.ng@example.com,VIP\r\n"))
    }

    /// The configured sheet is a workbook's: a CSV in the same inbox still imports (it has one
    /// table), and `cat` prints the sheet `import` reads.
    @Test func aConfiguredSheetLeavesCSVFilesAlone() throws {
        let cli = try CLIHarness()
        try cli.write("pipeline.json", #"{"sheet": "Contacts", "settleSeconds": 0}"#)
        try cli.write("var/inbox/book.xlsx", try Data(contentsOf: Self.fixtures.appendingPathComponent("contacts.xlsx")))
        try cli.write("var/inbox/extra.csv", "Email,First Name\nzed@example.com,Zed\n")
        let outcome = try cli.run(["run"])
        #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("book.xlsx: 5 rows read, created 3"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("extra.csv: 1 rows read, created 1"), "\(outcome.stdout)")
        // A sheet asked for on the command line does not refuse a CSV either.
        try cli.write("again.csv", "Email,First Name\nyan@example.com,Yan\n")
        let again = try cli.run(["import", "again.csv", "--sheet", "7"])
        #expect(again.status == 0 && again.stdout.contains("again.csv: 1 rows read, created 1"), "\(again.stdout)")

        try cli.write("book.xlsx", try Data(contentsOf: Self.fixtures.appendingPathComponent("contacts.xlsx")))
        let configured = try cli.run(["cat", "book.xlsx"])
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stdout.hasPrefix("Email,First Name,Last Name,Mobile,"), "\(configured.stdout)")
        #expect(try cli.run(["cat", "book.xlsx", "--sheet", "1"]).stdout != configured.stdout)
        let missing = try cli.run(["cat", "book.xlsx", "--config", "nowhere.json"])
        #expect(missing.status == 2 && missing.stderr.contains("nowhere.json"), "\(missing.stderr)")
    }

    @Test func passwordProtectedWorkbooksAreRefusedPlainly() throws {
        guard let corpus = ProcessInfo.processInfo.environment["CONTACTS_CORPUS"] ?? Self.corpusRoot() else {
            print("◇ corpus not found: skipping the password-protected import test")
            return
        }
        for file in ["xlsx/calamine__pass_protected.xlsx", "xls/sheetjs__password_2002_40_972000.xls"] {
            let cli = try CLIHarness()
            try cli.write("var/inbox/locked", try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + file)))
            let outcome = try cli.run(["run"])
            #expect(outcome.status == 3)
            #expect(try cli.read("var/failed/locked.reason.txt").contains("password-protected: save it without a password and drop it again"))
        }
    }

    static func corpusRoot() -> String? {
        let root = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus").path
        return FileManager.default.fileExists(atPath: root + "/manifest.tsv") ? root : nil
    }
}
