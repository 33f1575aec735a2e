/// A named export: which columns go to the CRM.
public struct ExportProfile: Sendable, Equatable {
    /// Names the outbox subfolder and the file (`outbox/<name>/<name>-<stamp>.csv`).
    public var name: String
    /// Columns in order: core fields or property keys.
    public var columns: [String]

    /// The columns written when none are chosen.
    public static let defaultColumns = ["email", "first_name", "last_name", "mobile", "contact_type", "created_at", "updated_at"]

    /// The profile `contacts export` uses when none is configured.
    public static let standard = ExportProfile(name: "contacts", columns: defaultColumns)

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }

    static func parse(_ dict: [String: Any], path: String, index: Int) throws(PipelineError) -> ExportProfile {
        let known: Set<String> = ["name", "columns"]
        for key in dict.keys.sorted() where !known.contains(key) {
            throw .config(path: path, problem: "export profile \(index + 1): unknown setting \"\(key)\" (known: name, columns)")
        }
        guard let name = dict["name"] as? String, isSafeName(name) else {
            throw .config(path: path, problem: "export profile \(index + 1) needs a \"name\" made of letters, digits, - and _")
        }
        var columns = defaultColumns
        if let v = dict["columns"] {
            guard let list = v as? [String], !list.isEmpty else {
                throw .config(path: path, problem: "export profile \"\(name)\": \"columns\" must be a non-empty list of column names")
            }
            columns = list
        }
        return ExportProfile(name: name, columns: columns)
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            ($0.value < 128 && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }
    }
}
