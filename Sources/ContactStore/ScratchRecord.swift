import ContactModel

/// How scratch records (`SortedKeyRuns`, `PendingChanges`) are written: integers little-endian,
/// an optional row digest as a flag byte and, when present, its two words.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        var little = value.littleEndian
        Swift.withUnsafeBytes(of: &little) { append(contentsOf: $0) }
    }

    mutating func appendDigest(_ digest: RowDigest?) {
        guard let digest else {
            appendLittleEndian(UInt8(0))
            return
        }
        appendLittleEndian(UInt8(1))
        appendLittleEndian(digest.high)
        appendLittleEndian(digest.low)
    }
}
