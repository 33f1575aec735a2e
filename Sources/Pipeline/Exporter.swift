import Foundation
import ContactStore
import ContactModel

/// Writes exports into the outbox: a CSV under a temporary name, renamed when
/// complete so a CRM never sees half a file, with a manifest beside it.
public struct Exporter: Sendable {
    public let config: PipelineConfig

    public init(config: PipelineConfig) { self.config = config }

    /// Exports every live contact with `profile`'s columns.
    public func run(_ profile: ExportProfile, store: ContactStore, now: Date = Date()) throws(PipelineError) -> ExportSummary {
        let started = Date()
        let available: Set<String>
        do { available = Set(ExportProfile.builtInColumns + (try store.propertyKeys().map(\.key))) } catch { throw .store(error) }
        let columns = profile.columns.map { Self.column(named: $0, among: available) }
        let unknown = columns.filter { !available.contains($0) }
        if !unknown.isEmpty {
            throw .usage("export \(profile.name): unknown column\(unknown.count > 1 ? "s" : "") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")). "
                         + "Available: \(available.sorted().joined(separator: ", ")).")
        }
        // Only once the columns are known good: a refused export leaves no empty folder.
        let folder = (config.outbox as NSString).appendingPathComponent(profile.name)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .io(path: folder, action: "create the folder", reason: error.localizedDescription)
        }
        var name = "\(profile.name)-\(Self.stamp(now)).csv"
        var finalPath = (folder as NSString).appendingPathComponent(name)
        var n = 2
        while FileManager.default.fileExists(atPath: finalPath) {
            name = "\(profile.name)-\(Self.stamp(now))-\(n).csv"
            finalPath = (folder as NSString).appendingPathComponent(name)
            n += 1
        }
        let tmpPath = (folder as NSString).appendingPathComponent(".\(name).tmp")
        let fd = open(tmpPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(path: tmpPath, action: "create", reason: String(cString: strerror(errno))) }
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(tmpPath)
            }
        }
        let out = try ExportBuffer(fd: fd, path: tmpPath)
        var finished = false
        defer { if !finished { out.abandon() } }
        for (i, c) in columns.enumerated() {
            if i > 0 { try out.byte(0x2C) }
            try out.field(c)
        }
        try out.endRecord()
        var rows = 0
        do {
            let cursor = try store.exportCursor(columns: columns, order: .creation)
            let width = columns.count
            while try cursor.next() {
                if width > 0 { try out.field(cursor.cell(0).map { UnsafeRawBufferPointer($0) }) }
                var i = 1
                while i < width {
                    try out.byte(0x2C)
                    try out.field(cursor.cell(i).map { UnsafeRawBufferPointer($0) })
                    i += 1
                }
                try out.endRecord()
                rows += 1
            }
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
        let sha = try out.finish()
        finished = true
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw .io(path: tmpPath, action: "write", reason: String(cString: strerror(errno)))
        }
        ok = true
        guard rename(tmpPath, finalPath) == 0 else {
            unlink(tmpPath)
            throw .io(path: tmpPath, action: "rename", reason: "\(String(cString: strerror(errno))) (renaming it to \(finalPath))")
        }
        let manifestPath = finalPath + ".manifest.json"
        let seconds = Date().timeIntervalSince(started)
        try writeJSON([
            "profile": profile.name, "file": name, "rows": rows, "columns": columns, "sha256": sha,
            "mode": "full", "filter": NSNull(), "createdAt": Self.iso(now), "encoding": "UTF-8", "lineEnding": "CRLF",
        ], to: manifestPath)
        return ExportSummary(profile: profile.name, file: finalPath, manifest: manifestPath, rows: rows,
                             columns: columns, sha256: sha, seconds: seconds)
    }

    /// The column a profile or `--columns` names: a key as it is, or a column's label as a
    /// spreadsheet shows it ("First Name", "Favourite Colour"), read as the key it makes.
    static func column(named name: String, among available: Set<String>) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if available.contains(trimmed) { return trimmed }
        let key = HeaderMapping.propertyKey(trimmed)
        return available.contains(key) ? key : trimmed
    }

    static func stamp(_ date: Date) -> String {
        UTCTime.string(date, format: "yyyyMMdd'T'HHmmss'Z'")
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

extension ExportProfile {
    /// Columns every store has, beside the brand's own property keys.
    public static let builtInColumns = HeaderMapping.storeColumns
}
