/// Writes the benchmark's messy marketing-contact CSV, one row at a time, into its
/// own byte buffer that goes to a `ByteSink` in 1 MiB blocks. Every choice comes from
/// one seeded `SplitMix64` stream, so the same seed always gives the same bytes.
///
/// Mix per row: ~10% repeat an earlier address (other case or padded with spaces,
/// other fields changed), ~1% broken addresses, ~0.5% empty ones; the rest are new.
struct ContactRowWriter {
    static let header: [String] = [
        "Email", "First Name", "Last Name", "Mobile", "Contact Type", "Favourite Colour",
        "Postcode", "Date of Birth", "Hub", "Opt In", "Source", "Notes",
    ]
    private static let blockSize = 1 << 20

    private let seed: UInt64
    private var rng: SplitMix64
    private let names = NamePools()
    private let fields = FieldPools()
    /// The CSV text not yet written; fields are built in place at its end.
    private var out: [UInt8] = []
    private var quoteAll = false
    /// Identity numbers 0..<validIdentities have been written with a valid address.
    private var validIdentities = 0
    private var brokenIdentities = 0
    private(set) var stats = GenerationStats()

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        out.reserveCapacity(Self.blockSize + 64 * 1024)
    }

    /// Writes the header record.
    mutating func writeHeader(to sink: ByteSink) throws(BenchError) {
        for (index, name) in Self.header.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(name.utf8)
        }
        try endRecord(sink)
    }

    /// Writes out whatever is still buffered; call once after the last row.
    mutating func finish(to sink: ByteSink) throws(BenchError) {
        try sink.write(out)
        out.removeAll(keepingCapacity: true)
    }

    /// Writes the next data record.
    mutating func writeRow(to sink: ByteSink) throws(BenchError) {
        let kind = rng.below(1000)
        let identity: ContactIdentity
        var duplicate = false
        quoteAll = rng.chance(perMille: 20)
        let start = out.count
        if kind < 5 {
            stats.empty += 1
            identity = makeIdentity(brokenNumber())
            if rng.chance(perMille: 300) { out += [0x20, 0x20] }
        } else if kind < 15 {
            stats.invalid += 1
            identity = makeIdentity(brokenNumber())
            rng.pick(InvalidEmail.allCases).append(identity, to: &out)
        } else if kind < 115 && validIdentities > 0 {
            stats.duplicates += 1
            duplicate = true
            identity = makeIdentity(rng.below(validIdentities))
            identity.appendEmail(to: &out)
            EmailVariant.drawForDuplicate(&rng).apply(to: &out, from: start)
        } else {
            stats.fresh += 1
            identity = makeIdentity(validIdentities)
            validIdentities += 1
            identity.appendEmail(to: &out)
            if rng.chance(perMille: 50) { EmailVariant.capitalised.apply(to: &out, from: start) }
        }
        endField(from: start)
        writeName(identity.first)
        writeName(identity.last)
        writeMobile(identity)
        let upgrade = duplicate && rng.chance(perMille: 400)
        writeChoice(fields.contactTypes, override: upgrade ? fields.authenticated : nil)
        writeChoice(fields.colours)
        writePostcode(identity)
        writeBirthDate(identity)
        writeChoice(fields.hubs)
        writeChoice(fields.optIns)
        writeChoice(fields.sources)
        let notes = beginField()
        if rng.chance(perMille: 250) { out += rng.pick(fields.notes) }
        endField(from: notes)
        try endRecord(sink)
    }

    private func makeIdentity(_ number: Int) -> ContactIdentity {
        ContactIdentity(seed: seed, number: number, names: names, fields: fields)
    }

    /// Broken and empty addresses get names from their own number range, so a later
    /// duplicate of a valid identity never rebuilds them.
    private mutating func brokenNumber() -> Int {
        brokenIdentities += 1
        return (1 << 40) + brokenIdentities
    }

    /// A name: usually as is; sometimes blank, padded, or with a doubled inner space.
    private mutating func writeName(_ name: NamePart) {
        let start = beginField()
        switch rng.below(100) {
        case 0..<3:
            break
        case 3..<6:
            out.append(0x20)
            out += name.display
            out += [0x20, 0x20]
        case 6..<8:
            for byte in name.display {
                out.append(byte)
                if byte == 0x20 { out.append(0x20) }
            }
            out.append(0x20)
        default:
            out += name.display
        }
        endField(from: start)
    }

    private mutating func writeMobile(_ identity: ContactIdentity) {
        let start = beginField()
        switch rng.below(100) {
        case 0..<8:
            break
        case 8..<11:
            out += rng.pick(fields.garbageMobiles)
        default:
            MobileFormat.draw(&rng).append(digits: identity.mobileDigits, to: &out)
        }
        endField(from: start)
    }

    private mutating func writeChoice(_ values: [[UInt8]], override: [UInt8]? = nil) {
        let start = beginField()
        let choice = rng.pick(values)
        out += override ?? choice
        endField(from: start)
    }

    /// Postcodes keep their leading zero (`0800`), except a few that lost it in a spreadsheet.
    private mutating func writePostcode(_ identity: ContactIdentity) {
        let start = beginField()
        switch rng.below(100) {
        case 0..<10: break
        case 10..<12: appendDecimal(identity.postcode, to: &out)
        default: appendDecimal(identity.postcode, width: 4, to: &out)
        }
        endField(from: start)
    }

    /// Dates of birth as ISO `1985-03-12` or Australian `12/03/1985`, or blank.
    private mutating func writeBirthDate(_ identity: ContactIdentity) {
        let start = beginField()
        switch rng.below(10) {
        case 0..<3:
            break
        case 3..<7:
            appendDecimal(identity.birthYear, to: &out)
            out.append(UInt8(ascii: "-"))
            appendDecimal(identity.birthMonth, width: 2, to: &out)
            out.append(UInt8(ascii: "-"))
            appendDecimal(identity.birthDay, width: 2, to: &out)
        default:
            appendDecimal(identity.birthDay, width: 2, to: &out)
            out.append(UInt8(ascii: "/"))
            appendDecimal(identity.birthMonth, width: 2, to: &out)
            out.append(UInt8(ascii: "/"))
            appendDecimal(identity.birthYear, to: &out)
        }
        endField(from: start)
    }

    /// Starts a field after the first: writes the separator; returns where the field begins.
    private mutating func beginField() -> Int {
        out.append(UInt8(ascii: ","))
        return out.count
    }

    /// Quotes the field written since `start` when it holds a comma, quote or line break
    /// (or when the row quotes everything), doubling inner quotes, as Python's csv does.
    private mutating func endField(from start: Int) {
        var needsQuotes = quoteAll
        if !needsQuotes {
            for index in start..<out.count {
                let byte = out[index]
                if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                    needsQuotes = true
                    break
                }
            }
        }
        guard needsQuotes else { return }
        let raw = Array(out[start...])
        out.removeSubrange(start...)
        out.append(0x22)
        for byte in raw {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    private mutating func endRecord(_ sink: ByteSink) throws(BenchError) {
        out.append(0x0D)
        out.append(0x0A)
        if out.count >= Self.blockSize {
            try finish(to: sink)
        }
    }
}
