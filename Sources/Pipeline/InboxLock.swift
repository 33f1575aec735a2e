#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Keeps one `contacts run` at a time on an inbox: a second run (a scheduler firing again
/// while a long import is still going) would otherwise take the first run's claims for ones
/// left by a crash and import them beside it.
///
/// An advisory `flock` on `<inbox>/.run.lock`, held until the lock is released or the process
/// ends, however it ends: a killed run never leaves the inbox locked.
public final class InboxLock {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the inbox's lock, or throws `.inboxBusy` (naming the process that holds it) at once.
    public init(inbox: String) throws(PipelineError) {
        path = (inbox as NSString).appendingPathComponent(".run.lock")
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io(path: path, action: "open the inbox's lock file", reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            let holder = Self.holder(descriptor)
            close(descriptor)
            if busy { throw .inboxBusy(inbox: inbox, pid: holder) }
            throw .io(path: path, action: "lock", reason: reason)
        }
        // Says who holds it, for the message a second run prints.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }

    /// The process id written in the lock file by the run that holds it, if readable.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
