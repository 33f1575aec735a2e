import Testing
import Foundation
import ContactStore
@testable import Pipeline

/// The errors file is only there for an import that was saved (or a finished dry run).
@Suite struct ImporterErrorsFileTests {
    let temporary = TemporaryFolder("importer-errors")

    @Test func anImportThatFailsToCommitLeavesNoErrorsFileAndTheEarlierOneAsItWas() throws {
        let config = PipelineConfig(baseDirectory: temporary.path)
        let storeFolder = (temporary.path as NSString).appendingPathComponent("store")
        // Gives up at once when another connection holds the store.
        let store = try ContactStore(directory: storeFolder, options: StoreOptions(cacheMiB: 8, busyTimeoutSeconds: 0))
        let first = try temporary.write("first.csv", "Email\nfirst@example.com\n")
        _ = try Importer(config: config).run(ImportRequest(path: first), store: store)

        let file = try temporary.write("march.csv", "Email,First Name\nann@example.com,Ann\nnot-an-email,Bob\n")
        let errorsPath = file + ".errors.csv"
        try Data("an earlier import's rows\n".utf8).write(to: URL(fileURLWithPath: errorsPath))

        // A reader in the middle of an export: the import cannot take the store to commit.
        let reader = try ContactStore(directory: storeFolder)
        let cursor = try reader.exportCursor(columns: ["email"])
        #expect(try cursor.next())
        #expect(throws: PipelineError.self) {
            _ = try Importer(config: config).run(ImportRequest(path: file, errorsFile: errorsPath), store: store)
        }
        #expect(try String(contentsOfFile: errorsPath, encoding: .utf8) == "an earlier import's rows\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasSuffix(".partial") }.isEmpty)
        withExtendedLifetime(cursor) {}
    }

    @Test func aSavedImportPublishesItsErrorsFile() throws {
        let config = PipelineConfig(baseDirectory: temporary.path)
        let store = try ContactStore(directory: (temporary.path as NSString).appendingPathComponent("store"))
        let file = try temporary.write("march.csv", "Email,First Name\nann@example.com,Ann\nnot-an-email,Bob\n")
        let summary = try Importer(config: config).run(ImportRequest(path: file, errorsFile: file + ".errors.csv"), store: store)
        #expect(summary.errorsFile == file + ".errors.csv")
        let text = try String(contentsOfFile: file + ".errors.csv", encoding: .utf8)
        #expect(text.contains("not-an-email"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasSuffix(".partial") }.isEmpty)
    }
}
