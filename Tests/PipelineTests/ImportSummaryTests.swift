import Testing
@testable import Pipeline

/// What a dry run's text report says about refused and flagged rows.
@Suite struct ImportSummaryTests {
    @Test func issueLinesNameTheFirstRowsAndCountTheRest() {
        var summary = ImportSummary(file: "f.csv", status: .dryRun)
        #expect(summary.issueLines().isEmpty)
        summary.rejected = 11
        summary.warnings = 1
        summary.issues = (2...12).map { ImportSummary.RowIssue(row: $0, column: "A (Email)", reason: "the email is empty", rejected: true) }
            + [ImportSummary.RowIssue(row: 13, column: nil, reason: "column C (Mobile): \"x\" is not a phone number", rejected: false)]
        let lines = summary.issueLines(limit: 3)
        #expect(lines == [
            "  row 2, A (Email): rejected, the email is empty",
            "  row 3, A (Email): rejected, the email is empty",
            "  row 4, A (Email): rejected, the email is empty",
            "  … and 9 more (--format json lists the first 100; the import writes them all to its errors file)",
        ])
        #expect(summary.issueLines(limit: 20).last == "  row 13: warning, column C (Mobile): \"x\" is not a phone number")
    }

    @Test func aFailedFileIsNamedOnceInItsLine() {
        var summary = ImportSummary(file: "2.csv", status: .failed)
        summary.reason = "2.csv, line 5003, column 2: unterminated quote opened on line 5003"
        #expect(summary.line == "2.csv: FAILED, line 5003, column 2: unterminated quote opened on line 5003")
        summary.reason = "2.csv: this is not a CSV, XLSX or XLS file"
        #expect(summary.line == "2.csv: FAILED, this is not a CSV, XLSX or XLS file")
        summary.reason = "the file is empty"
        #expect(summary.line == "2.csv: FAILED, the file is empty")
    }
}
