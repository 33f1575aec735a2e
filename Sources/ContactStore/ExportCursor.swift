#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ContactModel
import SysSQLite3

/// The order in which an export walks live contacts.
public enum ExportOrder: Sendable {
    /// By email bytes (stable and diff-friendly; each row is fetched by id, a random read).
    case email
    /// By creation (contact id): a straight walk of the contacts table, the fastest.
    case creation
}

/// A pull-style export: `next()` steps to the next live contact; `cell(_:)` hands out each
/// chosen column as raw UTF-8 bytes valid until the next `next()` — no `String` per cell.
///
/// Columns: `email`, `first_name`, `last_name`, `mobile`, `contact_type` (its name),
/// `created_at`, `updated_at`, `lists`, `hubs`, `badges` (items joined with `;`), `subscriptions`
/// (subscribed groups joined with `;`), or any property key (unknown keys give empty cells).
public final class ExportCursor {
    public let columns: [String]
    private let statement: Statement
    private let sources: [Source]
    private let propertyColumn: Int32?
    /// The property keys requested, as bytes, with the cell index each fills.
    /// Requested keys, distinct, with the cells each fills (a key may be asked for twice).
    private let propertyKeys: [(key: [UInt8], cells: [Int])]
    fileprivate var propertyKeysStorage: [(key: [UInt8], cells: [Int])] { propertyKeys }
    /// Unsafe storage (not a `var` array) so filling a row pays no exclusivity check per cell.
    fileprivate let cells: UnsafeMutableBufferPointer<Cell>
    private let arena = ByteArena(capacity: 1024)
    private let scratch = ByteArena(capacity: 256)
    private let constants: ByteArena
    private let typeNames: [Range<Int>]
    public private(set) var rowCount = 0

    private enum Source {
        case text(Int32)
        case contactType(Int32)
        case array(Int32)
        case subscribed(Int32)
        case property
    }

    fileprivate enum Cell {
        case null
        case external(UnsafePointer<UInt8>, Int)
        case arena(Range<Int>)
    }

    /// Whether the cursor reads ranges of ids given by `start(ids:)` (creation order only).
    private let ranged: Bool

    /// `ranged`: read only the ids `start(ids:)` names (see `ExportSnapshot`), not the whole store.
    init(db: SQLiteConnection, columns: [String], order: ExportOrder, ranged: Bool = false) throws(StoreError) {
        self.ranged = ranged
        self.columns = columns
        var selected: [String] = []
        func sqlColumn(_ name: String) -> Int32 {
            if let index = selected.firstIndex(of: name) { return Int32(index) }
            selected.append(name)
            return Int32(selected.count - 1)
        }
        var sources: [Source] = []
        var propertyKeys: [(key: [UInt8], cells: [Int])] = []
        for (index, column) in columns.enumerated() {
            switch column {
            case "": throw .invalidColumn(column)
            case "email", "first_name", "last_name", "mobile", "created_at", "updated_at":
                sources.append(.text(sqlColumn("c." + column)))
            case "contact_type": sources.append(.contactType(sqlColumn("c.contact_type")))
            case "lists", "hubs", "badges": sources.append(.array(sqlColumn("c." + column)))
            case "subscriptions": sources.append(.subscribed(sqlColumn("c.subscriptions")))
            default:
                sources.append(.property)
                let key = Array(column.utf8)
                if let existing = propertyKeys.firstIndex(where: { $0.key == key }) {
                    propertyKeys[existing].cells.append(index)
                } else {
                    propertyKeys.append((key, [index]))
                }
            }
        }
        propertyColumn = propertyKeys.isEmpty ? nil : sqlColumn("c.properties")
        if selected.isEmpty { selected.append("c.id") }
        self.sources = sources
        self.propertyKeys = propertyKeys
        cells = .allocate(capacity: max(1, columns.count))
        cells.initialize(repeating: .null)
        let list = selected.joined(separator: ", ")
        switch order {
        case .email:
            statement = try db.prepare("SELECT \(list) FROM contact_keys k CROSS JOIN contacts c ON c.id = k.id ORDER BY k.email")
        case .creation where ranged:
            statement = try db.prepare("SELECT \(list) FROM contacts c WHERE c.id BETWEEN ?1 AND ?2 AND c.deleted_at IS NULL ORDER BY c.id")
        case .creation:
            statement = try db.prepare("SELECT \(list) FROM contacts c WHERE c.deleted_at IS NULL ORDER BY c.id")
        }
        let constants = ByteArena(capacity: 64)
        self.constants = constants
        typeNames = ContactType.allCases.map { constants.append($0.name) }
    }

