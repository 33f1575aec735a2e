import ContactModel

/// Writes a `ContactState` into the text columns of `contacts` and reads it back.
///
/// Parameter numbering shared by the INSERT and UPDATE statements of the import:
/// ?1 id, ?2 email, ?3 first_name, ?4 last_name, ?5 mobile, ?6 contact_type, ?7 properties,
/// ?8 lists, ?9 hubs, ?10 badges, ?11 subscriptions, ?12 created_at, ?13 updated_at,
/// ?14 created_import, ?15 created_row.
enum ContactRowCodec {
    /// Where each column's bytes landed in the arena (nil = NULL).
    struct Encoded {
        var firstName: Range<Int>?
        var lastName: Range<Int>?
        var mobile: Range<Int>?
        var properties: Range<Int>?
        var lists: Range<Int>?
        var hubs: Range<Int>?
        var badges: Range<Int>?
        var subscriptions: Range<Int>?
    }

    static func encode(_ state: ContactState, into arena: ByteArena) -> Encoded {
        var encoded = Encoded()
        encoded.firstName = state.firstName.map { arena.append($0) }
        encoded.lastName = state.lastName.map { arena.append($0) }
        encoded.mobile = state.mobile.map { arena.append($0) }
        if !state.properties.isEmpty {
            let start = arena.count
            CompactJSON.appendObject(state.properties, to: arena)
            encoded.properties = start..<arena.count
        }
        func array(_ items: [String]) -> Range<Int>? {
            guard !items.isEmpty else { return nil }
            let start = arena.count
            CompactJSON.appendArray(items, to: arena)
            return start..<arena.count
        }
        encoded.lists = array(state.lists)
        encoded.hubs = array(state.hubs)
        encoded.badges = array(state.badges)
        if !state.subscriptions.isEmpty {
            let start = arena.count
            CompactJSON.appendBoolObject(state.subscriptions, to: arena)
            encoded.subscriptions = start..<arena.count
        }
        return encoded
    }

    /// Encodes a record that needs no cleaning (no empty property value, no repeated key, group
    /// or item) straight from its own storage, as `encode(ContactState(record))` would.
    /// `slots` holds each property's slot in `keys`, whose escaped `"key":` fragments are copied
    /// instead of escaping every key of every row.
    /// (A pointer rather than a value, so the record's fields are read in place, never copied.)
    static func encode(clean record: UnsafePointer<ContactRecord>, slots: [Int], keys: PropertyKeyTable,
                       into arena: ByteArena) -> Encoded {
        var encoded = Encoded()
        if let value = record.pointee.firstName, !value.isEmpty { encoded.firstName = arena.append(value) }
        if let value = record.pointee.lastName, !value.isEmpty { encoded.lastName = arena.append(value) }
        if let value = record.pointee.mobile, !value.isEmpty { encoded.mobile = arena.append(value) }
        if !record.pointee.properties.isEmpty {
            let start = arena.count
            arena.append(UInt8(ascii: "{"))
            record.pointee.properties.withUnsafeBufferPointer { properties in
                for index in properties.indices {
                    if index > 0 { arena.append(UInt8(ascii: ",")) }
                    keys.appendFragment(slots[index], to: arena)
                    CompactJSON.appendString(properties[index].value, to: arena)
                }
            }
            arena.append(UInt8(ascii: "}"))
            encoded.properties = start..<arena.count
        }
        if !record.pointee.lists.isEmpty { encoded.lists = array(record.pointee.lists, into: arena) }
        if !record.pointee.hubs.isEmpty { encoded.hubs = array(record.pointee.hubs, into: arena) }
        if !record.pointee.badges.isEmpty { encoded.badges = array(record.pointee.badges, into: arena) }
        if !record.pointee.subscriptions.isEmpty {
            let start = arena.count
            CompactJSON.appendBoolObject(record.pointee.subscriptions, to: arena)
            encoded.subscriptions = start..<arena.count
        }
        return encoded
    }

