import ArgumentParser
import Foundation

/// `ContactsBench generate --rows N --seed S --out FILE`: writes a deterministic, messy
/// marketing-contact CSV (same rows and seed, same bytes) and prints one summary line.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic messy contact CSV for benchmarks."
    )

    @Option(help: "Number of data rows (the header is extra).")
    var rows: Int

    @Option(help: "Seed of the pseudo-random stream; the same seed gives the same file.")
    var seed: UInt64 = 42

    @Option(help: "The CSV file to write (replaced if it exists).")
    var out: String

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more.") }
    }

    func run() throws {
        let started = Date()
        let sink = try ByteSink(path: out)
        var writer = ContactRowWriter(seed: seed)
        try writer.writeHeader(to: sink)
        for _ in 0..<rows {
            try writer.writeRow(to: sink)
        }
        try writer.finish(to: sink)
        let seconds = Date().timeIntervalSince(started)
        let stats = writer.stats
        print(
            "generated rows=\(stats.rows) bytes=\(sink.byteCount) seconds=\(String(format: "%.3f", seconds))"
                + " fresh=\(stats.fresh) duplicates=\(stats.duplicates) invalid=\(stats.invalid) empty=\(stats.empty)"
        )
    }
}
