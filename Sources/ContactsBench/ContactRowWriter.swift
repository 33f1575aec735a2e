/// Writes the benchmark's messy marketing-contact CSV, one row at a time, straight
/// into a `ByteSink`. Every choice comes from one seeded `SplitMix64` stream, so the
/// same seed always gives the same bytes.
///
/// Mix per row: ~10% repeat an earlier address (other case or padded with spaces,
/// other fields changed), ~1% broken addresses, ~0.5% empty ones; the rest are new.
struct ContactRowWriter {
    static let header: [String] = [
        "Email", "First Name", "Last Name", "Mobile", "Contact Type", "Favourite Colour",
        "Postcode", "Date of Birth", "Hub", "Opt In", "Source", "Notes",
    ]

    private let seed: UInt64
    private var rng: SplitMix64
    private let names = NamePools()
    private let fields = FieldPools()
    private var field: [UInt8] = []
    private var quoteAll = false
    /// Identity numbers 0..<validIdentities have been written with a valid address.
    private var validIdentities = 0
    private var brokenIdentities = 0
    private(set) var stats = GenerationStats()

    init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        field.reserveCapacity(256)
    }

    /// Writes the header record.
    mutating func writeHeader(to sink: ByteSink) throws(BenchError) {
        for (index, name) in Self.header.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            sink.append(Array(name.utf8))
        }
        sink.append([0x0D, 0x0A])
        try sink.endRecord()
    }

    /// Writes the next data record.
    mutating func writeRow(to sink: ByteSink) throws(BenchError) {
        let kind = rng.below(1000)
        let identity: ContactIdentity
        var duplicate = false
        quoteAll = rng.chance(perMille: 20)
        field.removeAll(keepingCapacity: true)
        if kind < 5 {
            stats.empty += 1
            identity = makeIdentity(brokenNumber())
            if rng.chance(perMille: 300) { field += [0x20, 0x20] }
        } else if kind < 15 {
            stats.invalid += 1
            identity = makeIdentity(brokenNumber())
            rng.pick(InvalidEmail.allCases).append(identity, to: &field)
        } else if kind < 115 && validIdentities > 0 {
            stats.duplicates += 1
            duplicate = true
            identity = makeIdentity(rng.below(validIdentities))
            identity.appendEmail(to: &field)
            EmailVariant.drawForDuplicate(&rng).apply(to: &field, from: 0)
        } else {
            stats.fresh += 1
            identity = makeIdentity(validIdentities)
            validIdentities += 1
            identity.appendEmail(to: &field)
            if rng.chance(perMille: 50) { EmailVariant.capitalised.apply(to: &field, from: 0) }
        }
        emit(sink, first: true)
        writeName(identity.first, to: sink)
        writeName(identity.last, to: sink)
        writeMobile(identity, to: sink)
        writeChoice(fields.contactTypes, override: duplicate && rng.chance(perMille: 400) ? "Authenticated" : nil, to: sink)
        writeChoice(fields.colours, to: sink)
        writePostcode(identity, to: sink)
        writeBirthDate(identity, to: sink)
        writeChoice(fields.hubs, to: sink)
        writeChoice(fields.optIns, to: sink)
        writeChoice(fields.sources, to: sink)
        field.removeAll(keepingCapacity: true)
        if rng.chance(perMille: 250) { field += rng.pick(fields.notes) }
        emit(sink)
        sink.append([0x0D, 0x0A])
        try sink.endRecord()
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
    private mutating func writeName(_ name: NamePart, to sink: ByteSink) {
        field.removeAll(keepingCapacity: true)
        switch rng.below(100) {
        case 0..<3:
            break
        case 3..<6:
            field += [0x20] + name.display + [0x20, 0x20]
        case 6..<8:
            for byte in name.display {
                field.append(byte)
                if byte == 0x20 { field.append(0x20) }
            }
            field += [0x20]
        default:
            field += name.display
        }
        emit(sink)
    }

    private mutating func writeMobile(_ identity: ContactIdentity, to sink: ByteSink) {
        field.removeAll(keepingCapacity: true)
        switch rng.below(100) {
        case 0..<8:
            break
        case 8..<11:
            field += rng.pick(fields.garbageMobiles)
        default:
            MobileFormat.draw(&rng).append(digits: identity.mobileDigits, to: &field)
        }
        emit(sink)
    }

    private mutating func writeChoice(_ values: [[UInt8]], override: String? = nil, to sink: ByteSink) {
        field.removeAll(keepingCapacity: true)
        let choice = rng.pick(values)
        if let override { field += Array(override.utf8) } else { field += choice }
        emit(sink)
    }

    /// Postcodes keep their leading zero (`0800`), except a few that lost it in a spreadsheet.
    private mutating func writePostcode(_ identity: ContactIdentity, to sink: ByteSink) {
        field.removeAll(keepingCapacity: true)
        switch rng.below(100) {
        case 0..<10: break
        case 10..<12: appendDecimal(identity.postcode, to: &field)
        default: appendDecimal(identity.postcode, width: 4, to: &field)
        }
        emit(sink)
    }

    /// Dates of birth as ISO `1985-03-12` or Australian `12/03/1985`, or blank.
    private mutating func writeBirthDate(_ identity: ContactIdentity, to sink: ByteSink) {
        field.removeAll(keepingCapacity: true)
        switch rng.below(10) {
        case 0..<3:
            break
        case 3..<7:
            appendDecimal(identity.birthYear, to: &field)
            field.append(UInt8(ascii: "-"))
            appendDecimal(identity.birthMonth, width: 2, to: &field)
            field.append(UInt8(ascii: "-"))
            appendDecimal(identity.birthDay, width: 2, to: &field)
        default:
            appendDecimal(identity.birthDay, width: 2, to: &field)
            field.append(UInt8(ascii: "/"))
            appendDecimal(identity.birthMonth, width: 2, to: &field)
            field.append(UInt8(ascii: "/"))
            appendDecimal(identity.birthYear, to: &field)
        }
        emit(sink)
    }

    /// Writes `field` as one CSV field: quoted when it holds a comma, quote or line
    /// break (or when the row quotes everything), with inner quotes doubled.
    private func emit(_ sink: ByteSink, first: Bool = false) {
        if !first { sink.append(UInt8(ascii: ",")) }
        var needsQuotes = quoteAll
        if !needsQuotes {
            for byte in field where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            sink.append(field)
            return
        }
        sink.append(0x22)
        for byte in field {
            if byte == 0x22 { sink.append(0x22) }
            sink.append(byte)
        }
        sink.append(0x22)
    }
}
