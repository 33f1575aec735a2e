import ContactModel

// Interface stub: replaced by the SQLite implementation.

/// The ledger entry of one import.
public struct ImportRecord: Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var importedAt: String
}

/// Counts from merging a batch.
public struct MergeCounts: Sendable, Equatable {
    public var created = 0, updated = 0, unchanged = 0, duplicates = 0
    public init() {}
}

/// One row of an export, as raw UTF-8 bytes per column.
public struct ExportRowView: ~Copyable {
    public func withColumn<R>(_ i: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R { try body(nil) }
}

public final class ContactStore {
    public init(directory: String) throws(StoreError) {}
    public func importRecord(sha256: String) throws(StoreError) -> ImportRecord? { nil }
    public func beginImport(file: String, sha256: String) throws(StoreError) -> ImportSession { ImportSession() }
    public func exportRows(columns: [String], _ body: (borrowing ExportRowView) throws -> Void) throws(StoreError) -> Int { 0 }
    public func liveContactCount() throws(StoreError) -> Int { 0 }
    public func propertyKeys() throws(StoreError) -> [(key: String, label: String)] { [] }
}

public final class ImportSession {
    public func merge(_ batch: [ContactRecord]) throws(StoreError) -> MergeCounts { MergeCounts() }
    public func commit(rowsRead: Int, rejected: Int) throws(StoreError) {}
    public func rollback() {}
}
