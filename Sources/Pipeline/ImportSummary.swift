import Foundation

/// What importing one file did (or, for a dry run, would do).
public struct ImportSummary: Sendable, Equatable {
    /// How the file ended.
    public enum Status: String, Sendable, Equatable {
        /// Merged and committed.
        case imported
        /// A dry run: merged, counted and rolled back.
        case dryRun = "dry-run"
        /// The same content was imported before; nothing was done.
        case alreadyImported = "already-imported"
        /// The file could not be read; nothing was imported.
        case failed
    }

    /// One refused or flagged row, for reports.
    public struct RowIssue: Sendable, Equatable {
        public var row: Int
        public var column: String?
        public var reason: String
        /// true when the row was refused, false when it was imported with a warning.
        public var rejected: Bool
    }

    public var file: String
    public var status: Status
    public var sheet: String?
    public var rowsRead = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var duplicates = 0
    public var rejected = 0
    public var blank = 0
    public var warnings = 0
    /// Rows recognised, unread, as the last row already applied to their contact (see `RowDigest`).
    public var knownRows = 0
    public var seconds = 0.0
    /// The reason, for failed files and files imported before.
    public var reason: String?
    /// The first issues found (all of them are in the errors file).
    public var issues: [RowIssue] = []
    /// Where the errors file was written, if any.
    public var errorsFile: String?
    /// The header's row, when rows with something in them came before it (a title).
    public var headerRow: Int?
    /// How many such rows there were: not contacts, so not read as such.
    public var rowsAboveHeader = 0

    public init(file: String, status: Status) {
        self.file = file
        self.status = status
    }

    /// Rows per second over the whole file.
    public var rowsPerSecond: Double { seconds > 0 ? Double(rowsRead) / seconds : 0 }

    /// One line for a terminal or a log.
    public var line: String {
        switch status {
        case .alreadyImported:
            return "\(file): skipped, \(reason ?? "the same content was imported before")"
        case .failed:
            // The reason names the file too (it is also the failed file's reason.txt): once is enough here.
            var why = reason ?? "unreadable"
            for separator in [", ", ": "] where why.hasPrefix(file + separator) {
                why.removeFirst(file.count + separator.count)
                break
            }
            return "\(file): FAILED, \(why)"
        case .imported, .dryRun:
            let verb = status == .dryRun ? "would create" : "created"
            var text = "\(file): \(rowsRead) rows read, \(verb) \(created), updated \(updated), unchanged \(unchanged)"
            if duplicates > 0 { text += ", \(duplicates) duplicate rows merged" }
            text += ", rejected \(rejected)"
            if warnings > 0 { text += ", \(warnings) warnings" }
            if let headerRow {
                text += ", header on row \(headerRow) (\(rowsAboveHeader) row\(rowsAboveHeader == 1 ? "" : "s") above it left out)"
            }
            text += String(format: " in %.2f s (%.0f rows/s)", seconds, rowsPerSecond)
            return text
        }
    }

    /// Lines naming the first `limit` rows refused or flagged and why, for a dry run's text
    /// report (a real import lists them all in its errors file); empty when there are none.
    public func issueLines(limit: Int = 10) -> [String] {
        var lines = issues.prefix(limit).map { issue in
            let place = issue.column.map { "row \(issue.row), \($0)" } ?? "row \(issue.row)"
            return "  \(place): \(issue.rejected ? "rejected" : "warning"), \(issue.reason)"
        }
        let more = rejected + warnings - lines.count
        if more > 0 {
            lines.append("  … and \(more) more (--format json lists the first \(Self.issuesKept); the import writes them all to its errors file)")
        }
        return lines
    }

    /// How many issues a summary keeps (`issues`).
    public static let issuesKept = 100

    /// A JSON-ready dictionary (for `--format json` and the archived report).
    public var json: [String: Any] {
        var d: [String: Any] = [
            "file": file, "status": status.rawValue, "rowsRead": rowsRead, "created": created, "updated": updated,
            "unchanged": unchanged, "duplicates": duplicates, "rejected": rejected, "blank": blank,
            "warnings": warnings, "knownRows": knownRows, "seconds": (seconds * 1000).rounded() / 1000,
        ]
        if let sheet { d["sheet"] = sheet }
        if let reason { d["reason"] = reason }
        if let errorsFile { d["errorsFile"] = errorsFile }
        if let headerRow {
            d["headerRow"] = headerRow
            d["rowsAboveHeader"] = rowsAboveHeader
        }
        d["issues"] = issues.map { issue -> [String: Any] in
            var i: [String: Any] = ["row": issue.row, "reason": issue.reason, "rejected": issue.rejected]
            if let c = issue.column { i["column"] = c }
            return i
        }
        return d
    }
}
