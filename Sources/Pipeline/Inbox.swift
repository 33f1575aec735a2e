import Foundation
import Tabular

/// The inbox folder: finds complete files, claims them by atomic rename, and
/// files them away afterwards (archive, or failed with a reason).
public struct Inbox: Sendable {
    public let config: PipelineConfig

    /// A claimed file, waiting in `.processing/` to be imported.
    public struct Claim: Sendable, Equatable {
        /// Where the file now is.
        public var path: String
        /// Its name as dropped.
        public var name: String
        /// The list named by its subfolder, if any.
        public var list: String?
        /// The claim's own folder inside `.processing/`.
        public var folder: String
        /// Where its import writes the errors file: a fixed, hidden name in the claim's
        /// folder, as `NAME.errors.csv` may be too long for the file system.
        public var errorsFile: String { (folder as NSString).appendingPathComponent(Self.errorsFileName) }
        static let errorsFileName = ".errors.csv"
    }

    /// A file left alone this time, and why.
    public struct Skipped: Sendable, Equatable {
        public var name: String
        public var reason: String
    }

    public init(config: PipelineConfig) { self.config = config }

    var processing: String { (config.inbox as NSString).appendingPathComponent(".processing") }

    /// Claims every complete file in the inbox (and re-queues claims left by a crash).
    public func claimReady(now: Date = Date()) throws(PipelineError) -> (claims: [Claim], skipped: [Skipped]) {
        let fm = FileManager.default
        try ensureFolder(config.inbox)
        var claims = leftoverClaims()
        let found = candidates()
        var skipped = found.leftAlone
        for candidate in found.files {
            let name = candidate.entry.name
            let path = candidate.entry.rawPath(in: candidate.folder)
            let age = now.timeIntervalSince1970 - candidate.entry.modified
            if age < config.settleSeconds {
                skipped.append(Skipped(name: candidate.displayName, reason: String(format: "still being written (changed %.0f s ago); it will be picked up on a later run", max(0, age))))
                continue
            }
            if WriterCheck.isOpenForWriting(path) == true {
                skipped.append(Skipped(name: candidate.displayName, reason: "still being written (another program has it open for writing); it will be picked up on a later run"))
                continue
            }
            let folder = (processing as NSString).appendingPathComponent(Self.claimID(now: now, name: name))
            let target = (folder as NSString).appendingPathComponent(name)
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                if let list = candidate.list {
                    try Data(list.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(".list")))
                }
            } catch {
                throw .io(path: folder, action: "create", reason: SystemReason.of(error))
            }
            // A name that is not UTF-8 is claimed under its Windows-1252 reading.
            guard rename(path, target) == 0 else {
                // Someone else took it, or it vanished: not ours to import.
                try? fm.removeItem(atPath: folder)
                continue
            }
            claims.append(Claim(path: target, name: name, list: candidate.list, folder: folder))
        }
        return (claims, skipped)
    }

    /// Why a file in the inbox is not a candidate, or nil when it is.
    static func ignoreReason(name: String) -> String? {
        let lower = name.lowercased()
        if name.hasPrefix(".") { return "hidden" }
        if name.hasPrefix("~$") { return "an Office lock file (the workbook is open somewhere)" }
        for suffix in [".tmp", ".part", ".crdownload", ".partial", ".download"] where lower.hasSuffix(suffix) {
            return "an unfinished download or copy (\(suffix))"
        }
        return nil
    }

    /// A file the inbox may import.
    struct Candidate: Sendable {
        /// The folder it is in (the inbox, or a list folder).
        var folder: String
        var entry: FolderEntry
        /// The list its folder names, if any.
        var list: String?
        /// How reports name it: with its list folder.
        var displayName: String { list.map { "\($0)/\(entry.name)" } ?? entry.name }
    }

    /// Files directly in the inbox (no list) and in its subfolders (the subfolder names the
    /// list), and what is left alone there with why: links, folders inside list folders,
    /// anything that is not a plain file, lock files and unfinished downloads. Hidden entries
    /// are passed over in silence.
    func candidates() -> (files: [Candidate], leftAlone: [Skipped]) {
        var files: [Candidate] = []
        var leftAlone: [Skipped] = []
        func consider(_ entry: FolderEntry, in folder: String, list: String?) {
            let candidate = Candidate(folder: folder, entry: entry, list: list)
            let shown = candidate.displayName
            if let reason = Self.ignoreReason(name: entry.name) {
                if reason != "hidden" { leftAlone.append(Skipped(name: shown, reason: reason)) }
                return
            }
            switch entry.kind {
            case .file:
                files.append(candidate)
            case .link:
                leftAlone.append(Skipped(name: shown, reason: "a link to a file, not the file: copy the file itself into the inbox"))
            case .folder:
                leftAlone.append(Skipped(name: shown + "/", reason: "a folder inside the list folder \"\(list ?? "")\": files in it are not read, as one level of folders names the list. Move them into \(list ?? "")/ (or into a folder of their own list at the top of the inbox)"))
            case .other:
                leftAlone.append(Skipped(name: shown, reason: "not a plain file (a pipe, socket or device): only spreadsheet and CSV files are imported"))
            }
        }
        for entry in FolderEntry.list(config.inbox) {
            guard entry.kind == .folder else {
                consider(entry, in: config.inbox, list: nil)
                continue
            }
            if entry.name.hasPrefix(".") { continue }
            guard entry.nameIsUTF8 else {
                leftAlone.append(Skipped(name: entry.name + "/", reason: "the folder's name is not UTF-8 text, so it cannot name a list: rename the folder"))
                continue
            }
            let folder = (config.inbox as NSString).appendingPathComponent(entry.name)
            for inner in FolderEntry.list(folder) {
                consider(inner, in: folder, list: entry.name)
            }
        }
        return (files, leftAlone)
    }

    /// Claims left in `.processing/` by a run that stopped: processed again now.
    func leftoverClaims() -> [Claim] {
        let fm = FileManager.default
        guard let folders = try? fm.contentsOfDirectory(atPath: processing) else { return [] }
        var claims: [Claim] = []
        for id in folders.sorted() {
            let folder = (processing as NSString).appendingPathComponent(id)
            guard let names = try? fm.contentsOfDirectory(atPath: folder) else { continue }
            let list = (try? String(contentsOfFile: (folder as NSString).appendingPathComponent(".list"), encoding: .utf8))
            // Hidden files besides `.list` are the stopped run's errors file: an unfinished one is
            // dropped, as the import runs again and writes it anew. A finished one
            // (`Claim.errorsFile`, named only once its import was saved) is kept: the run stopped
            // before filing it away, and the next finds the import done and files it then.
            for name in names where name.hasPrefix(".") && name != ".list" && name != Claim.errorsFileName {
                try? fm.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
            let visible = Set(names.filter { !$0.hasPrefix(".") })
            // Runs before `Claim.errorsFile` wrote it beside the claim, visible: dropped too. A
            // file only named like one (say a fixed errors file dropped again) is a claim like
            // any other.
            var files: [String] = []
            for name in visible {
                if let claimed = Self.claimOfErrorsFile(name), visible.contains(claimed) {
                    try? fm.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
                } else {
                    files.append(name)
                }
            }
            if files.isEmpty { try? fm.removeItem(atPath: folder); continue }
            for name in files.sorted() {
                claims.append(Claim(path: (folder as NSString).appendingPathComponent(name), name: name, list: list, folder: folder))
            }
        }
        return claims
    }

    /// The name of the claimed file that `name` is the errors file of (finished, or still
    /// `.partial` when a run stopped while writing it), or nil when it is not named like one.
    static func claimOfErrorsFile(_ name: String) -> String? {
        for suffix in [".errors.csv", ".errors.csv.partial"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    static func claimID(now: Date, name: String) -> String {
        let stamp = Int(now.timeIntervalSince1970 * 1000)
        return "\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Moves a processed claim to `archive/<date>/` with its report, and with its errors file
    /// (`Claim.errorsFile`) when there is one: the import's, or one a run stopped after its
    /// import was saved left there (the claim is then archived as already imported).
    @discardableResult
    public func archive(_ claim: Claim, summary: ImportSummary, now: Date = Date()) throws(PipelineError) -> String {
        let day = (config.archive as NSString).appendingPathComponent(Self.day(now))
        try ensureFolder(day)
        let target = Self.freeName(in: day, for: FileName.fitted(claim.name, leaving: FileName.archiveSuffixes))
        // The errors file first: a run stopped between the two moves leaves the claim alone in
        // its folder, to be imported again (and skipped as already imported), never an errors
        // file without its claim.
        let hasErrorsFile = FileManager.default.fileExists(atPath: claim.errorsFile)
        if hasErrorsFile {
            try move(claim.errorsFile, to: target + ".errors.csv")
        }
        try move(claim.path, to: target)
        var report = summary
        report.errorsFile = hasErrorsFile ? target + ".errors.csv" : nil
        try writeJSON(report.json, to: target + ".report.json")
        // The moves on disk before the claim's folder goes: after a power cut the files are in
        // the archive, or still in the claim's folder, never nowhere.
        Self.syncFolder(day)
        try? FileManager.default.removeItem(atPath: claim.folder)
        return target
    }

    /// Makes a folder's entries (files moved in or out) durable; best effort, as not every
    /// file system can.
    static func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Moves an unreadable claim to `failed/` beside a file saying why.
    @discardableResult
    public func fail(_ claim: Claim, reason: String) throws(PipelineError) -> String {
        try ensureFolder(config.failed)
        let target = Self.freeName(in: config.failed, for: FileName.fitted(claim.name, leaving: FileName.archiveSuffixes))
        try move(claim.path, to: target)
        let text = "\(claim.name) was not imported.\n\nWhy: \(reason)\n\nWhat to do: fix the file (or save it again from Excel or LibreOffice) and drop it into the inbox again. Nothing from it was imported.\n"
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: target + ".reason.txt")) } catch {
            throw .io(path: target + ".reason.txt", action: "write", reason: SystemReason.of(error))
        }
        Self.syncFolder(config.failed)
        try? FileManager.default.removeItem(atPath: claim.folder)
        return target
    }

    static func day(_ date: Date) -> String {
        UTCTime.string(date, format: "yyyy-MM-dd")
    }

    /// `name`, or `name (2)`, `name (3)`, … — whichever is free in `folder`.
    static func freeName(in folder: String, for name: String) -> String {
        let fm = FileManager.default
        var candidate = (folder as NSString).appendingPathComponent(name)
        var n = 2
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        while fm.fileExists(atPath: candidate) {
            let numbered = ext.isEmpty ? "\(stem) (\(n))" : "\(stem) (\(n)).\(ext)"
            candidate = (folder as NSString).appendingPathComponent(numbered)
            n += 1
        }
        return candidate
    }

    /// Moves a file; across file systems (an archive or failed folder on another disk, where
    /// `rename` cannot go) by a copy made durable under a hidden name, renamed, then the
    /// original removed, so a stop at any point leaves the file whole in one place or both.
    func move(_ from: String, to: String) throws(PipelineError) {
        guard rename(from, to) != 0 else { return }
        guard errno == EXDEV else {
            throw .io(path: from, action: "move", reason: "\(String(cString: strerror(errno))) (moving it to \(to))")
        }
        let folder = (to as NSString).deletingLastPathComponent
        let staging = (folder as NSString).appendingPathComponent(".\((to as NSString).lastPathComponent).moving")
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.copyItem(atPath: from, toPath: staging)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw .io(path: from, action: "copy", reason: "\(SystemReason.of(error)) (copying it to \(to), on another disk)")
        }
        let descriptor = open(staging, O_RDONLY)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        if descriptor >= 0 { close(descriptor) }
        guard synced, rename(staging, to) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: staging)
            throw .io(path: from, action: "copy", reason: "\(reason) (copying it to \(to), on another disk)")
        }
        guard unlink(from) == 0 else {
            throw .io(path: from, action: "remove", reason: "\(String(cString: strerror(errno))); it was copied to \(to), so remove it by hand")
        }
    }

    func ensureFolder(_ path: String) throws(PipelineError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io(path: path, action: "create the folder", reason: SystemReason.of(error))
        }
    }
}

/// Writes a JSON object, pretty-printed with sorted keys.
func writeJSON(_ object: [String: Any], to path: String) throws(PipelineError) {
    do {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw .io(path: path, action: "write", reason: SystemReason.of(error))
    }
}
