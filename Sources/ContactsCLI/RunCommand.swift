import ArgumentParser
import Foundation
import Pipeline
import ContactStore

/// `contacts run`: process the inbox once, then the exports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Import every complete file in the inbox, then write the configured exports to the outbox.",
        discussion: "Files still being written, lock files and partial downloads are left for a later run, and named with why. One run works on an inbox at a time: a second one exits with code 5 and touches nothing. With --dry-run nothing is written or moved; a report says what would happen."
    )

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "Read and merge everything, report, then roll back: nothing is written or moved.")
    var dryRun = false

    @Option(name: .long, help: "Report format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        do {
            let config = try options.load(configWasGiven: GlobalOptions.configGiven())
            let store = try GlobalOptions.openStore(config)
            let progress = ProgressLine()
            let report = try Runner(config: config).run(
                store: store, dryRun: dryRun,
                onFile: { summary in
                    progress.clear()
                    if format == .text {
                        Terminal.out(summary.line)
                        // No errors file in a dry run: the first rows and why, here.
                        if summary.status == .dryRun { summary.issueLines().forEach(Terminal.out) }
                    }
                },
                progress: { file, rows in progress.update(file, rows) })
            progress.clear()
            if format == .json {
                Terminal.json(report.json)
            } else {
                for s in report.skipped { Terminal.out("\(s.name): left in the inbox, \(s.reason)") }
                if report.imports.isEmpty && report.skipped.isEmpty { Terminal.out("inbox: nothing to import") }
                for e in report.exports { Terminal.out(e.line) }
            }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
