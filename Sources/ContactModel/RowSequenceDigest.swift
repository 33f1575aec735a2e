/// The digest of several rows of one contact, in file order: what the store keeps with a
/// contact whose last change came from more than one row (see `RowDigest`).
///
/// Folding the same rows into a contact a second time changes nothing (a later non-empty
/// value wins, the type only moves up, sets only grow), so a contact whose stored state came
/// from exactly these rows, in this order, is known to be unchanged by them without folding.
///
/// Built from the digests of consecutive parts, whatever the split: the digest of rows 1…k
/// followed by that of rows k+1…n is the digest of rows 1…n (a polynomial in the row digests,
/// one odd multiplier per 64-bit lane). One row's is that row's own `RowDigest`, so a contact
/// changed by a single row keeps that row's digest, which the reader can recognise alone.
public struct RowSequenceDigest: Sendable, Hashable {
    /// How many rows it covers.
    public private(set) var count: Int
    /// The digest stored with the contact.
    public private(set) var value: RowDigest

    /// One row.
    public init(_ row: RowDigest) {
        count = 1
        value = row
    }

    /// `count` rows whose digest is `value` (as stored beside the count).
    public init(count: Int, value: RowDigest) {
        self.count = count
        self.value = value
    }

    /// Appends the rows that came after these (in file order).
    public mutating func append(_ later: RowSequenceDigest) {
        value = RowDigest(high: value.high &* Self.power(Self.highMultiplier, later.count) &+ later.value.high,
                          low: value.low &* Self.power(Self.lowMultiplier, later.count) &+ later.value.low)
        count += later.count
    }

    /// These rows followed by `later`.
    public func appending(_ later: RowSequenceDigest) -> RowSequenceDigest {
        var copy = self
        copy.append(later)
        return copy
    }

    /// Appends one row.
    public mutating func append(_ row: RowDigest) {
        append(RowSequenceDigest(row))
    }

    static let highMultiplier: UInt64 = 0x9FB2_1C65_1E98_DF25
    static let lowMultiplier: UInt64 = 0xD6E8_FEB8_6659_FD93

    /// `base` to the power `exponent`, modulo 2^64.
    private static func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
        var result: UInt64 = 1
        var base = base
        var exponent = exponent
        while exponent > 0 {
            if exponent & 1 == 1 { result = result &* base }
            base = base &* base
            exponent >>= 1
        }
        return result
    }
}
