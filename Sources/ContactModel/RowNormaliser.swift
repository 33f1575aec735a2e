import Foundation
import Tabular

/// What became of one input row.
public enum RowOutcome: Sendable, Equatable {
    /// A valid contact, with warnings about values kept as typed.
    case record(ContactRecord, warnings: [String])
    /// Refused: the reason, and the column (0-based) it concerns.
    case rejected(reason: String, column: Int?)
    /// Every cell empty: not a contact, not an error.
    case blank
}

/// Turns a table row into a contact record (or a reason it cannot be one),
/// following the header mapping.
public struct RowNormaliser: Sendable {
    public let mapping: HeaderMapping
    public let region: PhoneNumber.Region
    /// Lists every contact of this file joins (from the inbox subfolder or `--list`).
    public let fileLists: [String]
    let emailColumn: Int
    /// How many columns feed properties: each record reserves that much room once.
    private let propertyColumns: Int
    /// The digest of the mapping, region and file lists (the start of every `digest(_:)`).
    let context: RowDigest
    /// `mapping.fields` without payloads, for the per-cell switch (switching on the fields
    /// themselves copied each property's key and label, two retains and releases per cell).
    let kinds: [Kind]
    /// Per column: the property it feeds (key and label, empty value; empty for other
    /// columns). Records take their properties from it, and `RecordBatch` reads its packed
    /// records' properties by it.
    public let columnProperties: [PropertyValue]
    /// Whether records may be packed (`pack(fields:number:into:)`): no two columns feed the
    /// same property (a record would then need cleaning).
    let canPack: Bool
    /// The bytes of `fileLists`, which every packed record repeats.
    let fileListBytes: Int

    enum Kind: UInt8, Sendable {
        case skip, firstName, lastName, fullName, mobile, contactType, lists, hubs, badges, subscriptions, property
    }

    public init(mapping: HeaderMapping, region: PhoneNumber.Region, fileLists: [String] = []) {
        self.mapping = mapping
        self.region = region
        self.fileLists = fileLists
        self.emailColumn = mapping.fields.firstIndex(of: .email) ?? 0
        self.propertyColumns = mapping.fields.reduce(0) { n, f in
            if case .property = f { return n + 1 }
            return n
        }
        self.context = Self.context(mapping: mapping, region: region, fileLists: fileLists)
        var kinds: [Kind] = []
        var keys: [String] = []
        var labels: [String] = []
        for field in mapping.fields {
            var key = ""
            var label = ""
            switch field {
            case .email, .ignored: kinds.append(.skip)
            case .firstName: kinds.append(.firstName)
            case .lastName: kinds.append(.lastName)
            case .fullName: kinds.append(.fullName)
            case .mobile: kinds.append(.mobile)
            case .contactType: kinds.append(.contactType)
            case .lists: kinds.append(.lists)
            case .hubs: kinds.append(.hubs)
            case .badges: kinds.append(.badges)
            case .subscriptions: kinds.append(.subscriptions)
            case .property(let k, let l):
                kinds.append(.property)
                key = k
                label = l
            }
            keys.append(key)
            labels.append(label)
        }
        self.kinds = kinds
        self.columnProperties = zip(keys, labels).map { PropertyValue(key: $0, label: $1, value: "") }
        let propertyKeys = zip(kinds, keys).filter { $0.0 == .property }.map(\.1)
        self.canPack = Set(propertyKeys).count == propertyKeys.count
        self.fileListBytes = fileLists.reduce(0) { $0 + $1.utf8.count }
    }

    /// What became of a row normalised into a caller's array.
    public enum Verdict: Sendable, Equatable {
        /// A record was appended.
        case accepted
        /// Refused: the reason, and the column (0-based) it concerns.
        case rejected(reason: String, column: Int?)
        /// Every cell empty.
        case blank
    }

    /// Normalises one row.
    public func normalise(_ row: Row) -> RowOutcome {
        var records: [ContactRecord] = []
        var warnings: [String] = []
        switch normalise(row, into: &records, warnings: &warnings) {
        case .accepted: return .record(records[0], warnings: warnings)
        case let .rejected(reason, column): return .rejected(reason: reason, column: column)
        case .blank: return .blank
        }
    }

