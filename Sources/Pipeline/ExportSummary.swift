/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var profile: String
    /// The CSV file in the outbox.
    public var file: String
    /// The manifest beside it.
    public var manifest: String
    public var rows: Int
    public var columns: [String]
    public var sha256: String
    public var seconds: Double

    /// One line for a terminal or a log.
    public var line: String {
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        return "export \(profile): \(rows) contacts → \(file) in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", rate)) rows/s)"
    }
}
