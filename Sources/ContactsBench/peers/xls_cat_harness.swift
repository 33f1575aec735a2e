// A stand-in for `contacts cat FILE` until the CLI exists: opens FILE with TableOpener
// and prints its default sheet with GridPrinter to standard output. Built by
// bench_xls.py against the release-built Tabular module (not part of the package build).
import Foundation
import Tabular

let args = CommandLine.arguments.dropFirst().filter { $0 != "cat" }
guard let path = args.first else {
    FileHandle.standardError.write("usage: xls_cat [cat] FILE\n".data(using: .utf8)!)
    exit(2)
}
do {
    let table = try TableOpener.open(path: path)
    let sheet = try TableOpener.chooseSheet(table, path: path, selector: nil)
    try GridPrinter().print(table, sheet: sheet, to: CSVWriter(fileDescriptor: 1))
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(3)
}
