import ContactModel

/// The small JSON dialect the contact row uses for its compact columns: an object of strings
/// (properties), an array of strings (lists, hubs, badges) and an object of booleans
/// (subscriptions). Plain JSON, so SQL filters can use SQLite's `json_extract`/`json_each`;
/// hand-written because the merge and export paths must not build a `Foundation` object graph.
enum CompactJSON {
    // MARK: writing

    static func appendString(_ string: String, to out: ByteArena) {
        var string = string
        string.withUTF8 { appendString(bytes: $0, to: out) }
    }

    static func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: ByteArena) {
        // Fast path: nothing to escape (almost every value): one reservation and one copy.
        if !needsEscape(bytes) {
            let target = out.reserve(bytes.count + 2)
            target[0] = UInt8(ascii: "\"")
            if let source = bytes.baseAddress { (target + 1).update(from: source, count: bytes.count) }
            target[bytes.count + 1] = UInt8(ascii: "\"")
            out.didWrite(bytes.count + 2)
            return
        }
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(Array("u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
            runStart = index + 1
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// True when some byte is a control character, `"` or `\\`; 8 bytes at a time.
    @inline(__always)
    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // A byte below 0x20, or equal to 0x22 or 0x5C (exact as a yes/no answer).
            let below = (word &- ones &* 0x20) & ~word & highs
            let quote = ((word ^ (ones &* 0x22)) &- ones) & ~(word ^ (ones &* 0x22)) & highs
            let backslash = ((word ^ (ones &* 0x5C)) &- ones) & ~(word ^ (ones &* 0x5C)) & highs
            if below | quote | backslash != 0 { return true }
            index += 8
        }
        while index < bytes.count {
            let byte = base[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
            index += 1
        }
        return false
    }

    static func appendObject(_ pairs: [PropertyValue], to out: ByteArena) {
        out.append(UInt8(ascii: "{"))
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(pair.key, to: out)
            out.append(UInt8(ascii: ":"))
            appendString(pair.value, to: out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendArray(_ items: [String], to out: ByteArena) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(item, to: out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendBoolObject(_ pairs: [SubscriptionChange], to out: ByteArena) {
        out.append(UInt8(ascii: "{"))
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(pair.group, to: out)
            out.append(contentsOf: pair.subscribed ? ":true" : ":false")
        }
        out.append(UInt8(ascii: "}"))
    }

    // MARK: reading

    static func decodeObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [PropertyValue]? {
        var scanner = JSONScanner(bytes)
        var result: [PropertyValue] = []
        let ok = scanner.forEachMember { scanner, key in
            guard let value = scanner.readString() else { return false }
            result.append(PropertyValue(key: String(decoding: key, as: UTF8.self), label: "",
                                        value: String(decoding: value, as: UTF8.self)))
            return true
        }
        return ok ? result : nil
    }

    static func decodeBoolObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [SubscriptionChange]? {
        var scanner = JSONScanner(bytes)
        var result: [SubscriptionChange] = []
        let ok = scanner.forEachMember { scanner, key in
            guard let value = scanner.readBool() else { return false }
            result.append(SubscriptionChange(group: String(decoding: key, as: UTF8.self), subscribed: value))
            return true
        }
        return ok ? result : nil
    }

    static func decodeArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var scanner = JSONScanner(bytes)
        var result: [String] = []
        let ok = scanner.forEachElement { scanner in
            guard let value = scanner.readString() else { return false }
            result.append(String(decoding: value, as: UTF8.self))
            return true
        }
        return ok ? result : nil
    }
}

extension ByteArena {
    func append(contentsOf text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
