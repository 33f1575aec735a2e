/// The ways people type an Australian mobile number (04xx xxx xxx) into a form.
enum MobileFormat: CaseIterable {
    case spacedLocal        // 0412 345 678
    case international      // +61 412 345 678
    case countryDigits      // 61412345678
    case bracketed          // (04) 1234 5678
    case bare               // 412345678
    case compactLocal       // 0412345678
    case compactPlus        // +61412345678
    case dashed             // 0412-345-678

    private static let weighted: [MobileFormat] = [
        .spacedLocal, .spacedLocal, .spacedLocal, .international, .international, .countryDigits,
        .bracketed, .bare, .compactLocal, .compactLocal, .compactPlus, .dashed,
    ]

    /// Draws a format, weighted towards the common ones.
    static func draw(_ rng: inout SplitMix64) -> MobileFormat {
        rng.pick(weighted)
    }

    /// Appends the mobile `4` + eight `digits` (0...99_999_999) in this format.
    func append(digits: Int, to out: inout [UInt8]) {
        let first2 = digits / 1_000_000
        let middle3 = digits / 1000 % 1000
        let last3 = digits % 1000
        switch self {
        case .spacedLocal, .dashed, .international:
            let separator = UInt8(ascii: self == .dashed ? "-" : " ")
            out.append(contentsOf: self == .international ? [0x2B, 0x36, 0x31, 0x20, 0x34] : [0x30, 0x34]) // "+61 4" / "04"
            appendDecimal(first2, width: 2, to: &out)
            out.append(separator)
            appendDecimal(middle3, width: 3, to: &out)
            out.append(separator)
            appendDecimal(last3, width: 3, to: &out)
        case .bracketed:
            out.append(contentsOf: [0x28, 0x30, 0x34, 0x29, 0x20]) // "(04) "
            appendDecimal(digits / 10_000, width: 4, to: &out)
            out.append(UInt8(ascii: " "))
            appendDecimal(digits % 10_000, width: 4, to: &out)
        case .countryDigits, .bare, .compactLocal, .compactPlus:
            switch self {
            case .countryDigits: out.append(contentsOf: [0x36, 0x31, 0x34]) // "614"
            case .compactLocal: out.append(contentsOf: [0x30, 0x34]) // "04"
            case .compactPlus: out.append(contentsOf: [0x2B, 0x36, 0x31, 0x34]) // "+614"
            default: out.append(0x34) // "4"
            }
            appendDecimal(digits, width: 8, to: &out)
        }
    }
}
