/// The fixed attributes of one generated contact, derived from its identity number
/// alone (a stateless hash of seed and number), so a later duplicate row can rebuild
/// the same email address without the generator remembering earlier rows.
struct ContactIdentity {
    /// How the local part of the email is built from the names.
    enum EmailStyle {
        case dotted        // first.last.N
        case joined        // firstlastN
        case initial       // f.lastN
    }

    let number: Int
    let script: NamePools.Script
    let first: NamePart
    let last: NamePart
    let domain: [UInt8]
    let emailStyle: EmailStyle
    /// The eight digits after the leading `4` of an Australian mobile.
    let mobileDigits: Int
    let postcode: Int
    let birthYear: Int
    let birthMonth: Int
    let birthDay: Int

    init(seed: UInt64, number: Int, names: NamePools, fields: FieldPools) {
        var hash = SplitMix64(seed: SplitMix64.mix(seed ^ 0xC0FF_EE00_0000_0000) ^ UInt64(number))
        self.number = number
        let scriptDraw = hash.below(100)
        script = scriptDraw < 85 ? .plain : (scriptDraw < 93 ? .accented : .cjk)
        first = hash.pick(names.firstNames(script))
        last = hash.pick(names.lastNames(script))
        domain = hash.pick(names.domains)
        let styleDraw = hash.below(10)
        emailStyle = styleDraw < 7 ? .dotted : (styleDraw < 9 ? .joined : .initial)
        mobileDigits = hash.below(100_000_000)
        postcode = hash.pick(fields.postcodeBases) + hash.below(10)
        birthYear = 1940 + hash.below(66)
        birthMonth = 1 + hash.below(12)
        birthDay = 1 + hash.below(28)
    }

    /// Appends the canonical (lower-case, valid) email address.
    func appendEmail(to out: inout [UInt8]) {
        appendLocalPart(to: &out)
        out.append(UInt8(ascii: "@"))
        out.append(contentsOf: domain)
    }

    /// Appends the part before the `@`, unique thanks to the identity number.
    func appendLocalPart(to out: inout [UInt8]) {
        switch emailStyle {
        case .dotted:
            appendSlug(first.slug, to: &out)
            out.append(UInt8(ascii: "."))
            appendSlug(last.slug, to: &out)
            out.append(UInt8(ascii: "."))
        case .joined:
            appendSlug(first.slug, to: &out)
            appendSlug(last.slug, to: &out)
        case .initial:
            out.append(first.slug[0])
            out.append(UInt8(ascii: "."))
            appendSlug(last.slug, to: &out)
        }
        appendDecimal(number, to: &out)
    }

    /// Slugs of multi-word names ("mary ann", "van der berg") lose their spaces.
    private func appendSlug(_ slug: [UInt8], to out: inout [UInt8]) {
        for byte in slug where byte != UInt8(ascii: " ") {
            out.append(byte)
        }
    }
}

/// Appends the decimal digits of a non-negative `value`, zero-padded to `width`.
func appendDecimal(_ value: Int, width: Int = 1, to out: inout [UInt8]) {
    var divisor = 1
    var digits = 1
    while divisor <= value / 10 {
        divisor *= 10
        digits += 1
    }
    var pad = width - digits
    while pad > 0 {
        out.append(UInt8(ascii: "0"))
        pad -= 1
    }
    var rest = value
    while divisor > 0 {
        out.append(UInt8(truncatingIfNeeded: 0x30 + rest / divisor))
        rest %= divisor
        divisor /= 10
    }
}