    /// Normalises one row, appending its record to `records` and any warnings to `warnings`
    /// (the hot path: no intermediate copies of the record).
    public func normalise(_ row: Row, into records: inout [ContactRecord], warnings: inout [String]) -> Verdict {
        let cells = row.cells
        if cells.allSatisfy(\.isBlank) { return .blank }
        let rawEmail = emailColumn < cells.count ? cells[emailColumn].rendered : ""
        let email: String
        switch EmailAddress.normalise(rawEmail) {
        case .success(let e): email = e
        case .failure(let problem):
            let shown = rawEmail.count > 80 ? String(rawEmail.prefix(80)) + "…" : rawEmail
            let reason = problem == .empty ? "the email is empty" : "\(problem) (\"\(shown)\")"
            return .rejected(reason: reason, column: emailColumn)
        }
        // Built in place in the array (a local record appended at the end cost a copy and a
        // destroy of every field, ~8% of normalising).
        records.append(ContactRecord(email: email, lists: fileLists, sourceRow: row.number))
        fill(&records[records.count - 1], from: cells, warnings: &warnings)
        return .accepted
    }

    /// Normalises a record given as its fields (UTF-8: each field its cell's rendered text, as
    /// `RawRecordSource.withFields` hands them out) without building its row, when that is
    /// plain: an ASCII email that is valid, and no value that would make a warning. Appends
    /// exactly the record `normalise(Row(number:line:fields:), into:warnings:)` would, and
    /// returns true; otherwise appends nothing and returns false, and the caller normalises
    /// the row (which has the words for a rejection or a warning).
    ///
    /// Building a row made a `String` of every field, ignored ones too, and the cells' array,
    /// and normalising then read each string back (~20% of the reading thread's work).
    public func normalise(fields: RecordBytes, number: Int, into records: inout [ContactRecord]) -> Bool {
        guard emailColumn < fields.count, case .success(let email)? = EmailAddress.asciiNormalise(fields[emailColumn]) else {
            return false
        }
        records.append(ContactRecord(email: email, lists: fileLists, sourceRow: number))
        guard fill(&records[records.count - 1], from: fields) else {
            records.removeLast()
            return false
        }
        return true
    }

    /// `fill(_:from:warnings:)` from a record's fields; false when a value would make a warning.
    private func fill(_ record: inout ContactRecord, from fields: RecordBytes) -> Bool {
        record.properties.reserveCapacity(propertyColumns)
        var fullName: String?
        let count = min(fields.count, kinds.count)
        var index = 0
        while index < count {
            defer { index += 1 }
            let bytes = fields[index]
            if bytes.isEmpty { continue }
            switch kinds[index] {
            case .skip:
                continue
            case .firstName:
                record.firstName = nonEmpty(Whitespace.collapse(bytes: bytes))
            case .lastName:
                record.lastName = nonEmpty(Whitespace.collapse(bytes: bytes))
            case .fullName:
                fullName = nonEmpty(Whitespace.collapse(bytes: bytes))
            case .mobile:
                let typed = UnsafeBufferPointer(rebasing: bytes[Whitespace.trimmedRange(bytes)])
                if typed.isEmpty { continue }
                guard let e164 = PhoneNumber.normalise(bytes: typed, region: region) else { return false }
                record.mobile = e164
            case .contactType:
                guard let type = Self.plainContactType(bytes) else { return false }
                if let type { record.contactType = type }
            case .lists:
                Self.add(Self.items(bytes: bytes), to: &record.lists)
            case .hubs:
                Self.add(Self.items(bytes: bytes), to: &record.hubs)
            case .badges:
                Self.add(Self.items(bytes: bytes), to: &record.badges)
            case .subscriptions:
                record.subscriptions.append(contentsOf: Self.items(bytes: bytes).map(Self.subscription))
            case .property:
                let kept = Whitespace.trimmedRange(bytes)
                if !kept.isEmpty {
                    let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
                    record.properties.append(property(index, value))
                }
            }
        }
        if let fullName, record.firstName == nil, record.lastName == nil {
            Self.split(fullName, into: &record)
        }
        return true
    }

    /// The contact type a field names (nil inside when the field is only spaces), when the
    /// byte-level paths can take it; nil when the row must take the general path: non-ASCII
    /// text, or ASCII that names no type (a warning).
    static func plainContactType(_ bytes: UnsafeBufferPointer<UInt8>) -> ContactType?? {
        guard let parsed = ContactType.parseASCII(bytes) else { return nil }
        if parsed == nil && !Whitespace.trimmedRange(bytes).isEmpty { return nil }
        return .some(parsed)
    }

    /// Calls `body` with the bytes of the email a record's fields hold, normalised, when it is
    /// ASCII and valid (the email `normalise` gives the row, without building the row); nil
    /// otherwise.
    public func withNormalisedEmail<Result>(of fields: RecordBytes,
                                            _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard emailColumn < fields.count else { return nil }
        return EmailAddress.withASCIINormalised(fields[emailColumn], body)
    }

