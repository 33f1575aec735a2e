import ArgumentParser
import Foundation
import Tabular
import Pipeline
import ContactStore

/// `contacts import FILE…`: import files directly, outside the inbox.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CSV, XLSX or XLS files into the contact store.",
        discussion: "Each file is one transaction: it is imported whole or not at all. Rejected rows are written to FILE.errors.csv beside the file (or into --errors)."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "Files to import.")
    var files: [String]

    @Option(name: .long, help: "A list every contact of these files joins.")
    var list: String?

    @Option(name: .long, help: "The sheet to read in workbooks: a name or a 1-based number (a CSV has one table).")
    var sheet: String?

    @Flag(name: .long, help: "Read and merge, report, then roll back: nothing is written.")
    var dryRun = false

    @Option(name: .long, help: "Folder for the errors files (default: beside each file).")
    var errors: String?

    @Option(name: .long, help: "Report format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        do {
            let config = try options.load(configWasGiven: GlobalOptions.configGiven())
            if let errors, !dryRun {
                // Like the store and outbox folders: made when missing, before any import.
                do { try FileManager.default.createDirectory(atPath: errors, withIntermediateDirectories: true) } catch {
                    throw PipelineError.io(path: errors, action: "create the errors folder", reason: SystemReason.of(error))
                }
            }
            let store = try GlobalOptions.openStore(config)
            let importer = Importer(config: config)
            let progress = ProgressLine()
            var summaries: [ImportSummary] = []
            // One dry run for all the files, so each sees the ones before it, as a real import would.
            if dryRun && files.count > 1 { try store.beginDryRun() }
            defer { store.endDryRun() }
            for file in files {
                let name = (file as NSString).lastPathComponent
                var errorsFile: String?
                if !dryRun {
                    let folder = errors ?? (file as NSString).deletingLastPathComponent
                    errorsFile = FileName.errorsFile(for: name, in: folder.isEmpty ? "." : folder)
                }
                let request = ImportRequest(path: file, displayName: name, lists: list.map { [$0] } ?? [], sheet: sheet,
                                            dryRun: dryRun, errorsFile: errorsFile)
                let summary = try importer.run(request, store: store, progress: { n in progress.update(name, n) })
                progress.clear()
                summaries.append(summary)
                if format == .text {
                    Terminal.out(summary.line)
                    if let e = summary.errorsFile { Terminal.out("  rejected rows and warnings: \(e)") }
                    if summary.status == .dryRun { summary.issueLines().forEach(Terminal.out) }
                }
            }
            if format == .json { Terminal.json(["imports": summaries.map(\.json)]) }
            if summaries.contains(where: { $0.status == .failed }) { throw ExitCode(3) }
            if summaries.contains(where: { $0.rejected > 0 }) { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
