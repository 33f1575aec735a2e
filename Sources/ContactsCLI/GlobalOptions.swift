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
        let minutes = StoreOptions().busyTimeoutSeconds / 60
        return try ContactStore.open(directory: folder, onBusy: {
            Terminal.error("waiting: another contacts process is writing the store in \(folder); this one goes on when it has finished (it gives up after \(minutes) minutes)")
        })
    }

    /// Opens the configured store, which must exist: an export from a mistyped store folder
    /// would otherwise create an empty store and hand the CRM a file of no contacts.
    static func openExistingStore(_ config: PipelineConfig) throws -> ContactStore {
        let database = (config.store as NSString).appendingPathComponent(ContactStore.databaseFileName)
        guard FileManager.default.fileExists(atPath: database) else {
            throw PipelineError.config(path: config.store, problem: "there is no contact store here, so nothing was exported. Check --store or \"store\" in pipeline.json (the first import creates the store).")
        }
        return try openStore(config)
    }

    /// True when `--config` appeared on the command line.
    static func configGiven() -> Bool {
        CommandLine.arguments.contains { $0 == "--config" || $0.hasPrefix("--config=") }
    }
}
