import Testing
import Foundation
import Tabular
import ContactModel
import ContactStore
@testable import Pipeline

/// Times the reading thread's stages on a real file; runs only when CONTACTS_BENCH_FILE is set
/// (build with `-c release --build-tests -Xswiftc -enable-testing` for meaningful figures).
@Suite struct ReadingThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONTACTS_BENCH_FILE"] != nil))
    func stagesOfTheReadingThread() throws {
        let path = ProcessInfo.processInfo.environment["CONTACTS_BENCH_FILE"]!
        let config = PipelineConfig()
        func time(_ label: String, _ body: () throws -> Int) rethrows {
            let start = Date()
            let n = try body()
            let s = Date().timeIntervalSince(start)
            print(String(format: "◇ %@: %d rows in %.3f s (%.0f rows/s)", label, n, s, Double(n) / s))
        }
        try time("sha256") {
            _ = try SHA256.hexDigest(ofFile: path)
            return 0
        }
        try time("read") {
            let rows = try TableOpener.open(path: path).rows(sheet: 0)
            var n = 0
            while try rows.next() != nil { n += 1 }
            return n
        }
        try time("read+normalise") {
            let prepared = try Importer(config: config).prepare(ImportRequest(path: path))
            let normaliser = RowNormaliser(mapping: prepared.mapping, region: config.region)
            var n = 0
            var records: [ContactRecord] = []
            var warnings: [String] = []
            while let row = try prepared.rows.next() {
                _ = normaliser.normalise(row, into: &records, warnings: &warnings)
                if records.count == 8192 { records.removeAll(keepingCapacity: true) }
                warnings.removeAll(keepingCapacity: true)
                n += 1
            }
            return n
        }
        try time("read+normalise+prepare") {
            let prepared = try Importer(config: config).prepare(ImportRequest(path: path))
            let normaliser = RowNormaliser(mapping: prepared.mapping, region: config.region)
            var n = 0
            var batch: [ContactRecord] = []
            var warnings: [String] = []
            while let row = try prepared.rows.next() {
                _ = normaliser.normalise(row, into: &batch, warnings: &warnings)
                warnings.removeAll(keepingCapacity: true)
                if batch.count == 8192 { _ = ImportSession.prepare(batch); batch.removeAll(keepingCapacity: true) }
                n += 1
            }
            _ = ImportSession.prepare(batch)
            return n
        }
    }
}
