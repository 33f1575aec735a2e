import Foundation
import Testing
@testable import ContactStore

/// Two processes on one store: the second waits while the first holds it (an import is one
/// transaction), says so once, and gives up with a plain reason after its bound.
@Suite struct BusyStoreTests {
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    func options(timeout: Int, calls: Calls) -> StoreOptions {
        StoreOptions(cacheMiB: 8, busyTimeoutSeconds: timeout, onBusy: { calls.add() })
    }

    @Test func aSecondConnectionGivesUpAfterItsBoundWithAPlainReason() throws {
        let fixture = try StoreFixture()
        let holder = try fixture.store.beginImport(file: "big.csv", sha256: "a")
        let calls = Calls()
        let other = try ContactStore(directory: fixture.directory, options: options(timeout: 1, calls: calls))
        let started = Date()
        #expect {
            _ = try other.beginImport(file: "small.csv", sha256: "b")
        } throws: { error in
            guard let error = error as? StoreError, case let .sqlite(code, _, _) = error else { return false }
            return code & 0xFF == 5 && error.description.contains("another contacts process")
                && error.description.contains("Nothing of this step was saved")
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.9 && waited < 10, "waited \(waited) s")
        #expect(calls.count == 1)
        holder.rollback()
    }

    /// What the waiting connection, on its own thread, saw.
    final class Outcome: @unchecked Sendable {
        var waited = 0.0
        var failure: String?
        let done = DispatchSemaphore(value: 0)
    }

    @Test func aSecondConnectionGoesOnOnceTheFirstCommits() throws {
        let fixture = try StoreFixture()
        let holder = try fixture.store.beginImport(file: "big.csv", sha256: "a")
        let calls = Calls()
        let outcome = Outcome()
        let directory = fixture.directory
        let waiting = options(timeout: 60, calls: calls)
        Thread {
            do {
                let other = try ContactStore(directory: directory, options: waiting)
                let started = Date()
                let session = try other.beginImport(file: "small.csv", sha256: "b")
                outcome.waited = Date().timeIntervalSince(started)
                _ = try session.commit(rowsRead: 0, rejected: 0)
            } catch {
                outcome.failure = "\(error)"
            }
            outcome.done.signal()
        }.start()
        usleep(300_000)
        _ = try holder.commit(rowsRead: 0, rejected: 0)
        outcome.done.wait()
        #expect(outcome.failure == nil)
        #expect(outcome.waited >= 0.2, "waited \(outcome.waited) s")
        #expect(calls.count == 1)
        #expect(try fixture.store.importRecord(sha256: "a") != nil)
        #expect(try fixture.store.importRecord(sha256: "b") != nil)
    }
}

/// Two processes opening a new store at once: the second finds it upgraded once it gets the
/// lock, rather than creating the tables again.
@Suite struct ConcurrentOpenTests {
    final class Outcome: @unchecked Sendable {
        var failure: String?
        var contacts = -1
        let done = DispatchSemaphore(value: 0)
    }

    @Test func aStoreUpgradedWhileWaitingIsNotUpgradedAgain() throws {
        let directory = NSTemporaryDirectory() + "concurrent-open-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The first process: it holds the lock and is about to create the tables.
        let first = try SQLiteConnection(path: directory + "/" + ContactStore.databaseFileName)
        try first.execute("BEGIN IMMEDIATE", context: "test")
        let outcome = Outcome()
        Thread {
            do {
                let store = try ContactStore(directory: directory, options: StoreOptions(cacheMiB: 8, busyTimeoutSeconds: 30))
                outcome.contacts = try store.liveContactCount()
            } catch {
                outcome.failure = "\(error)"
            }
            outcome.done.signal()
        }.start()
        usleep(300_000) // the second has read version 0 and waits for the lock
        try first.execute(Schema.version1 + "PRAGMA user_version = 1;" + Schema.version2 + "PRAGMA user_version = 2; COMMIT;", context: "test")
        outcome.done.wait()
        #expect(outcome.failure == nil)
        #expect(outcome.contacts == 0)
    }
}
