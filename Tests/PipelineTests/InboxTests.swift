import Testing
import Foundation
@testable import Pipeline

/// A class so each test's folder goes with it (`deinit`).
@Suite final class InboxTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString)")

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func makeConfig() throws -> PipelineConfig {
        let dir = root.appendingPathComponent(UUID().uuidString).path
        var config = PipelineConfig(baseDirectory: dir)
        config.settleSeconds = 5
        try FileManager.default.createDirectory(atPath: config.inbox + "/VIP List", withIntermediateDirectories: true)
        return config
    }

    func touch(_ path: String, age: TimeInterval) throws {
        try Data("Email\na@b.co\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path)
    }

    @Test func claimsCompleteFilesAndLeavesTheRest() throws {
        let config = try makeConfig()
        let inbox = Inbox(config: config)
        try touch(config.inbox + "/ready.csv", age: 60)
        try touch(config.inbox + "/VIP List/vip.xlsx", age: 60)
        try touch(config.inbox + "/fresh.csv", age: 0)
        try touch(config.inbox + "/~$book.xlsx", age: 60)
        try touch(config.inbox + "/download.csv.crdownload", age: 60)
        try touch(config.inbox + "/.hidden.csv", age: 60)
        let (claims, skipped) = try inbox.claimReady()
        #expect(claims.map(\.name) == ["vip.xlsx", "ready.csv"])
        #expect(claims.first?.list == "VIP List")
        #expect(Set(skipped.map(\.name)) == ["fresh.csv", "~$book.xlsx", "download.csv.crdownload"])
        for claim in claims {
            #expect(FileManager.default.fileExists(atPath: claim.path))
            #expect(claim.path.contains("/.processing/"))
        }
        #expect(!FileManager.default.fileExists(atPath: config.inbox + "/ready.csv"))
        #expect(FileManager.default.fileExists(atPath: config.inbox + "/fresh.csv"))
    }

    @Test func aFolderInsideAListFolderIsReportedNotPassedOver() throws {
        let config = try makeConfig()
        try FileManager.default.createDirectory(atPath: config.inbox + "/VIP List/week 1", withIntermediateDirectories: true)
        try touch(config.inbox + "/VIP List/week 1/entries.csv", age: 60)
        try touch(config.inbox + "/VIP List/vip.csv", age: 60)
        let (claims, skipped) = try Inbox(config: config).claimReady()
        #expect(claims.map(\.name) == ["vip.csv"])
        #expect(skipped.map(\.name) == ["VIP List/week 1/"])
        #expect(skipped.first?.reason.contains("Move them into VIP List/") == true)
        // Left where it was, for the marketer to move.
        #expect(FileManager.default.fileExists(atPath: config.inbox + "/VIP List/week 1/entries.csv"))
    }

    @Test func aFileWhoseNameIsNotUTF8IsClaimedUnderItsWindowsReading() throws {
        let config = try makeConfig()
        // "café.csv" as a Windows share spells it: é is the single byte 0xE9.
        let raw = Array((config.inbox + "/VIP List/caf").utf8) + [0xE9] + Array(".csv".utf8)
        let descriptor = (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644)
        }
        #expect(descriptor >= 0)
        _ = "Email\na@b.co\n".withCString { write(descriptor, $0, 13) }
        var times = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
        #expect(futimens(descriptor, &times) == 0)
        close(descriptor)
        let (claims, skipped) = try Inbox(config: config).claimReady()
        #expect(skipped.isEmpty)
        #expect(claims.map(\.name) == ["café.csv"])
        #expect(claims.first?.list == "VIP List")
        let claimed = try #require(claims.first)
        #expect(try String(contentsOfFile: claimed.path, encoding: .utf8) == "Email\na@b.co\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.inbox + "/VIP List").isEmpty)
    }

    @Test func linksPipesAndOtherNonFilesAreReported() throws {
        let config = try makeConfig()
        try touch(root.path + "/elsewhere.csv", age: 60)
        try FileManager.default.createSymbolicLink(atPath: config.inbox + "/link.csv", withDestinationPath: root.path + "/elsewhere.csv")
        #expect(mkfifo(config.inbox + "/VIP List/pipe.csv", 0o644) == 0)
        let (claims, skipped) = try Inbox(config: config).claimReady()
        #expect(claims.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: skipped.map { ($0.name, $0.reason) })
        #expect(reasons["link.csv"]?.contains("a link to a file, not the file") == true)
        #expect(reasons["VIP List/pipe.csv"]?.contains("not a plain file") == true)
        // Both stay where they were.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: config.inbox + "/link.csv")) != nil)
        #expect(FileManager.default.fileExists(atPath: root.path + "/elsewhere.csv"))
    }

    /// A copy that stamps the source's old time before its data is in: the file looks old,
    /// but a program still has it open for writing (leases tell, on Linux).
    @Test func aFileOpenForWritingIsLeftAloneWhateverItsTime() throws {
        let config = try makeConfig()
        try touch(config.inbox + "/copying.csv", age: 600)
        let path = Array((config.inbox + "/copying.csv").utf8CString)
        guard WriterCheck.isOpenForWriting(path) != nil else {
            print("◇ skipped: this file system does not grant leases, so a writer cannot be seen")
            return
        }
        let writer = try #require(FileHandle(forWritingAtPath: config.inbox + "/copying.csv"))
        let first = try Inbox(config: config).claimReady()
        #expect(first.claims.isEmpty)
        #expect(first.skipped.first?.reason.contains("another program has it open for writing") == true)
        try writer.close()
        #expect(WriterCheck.isOpenForWriting(path) == false)
        #expect(try Inbox(config: config).claimReady().claims.map(\.name) == ["copying.csv"])
    }

    @Test func leftoverClaimsAreRequeuedWithTheirList() throws {
        let config = try makeConfig()
        try touch(config.inbox + "/VIP List/vip.csv", age: 60)
        let first = try Inbox(config: config).claimReady()
        #expect(first.claims.count == 1)
        // A crash here leaves the claim in .processing; the next run picks it up again.
        let second = try Inbox(config: config).claimReady()
        #expect(second.claims.map(\.name) == ["vip.csv"])
        #expect(second.claims.first?.list == "VIP List")
    }

    @Test func aStoppedRunsErrorsFileIsDroppedNotImported() throws {
        let config = try makeConfig()
        try touch(config.inbox + "/VIP List/vip.csv", age: 60)
        let claim = try #require(try Inbox(config: config).claimReady().claims.first)
        // The run stopped while writing the errors file (or just after finishing it).
        try touch(claim.path + ".errors.csv.partial", age: 0)
        try touch(claim.path + ".errors.csv", age: 0)
        try touch(claim.folder + "/..errors.csv.partial", age: 0)
        let again = try Inbox(config: config).claimReady()
        #expect(again.claims.map(\.name) == ["vip.csv"])
        #expect(again.claims.first?.list == "VIP List")
        #expect(try FileManager.default.contentsOfDirectory(atPath: claim.folder).sorted() == [".list", "vip.csv"])
    }

    @Test func aFileOnlyNamedLikeAnErrorsFileIsStillAClaim() throws {
        let config = try makeConfig()
        // A marketer fixed the rows of an errors file and dropped it in again.
        try touch(config.inbox + "/march.csv.errors.csv", age: 60)
        #expect(try Inbox(config: config).claimReady().claims.map(\.name) == ["march.csv.errors.csv"])
        // A run stopped before importing it: it must be picked up again, not thrown away.
        let again = try Inbox(config: config).claimReady()
        #expect(again.claims.map(\.name) == ["march.csv.errors.csv"])
        let claim = try #require(again.claims.first)
        #expect(FileManager.default.fileExists(atPath: claim.path))
    }

    /// A folder on another file system than the temporary folder (`/dev/shm` where it is one),
    /// or nil.
    static var otherFileSystem: String? {
        var here = stat(), there = stat()
        guard stat(FileManager.default.temporaryDirectory.path, &here) == 0, stat("/dev/shm", &there) == 0,
              here.st_dev != there.st_dev, access("/dev/shm", W_OK) == 0 else { return nil }
        return "/dev/shm"
    }

    @Test(.enabled(if: InboxTests.otherFileSystem != nil, "needs /dev/shm on another file system than the temporary folder"))
    func anArchiveOnAnotherDiskGetsTheFilesWhole() throws {
        var config = try makeConfig()
        let other = (Self.otherFileSystem! as NSString).appendingPathComponent("contacts-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: other) }
        config.archive = other + "/archive"
        config.failed = other + "/failed"
        try touch(config.inbox + "/a.csv", age: 60)
        try touch(config.inbox + "/b.csv", age: 60)
        let inbox = Inbox(config: config)
        let claims = try inbox.claimReady().claims
        try Data("row,status\n2,rejected\n".utf8).write(to: URL(fileURLWithPath: claims[0].errorsFile))
        let archived = try inbox.archive(claims[0], summary: ImportSummary(file: "a.csv", status: .imported))
        #expect(archived.hasPrefix(other))
        #expect(try String(contentsOfFile: archived, encoding: .utf8) == "Email\na@b.co\n")
        #expect(try String(contentsOfFile: archived + ".errors.csv", encoding: .utf8) == "row,status\n2,rejected\n")
        let failed = try inbox.fail(claims[1], reason: "the file is damaged")
        #expect(failed.hasPrefix(other))
        #expect(FileManager.default.fileExists(atPath: failed))
        // Nothing left behind: not the originals, not a half copy.
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.inbox + "/.processing").isEmpty)
        let day = (config.archive as NSString).appendingPathComponent(Inbox.day(Date()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: day).sorted() == ["a.csv", "a.csv.errors.csv", "a.csv.report.json"])
    }

    @Test func archiveAndFailFileTheClaimAway() throws {
        let config = try makeConfig()
        try touch(config.inbox + "/a.csv", age: 60)
        try touch(config.inbox + "/b.csv", age: 60)
        let inbox = Inbox(config: config)
        let claims = try inbox.claimReady().claims
        let archived = try inbox.archive(claims[0], summary: ImportSummary(file: "a.csv", status: .imported))
        #expect(FileManager.default.fileExists(atPath: archived))
        #expect(FileManager.default.fileExists(atPath: archived + ".report.json"))
        let failed = try inbox.fail(claims[1], reason: "the file is damaged")
        let reason = try String(contentsOfFile: failed + ".reason.txt", encoding: .utf8)
        #expect(reason.contains("the file is damaged"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.inbox + "/.processing").isEmpty)
    }
}
