/// How a row writes its email address: the messiness of the Email column.
enum EmailVariant {
    /// As generated: lower case (a few fresh rows capitalise it; still the same key).
    case canonical
    /// Every ASCII letter upper-cased: `JANE.SMITH.12@GMAIL.COM`.
    case upper
    /// First letter of each dot-separated part capitalised: `Jane.Smith.12@Gmail.com`.
    case capitalised
    /// Surrounded by spaces: `  jane.smith.12@gmail.com `.
    case padded

    /// Draws how a repeated (duplicate) address is written: always a visible change
    /// in case or spacing, or exactly as before.
    static func drawForDuplicate(_ rng: inout SplitMix64) -> EmailVariant {
        switch rng.below(100) {
        case 0..<25: return .canonical
        case 25..<50: return .upper
        case 50..<75: return .capitalised
        default: return .padded
        }
    }

    /// Rewrites the canonical address in `email` (bytes `start...`) in this variant.
    func apply(to email: inout [UInt8], from start: Int) {
        switch self {
        case .canonical:
            return
        case .upper:
            for index in start..<email.count where email[index] >= 0x61 && email[index] <= 0x7A {
                email[index] -= 0x20
            }
        case .capitalised:
            var atStart = true
            for index in start..<email.count {
                let byte = email[index]
                if atStart && byte >= 0x61 && byte <= 0x7A { email[index] = byte - 0x20 }
                atStart = byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@")
            }
        case .padded:
            email.insert(contentsOf: [0x20, 0x20], at: start)
            email.append(0x20)
        }
    }
}

/// The ways an email address is broken in real files (about 1% of rows).
enum InvalidEmail: CaseIterable {
    case noAt             // jane.smith.7gmail.com
    case twoAts           // jane.smith@7@gmail.com
    case innerSpace       // jane smith.7@gmail.com
    case domainWithoutDot // jane.smith.7@gmail
    case emptyDomainLabel // jane.smith.7@.com.au
    case doubleDot        // jane.smith.7@gmail..com
    case notAnEmail       // n/a 7

    /// Appends a broken address built from `identity`'s names and number.
    func append(_ identity: ContactIdentity, to out: inout [UInt8]) {
        let first = identity.first.slug.filter { $0 != 0x20 }
        let last = identity.last.slug.filter { $0 != 0x20 }
        let dot = UInt8(ascii: ".")
        switch self {
        case .noAt:
            out += first + [dot] + last + [dot]
            appendDecimal(identity.number, to: &out)
            out += identity.domain
        case .twoAts:
            out += first + [dot] + last + [UInt8(ascii: "@")]
            appendDecimal(identity.number, to: &out)
            out += [UInt8(ascii: "@")] + identity.domain
        case .innerSpace:
            out += first + [0x20] + last + [dot]
            appendDecimal(identity.number, to: &out)
            out += [UInt8(ascii: "@")] + identity.domain
        case .domainWithoutDot, .emptyDomainLabel, .doubleDot:
            out += first + [dot] + last + [dot]
            appendDecimal(identity.number, to: &out)
            switch self {
            case .domainWithoutDot: out += Array("@gmail".utf8)
            case .emptyDomainLabel: out += Array("@.com.au".utf8)
            default: out += Array("@gmail..com".utf8)
            }
        case .notAnEmail:
            out += Array("n/a ".utf8)
            appendDecimal(identity.number, to: &out)
        }
    }
}