    deinit {
        cells.deallocate()
        predicted.deallocate()
    }

    /// Points a ranged cursor at the live contacts whose ids are in `ids`, in id order: the
    /// next `next()` returns the first of them.
    public func start(ids: ClosedRange<Int>) {
        precondition(ranged, "start(ids:) needs a ranged cursor")
        statement.reset()
        statement.bind(1, ids.lowerBound)
        statement.bind(2, ids.upperBound)
    }

    /// Steps to the next contact; false at the end.
    public func next() throws(StoreError) -> Bool {
        guard try statement.step() else {
            statement.reset()
            return false
        }
        arena.removeAll()
        let cells = self.cells
        for (index, source) in sources.enumerated() {
            switch source {
            case let .text(column):
                cells[index] = external(column)
            case let .contactType(column):
                if let raw = integer(column), typeNames.indices.contains(raw) {
                    let range = typeNames[raw]
                    cells[index] = .external(constants.base + range.lowerBound, range.count)
                } else {
                    cells[index] = .null
                }
            case let .array(column):
                cells[index] = joined(column, subscribedOnly: false)
            case let .subscribed(column):
                cells[index] = joined(column, subscribedOnly: true)
            case .property:
                cells[index] = .null
            }
        }
        if let propertyColumn, let bytes = text(propertyColumn) {
            fillProperties(bytes)
        }
        rowCount += 1
        return true
    }

    /// The bytes of column `index` of the current row; nil for an empty or missing value.
    /// Valid until the next call of `next()`.
    public func cell(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        switch cells[index] {
        case .null: return nil
        case let .external(base, count): return UnsafeBufferPointer(start: base, count: count)
        case let .arena(range): return arena.bufferPointer(range)
        }
    }

    /// Column text through one `sqlite3_column_value` (one connection-mutex round trip per
    /// cell instead of two for `sqlite3_column_text` + `sqlite3_column_bytes`). The value is
    /// used only here, on the cursor's thread, before the next step.
    @inline(__always)
    private func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let value = sqlite3_column_value(statement.stmt, column),
              let base = sqlite3_value_text(value) else { return nil }
        return UnsafeBufferPointer(start: base, count: Int(sqlite3_value_bytes(value)))
    }

    /// Column integer, nil for NULL, through one `sqlite3_column_value`.
    @inline(__always)
    private func integer(_ column: Int32) -> Int? {
        guard let value = sqlite3_column_value(statement.stmt, column),
              sqlite3_value_type(value) != SQLITE_NULL else { return nil }
        return Int(sqlite3_value_int64(value))
    }

    private func external(_ column: Int32) -> Cell {
        guard let bytes = text(column), bytes.count > 0 else { return .null }
        return .external(bytes.baseAddress!, bytes.count)
    }

    private func joined(_ column: Int32, subscribedOnly: Bool) -> Cell {
        guard let bytes = text(column) else { return .null }
        let start = arena.count
        var scanner = JSONScanner(bytes, scratch: scratch)
        var first = true
        let arena = self.arena
        func add(_ item: UnsafeBufferPointer<UInt8>) {
            if !first { arena.append(UInt8(ascii: ";")) }
            first = false
            arena.append(item)
        }
        if subscribedOnly {
            _ = scanner.forEachMember { scanner, key in
                guard let value = scanner.readBool() else { return false }
                if value { add(key) }
                return true
            }
        } else {
            _ = scanner.forEachElement { scanner in
                guard let item = scanner.readString() else { return false }
                add(item)
                return true
            }
        }
        return arena.count > start ? .arena(start..<arena.count) : .null
    }

    /// Which requested key matched the n-th member of the previous row: rows of one store share
    /// their key order, so the guess is usually right and costs one memcmp.
    fileprivate let predicted: UnsafeMutableBufferPointer<Int> = {
        let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
        buffer.initialize(repeating: -1)
        return buffer
    }()

    private func fillProperties(_ bytes: UnsafeBufferPointer<UInt8>) {
        if fillPropertiesFast(bytes) { return }
        for entry in propertyKeys { for index in entry.cells { cells[index] = .null } }
        var scanner = JSONScanner(bytes, scratch: scratch)
        let input = bytes
        let wanted = propertyKeys
        let arena = self.arena
        let cells = self.cells
        _ = scanner.forEachMember { scanner, key in
            guard let value = scanner.readString() else { return false }
            for entry in wanted where entry.key.count == key.count && entry.key.elementsEqual(key) {
                guard value.count > 0 else { break }
                let base = value.baseAddress!
                let cell: Cell
                if base >= input.baseAddress! && base < input.baseAddress! + input.count {
                    cell = .external(base, value.count)
                } else {
                    let start = arena.count
                    arena.append(value)
                    cell = .arena(start..<arena.count)
                }
                for index in entry.cells { cells[index] = cell }
            }
            return true
        }
    }
}

