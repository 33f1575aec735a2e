import ContactModel
import Foundation
import Tabular
import Testing
@testable import ContactStore

/// A hand-run benchmark of `prepare` and `merge` on records from the real reader and
/// normaliser (batches of 8192 in file order, as the pipeline sends them). Runs only when
/// CONTACTS_STORE_BENCH_FILE names a CSV with a header row; it reports the CPU seconds of
/// each stage on this one thread, so the figures hold on a busy machine:
/// Optional: CONTACTS_STORE_BENCH_CACHE (MiB), CONTACTS_STORE_BENCH_ONCE=1 (skip the second import).
/// `CONTACTS_STORE_BENCH_FILE=… .build-rel/release/contactsPackageTests.xctest --testing-library swift-testing --filter RealFileBenchmark`
@Suite struct RealFileBenchmark {
    static let path = ProcessInfo.processInfo.environment["CONTACTS_STORE_BENCH_FILE"]

    /// Reads and normalises the file, calling `body` with each batch of records.
    static func batches(of path: String, _ body: ([ContactRecord]) throws -> Void) throws {
        let rows = try TableOpener.open(path: path).rows(sheet: 0)
        guard let header = try rows.next() else { return }
        let mapping = try HeaderMapping(header: header.cells.map(\.rendered))
        let normaliser = RowNormaliser(mapping: mapping, region: PhoneNumber.Region.known["AU"]!)
        var batch: [ContactRecord] = []
        batch.reserveCapacity(8192)
        while let row = try rows.next() {
            if case let .record(record, _) = normaliser.normalise(row) { batch.append(record) }
            if batch.count == 8192 {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    @Test(.enabled(if: path != nil)) func prepareAndMergeRealRecords() throws {
        let path = Self.path!
        let directory = NSTemporaryDirectory() + "contact-store-real-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let env = ProcessInfo.processInfo.environment
        var options = StoreOptions()
        if let cache = env["CONTACTS_STORE_BENCH_CACHE"].flatMap(Int.init) { options.cacheMiB = cache }
        let store = try ContactStore(directory: directory, options: options)
        let labels = ["import into empty store", "same file again"]
        for label in labels.prefix(env["CONTACTS_STORE_BENCH_ONCE"] == "1" ? 1 : 2) {
            let session = try store.beginImport(file: label, sha256: UUID().uuidString)
            var prepareCPU = 0.0
            var mergeCPU = 0.0
            var records = 0
            try Self.batches(of: path) { batch in
                records += batch.count
                let start = StoreBenchmark.cpuSeconds()
                let prepared = ImportSession.prepare(batch)
                let middle = StoreBenchmark.cpuSeconds()
                _ = try session.merge(prepared: prepared)
                prepareCPU += middle - start
                mergeCPU += StoreBenchmark.cpuSeconds() - middle
            }
            let start = StoreBenchmark.cpuSeconds()
            try session.commit(rowsRead: records, rejected: 0)
            let commitCPU = StoreBenchmark.cpuSeconds() - start
            print(String(format: "[real] %@: %d records; prepare CPU %.3f s; store thread CPU merge %.3f s + commit %.3f s; counts %@",
                         label, records, prepareCPU, mergeCPU, commitCPU, "\(session.counts)"))
        }
    }
}
