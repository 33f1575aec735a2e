import Foundation
import Tabular
import ContactStore
import ContactModel

/// Writes exports into the outbox: a CSV under a temporary name, renamed when
/// complete so a CRM never sees half a file, with a manifest beside it.
public struct Exporter: Sendable {
    public let config: PipelineConfig

    /// Contacts' ids per chunk of the export (see `ExportSnapshot`); tests make it small.
    var idsPerChunk = 16_384
    /// Producers run at once (see `defaultProducers`); tests set it.
    var producers = Exporter.defaultProducers

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
            throw .io(path: folder, action: "create the folder", reason: SystemReason.of(error))
        }
        Self.removeLeftovers(in: folder, profile: profile.name)
        let stamp = Self.stamp(now)
        // A temporary name of this export's own (exclusive), so that two exports of the profile
        // in the same second never write into one file; the final name is taken at the end.
        let tmpPath = (folder as NSString).appendingPathComponent(
            ".\(profile.name)-\(stamp).csv.\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(tmpPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: tmpPath, action: "create", reason: String(cString: strerror(errno))) }
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(tmpPath)
            }
        }
        let snapshot: ExportSnapshot
        do {
            snapshot = try store.exportSnapshot(columns: columns, parts: producers, idsPerChunk: idsPerChunk)
        } catch { throw .store(error) }
        defer { snapshot.end() }
        let writer = ExportWriter(fd: fd, path: tmpPath, lanes: snapshot.cursors.count)
        var finished = false
        defer { if !finished { writer.abandon() } }
        var lanes: [ExportLane] = []
        for lane in snapshot.cursors.indices {
            lanes.append(try ExportLane(snapshot: snapshot, lane: lane, writer: writer))
        }
        let header = lanes[0].out
        for (i, c) in columns.enumerated() {
            if i > 0 { try header.byte(0x2C) }
            try header.field(c)
        }
        try header.endRecord()
        try Self.write(lanes, writer: writer)
        let rows = lanes.reduce(0) { $0 + $1.rows }
        let sha = try writer.finish()
        finished = true
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw .io(path: tmpPath, action: "write", reason: String(cString: strerror(errno)))
        }
        ok = true
        let (name, finalPath) = try Self.publish(tmpPath, in: folder, stem: "\(profile.name)-\(stamp)")
        let manifestPath = finalPath + ".manifest.json"
        let seconds = Date().timeIntervalSince(started)
        try writeJSON([
            "profile": profile.name, "file": name, "rows": rows, "columns": columns, "sha256": sha,
            "mode": "full", "filter": NSNull(), "createdAt": Self.iso(now), "encoding": "UTF-8", "lineEnding": "CRLF",
        ], to: manifestPath)
        return ExportSummary(profile: profile.name, file: finalPath, manifest: manifestPath, rows: rows,
                             columns: columns, sha256: sha, seconds: seconds)
    }

    /// Gives a finished export its name: `STEM.csv`, or `STEM-2.csv`, `STEM-3.csv`, … when taken
    /// (by an export of the same second), never replacing a file a CRM may be reading.
    /// Returns the name and the path.
    static func publish(_ tmpPath: String, in folder: String, stem: String) throws(PipelineError) -> (String, String) {
        var n = 1
        while true {
            let name = n == 1 ? "\(stem).csv" : "\(stem)-\(n).csv"
            let path = (folder as NSString).appendingPathComponent(name)
            /// The export is given up: `errno` says why it could not take `path`.
            func failure() -> PipelineError {
                let reason = String(cString: strerror(errno))
                unlink(tmpPath)
                return .io(path: tmpPath, action: "rename", reason: "\(reason) (renaming it to \(path))")
            }
            // link() fails if the name exists: an atomic rename that never replaces.
            if link(tmpPath, path) == 0 {
                unlink(tmpPath)
                return (name, path)
            }
            switch errno {
            case EEXIST:
                n += 1
            case EPERM, EOPNOTSUPP, ENOSYS, EMLINK:
                // A file system without hard links: a plain rename, if the name is free.
                if FileManager.default.fileExists(atPath: path) { n += 1; continue }
                guard rename(tmpPath, path) == 0 else { throw failure() }
                return (name, path)
            default:
                throw failure()
            }
        }
    }

    /// Removes what exports stopped midway (killed, a power cut) left in a profile's folder:
    /// hidden `.PROFILE-STAMP.csv.ID.tmp` files (`.PROFILE-STAMP.csv.tmp` before), which a CRM
    /// never picks up but which keep taking the disk's room (a whole export each). One still
    /// open for writing belongs to an export running now and is left alone, as is one whose
    /// state cannot be told (not on Linux).
    static func removeLeftovers(in folder: String, profile: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".\(profile)-") && name.hasSuffix(".tmp") && name.contains(".csv.") {
            let path = (folder as NSString).appendingPathComponent(name)
            if WriterCheck.isOpenForWriting(Array(path.utf8CString)) == false { unlink(path) }
        }
    }

    /// Producers an export runs at once: one per core, up to four (each reads and formats its
    /// share of the chunks; a thread more hashes and writes).
    static var defaultProducers: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Runs `lanes[0]` on this thread and the others on threads of their own; the first failure
    /// stops them all (the writer is abandoned) and is thrown once every lane has stopped.
    static func write(_ lanes: [ExportLane], writer: ExportWriter) throws(PipelineError) {
        let failures = FirstFailure()
        @Sendable func run(_ lane: ExportLane) {
            do { try lane.write() } catch {
                if failures.record(error) { writer.abandon() }
            }
        }
        var done: [DispatchSemaphore] = []
        for lane in lanes.dropFirst() {
            let semaphore = DispatchSemaphore(value: 0)
            done.append(semaphore)
            let thread = Thread {
                run(lane)
                semaphore.signal()
            }
            thread.name = "export-lane"
            thread.start()
        }
        run(lanes[0])
        for semaphore in done { semaphore.wait() }
        if let failure = failures.first { throw failure }
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
