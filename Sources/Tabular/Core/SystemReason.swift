import Foundation

/// Plain words for why a file-system call failed. Foundation's own descriptions on Linux are
/// often "The operation could not be completed. (NSCocoaErrorDomain error 512.)", which tells
/// a marketer nothing; the system's reason under it ("Not a directory", "Permission denied",
/// "No space left on device") does.
public enum SystemReason {
    /// The POSIX reason under `error` when there is one, else its description.
    public static func of(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        // On Linux the underlying error is kept as a Swift `Error`, not an `NSError`.
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error {
            let posix = underlying as NSError
            if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
        }
        return error.localizedDescription
    }
}
