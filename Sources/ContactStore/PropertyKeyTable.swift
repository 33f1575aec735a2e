import ContactModel

/// The property keys one batch uses, each with its escaped `"key":` JSON fragment, so a record's
/// properties are encoded by copying fragments instead of escaping every key of every row, and
/// checked for repeated keys with a bit mask instead of a set.
///
/// Records of one file carry the keys in column order, so the lookup starts after the previous
/// hit and usually matches at the first comparison.
struct PropertyKeyTable {
    /// Keys in the order the batch first used them.
    private(set) var keys: [String] = []
    /// The first property seen with each key (its label is what the store records).
    private(set) var firstUses: [PropertyValue] = []
    private var fragmentRanges: [Range<Int>] = []
    private let fragments = ByteArena(capacity: 512)
    private var lastSlot = -1

    /// The slot of `property.key`, adding the key when it is new.
    @inline(__always)
    mutating func slot(of property: borrowing PropertyValue) -> Int {
        let count = keys.count
        var candidate = lastSlot + 1
        for _ in 0..<count {
            if candidate >= count { candidate = 0 }
            if keys[candidate] == property.key {
                lastSlot = candidate
                return candidate
            }
            candidate += 1
        }
        keys.append(property.key)
        firstUses.append(copy property)
        let start = fragments.count
        CompactJSON.appendString(property.key, to: fragments)
        fragments.append(UInt8(ascii: ":"))
        fragmentRanges.append(start..<fragments.count)
        lastSlot = count
        return count
    }

    /// Notes every key of `properties` (for records that take the general path).
    mutating func note(_ properties: [PropertyValue]) {
        for index in properties.indices { _ = slot(of: properties[index]) }
    }

    /// Copies the `"key":` fragment of `slot` into `arena`.
    @inline(__always)
    func appendFragment(_ slot: Int, to arena: ByteArena) {
        arena.append(fragments.bufferPointer(fragmentRanges[slot]))
    }

    /// Resets the search hint at the start of a record.
    @inline(__always)
    mutating func startRecord() {
        lastSlot = -1
    }
}
