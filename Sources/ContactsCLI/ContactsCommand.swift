import ArgumentParser
import Pipeline

/// The `contacts` command line.
@main
struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Import marketing contacts from CSV/XLSX/XLS files and export them for your CRM."
    )
}
