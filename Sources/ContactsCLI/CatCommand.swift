import ArgumentParser
import Foundation
import Tabular
import Pipeline

/// `contacts cat FILE`: show exactly how the tool reads a file.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a file's cells as CSV, exactly as contacts reads them.",
        discussion: "Dates print as ISO 8601, numbers without a trailing .0 or exponent, booleans as TRUE/FALSE, errors as their Excel literal. Workbook rows are padded to the sheet's width; row 1 is cell A1."
    )

    @Argument(help: "A CSV, XLSX or XLS file.")
    var file: String

    @Option(name: .long, help: "The workbook sheet to print: a name or a 1-based number (default: pipeline.json's \"sheet\", else the first visible worksheet). A CSV has one table.")
    var sheet: String?

    @Flag(name: .long, help: "List the workbook's sheets instead of printing cells.")
    var sheets = false

    /// For pipeline.json's sheet choice (so `cat` prints what `import` reads); the folders are
    /// accepted as on every command, and unused.
    @OptionGroup var options: GlobalOptions

    func run() throws {
        do {
            let config = try options.load(configWasGiven: GlobalOptions.configGiven())
            let sheet = self.sheet ?? config.sheet
            let table = try TableOpener.open(path: file)
            if sheets {
                for s in table.sheets {
                    var line = "\(s.index + 1)\t\(s.name)"
                    if s.kind == .chartsheet { line += "\t(chart)" }
                    if s.visibility == .hidden { line += "\t(hidden)" }
                    if s.visibility == .veryHidden { line += "\t(very hidden)" }
                    Terminal.out(line)
                }
                return
            }
            let index = try TableOpener.chooseSheet(table, path: file, selector: sheet)
            let writer = CSVWriter(fileDescriptor: 1)
            try GridPrinter().print(table, sheet: index, to: writer)
            try writer.flush()
        } catch {
            throw fail(error)
        }
    }
}
