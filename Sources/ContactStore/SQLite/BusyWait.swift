#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SysSQLite3

/// How a connection waits while another process holds the store: SQLite's busy handler,
/// sleeping a little longer each time up to a bound, telling the caller once that it waits
/// (a second import started while a big one runs would otherwise sit silent).
final class BusyWait {
    /// Seconds to wait in all before the step fails with `SQLITE_BUSY`.
    let timeout: Double
    /// Called the first time a wait starts (then again only after a wait has ended).
    let onWait: (@Sendable () -> Void)?
    private var started: Double?

    init(timeout: Double, onWait: (@Sendable () -> Void)?) {
        self.timeout = timeout
        self.onWait = onWait
    }

    /// Installs this wait on `handle`; the connection keeps `self` alive as long as `handle`.
    func install(on handle: OpaquePointer) {
        sqlite3_busy_handler(handle, { context, attempts in
            guard let context else { return 0 }
            let wait = Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue()
            return wait.shouldRetry(attempts: Int(attempts)) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Whether to try again (after sleeping), on the `attempts`-th retry of one step.
    func shouldRetry(attempts: Int) -> Bool {
        let now = Self.monotonicSeconds()
        if attempts == 0 || started == nil {
            started = now
            onWait?()
        }
        guard let started, now - started < timeout else {
            self.started = nil
            return false
        }
        // 1, 2, 4 … ms, then every 100 ms: quick for a short commit, cheap for a long import.
        let milliseconds = min(100, 1 << min(attempts, 7))
        usleep(UInt32(milliseconds * 1000))
        return true
    }

    /// Seconds on a clock that does not jump.
    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