    /// Encodes a packed record (clean by construction: see `RowNormaliser.pack`), as
    /// `encode(ContactState(record))` would encode the record it stands for. `columnSlots`
    /// caches each column's key slot in `keys` (-1 until a record used it); `columns` gives
    /// each column's property.
    static func encode(packed record: RecordBatch.PackedRecord, columnSlots: inout [Int], columns: [PropertyValue],
                       keys: inout PropertyKeyTable, into arena: ByteArena) -> Encoded {
        var encoded = Encoded()
        if let value = record.firstName, !value.isEmpty { encoded.firstName = arena.append(value) }
        if let value = record.lastName, !value.isEmpty { encoded.lastName = arena.append(value) }
        if let value = record.mobile, !value.isEmpty { encoded.mobile = arena.append(value) }
        var items: (list: Int, hub: Int, badge: Int) = (0, 0, 0)
        var properties = 0
        for index in 0..<record.valueCount {
            let value = record.value(index)
            switch value.kind {
            case .property:
                if properties == 0 {
                    encoded.properties = arena.count..<arena.count
                    arena.append(UInt8(ascii: "{"))
                } else {
                    arena.append(UInt8(ascii: ","))
                }
                properties += 1
                var slot = columnSlots[value.column]
                if slot < 0 {
                    slot = keys.slot(of: columns[value.column])
                    columnSlots[value.column] = slot
                }
                keys.appendFragment(slot, to: arena)
                CompactJSON.appendString(bytes: value.bytes, to: arena)
            case .list: items.list += 1
            case .hub: items.hub += 1
            case .badge: items.badge += 1
            }
        }
        if properties > 0 {
            arena.append(UInt8(ascii: "}"))
            encoded.properties = encoded.properties!.lowerBound..<arena.count
        }
        func array(_ kind: RecordBatch.Kind, _ count: Int) -> Range<Int>? {
            guard count > 0 else { return nil }
            let start = arena.count
            arena.append(UInt8(ascii: "["))
            var written = 0
            for index in 0..<record.valueCount {
                let value = record.value(index)
                guard value.kind == kind else { continue }
                if written > 0 { arena.append(UInt8(ascii: ",")) }
                CompactJSON.appendString(bytes: value.bytes, to: arena)
                written += 1
            }
            arena.append(UInt8(ascii: "]"))
            return start..<arena.count
        }
        encoded.lists = array(.list, items.list)
        encoded.hubs = array(.hub, items.hub)
        encoded.badges = array(.badge, items.badge)
        return encoded
    }

    @inline(__always)
    private static func array(_ items: [String], into arena: ByteArena) -> Range<Int> {
        let start = arena.count
        CompactJSON.appendArray(items, to: arena)
        return start..<arena.count
    }

    /// A fingerprint of a contact's email and encoded values (stored in `contact_keys.hash`):
    /// equal fingerprints mean equal values, so merging the one into the other changes nothing.
    /// It depends on the order of properties and lists, which is the order they arrived in: a
    /// file imported again matches; anything else falls back to reading the row and comparing
    /// (still no write). The email is part of it so that, beside a 64-bit email hash that
    /// matched, an equal fingerprint confirms the email without reading it (see `NewContactIndex`).
    static func fingerprint(_ encoded: Encoded, type: ContactType?, email: UnsafeRawBufferPointer,
                            arena: ByteArena) -> UInt64 {
        var hasher = StableHash(seed: 0xC0FFEE)
        hasher.combine(bytes: email.assumingMemoryBound(to: UInt8.self))
        @inline(__always) func column(_ range: Range<Int>?, _ tag: UInt64) {
            if let range {
                hasher.combine(bytes: UnsafeBufferPointer(start: arena.base + range.lowerBound, count: range.count))
            } else {
                hasher.combine(tag)
            }
        }
        column(encoded.firstName, 1)
        column(encoded.lastName, 2)
        column(encoded.mobile, 3)
        hasher.combine(UInt64(type.map { $0.rawValue + 1 } ?? 0))
        column(encoded.properties, 5)
        column(encoded.lists, 6)
        column(encoded.hubs, 7)
        column(encoded.badges, 8)
        column(encoded.subscriptions, 9)
        return hasher.value
    }

