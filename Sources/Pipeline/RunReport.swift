/// Everything one `contacts run` did.
public struct RunReport: Sendable {
    public var imports: [ImportSummary] = []
    public var skipped: [Inbox.Skipped] = []
    public var exports: [ExportSummary] = []

    public init() {}

    /// DESIGN.md's exit code: 0 done, 1 done with rejected rows, 3 a file could not be read.
    public var exitCode: Int32 {
        if imports.contains(where: { $0.status == .failed }) { return 3 }
        if imports.contains(where: { $0.rejected > 0 }) { return 1 }
        return 0
    }

    public var json: [String: Any] {
        [
            "imports": imports.map(\.json),
            "waiting": skipped.map { ["file": $0.name, "reason": $0.reason] },
            "exports": exports.map { ["profile": $0.profile, "file": $0.file, "rows": $0.rows, "sha256": $0.sha256] },
        ]
    }
}
