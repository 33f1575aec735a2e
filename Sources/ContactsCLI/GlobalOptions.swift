import ArgumentParser
import Foundation
import Pipeline
import ContactStore

/// Options every command takes: the configuration file and overrides of its folders.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The pipeline configuration file.")
    var config: String = "pipeline.json"

    @Option(name: .long, help: "The contact store folder (overrides the configuration).")
    var store: String?

    @Option(name: .long, help: "The inbox folder (overrides the configuration).")
    var inbox: String?

    @Option(name: .long, help: "The outbox folder (overrides the configuration).")
    var outbox: String?

    /// The configuration with command-line overrides applied.
    func load(configWasGiven: Bool) throws -> PipelineConfig {
        var result = try PipelineConfig.load(path: config, explicit: configWasGiven)
        let cwd = FileManager.default.currentDirectoryPath
        if let store { result.store = PipelineConfig.resolve(store, against: cwd) }
        if let inbox { result.inbox = PipelineConfig.resolve(inbox, against: cwd) }
        if let outbox { result.outbox = PipelineConfig.resolve(outbox, against: cwd) }
        return result
    }

    /// Opens the configured store, saying on standard error when it has to wait for another
    /// contacts process holding it (a big import holds it until it commits).
    static func openStore(_ config: PipelineConfig) throws -> ContactStore {
        let folder = config.store
        return try ContactStore.open(directory: folder, onBusy: {
            Terminal.error("waiting: another contacts process is writing the store in \(folder); this one goes on when it has finished (it gives up after 10 minutes)")
        })
    }

    /// True when `--config` appeared on the command line.
    static func configGiven() -> Bool {
        CommandLine.arguments.contains { $0 == "--config" || $0.hasPrefix("--config=") }
    }
}
