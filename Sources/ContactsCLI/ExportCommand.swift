import ArgumentParser
import Foundation
import Pipeline
import ContactStore

/// `contacts export [PROFILE]`: write contacts to the outbox.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export live contacts as CSV into the outbox.",
        discussion: "The file is written under a temporary name and renamed when complete, with a manifest beside it. Cells a spreadsheet would run as formulas are neutralised with a leading apostrophe."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "An export profile from the configuration (default: every configured profile).")
    var profile: String?

    @Option(name: .long, help: "Columns, comma-separated: email, first_name, last_name, mobile, contact_type, created_at, updated_at, lists, hubs, badges, or property keys.")
    var columns: String?

    func run() throws {
        do {
            let config = try options.load(configWasGiven: GlobalOptions.configGiven())
            var profiles = config.exports
            if let profile {
                guard let chosen = config.exports.first(where: { $0.name == profile }) else {
                    throw PipelineError.usage("there is no export profile \"\(profile)\". Configured profiles: \(config.exports.map(\.name).joined(separator: ", ")).")
                }
                profiles = [chosen]
            }
            if let columns {
                let list = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !list.isEmpty else { throw PipelineError.usage("--columns needs at least one column name") }
                profiles = profiles.map { ExportProfile(name: $0.name, columns: list) }
                if profile == nil { profiles = [ExportProfile(name: ExportProfile.standard.name, columns: list)] }
            }
            let store = try GlobalOptions.openExistingStore(config)
            let exporter = Exporter(config: config)
            for p in profiles {
                Terminal.out(try exporter.run(p, store: store).line)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
