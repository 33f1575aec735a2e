import Tabular

extension RowNormaliser {
    /// Normalises a record given as its fields (UTF-8, as `RawRecordSource.withFields` hands
    /// them out) into a packed record of `batch` (see `RecordBatch`), when that is plain and
    /// needs no cleaning: the record `normalise(fields:number:into:)` would build, with no
    /// subscription and no item repeated in its lists, hubs or badges. Returns true when it appended the record; false,
    /// appending nothing, otherwise (the caller then builds the record as a value).
    public func pack(fields: RecordBytes, number: Int, into batch: inout RecordBatch) -> Bool {
        // Spans are 32-bit: a record that could take the buffer near that is built instead
        // (packing never writes more than the fields' bytes, the file's lists and an E.164
        // number's few extra bytes; the margin leaves room for the emails of built records,
        // which the batch keeps too).
        let fieldBytes = fields.count == 0 ? 0 : fields.ends[fields.count - 1]
        guard canPack, emailColumn < fields.count,
              batch.bytes.count + fieldBytes + fileListBytes + (1 << 24) <= Int(Int32.max) else { return false }
        let mark = batch.mark
        guard let email = EmailAddress.withASCIINormalised(fields[emailColumn], { batch.appendBytes($0) }) else {
            return false
        }
        guard let parts = packValues(fields, into: &batch) else {
            batch.undo(to: mark)
            return false
        }
        batch.appendPacked(since: mark, email: email, firstName: parts.firstName, lastName: parts.lastName,
                           mobile: parts.mobile, contactType: parts.contactType, sourceRow: number)
        return true
    }

    /// The core values of a packed record, its other values appended to `batch`.
    private struct PackedParts {
        var firstName: RecordBatch.Span?
        var lastName: RecordBatch.Span?
        var mobile: RecordBatch.Span?
        var contactType: ContactType?
    }

    /// Appends the values of a record's fields to `batch` as `fill(_:from:)` sets them on a
    /// record; nil when the record cannot be packed.
    private func packValues(_ fields: RecordBytes, into batch: inout RecordBatch) -> PackedParts? {
        var parts = PackedParts()
        let start = batch.mark
        for list in fileLists {
            var list = list
            batch.appendValue(list.withUTF8 { batch.appendBytes($0) }, kind: .list)
        }
        var fullName: RecordBatch.Span?
        var items = fileLists.count
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
                parts.firstName = nonEmpty(batch.appendCollapsed(bytes))
            case .lastName:
                parts.lastName = nonEmpty(batch.appendCollapsed(bytes))
            case .fullName:
                fullName = nonEmpty(batch.appendCollapsed(bytes))
            case .mobile:
                let typed = UnsafeBufferPointer(rebasing: bytes[Whitespace.trimmedRange(bytes)])
                if typed.isEmpty { continue }
                guard var e164 = PhoneNumber.normalise(bytes: typed, region: region) else { return nil }
                parts.mobile = e164.withUTF8 { batch.appendBytes($0) }
            case .contactType:
                guard let type = Self.plainContactType(bytes) else { return nil }
                if let type { parts.contactType = type }
            case .lists:
                items += Self.packItems(bytes, kind: .list, into: &batch)
            case .hubs:
                items += Self.packItems(bytes, kind: .hub, into: &batch)
            case .badges:
                items += Self.packItems(bytes, kind: .badge, into: &batch)
            case .subscriptions:
                if Self.hasItem(bytes) { return nil }
            case .property:
                let kept = Whitespace.trimmedRange(bytes)
                if !kept.isEmpty {
                    batch.appendValue(batch.appendBytes(UnsafeBufferPointer(rebasing: bytes[kept])), kind: .property, column: index)
                }
            }
        }
        if let fullName, parts.firstName == nil, parts.lastName == nil {
            Self.split(fullName, in: batch, into: &parts.firstName, &parts.lastName)
        }
        guard items < 2 || Self.itemsAreClean(since: start, in: batch) else { return nil }
        return parts
    }

    private func nonEmpty(_ span: RecordBatch.Span) -> RecordBatch.Span? { span.count == 0 ? nil : span }

    /// `items(bytes:)` appended as values of `kind`; returns how many.
    private static func packItems(_ bytes: UnsafeBufferPointer<UInt8>, kind: RecordBatch.Kind, into batch: inout RecordBatch) -> Int {
        var count = 0
        forEachItem(in: bytes) { part in
            let item = batch.appendCollapsed(part)
            if item.count > 0 {
                batch.appendValue(item, kind: kind)
                count += 1
            }
        }
        return count
    }

    /// Whether `items(bytes:)` of these bytes has an item.
    private static func hasItem(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        forEachItem(in: bytes) { part in
            if !found && !Whitespace.trimmedRange(part).isEmpty { found = true }
        }
        return found
    }

    /// `split(_:into:)` of a packed full name: the last space ends the first name. Done on
    /// bytes when the name is ASCII; otherwise on the `String` (where a space can belong to
    /// another character, such as one followed by a combining mark).
    private static func split(_ fullName: RecordBatch.Span, in batch: RecordBatch,
                              into firstName: inout RecordBatch.Span?, _ lastName: inout RecordBatch.Span?) {
        let space: Int? = batch.withBytes(fullName) { bytes in
            if isASCII(bytes) {
                var i = bytes.count - 1
                while i >= 0, bytes[i] != 0x20 { i -= 1 }
                return i >= 0 ? i : nil
            }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.lastIndex(of: " ").map { text.utf8.distance(from: text.startIndex, to: $0) }
        }
        guard let space else {
            firstName = fullName
            return
        }
        firstName = RecordBatch.Span(start: fullName.start, count: Int32(space))
        lastName = RecordBatch.Span(start: fullName.start + Int32(space) + 1, count: fullName.count - Int32(space) - 1)
    }

    /// Whether the items of each kind appended since `mark` are a clean set
    /// (`ContactState.isCleanSet`): no two the same. Items compared by bytes, so a kind with
    /// several items, one of them not ASCII, is not clean here (text that differs in bytes
    /// may still be equal as `String`s).
    private static func itemsAreClean(since mark: RecordBatch.Mark, in batch: RecordBatch) -> Bool {
        let values = batch.values(since: mark)
        guard values.count > 1 else { return true }
        return batch.bytes.withUnsafeBufferPointer { bytes -> Bool in
            for i in values.indices where values[i].kind != .property {
                let a = values[i].span.bytes(in: bytes)
                for j in values.indices where j > i && values[j].kind == values[i].kind {
                    let b = values[j].span.bytes(in: bytes)
                    if !isASCII(a) || !isASCII(b) || a.elementsEqual(b) { return false }
                }
            }
            return true
        }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }
}
