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
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var plus = false
        var previousC2 = false
        for b in raw.utf8 {
            defer { previousC2 = b == 0xC2 }
            switch b {
            case 0x30...0x39:
                digits.append(b)
            case 0x2B: // +
                if !digits.isEmpty || plus { return nil }
                plus = true
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0x09, 0xC2:
                continue // space, -, ., (, ), /, tab, and the lead byte of NBSP
            case 0xA0 where previousC2:
                continue
            default:
                return nil
            }
        }
        guard digits.count >= 6, digits.count <= 15 else { return nil }
        let code = Array(region.callingCode.utf8)
        let trunk = region.trunkPrefix.map { Array($0.utf8) }
        func hasPrefix(_ p: [UInt8], at offset: Int = 0) -> Bool {
            digits.count - offset >= p.count && Array(digits[offset..<(offset + p.count)]) == p
        }
        func e164(_ body: ArraySlice<UInt8>, withCode: Bool) -> String {
            var out: [UInt8] = [0x2B]
            if withCode { out.append(contentsOf: code) }
            out.append(contentsOf: body)
            return String(decoding: out, as: UTF8.self)
        }
        if plus {
            // Already international; for our own region, check the national length.
            if hasPrefix(code) {
                var rest = code.count
                if let trunk, hasPrefix(trunk, at: rest), !region.lengths.contains(digits.count - rest) {
                    rest += trunk.count // +61 (0)412 ...
                }
                return region.lengths.contains(digits.count - rest) ? e164(digits[rest...], withCode: true) : nil
            }
            return digits.count >= 8 ? e164(digits[...], withCode: false) : nil
        }
        if hasPrefix([0x30, 0x30]) { // 00: the international dialling prefix
            return digits.count - 2 >= 8 ? e164(digits[2...], withCode: false) : nil
        }
        if let trunk, hasPrefix(trunk), region.lengths.contains(digits.count - trunk.count) {
            return e164(digits[trunk.count...], withCode: true)
        }
        if hasPrefix(code), region.lengths.contains(digits.count - code.count) {
            return e164(digits[...], withCode: false)
        }
        if region.lengths.contains(digits.count) {
            return e164(digits[...], withCode: true)
        }
        return nil
    }
}
