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

    /// `leftInInbox`: the files left for a later run and why (as the text report says it);
    /// `waiting` is the same list under the name it had first, kept for scripts that read it.
    public var json: [String: Any] {
        let left = skipped.map { ["file": $0.name, "reason": $0.reason] }
        return [
            "imports": imports.map(\.json),
            "leftInInbox": left,
            "waiting": left,
            "exports": exports.map { ["profile": $0.profile, "file": $0.file, "rows": $0.rows, "sha256": $0.sha256] },
        ]
    }
}
