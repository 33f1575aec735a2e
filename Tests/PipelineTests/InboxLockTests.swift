import Testing
import Foundation
@testable import Pipeline

@Suite struct InboxLockTests {
    func makeInbox() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-lock-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aSecondHolderIsRefusedAndToldWhoHoldsIt() throws {
        let inbox = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        let first = try InboxLock(inbox: inbox)
        #expect(throws: PipelineError.self) { _ = try InboxLock(inbox: inbox) }
        do {
            _ = try InboxLock(inbox: inbox)
            Issue.record("the inbox was locked twice")
        } catch {
            guard case let .inboxBusy(busyInbox, pid) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(busyInbox == inbox)
            #expect(pid == getpid())
            #expect(error.exitCode == 5)
            #expect(error.description.contains("(process \(getpid())) is working on the inbox \(inbox)"))
        }
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeOnceReleased() throws {
        let inbox = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        do { _ = try InboxLock(inbox: inbox) }
        let again = try InboxLock(inbox: inbox)
        #expect(FileManager.default.fileExists(atPath: again.path))
    }

    @Test func anInboxThatCannotHoldTheLockFileSaysWhere() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)/inbox").path
        do {
            _ = try InboxLock(inbox: missing)
            Issue.record("locked an inbox that does not exist")
        } catch {
            guard case let .io(path, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == missing + "/.run.lock")
        }
    }
}
