import Foundation

/// The pipeline's settings, read from pipeline.json. (Skeleton.)
public struct PipelineConfig: Sendable, Codable, Equatable {
    public var inbox: String
    public var store: String
    public var outbox: String

    public init(inbox: String = "var/inbox", store: String = "var/store", outbox: String = "var/outbox") {
        self.inbox = inbox
        self.store = store
        self.outbox = outbox
    }
}