    /// Binds ?3–?11. The arena must not be appended to until the statement has run.
    /// `offset` shifts every parameter (row r of a multi-row INSERT uses offset 15 × r).
    static func bind(_ encoded: Encoded, type: ContactType?, arena: ByteArena, to statement: Statement, offset: Int32 = 0) {
        func text(_ index: Int32, _ range: Range<Int>?) {
            if let range { statement.bindStatic(index + offset, arena.slice(range)) } else { statement.bindNull(index + offset) }
        }
        text(3, encoded.firstName)
        text(4, encoded.lastName)
        text(5, encoded.mobile)
        statement.bind(6 + offset, type?.rawValue)
        text(7, encoded.properties)
        text(8, encoded.lists)
        text(9, encoded.hubs)
        text(10, encoded.badges)
        text(11, encoded.subscriptions)
    }

    /// The values of encoded columns (the inverse of `encode`); nil if a column is not valid JSON.
    static func decode(_ encoded: Encoded, type: ContactType?, arena: ByteArena) -> ContactState? {
        func text(_ range: Range<Int>?) -> String? {
            range.map { String(decoding: arena.bufferPointer($0), as: UTF8.self) }
        }
        var state = ContactState(firstName: text(encoded.firstName), lastName: text(encoded.lastName),
                                 mobile: text(encoded.mobile), contactType: type)
        if let range = encoded.properties {
            guard let properties = CompactJSON.decodeObject(arena.bufferPointer(range)) else { return nil }
            state.properties = properties
        }
        func array(_ range: Range<Int>?) -> [String]? {
            guard let range else { return [] }
            return CompactJSON.decodeArray(arena.bufferPointer(range))
        }
        guard let lists = array(encoded.lists), let hubs = array(encoded.hubs),
              let badges = array(encoded.badges) else { return nil }
        state.lists = lists
        state.hubs = hubs
        state.badges = badges
        if let range = encoded.subscriptions {
            guard let subscriptions = CompactJSON.decodeBoolObject(arena.bufferPointer(range)) else { return nil }
            state.subscriptions = subscriptions
        }
        return state
    }

    /// The select list `decode` expects, starting at column `first`.
    static let stateColumns = "first_name, last_name, mobile, contact_type, properties, lists, hubs, badges, subscriptions"

    static func decode(_ statement: Statement, from first: Int32, contactId: Int) throws(StoreError) -> ContactState {
        var state = ContactState()
        state.firstName = statement.text(first)
        state.lastName = statement.text(first + 1)
        state.mobile = statement.text(first + 2)
        state.contactType = statement.optionalInt(first + 3).flatMap { ContactType(rawValue: $0) }
        if let bytes = statement.bytes(first + 4) {
            guard let properties = CompactJSON.decodeObject(bytes) else { throw .corruptValue(contactId: contactId, column: "properties") }
            state.properties = properties
        }
        func array(_ column: Int32, _ name: String) throws(StoreError) -> [String] {
            guard let bytes = statement.bytes(column) else { return [] }
            guard let items = CompactJSON.decodeArray(bytes) else { throw .corruptValue(contactId: contactId, column: name) }
            return items
        }
        state.lists = try array(first + 5, "lists")
        state.hubs = try array(first + 6, "hubs")
        state.badges = try array(first + 7, "badges")
        if let bytes = statement.bytes(first + 8) {
            guard let subscriptions = CompactJSON.decodeBoolObject(bytes) else {
                throw .corruptValue(contactId: contactId, column: "subscriptions")
            }
            state.subscriptions = subscriptions
        }
        return state
    }
}
