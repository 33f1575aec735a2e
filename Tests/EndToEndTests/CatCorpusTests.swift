import Testing
import Foundation

/// `contacts cat` (the real binary) over every sheet of the shared corpus, byte for byte.
@Suite struct CatCorpusTests {
    struct Sheet: CustomStringConvertible, Sendable {
        var file: String
        var index: Int?
        var expected: String
        var description: String { index.map { "\(file) #\($0 + 1)" } ?? file }
    }

    static let root: String? = {
        if let env = ProcessInfo.processInfo.environment["CONTACTS_CORPUS"], !env.isEmpty { return env }
        return WorkbookImportTests.corpusRoot()
    }()

    static let sheets: [Sheet] = {
        guard let root, let text = try? String(contentsOfFile: root + "/manifest.tsv", encoding: .utf8) else {
            print("◇ corpus not found at ../shared/corpus (set CONTACTS_CORPUS): skipping contacts cat corpus tests")
            return []
        }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard c.count >= 12 else { return nil }
            return Sheet(file: c[0], index: Int(c[7]), expected: c[11])
        }
    }()

    @Test(arguments: sheets)
    func catMatchesTheExpectedGrid(sheet: Sheet) throws {
        let root = try #require(Self.root)
        let cli = try CLIHarness()
        var args = ["cat", root + "/" + sheet.file]
        if let index = sheet.index { args += ["--sheet", String(index + 1)] }
        let outcome = try cli.run(args)
        if sheet.expected.hasSuffix("expected-error.txt") {
            #expect(outcome.status == 3)
            #expect(outcome.stderr.contains("password-protected"))
            return
        }
        let expected = try String(contentsOfFile: root + "/" + sheet.expected, encoding: .utf8)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == expected)
    }
}
