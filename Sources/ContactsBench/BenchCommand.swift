import ArgumentParser

/// `ContactsBench`: generates benchmark inputs for `make bench` (the timing itself is
/// done by peers/run_bench.py, which runs the release `contacts` binary).
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ContactsBench",
        abstract: "Benchmark tools for contacts.",
        subcommands: [GenerateCommand.self]
    )
}
