/// A forward-only reader of the JSON the store writes (objects and arrays of strings or
/// booleans). Strings without escapes are returned as slices of the input, without copying;
/// escaped ones are decoded into a scratch buffer owned by the scanner.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var scratchArena: ByteArena?

    /// `scratch` receives decoded escaped strings; pass one to reuse it across rows.
    init(_ bytes: UnsafeBufferPointer<UInt8>, scratch: ByteArena? = nil) {
        self.bytes = bytes
        scratchArena = scratch
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Calls `body` with each member's key (the scanner then stands on the value, which `body`
    /// must read). Returns false on malformed input or when `body` does.
    mutating func forEachMember(_ body: (inout JSONScanner, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = readString() else { return false }
            // The key may live in `scratch`, which reading the value can overwrite: copy it then.
            let ownKey = key.baseAddress.map { $0 >= bytes.baseAddress! && $0 < bytes.baseAddress! + bytes.count } ?? true
            guard consume(UInt8(ascii: ":")) else { return false }
            let keepGoing: Bool
            if ownKey {
                keepGoing = body(&self, key)
            } else {
                let copy = Array(key)
                keepGoing = copy.withUnsafeBufferPointer { body(&self, $0) }
            }
            guard keepGoing else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    mutating func forEachElement(_ body: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard body(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    mutating func readBool() -> Bool? {
        skipSpace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        return nil
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// The next string's UTF-8 bytes: a slice of the input when it has no escapes, else the
    /// decoded scratch buffer (valid until the next read).
    mutating func readString() -> UnsafeBufferPointer<UInt8>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)])
            }
            if byte == UInt8(ascii: "\\") { return readEscapedString(from: start) }
            index += 1
        }
        return nil
    }

    private mutating func readEscapedString(from start: Int) -> UnsafeBufferPointer<UInt8>? {
        let scratch: ByteArena
        if let existing = scratchArena { scratch = existing } else { scratch = ByteArena(capacity: 256); scratchArena = scratch }
        scratch.removeAll()
        scratch.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                return scratch.bufferPointer(0..<scratch.count)
            }
            guard byte == UInt8(ascii: "\\") else { scratch.append(byte); continue }
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = readHex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { return nil }
                    index += 2
                    guard let low = readHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                for unit in UTF8.encode(unicode)! { scratch.append(unit) }
            default: return nil
            }
        }
        return nil
    }

    private mutating func readHex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
