import ArgumentParser

/// `contacts-bench`: generates benchmark inputs and times the pipeline. (Skeleton.)
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ContactsBench")
}
