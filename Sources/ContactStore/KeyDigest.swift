import ContactModel

/// The digest kept with a contact's key (`contact_keys.row_digest`): of the one row, or of the
/// several rows in file order (`RowSequenceDigest`), that last changed the contact.
///
/// Whether it covers several rows is stored too (a 17th byte), so that a re-import can tell
/// which contacts to recognise by their rows' sequence rather than by one row (`KnownRows`).
/// Stores written before that keep 16 bytes for both: they read as one row's digest, which
/// no row of several matches, so such contacts are folded as before until they next change.
public struct KeyDigest: Sendable, Equatable {
    /// The digest itself (compared with the digest of the rows an import has for the contact).
    public var value: RowDigest
    /// Whether `value` is the digest of several rows.
    public var severalRows: Bool

    public init(value: RowDigest, severalRows: Bool) {
        self.value = value
        self.severalRows = severalRows
    }

    /// The digest of rows that changed a contact.
    init(_ rows: RowSequenceDigest) {
        self.init(value: rows.value, severalRows: rows.count > 1)
    }

    /// The marker byte that follows the digest of several rows.
    static let severalRowsMarker: UInt8 = 2

    /// Calls `body` with the stored bytes: the digest's 16, then the marker for several rows.
    func withStoredBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var bytes = (value.high.bigEndian, value.low.bigEndian, Self.severalRowsMarker)
        return try withUnsafeBytes(of: &bytes) { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[0..<(severalRows ? 17 : 16)]))
        }
    }

    /// The digest stored as `bytes`; nil for any other length or marker.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        let several = bytes.count == 17 && bytes[16] == Self.severalRowsMarker
        guard bytes.count == 16 || several,
              let value = RowDigest(bytes: UnsafeBufferPointer(rebasing: bytes[0..<16])) else { return nil }
        self.init(value: value, severalRows: several)
    }
}
