import Foundation
import ContactModel

/// The pipeline's settings, from pipeline.json. Relative paths are resolved
/// against the folder that holds the configuration file.
public struct PipelineConfig: Sendable, Equatable {
    /// Folder marketers drop files into; a subfolder names the list its contacts join.
    public var inbox: String
    /// Folder holding the SQLite contact store.
    public var store: String
    /// Folder exports are written to, one subfolder per profile.
    public var outbox: String
    /// Imported files, by date, with their errors file and report.
    public var archive: String
    /// Files that could not be read, each with a reason file.
    public var failed: String
    /// Region for reading national phone numbers (ISO code, `AU` unless set).
    public var region: PhoneNumber.Region
    /// A file changed less than this many seconds ago is still being written: left for the next run.
    public var settleSeconds: Double
    /// Header label → field name or property key, overriding the built-in aliases.
    public var headers: [String: String]
    /// Which sheet of a workbook to read (name or 1-based number); the first visible one when nil.
    public var sheet: String?
    /// Export profiles run by `contacts run` and `contacts export`.
    public var exports: [ExportProfile]

    public init(baseDirectory: String = FileManager.default.currentDirectoryPath) {
        func at(_ p: String) -> String { PipelineConfig.resolve(p, against: baseDirectory) }
        inbox = at("var/inbox")
        store = at("var/store")
        outbox = at("var/outbox")
        archive = at("var/archive")
        failed = at("var/failed")
        region = PhoneNumber.Region.known["AU"]!
        settleSeconds = 5
        headers = [:]
        sheet = nil
        exports = [ExportProfile.standard]
    }

    static let knownKeys: Set<String> = ["inbox", "store", "outbox", "archive", "failed", "region", "settleSeconds", "headers", "sheet", "exports"]

    /// Loads and validates a configuration file. A missing file at the default
    /// location gives the defaults; a missing file named explicitly is an error.
    public static func load(path: String, explicit: Bool) throws(PipelineError) -> PipelineConfig {
        let absolute = resolve(path, against: FileManager.default.currentDirectoryPath)
        let base = (absolute as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: absolute) else {
            if explicit { throw .config(path: path, problem: "the configuration file does not exist. Give an existing file with --config, or leave --config out to use ./pipeline.json.") }
            return PipelineConfig()
        }
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw .config(path: path, problem: "the configuration file cannot be read")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return PipelineConfig(baseDirectory: base)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .config(path: path, problem: "this is not valid JSON (\(error.localizedDescription)). Fix the file; a JSON checker will show where.")
        }
        guard let dict = object as? [String: Any] else {
            throw .config(path: path, problem: "the configuration must be a JSON object ({ \"inbox\": …, \"store\": … })")
        }
        return try parse(dict, path: path, base: base)
    }

    static func parse(_ dict: [String: Any], path: String, base: String) throws(PipelineError) -> PipelineConfig {
        var config = PipelineConfig(baseDirectory: base)
        for key in dict.keys.sorted() where !knownKeys.contains(key) {
            let hint = knownKeys.first { $0.lowercased() == key.lowercased() }.map { " Did you mean \"\($0)\"?" } ?? ""
            throw .config(path: path, problem: "unknown setting \"\(key)\".\(hint) Known settings: \(knownKeys.sorted().joined(separator: ", ")).")
        }
        func string(_ key: String) throws(PipelineError) -> String? {
            guard let v = dict[key] else { return nil }
            if v is NSNull { return nil }
            guard let s = v as? String, !s.isEmpty else { throw .config(path: path, problem: "\"\(key)\" must be a non-empty text value") }
            return s
        }
        if let v = try string("inbox") { config.inbox = resolve(v, against: base) }
        if let v = try string("store") { config.store = resolve(v, against: base) }
        if let v = try string("outbox") { config.outbox = resolve(v, against: base) }
        if let v = try string("archive") { config.archive = resolve(v, against: base) }
        if let v = try string("failed") { config.failed = resolve(v, against: base) }
        if let v = try string("region") {
            guard let region = PhoneNumber.Region.known[v.uppercased()] else {
                throw .config(path: path, problem: "region \"\(v)\" is not one we know; use one of \(PhoneNumber.Region.known.keys.sorted().joined(separator: ", "))")
            }
            config.region = region
        }
        if let v = dict["settleSeconds"] {
            guard let n = v as? NSNumber, n.doubleValue >= 0 else {
                throw .config(path: path, problem: "\"settleSeconds\" must be a number of seconds, 0 or more")
            }
            config.settleSeconds = n.doubleValue
        }
        if let v = dict["headers"] {
            guard let map = v as? [String: String] else {
                throw .config(path: path, problem: "\"headers\" must map column labels to field names, like {\"Correo\": \"email\"}")
            }
            config.headers = map
        }
        if let v = dict["sheet"], !(v is NSNull) {
            if let s = v as? String { config.sheet = s } else if let n = v as? Int { config.sheet = String(n) } else {
                throw .config(path: path, problem: "\"sheet\" must be a sheet name or a 1-based number")
            }
        }
        if let v = dict["exports"] {
            guard let list = v as? [[String: Any]] else {
                throw .config(path: path, problem: "\"exports\" must be a list of profiles, like [{\"name\": \"crm\", \"columns\": [\"email\"]}]")
            }
            var profiles: [ExportProfile] = []
            for (i, item) in list.enumerated() {
                let profile = try ExportProfile.parse(item, path: path, index: i)
                if profiles.contains(where: { $0.name == profile.name }) {
                    throw .config(path: path, problem: "two export profiles are named \"\(profile.name)\"; names must be unique")
                }
                profiles.append(profile)
            }
            config.exports = profiles
        }
        return config
    }

    /// Resolves `path` against `base` unless it is absolute; `~` is the home folder.
    public static func resolve(_ path: String, against base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
