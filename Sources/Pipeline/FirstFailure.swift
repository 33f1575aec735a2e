import Foundation

/// The first of the errors several threads may meet in one job: the cause, not the errors the
/// other threads meet when the job is stopped because of it.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var failure: PipelineError?

    /// Keeps `error` if it is the first; returns whether it was.
    func record(_ error: PipelineError) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return false }
        failure = error
        return true
    }

    var first: PipelineError? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }
}
