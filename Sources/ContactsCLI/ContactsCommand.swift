import ArgumentParser

/// The `contacts` command line: thin commands over the Pipeline module.
@main
struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Import marketing contacts from CSV, XLSX and XLS files into a contact store, and export them for a CRM.",
        discussion: """
            Exit codes: 0 done; 1 done, with rejected rows; 2 usage or configuration error; \
            3 an input file could not be read; 4 contact store error; 5 (run) another \
            run is working on the inbox, so this one did nothing.
            """,
        subcommands: [RunCommand.self, ImportCommand.self, ExportCommand.self, CatCommand.self]
    )
}
