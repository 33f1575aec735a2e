import ContactModel

extension ScratchRecord {
    /// Appends a contact's type and encoded columns as `contacts` stores them (their bytes in
    /// `bytes`): a type byte (0 for none, else its raw value + 1), then each column in
    /// `ContactRowCodec.Encoded` order as its length (Int32, -1 for NULL) and its bytes.
    /// `ContactRowCodec.Encoded.read(at:in:)` reads it back.
    func append(type: ContactType?, columns: ContactRowCodec.Encoded, bytes: FrozenBytes) {
        append(UInt8(type.map { $0.rawValue + 1 } ?? 0))
        let source = UnsafeRawPointer(bytes.arena.base)
        append(column: columns.firstName, from: source)
        append(column: columns.lastName, from: source)
        append(column: columns.mobile, from: source)
        append(column: columns.properties, from: source)
        append(column: columns.lists, from: source)
        append(column: columns.hubs, from: source)
        append(column: columns.badges, from: source)
        append(column: columns.subscriptions, from: source)
    }

    @inline(__always)
    private func append(column range: Range<Int>?, from source: UnsafeRawPointer) {
        guard let range else {
            append(Int32(-1))
            return
        }
        append(Int32(range.count))
        append(UnsafeRawBufferPointer(start: source + range.lowerBound, count: range.count))
    }
}

extension ContactRowCodec.Encoded {
    /// The same columns, in bytes copied `offset` bytes further on.
    func shifted(by offset: Int) -> Self {
        func move(_ range: Range<Int>?) -> Range<Int>? { range.map { ($0.lowerBound + offset)..<($0.upperBound + offset) } }
        return Self(firstName: move(firstName), lastName: move(lastName), mobile: move(mobile),
                    properties: move(properties), lists: move(lists), hubs: move(hubs), badges: move(badges),
                    subscriptions: move(subscriptions))
    }

    /// Reads a type and columns written by `ScratchRecord.append(type:columns:bytes:)` from
    /// `arena`'s bytes at `position` (moved past them); the columns' ranges are the arena's.
    static func read(at position: inout Int, in arena: ByteArena) -> (type: ContactType?, columns: Self) {
        let base = UnsafeRawPointer(arena.base)
        let tag = Int(base.load(fromByteOffset: position, as: UInt8.self))
        position += 1
        func column() -> Range<Int>? {
            let count = Int(Int32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: Int32.self)))
            position += 4
            guard count >= 0 else { return nil }
            defer { position += count }
            return position..<(position + count)
        }
        let columns = Self(firstName: column(), lastName: column(), mobile: column(), properties: column(),
                           lists: column(), hubs: column(), badges: column(), subscriptions: column())
        return (tag == 0 ? nil : ContactType(rawValue: tag - 1), columns)
    }
}
