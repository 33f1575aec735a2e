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
        digits.reserveCapacity(16)
        var plus = false
        var sawDigit = false
        for b in raw.utf8 {
            switch b {
            case 0x30...0x39:
                digits.append(b)
                sawDigit = true
            case 0x2B: // +
                if sawDigit || plus { return nil }
                plus = true
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0x09, 0xC2, 0xA0:
                continue // space, -, ., (, ), /, tab, NBSP
            default:
                return nil
            }
        }
        guard digits.count >= 6, digits.count <= 15 else { return nil }
        var national = String(decoding: digits, as: UTF8.self)
        if plus {
            // Already international; for our own region, check the national length.
            if national.hasPrefix(region.callingCode) {
                var rest = String(national.dropFirst(region.callingCode.count))
                if let trunk = region.trunkPrefix, rest.hasPrefix(trunk), !region.lengths.contains(rest.count) {
                    rest = String(rest.dropFirst(trunk.count)) // +61 (0)412 ...
                }
                return region.lengths.contains(rest.count) ? "+" + region.callingCode + rest : nil
            }
            return digits.count >= 8 ? "+" + national : nil
        }
        if national.hasPrefix("00") { // international dialling prefix
            national = String(national.dropFirst(2))
            return national.count >= 8 ? "+" + national : nil
        }
        if let trunk = region.trunkPrefix, national.hasPrefix(trunk),
           region.lengths.contains(national.count - trunk.count) {
            return "+" + region.callingCode + national.dropFirst(trunk.count)
        }
        if national.hasPrefix(region.callingCode), region.lengths.contains(national.count - region.callingCode.count) {
            return "+" + national
        }
        if region.lengths.contains(national.count) {
            return "+" + region.callingCode + national
        }
        return nil
    }
}
