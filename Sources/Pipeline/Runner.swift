import Foundation
import Tabular
import ContactStore

/// The main job: import everything complete in the inbox, then run the exports.
public struct Runner: Sendable {
    public let config: PipelineConfig

    public init(config: PipelineConfig) { self.config = config }

    /// Processes the inbox once. With `dryRun`, files are read, merged and counted, then
    /// rolled back and left in the inbox untouched; no export is written.
    public func run(store: ContactStore, dryRun: Bool, exports: Bool = true,
                    onFile: (ImportSummary) -> Void = { _ in },
                    progress: (@Sendable (String, Int) -> Void)? = nil) throws(PipelineError) -> RunReport {
        var report = RunReport()
        let inbox = Inbox(config: config)
        let importer = Importer(config: config)
        if dryRun {
            let found = inbox.candidates()
            // One dry run for all the files, so each sees the ones before it, as in a real run.
            if found.files.count > 1 {
                do { try store.beginDryRun() } catch { throw .store(error) }
            }
            defer { store.endDryRun() }
            report.skipped = found.leftAlone
            for candidate in found.files {
                let name = candidate.entry.name
                guard candidate.entry.nameIsUTF8 else {
                    report.skipped.append(Inbox.Skipped(name: candidate.displayName, reason: "its name is not UTF-8 text: a run will import it as \"\(name)\""))
                    continue
                }
                let path = (candidate.folder as NSString).appendingPathComponent(name)
                let request = ImportRequest(path: path, displayName: name, lists: candidate.list.map { [$0] } ?? [], dryRun: true)
                let summary = try importer.run(request, store: store, progress: progress.map { p in { @Sendable n in p(name, n) } })
                report.imports.append(summary)
                onFile(summary)
            }
            return report
        }
        try inbox.ensureFolder(config.inbox)
        let lock = try InboxLock(inbox: config.inbox)
        defer { withExtendedLifetime(lock) {} }
        let (claims, skipped) = try inbox.claimReady()
        report.skipped = skipped
        for claim in claims {
            let request = ImportRequest(path: claim.path, displayName: claim.name, lists: claim.list.map { [$0] } ?? [],
                                        errorsFile: claim.errorsFile)
            let summary = try importer.run(request, store: store, progress: progress.map { p in { @Sendable n in p(claim.name, n) } })
            switch summary.status {
            case .failed:
                try inbox.fail(claim, reason: summary.reason ?? "the file could not be read")
            case .imported, .alreadyImported, .dryRun:
                try inbox.archive(claim, summary: summary)
            }
            report.imports.append(summary)
            onFile(summary)
        }
        if exports {
            let exporter = Exporter(config: config)
            for profile in config.exports {
                report.exports.append(try exporter.run(profile, store: store))
            }
        }
        return report
    }
}

extension ContactStore {
    /// Opens the store folder named by the configuration, creating it (and its parents) if needed.
    /// - Parameter onBusy: called when a step starts waiting for another process holding the
    ///   store (see `StoreOptions.onBusy`).
    public static func open(directory: String, onBusy: (@Sendable () -> Void)? = nil) throws(PipelineError) -> ContactStore {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .io(path: directory, action: "create the store folder", reason: SystemReason.of(error))
        }
        do { return try ContactStore(directory: directory, options: StoreOptions(onBusy: onBusy)) } catch { throw .store(error) }
    }
}
