/// Fast checks of UTF-8 bytes, so that a field's String is made by the standard library's
/// specialised decoder and a field that is not UTF-8 can be read as Windows-1252 instead.
enum UTF8Check {
    /// True when every byte is below 0x80 (looked at eight at a time).
    @inline(__always)
    static func isASCII(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= count {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            acc |= UInt64(p[i])
            i += 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// True when the bytes are well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
    static func isValid(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        @inline(__always) func cont(_ k: Int) -> Bool { k < count && p[k] & 0xC0 == 0x80 }
        while i < count {
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
            } else if b0 < 0xC2 {
                return false
            } else if b0 < 0xE0 {
                guard cont(i + 1) else { return false }
                i += 2
            } else if b0 < 0xF0 {
                guard i + 1 < count else { return false }
                let b1 = p[i + 1]
                let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard b1 >= low && b1 <= high && cont(i + 2) else { return false }
                i += 3
            } else if b0 < 0xF5 {
                guard i + 1 < count else { return false }
                let b1 = p[i + 1]
                let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                guard b1 >= low && b1 <= high && cont(i + 2) && cont(i + 3) else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }
}
