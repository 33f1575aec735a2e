/// Guesses a CSV file's delimiter among `,` `;` TAB `|` from the first lines: the one
/// that appears (outside quotes) the same nonzero number of times on most lines wins;
/// ties go to more fields per line, then to the order above. With no candidate, `,`.
enum DelimiterSniffer {
    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    /// Lines looked at.
    static let maxLines = 100

    static func detect(_ text: [UInt8], complete: Bool) -> UInt8 {
        var lines: [[Int]] = []   // per line, count of each candidate
        var counts = [0, 0, 0, 0]
        var inQuotes = false
        var atFieldStart = true
        var lineHasContent = false
        var i = 0
        let n = text.count
        while i < n && lines.count < maxLines {
            let b = text[i]
            i += 1
            if inQuotes {
                if b == 0x22 {
                    if i < n && text[i] == 0x22 { i += 1 } else { inQuotes = false }
                }
                continue
            }
            if b == 0x0A || b == 0x0D {
                if lineHasContent { lines.append(counts) }
                counts = [0, 0, 0, 0]
                lineHasContent = false
                atFieldStart = true
                continue
            }
            lineHasContent = true
            if b == 0x22 && atFieldStart {
                inQuotes = true
                atFieldStart = false
                continue
            }
            if let k = candidates.firstIndex(of: b) {
                counts[k] += 1
                atFieldStart = true
            } else {
                atFieldStart = false
            }
        }
        // The last line counts only if the sample holds the whole file (else it may be cut short),
        // or if it is the only line there is.
        if lineHasContent && !inQuotes && (complete || lines.isEmpty) { lines.append(counts) }
        var best: (score: Int, fields: Int, index: Int)? = nil
        for k in 0..<candidates.count {
            var frequency: [Int: Int] = [:]
            for line in lines { frequency[line[k], default: 0] += 1 }
            // The most common count on a line (ties: the larger count).
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }), mode.key > 0 else { continue }
            let candidate = (score: mode.value, fields: mode.key, index: k)
            if let b = best, (b.score, b.fields) >= (candidate.score, candidate.fields) { continue }
            best = candidate
        }
        return best.map { candidates[$0.index] } ?? 0x2C
    }
}
