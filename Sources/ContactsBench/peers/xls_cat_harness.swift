// A stand-in for `contacts cat FILE` until the CLI exists: opens FILE with TableOpener
// and prints its default sheet with GridPrinter to standard output. `count FILE` reads
// every row without printing (the reader alone). Built by hand against the
// release-built Tabular module (not part of the package build):
//
//   swift build -c release --target Tabular --scratch-path .build-xls
//   swiftc -O -module-name xlscat Sources/ContactsBench/peers/xls_cat_harness.swift \
//     -I .build-xls/release/Modules -I Sources/SysXML2 -I Sources/SysZlib \
//     .build-xls/release/Tabular.build/*.o -lxml2 -lz -o /tmp/xlscat
import Foundation
import Tabular

var args = Array(CommandLine.arguments.dropFirst())
let countOnly = args.first == "count"
if args.first == "cat" || countOnly { args.removeFirst() }
guard let path = args.first else {
    FileHandle.standardError.write("usage: xlscat cat|count FILE\n".data(using: .utf8)!)
    exit(2)
}
do {
    let table = try TableOpener.open(path: path)
    let sheet = try TableOpener.chooseSheet(table, path: path, selector: nil)
    if countOnly {
        let rows = try table.rows(sheet: sheet)
        var cells = 0
        while let row = try rows.next() { cells += row.cells.count }
        print(cells)
    } else {
        try GridPrinter().print(table, sheet: sheet, to: CSVWriter(fileDescriptor: 1))
    }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(3)
}
