import ContactModel
import Foundation
import Testing
@testable import ContactStore

/// A hand-run benchmark of the store's bulk paths (not part of the normal test run):
/// `CONTACTS_STORE_BENCH=1 swift test -c release --scratch-path .build-store --filter StoreBenchmark`
/// Optional: CONTACTS_STORE_BENCH_ROWS (default 1000000), CONTACTS_STORE_BENCH_JOURNAL (rollback|wal),
/// CONTACTS_STORE_BENCH_CACHE (MiB, default 128), CONTACTS_STORE_BENCH_DIR.
@Suite struct StoreBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["CONTACTS_STORE_BENCH"] == "1"

    /// Deterministic synthetic rows: 12 columns (email, names, mobile, type, 7 properties), random
    /// email order, about 10% of rows repeating an earlier email.
    struct Generator {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        var emitted = 0
        let keys = ["favourite_colour", "city", "loyalty_tier", "birthday", "shoe_size", "newsletter", "store"]
        let cities = ["London", "Leeds", "York", "Bristol", "Glasgow", "Cardiff", "Belfast", "Bath"]

        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }

        static func email(_ n: Int) -> String {
            var h = StableHash(seed: 42)
            h.combine(UInt64(n))
            let v = h.value
            return "user\(v % 100_000_000).\(n % 997)@example\(v >> 58).com"
        }

        mutating func record(row: Int) -> ContactRecord {
            let pick = next()
            let n = (emitted > 100 && pick % 10 == 0) ? Int(next() % UInt64(emitted)) : emitted
            if n == emitted { emitted += 1 }
            // Values derive from the contact, so a repeated row repeats its values.
            var mixer = StableHash(seed: 7)
            mixer.combine(UInt64(n))
            let r = mixer.value
            let values = [
                "colour\(r % 12)", cities[Int(r >> 8) % cities.count], ["bronze", "silver", "gold"][Int(r >> 12) % 3],
                "19\(50 + Int(r >> 16) % 50)-0\(1 + Int(r >> 20) % 9)-1\(Int(r >> 24) % 9)", "\(3 + Int(r >> 28) % 10)",
                (r >> 32) & 1 == 0 ? "yes" : "no", "Store \(Int(r >> 36) % 300)",
            ]
            return ContactRecord(
                email: Self.email(n), firstName: "First\(n % 5000)", lastName: "Last\(n % 20000)",
                mobile: "+4477009\(String(n % 100_000 + 100_000).dropFirst())", contactType: ContactType(rawValue: n % 3),
                properties: zip(keys, values).map { PropertyValue(key: $0, label: $0, value: $1) }, sourceRow: row)
        }
    }

    /// CPU seconds of this thread (wall time is meaningless on a shared 2-core machine).
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func peakRSSMiB() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Int(usage.ru_maxrss) / 1024
    }

    static func importAll(_ store: ContactStore, rows: Int, batchSize: Int, label: String) throws -> MergeCounts {
        var generator = Generator()
        let session = try store.beginImport(file: label, sha256: UUID().uuidString)
        var mergeTime: Double = 0
        var mergeCPU: Double = 0
        var prepareCPU: Double = 0
        var total = MergeCounts()
        var row = 2
        while row - 2 < rows {
            var batch: [ContactRecord] = []
            batch.reserveCapacity(batchSize)
            for _ in 0..<min(batchSize, rows - (row - 2)) {
                batch.append(generator.record(row: row))
                row += 1
            }
            let prepareStart = cpuSeconds()
            let prepared = ImportSession.prepare(batch)   // the pipeline can run this on the reader's thread
            prepareCPU += cpuSeconds() - prepareStart
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = cpuSeconds()
            total += try session.merge(prepared: prepared)
            mergeCPU += cpuSeconds() - cpuStart
            mergeTime += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        try session.commit(rowsRead: rows, rejected: 0)
        let commitCPU = cpuSeconds() - cpuStart
        let commitTime = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "[bench] %@: %d rows; prepare CPU %.2f s; store thread: wall merge %.2f s + commit %.2f s = %.0f rows/s, CPU merge %.2f s + commit %.2f s = %.0f rows/s; prepare+merge+commit CPU = %.0f rows/s; counts %@; peak RSS %d MiB",
                     label, rows, prepareCPU, mergeTime, commitTime, Double(rows) / (mergeTime + commitTime),
                     mergeCPU, commitCPU, Double(rows) / (mergeCPU + commitCPU),
                     Double(rows) / (prepareCPU + mergeCPU + commitCPU), "\(total)", peakRSSMiB()))
        return total
    }

    /// Generator + prepare on a second thread, merge on this one: the pipeline's shape.
    static func importTwoThreads(_ store: ContactStore, rows: Int, label: String) throws -> MergeCounts {
        let pipe = BenchPipe()
        let producer = Thread {
            var generator = Generator()
            var row = 2
            while row - 2 < rows {
                var batch: [ContactRecord] = []
                batch.reserveCapacity(10_000)
                for _ in 0..<min(10_000, rows - (row - 2)) {
                    batch.append(generator.record(row: row))
                    row += 1
                }
                pipe.put(ImportSession.prepare(batch))
            }
            pipe.finish()
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        producer.start()
        let session = try store.beginImport(file: label, sha256: UUID().uuidString)
        var total = MergeCounts()
        while let prepared = pipe.take() { total += try session.merge(prepared: prepared) }
        try session.commit(rowsRead: rows, rejected: 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "[bench] %@ (generate+prepare on a 2nd thread): %d rows in %.2f s wall = %.0f rows/s end to end; store thread CPU %.2f s; peak RSS %d MiB",
                     label, rows, seconds, Double(rows) / seconds, cpuSeconds() - cpuStart, peakRSSMiB()))
        return total
    }

    @Test(.enabled(if: enabled && ProcessInfo.processInfo.environment["CONTACTS_STORE_BENCH_THREADS"] == "2"))
    func twoThreadImport() throws {
        let rows = Int(ProcessInfo.processInfo.environment["CONTACTS_STORE_BENCH_ROWS"] ?? "") ?? 1_000_000
        let directory = NSTemporaryDirectory() + "contact-store-bench2-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ContactStore(directory: directory)
        let first = try Self.importTwoThreads(store, rows: rows, label: "import into empty store")
        let second = try Self.importTwoThreads(store, rows: rows, label: "same rows again")
        #expect(first.created == second.unchanged)
    }

    @Test(.enabled(if: enabled)) func bulkImportReimportExport() throws {
        let env = ProcessInfo.processInfo.environment
        let rows = Int(env["CONTACTS_STORE_BENCH_ROWS"] ?? "") ?? 1_000_000
        let journal: StoreOptions.JournalMode = env["CONTACTS_STORE_BENCH_JOURNAL"] == "wal" ? .wal : .rollback
        let cache = Int(env["CONTACTS_STORE_BENCH_CACHE"] ?? "") ?? 128
        let directory = env["CONTACTS_STORE_BENCH_DIR"] ?? NSTemporaryDirectory() + "contact-store-bench-" + UUID().uuidString
        let exportOnly = env["CONTACTS_STORE_BENCH_EXPORT_ONLY"] == "1"   // reuse a kept store
        if !exportOnly { try? FileManager.default.removeItem(atPath: directory) }
        defer { if env["CONTACTS_STORE_BENCH_KEEP"] != "1" { try? FileManager.default.removeItem(atPath: directory) } }
        print("[bench] \(rows) rows, batches of 10000, journal \(journal), cache \(cache) MiB, at \(directory)")
        let store = try ContactStore(directory: directory, options: StoreOptions(journalMode: journal, cacheMiB: cache))

        if !exportOnly {
        let first = try Self.importAll(store, rows: rows, batchSize: 10_000, label: "import into empty store")
        if journal == .wal {
            let start = DispatchTime.now().uptimeNanoseconds
            try store.checkpoint()
            print(String(format: "[bench] checkpoint %.2f s", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
        let second = try Self.importAll(store, rows: rows, batchSize: 10_000, label: "same rows again (unchanged)")
        #expect(second.created == 0 && second.updated == 0)
        #expect(first.created == second.unchanged)
        }

        let columns = ["email", "first_name", "last_name", "mobile", "contact_type", "created_at", "updated_at",
                       "favourite_colour", "city", "loyalty_tier", "birthday", "shoe_size", "newsletter", "store"]
        if let mmap = env["CONTACTS_STORE_BENCH_MMAP"] { try store.db.execute("PRAGMA mmap_size = \(mmap)", context: "bench") }
        for order in [ExportOrder.email, .creation] {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.cpuSeconds()
            let cursor = try store.exportCursor(columns: columns, order: order)
            var bytes = 0
            while try cursor.next() {
                for index in 0..<columns.count { bytes &+= cursor.cell(index)?.count ?? 0 }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = Self.cpuSeconds() - cpuStart
            print(String(format: "[bench] export (%@ order, %d columns): %d rows, %d MB; wall %.2f s = %.0f rows/s; CPU %.2f s = %.0f rows/s; peak RSS %d MiB",
                         "\(order)", columns.count, cursor.rowCount, bytes >> 20, seconds, Double(cursor.rowCount) / seconds,
                         cpu, Double(cursor.rowCount) / cpu, Self.peakRSSMiB()))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/contacts.sqlite")[.size] as? Int) ?? 0
        print("[bench] database file \(size >> 20) MiB")
        if let statement = try? store.db.prepare("SELECT name, count(*) * 16384 >> 20, sum(unused) >> 20 FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 4") {
            while (try? statement.step()) == true {
                print("[bench]   \(statement.text(0) ?? ""): \(statement.int64(1)) MiB (\(statement.int64(2)) MiB unused)")
            }
        }
    }
}
