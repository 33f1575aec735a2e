/// Mobile numbers to E.164 (`+61412345678`), read the way people type them.
public enum PhoneNumber {
    /// What a region's numbers look like: enough to turn national forms into E.164.
    public struct Region: Sendable, Equatable {
        /// ISO 3166 code (`AU`).
        public var code: String
        /// Country calling code without `+` (`61`).
        public var callingCode: String
        /// The trunk prefix dialled before national numbers (`0`), if any.
        public var trunkPrefix: String?
        /// Lengths of the national significant number.
        public var lengths: [Int]

        /// The regions we know, by ISO code.
        public static let known: [String: Region] = [
            "AU": Region(code: "AU", callingCode: "61", trunkPrefix: "0", lengths: [9]),
            "NZ": Region(code: "NZ", callingCode: "64", trunkPrefix: "0", lengths: [8, 9, 10]),
            "GB": Region(code: "GB", callingCode: "44", trunkPrefix: "0", lengths: [10]),
            "IE": Region(code: "IE", callingCode: "353", trunkPrefix: "0", lengths: [9]),
            "US": Region(code: "US", callingCode: "1", trunkPrefix: "1", lengths: [10]),
            "CA": Region(code: "CA", callingCode: "1", trunkPrefix: "1", lengths: [10]),
            "SG": Region(code: "SG", callingCode: "65", trunkPrefix: nil, lengths: [8]),
            "ZA": Region(code: "ZA", callingCode: "27", trunkPrefix: "0", lengths: [9]),
            "FR": Region(code: "FR", callingCode: "33", trunkPrefix: "0", lengths: [9]),
            "DE": Region(code: "DE", callingCode: "49", trunkPrefix: "0", lengths: [10, 11]),
        ]
    }

    /// Normalises `raw` to E.164 using `region` for national forms; nil when it cannot.
    public static func normalise(_ raw: String, region: Region) -> String? {
        var raw = raw
        return raw.withUTF8 { normalise(bytes: $0, region: region) }
    }

    static func normalise(bytes: UnsafeBufferPointer<UInt8>, region: Region) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var count = 0
            var plus = false
            var previousC2 = false
            for b in bytes {
                defer { previousC2 = b == 0xC2 }
                switch b {
                case 0x30...0x39:
                    if count == 16 { return nil }
                    digits[count] = b
                    count += 1
                case 0x2B: // +
                    if count > 0 || plus { return nil }
                    plus = true
                case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0x09, 0xC2:
                    continue // space, -, ., (, ), /, tab, and the lead byte of NBSP
                case 0xA0 where previousC2:
                    continue
                default:
                    return nil
                }
            }
            guard count >= 6, count <= 15 else { return nil }
            return e164(UnsafeBufferPointer(rebasing: digits[0..<count]), international: plus, region: region)
        }
    }

    /// E.164 from bare digits (`international` when they followed a `+`).
    static func e164(_ digits: UnsafeBufferPointer<UInt8>, international: Bool, region: Region) -> String? {
        var callingCode = region.callingCode
        var trunkPrefix = region.trunkPrefix ?? ""
        let hasTrunk = region.trunkPrefix != nil
        return callingCode.withUTF8 { code in
            trunkPrefix.withUTF8 { trunk in
                e164(digits, international: international, code: code, trunk: hasTrunk ? trunk : nil, lengths: region.lengths)
            }
        }
    }

    /// `e164` with the region's calling code and trunk prefix as bytes.
    private static func e164(_ digits: UnsafeBufferPointer<UInt8>, international: Bool, code: UnsafeBufferPointer<UInt8>,
                             trunk: UnsafeBufferPointer<UInt8>?, lengths: [Int]) -> String? {
        func hasPrefix(_ prefix: UnsafeBufferPointer<UInt8>, at offset: Int = 0) -> Bool {
            guard digits.count - offset >= prefix.count else { return false }
            for index in 0..<prefix.count where digits[offset + index] != prefix[index] { return false }
            return true
        }
        /// "+", the calling code if asked, then the digits from `start`, written straight into
        /// the string (at most 1 + 3 + 16 bytes: a small string, no allocation).
        func make(from start: Int, withCode: Bool) -> String {
            String(unsafeUninitializedCapacity: 1 + (withCode ? code.count : 0) + digits.count - start) { out in
                out[0] = UInt8(ascii: "+")
                var count = 1
                if withCode {
                    for b in code {
                        out[count] = b
                        count += 1
                    }
                }
                for index in start..<digits.count {
                    out[count] = digits[index]
                    count += 1
                }
                return count
            }
        }
        let n = digits.count
        if international {
            // Already international; for our own region, check the national length.
            if hasPrefix(code) {
                var rest = code.count
                if let trunk, hasPrefix(trunk, at: rest), !lengths.contains(n - rest) {
                    rest += trunk.count // +61 (0)412 ...
                }
                return lengths.contains(n - rest) ? make(from: rest, withCode: true) : nil
            }
            return n >= 8 ? make(from: 0, withCode: false) : nil
        }
        if n >= 2, digits[0] == 0x30, digits[1] == 0x30 { // 00: the international dialling prefix
            return n - 2 >= 8 ? make(from: 2, withCode: false) : nil
        }
        if let trunk, hasPrefix(trunk), lengths.contains(n - trunk.count) {
            return make(from: trunk.count, withCode: true)
        }
        if hasPrefix(code), lengths.contains(n - code.count) {
            return make(from: 0, withCode: false)
        }
        if lengths.contains(n) {
            return make(from: 0, withCode: true)
        }
        return nil
    }
}