extension ExportCursor {
    /// The common case: compact JSON the store wrote, without any escape. Returns false (having
    /// written nothing) when the input needs the general scanner.
    fileprivate func fillPropertiesFast(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 2, base[0] == UInt8(ascii: "{") else { return false }
        if memchr(base, Int32(UInt8(ascii: "\\")), bytes.count) != nil { return false }
        let end = bytes.count
        let quote = UInt8(ascii: "\"")
        var position = 1
        var member = 0
        if base[position] == UInt8(ascii: "}") { return true }
        while true {
            // "key"
            guard position < end, base[position] == quote else { return false }
            let keyStart = position + 1
            guard let keyEnd = Self.findQuote(base, from: keyStart, end: end) else { return false }
            position = keyEnd + 1
            guard position < end, base[position] == UInt8(ascii: ":") else { return false }
            position += 1
            guard position < end, base[position] == quote else { return false }
            let valueStart = position + 1
            guard let valueEnd = Self.findQuote(base, from: valueStart, end: end) else { return false }
            position = valueEnd + 1
            if valueEnd > valueStart, let wanted = match(base + keyStart, keyEnd - keyStart, member: member) {
                let cell = Cell.external(base + valueStart, valueEnd - valueStart)
                for index in propertyKeysStorage[wanted].cells { cells[index] = cell }
            }
            member += 1
            guard position < end else { return false }
            if base[position] == UInt8(ascii: ",") { position += 1; continue }
            guard base[position] == UInt8(ascii: "}") else { return false }
            break
        }
        return true
    }

    @inline(__always)
    private static func findQuote(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int? {
        guard start <= end, let found = memchr(base + start, Int32(UInt8(ascii: "\"")), end - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// The index (in `propertyKeys`) of the requested key equal to these bytes, if any.
    private func match(_ key: UnsafePointer<UInt8>, _ count: Int, member: Int) -> Int? {
        let keys = propertyKeysStorage
        let predicted = self.predicted
        if member < predicted.count, predicted[member] >= 0 {
            let guess = predicted[member]
            if keys[guess].key.count == count, keys[guess].key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, key, count) == 0 }) {
                return guess
            }
        }
        for index in keys.indices where keys[index].key.count == count {
            if count == 0 || keys[index].key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, key, count) == 0 }) {
                if member < predicted.count { predicted[member] = index }
                return index
            }
        }
        return nil
    }
}

/// One exported row, lent to an `exportRows` callback; its cells are valid only during the call.
public struct ExportRowView: ~Copyable {
    private let cursor: ExportCursor

    init(cursor: ExportCursor) {
        self.cursor = cursor
    }

    public var count: Int { cursor.columns.count }

    /// The UTF-8 bytes of column `index`; nil for an empty or missing value.
    public func cell(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        cursor.cell(index)
    }
}

extension ContactStore {
    /// Opens a pull-style export of live contacts (see `ExportCursor`).
    public func exportCursor(columns: [String], order: ExportOrder = .email) throws(StoreError) -> ExportCursor {
        try ExportCursor(db: db, columns: columns, order: order)
    }

    /// Streams live contacts with the chosen columns to `body`, one row at a time. Errors thrown
    /// by `body` stop the export and are rethrown as they are; store failures throw `StoreError`.
    /// Returns the number of rows.
    @discardableResult
    public func exportRows(columns: [String], order: ExportOrder = .email,
                           _ body: (borrowing ExportRowView) throws -> Void) throws -> Int {
        let cursor = try exportCursor(columns: columns, order: order)
        while try cursor.next() {
            let row = ExportRowView(cursor: cursor)
            try body(row)
        }
        return cursor.rowCount
    }
}
