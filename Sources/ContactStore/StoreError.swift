import Foundation

/// Why the contact store could not do what was asked.
public enum StoreError: Error, Sendable, Equatable {
    /// SQLite reported an error.
    case sqlite(code: Int32, message: String, context: String)
    /// The store folder could not be created or opened.
    case cannotOpen(path: String, reason: String)
}

extension StoreError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .sqlite(code, message, context):
            return "The contact store failed while \(context): \(message) (SQLite code \(code)). Nothing of this step was saved; check disk space and permissions, then run again."
        case let .cannotOpen(path, reason):
            return "The contact store at \(path) cannot be opened: \(reason). Check the --store folder and its permissions."
        }
    }
}
