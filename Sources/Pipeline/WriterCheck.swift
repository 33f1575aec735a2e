#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether another program still has a file open for writing: a copy that keeps the source's
/// old modification time (an SMB copy from Windows can set it before the data arrives) would
/// otherwise pass the inbox's age check and be claimed, and imported, half-written.
///
/// On Linux, by asking for a read lease, which the kernel grants only when no one has the
/// file open for writing. The lease is released at once; while it is held, a writer opening
/// the file would signal us, so the break signal is set to SIGURG, which is ignored by default.
enum WriterCheck {
    #if os(Linux)
    private static let setLease: Int32 = 1024 // F_SETLEASE
    private static let setSignal: Int32 = 10  // F_SETSIG
    #endif

    /// true when another program has the file open for writing, false when no one has, nil
    /// when it cannot be told (not Linux, a file system without leases, a file of another
    /// owner): the caller then goes by the modification time alone.
    static func isOpenForWriting(_ path: [CChar]) -> Bool? {
        #if os(Linux)
        let descriptor = path.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard fcntl(descriptor, setSignal, SIGURG) == 0 else { return nil }
        if fcntl(descriptor, setLease, Int32(F_RDLCK)) == 0 {
            _ = fcntl(descriptor, setLease, Int32(F_UNLCK))
            return false
        }
        return errno == EAGAIN ? true : nil
        #else
        return nil
        #endif
    }
}
