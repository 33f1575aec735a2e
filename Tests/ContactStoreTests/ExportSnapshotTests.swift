import ContactModel
import Foundation
import Testing
@testable import ContactStore

/// An export read by several cursors at once gives exactly the rows one cursor gives, all of
/// one committed state.
@Suite struct ExportSnapshotTests {
    static let columns = ["email", "first_name", "tier", "lists", "created_at"]

    /// A store of `count` contacts over three imports, some deleted.
    static func filledStore(count: Int) throws -> StoreFixture {
        let fixture = try StoreFixture()
        for part in 0..<3 {
            let batch = stride(from: part, to: count, by: 3).map {
                record("u\($0)@x.com", first: "F\($0)", properties: [("tier", "t\($0 % 7)")], lists: $0 % 5 == 0 ? ["L"] : [])
            }
            try fixture.importBatches([batch])
        }
        #expect(try fixture.store.delete(emails: (0..<count).filter { $0 % 11 == 0 }.map { "u\($0)@x.com" }) > 0)
        return fixture
    }

    /// Every row of a snapshot, chunk after chunk, each read by its cursor.
    static func rows(of snapshot: ExportSnapshot) throws -> [[String?]] {
        var rows: [[String?]] = []
        for (index, chunk) in snapshot.chunks.enumerated() {
            let cursor = snapshot.cursors[index % snapshot.cursors.count]
            cursor.start(ids: chunk)
            while try cursor.next() {
                rows.append((0..<cursor.columns.count).map { cursor.cell($0).map { String(decoding: $0, as: UTF8.self) } })
            }
        }
        return rows
    }

    @Test func chunksReadInTurnGiveTheRowsOfOneCursorInCreationOrder() throws {
        let fixture = try Self.filledStore(count: 1_000)
        let expected = try fixture.export(Self.columns, order: .creation)
        #expect(expected.count == 1_000 - 91)
        let snapshot = try fixture.store.exportSnapshot(columns: Self.columns, parts: 3, idsPerChunk: 64)
        #expect(snapshot.cursors.count == 3)
        // Consecutive ranges from the first id to the last.
        #expect(snapshot.chunks.first?.lowerBound == 1 && snapshot.chunks.last?.upperBound == 1_000)
        #expect(zip(snapshot.chunks, snapshot.chunks.dropFirst()).allSatisfy { $0.upperBound + 1 == $1.lowerBound })
        #expect(try Self.rows(of: snapshot) == expected)
        snapshot.end()
        // The store's connection is out of its read transaction: an import can begin.
        try fixture.importBatches([[record("new@x.com")]])
        #expect(try fixture.export(["email"], order: .creation).last == ["new@x.com"])
    }

    @Test func aSmallStoreOrAWriteAheadLogGetsOneCursor() throws {
        let small = try Self.filledStore(count: 100)
        let snapshot = try small.store.exportSnapshot(columns: Self.columns, parts: 4, idsPerChunk: 64)
        #expect(snapshot.cursors.count == 1)
        #expect(try Self.rows(of: snapshot) == (try small.export(Self.columns, order: .creation)))
        snapshot.end()

        // In WAL mode a reader does not hold commits back, so two connections could see two states.
        let wal = try StoreFixture(journalMode: .wal)
        try wal.importBatches([(0..<500).map { record("w\($0)@x.com") }])
        let walSnapshot = try wal.store.exportSnapshot(columns: ["email"], parts: 2, idsPerChunk: 64)
        #expect(walSnapshot.cursors.count == 1)
        #expect(try Self.rows(of: walSnapshot).count == 500)
    }

    @Test func anEmptyStoreHasOneEmptyChunk() throws {
        let fixture = try StoreFixture()
        let snapshot = try fixture.store.exportSnapshot(columns: ["email"], parts: 2, idsPerChunk: 64)
        #expect(snapshot.chunks == [1...1] && snapshot.cursors.count == 1)
        #expect(try Self.rows(of: snapshot).isEmpty)
    }

    @Test func anotherProcessCannotCommitWhileTheSnapshotIsRead() throws {
        let fixture = try Self.filledStore(count: 1_000)
        let snapshot = try fixture.store.exportSnapshot(columns: ["email"], parts: 2, idsPerChunk: 64)
        #expect(snapshot.cursors.count == 2)
        let other = try ContactStore(directory: fixture.directory, options: StoreOptions(cacheMiB: 8, busyTimeoutSeconds: 1))
        let session = try other.beginImport(file: "late.csv", sha256: "late")
        _ = try session.merge([record("late@x.com")])
        #expect {
            _ = try session.commit(rowsRead: 1, rejected: 0)
        } throws: { error in
            guard let error = error as? StoreError, case let .sqlite(code, _, _) = error else { return false }
            return code & 0xFF == 5
        }
        // Both cursors still read the state the export began with.
        let emails = try Self.rows(of: snapshot).map { $0[0] }
        #expect(emails.count == 909 && !emails.contains("late@x.com"))
        snapshot.end()
        let retry = try other.beginImport(file: "late.csv", sha256: "late")
        _ = try retry.merge([record("late@x.com")])
        #expect(try retry.commit(rowsRead: 1, rejected: 0).created == 1)
    }

    @Test func aSnapshotIsRefusedDuringAnImport() throws {
        let fixture = try StoreFixture()
        let session = try fixture.store.beginImport(file: "a.csv", sha256: "a")
        #expect(throws: StoreError.importInProgress) {
            _ = try fixture.store.exportSnapshot(columns: ["email"], parts: 2)
        }
        session.rollback()
    }
}
