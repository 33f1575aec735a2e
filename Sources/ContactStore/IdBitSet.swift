/// A set of contact ids as one bit per id: ids are dense from 1, so a million pre-existing
/// contacts cost 125 KB instead of the ~16 MB (24 MB while rehashing) of a `Set<UInt64>`.
struct IdBitSet: Sendable {
    private var words: [UInt64] = []

    /// Whether `id` is in the set.
    func contains(_ id: Int) -> Bool {
        let word = id >> 6
        guard id >= 0, word < words.count else { return false }
        return words[word] & (1 << UInt64(id & 63)) != 0
    }

    /// Adds `id`; returns whether it was not there yet.
    mutating func insert(_ id: Int) -> Bool {
        precondition(id >= 0, "contact ids are positive")
        let word = id >> 6
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: max(word + 1, words.count * 2) - words.count))
        }
        let bit: UInt64 = 1 << UInt64(id & 63)
        if words[word] & bit != 0 { return false }
        words[word] |= bit
        return true
    }
}
