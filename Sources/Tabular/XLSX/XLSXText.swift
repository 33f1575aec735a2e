import Foundation

/// Turns the bytes of an XLSX string into a `String`, decoding the `_xHHHH_` escapes
/// OOXML uses for characters XML cannot hold (`_x000D_` is a carriage return,
/// `_x005F_` an underscore; surrogate pairs come as two escapes).
enum XLSXText {
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard hasEscapes(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        return decodeEscapes(bytes)
    }

    /// False when the bytes cannot hold an escape (they are then the text as they stand).
    static func hasEscapes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 7 else { return false }
        return memchr(base, Int32(UInt8(ascii: "_")), bytes.count) != nil
    }

    private static func hex(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: return UInt32(b - 48)
        case 65...70: return UInt32(b - 55)
        case 97...102: return UInt32(b - 87)
        default: return nil
        }
    }

    /// The code unit of an escape `_xHHHH_` starting at `i`, if there is one.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        guard i + 7 <= bytes.count, bytes[i] == 0x5F, bytes[i + 1] == 0x78 || bytes[i + 1] == 0x58,
              bytes[i + 6] == 0x5F,
              let a = hex(bytes[i + 2]), let b = hex(bytes[i + 3]), let c = hex(bytes[i + 4]), let d = hex(bytes[i + 5])
        else { return nil }
        return a << 12 | b << 8 | c << 4 | d
    }

    private static func decodeEscapes(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x5F, let unit = escape(bytes, at: i) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            var scalar = unit
            i += 7
            if (0xD800...0xDBFF).contains(unit) {
                if let low = escape(bytes, at: i), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 7
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                scalar = 0xFFFD
            }
            UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A growable byte buffer reused for every cell, NUL-terminated on demand for `strtod`.
final class ByteBuffer {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func reset() { count = 0 }

    @inline(__always) func append(_ bytes: UnsafePointer<UInt8>, _ n: Int) {
        if count + n + 1 > capacity { grow(count + n + 1) }
        (base + count).update(from: bytes, count: n)
        count += n
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    /// Writes a NUL after the content (capacity always leaves room for it).
    @inline(__always) func terminate() { base[count] = 0 }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
