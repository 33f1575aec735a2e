/// The fixed value lists for the non-name columns, written as they arrive from
/// real marketing exports: inconsistent case, blanks, and a few values that need
/// CSV quoting (commas, doubled quotes, line breaks). Shared by reference, like `NamePools`.
final class FieldPools: Sendable {
    let contactTypes: [[UInt8]] = utf8Bytes([
        "identified", "Identified", "IDENTIFIED", "identified ", "Authenticated", "authenticated",
        "Anonymous", "anonymous", "", "", "",
    ])

    let colours: [[UInt8]] = utf8Bytes([
        "Red", "red", "Blue", "BLUE", "Green", "green ", "Purple", "Yellow", "Black", "Blue, light",
        "Teal", "Orange", "", "", "",
    ])

    let hubs: [[UInt8]] = utf8Bytes([
        "Sydney", "Melbourne CBD", "Brisbane", "Perth", "Adelaide", "Darwin", "Hobart", "Gold Coast",
        "melbourne cbd", "", "",
    ])

    /// What a repeated contact often upgrades its type to.
    let authenticated: [UInt8] = Array("Authenticated".utf8)

    let optIns: [[UInt8]] = utf8Bytes(["Y", "yes", "Yes", "TRUE", "1", "N", "no", "false", "0", "", ""])

    let sources: [[UInt8]] = utf8Bytes([
        "Website", "website", "Event: Summer Fest 2024", "Facebook Lead Ad", "In-store",
        "Partner, Acme Pty Ltd", "Competition", "Newsletter signup", "",
    ])

    /// Notes: most rows have none; the rest exercise quoting and embedded line breaks.
    let notes: [[UInt8]] = utf8Bytes([
        "Called back, wants a brochure",
        "Said \"no thanks\" to SMS",
        "VIP; met at the \"Winter, Sydney\" launch",
        "Line one\nline two",
        "Prefers email.\r\nDo not call before 10am",
        "Café regular ☕ — loves the crème brûlée",
        "   leading and trailing spaces   ",
        "Multi\n\nparagraph \"note\", with everything",
        "王先生的朋友",
        "=SUM(A1:A2)",
    ])

    /// Postcodes by state range; the NT's start with 08, so leading zeros matter.
    let postcodeBases: [Int] = [800, 810, 870, 2000, 2010, 2150, 2600, 3000, 3121, 4000, 4217, 5000, 6000, 7000]

    /// Unparseable mobile values seen in real files.
    let garbageMobiles: [[UInt8]] = utf8Bytes(["n/a", "12345", "call me", "0412-345", "+1 555 0100", "0000000000", "N/A"])
}

/// The UTF-8 bytes of each string.
private func utf8Bytes(_ values: [String]) -> [[UInt8]] {
    values.map { Array($0.utf8) }
}