    /// Sets the fields of `record` from the row's cells (all but the email).
    private func fill(_ record: inout ContactRecord, from cells: [Cell], warnings: inout [String]) {
        record.properties.reserveCapacity(propertyColumns)
        var fullName: String?
        let count = min(cells.count, mapping.fields.count)
        var index = 0
        while index < count {
            defer { index += 1 }
            let cell = cells[index]
            if cell.isBlank { continue }
            switch kinds[index] {
            case .skip:
                continue
            case .firstName:
                record.firstName = nonEmpty(Whitespace.collapse(cell.rendered))
            case .lastName:
                record.lastName = nonEmpty(Whitespace.collapse(cell.rendered))
            case .fullName:
                fullName = nonEmpty(Whitespace.collapse(cell.rendered))
            case .mobile:
                let typed = Whitespace.trim(cell.rendered)
                if typed.isEmpty { continue }
                if let e164 = PhoneNumber.normalise(typed, region: region) {
                    record.mobile = e164
                } else {
                    record.mobile = typed
                    warnings.append("\(label(index)): \"\(typed)\" is not a phone number we can read as \(region.code); kept as typed")
                }
            case .contactType:
                let typed = cell.rendered
                if let type = ContactType(text: typed) {
                    record.contactType = type
                } else if !Whitespace.trim(typed).isEmpty {
                    warnings.append("\(label(index)): \"\(typed)\" is not a contact type (Anonymous, Identified or Authenticated); ignored")
                }
            case .lists:
                Self.add(Self.items(cell.rendered), to: &record.lists)
            case .hubs:
                Self.add(Self.items(cell.rendered), to: &record.hubs)
            case .badges:
                Self.add(Self.items(cell.rendered), to: &record.badges)
            case .subscriptions:
                record.subscriptions.append(contentsOf: Self.items(cell.rendered).map(Self.subscription))
            case .property:
                let value = Whitespace.trim(cell.rendered)
                if !value.isEmpty {
                    record.properties.append(property(index, value))
                }
            }
        }
        if let fullName, record.firstName == nil, record.lastName == nil {
            Self.split(fullName, into: &record)
        }
    }

    /// Column `index`'s property with this value.
    @inline(__always)
    private func property(_ index: Int, _ value: String) -> PropertyValue {
        var property = columnProperties[index]
        property.value = value
        return property
    }

    /// Sets first and last name from a full name: the last word is the last name.
    private static func split(_ fullName: String, into record: inout ContactRecord) {
        if let space = fullName.lastIndex(of: " ") {
            record.firstName = String(fullName[..<space])
            record.lastName = String(fullName[fullName.index(after: space)...])
        } else {
            record.firstName = fullName
        }
    }

    /// Appends `items` to `list`, taking the array as it is when `list` is empty (the usual case).
    private static func add(_ items: [String], to list: inout [String]) {
        if list.isEmpty { list = items } else { list.append(contentsOf: items) }
    }

    private func label(_ index: Int) -> String {
        let l = index < mapping.labels.count ? mapping.labels[index] : ""
        return "column \(ColumnName.letters(index))" + (l.isEmpty ? "" : " (\(l))")
    }

    private func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// Splits a multi-value cell ("VIP; Newsletter | Sydney") into trimmed items.
    static func items(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { items(bytes: $0) }
    }

    /// `items` of UTF-8 text given as bytes.
    static func items(bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var result: [String] = []
        forEachItem(in: bytes) { part in
            let item = Whitespace.collapse(bytes: part)
            if !item.isEmpty { result.append(item) }
        }
        return result
    }

    /// Calls `body` with each part of a multi-value cell between separators (`;` `|` `,` and
    /// line feeds), untrimmed and never empty; an item is a part that is more than whitespace.
    static func forEachItem(in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == 0x3B || bytes[i] == 0x7C || bytes[i] == 0x2C || bytes[i] == 0x0A {
                if i > start { body(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                start = i + 1
            }
        }
    }

    /// "Offers", "Offers: yes" subscribe; "-Offers", "Offers: no", "Offers=unsubscribed" opt out.
    static func subscription(_ item: String) -> SubscriptionChange {
        if item.hasPrefix("-") || item.hasPrefix("!") {
            return SubscriptionChange(group: Whitespace.collapse(String(item.dropFirst())), subscribed: false)
        }
        if let sep = item.firstIndex(where: { $0 == ":" || $0 == "=" }) {
            let group = Whitespace.collapse(String(item[..<sep]))
            let value = item[item.index(after: sep)...].trimmingCharacters(in: .whitespaces).lowercased()
            let off = ["no", "n", "false", "0", "off", "unsubscribed", "opted out", "opt out", "optout", "out"]
            return SubscriptionChange(group: group, subscribed: !off.contains(value))
        }
        return SubscriptionChange(group: item, subscribed: true)
    }
}
