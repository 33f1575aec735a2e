#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// About how many rows a file holds, before reading it: enough to tell a small file from one
/// the size of the store (see `KnownRowsLoading`), not a count.
enum RowEstimate {
    /// Bytes of a CSV's start whose line breaks are counted.
    static let sampleBytes = 256 << 10
    /// Zipped bytes per row of a workbook: the bench's contact rows take ~83 in XLSX; an XLS,
    /// not compressed, takes more, so this overstates its rows (which errs towards loading).
    static let workbookBytesPerRow = 80

    /// The rows of the file at `path`, read as `format`; nil when it cannot be looked at.
    static func rows(path: String, format: TableFormat) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = Int(info.st_size)
        guard format == .csv else { return (size + workbookBytesPerRow - 1) / workbookBytesPerRow }
        // The line breaks of the file's start give its bytes per line (a UTF-16 file has
        // twice the bytes and one 0x0A per line too, so it comes out the same).
        var sample = [UInt8](repeating: 0, count: min(size, sampleBytes))
        let read = sample.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard read > 0 else { return 0 }
        var lineFeeds = 0
        var carriageReturns = 0
        for byte in sample[..<read] {
            if byte == 0x0A { lineFeeds += 1 } else if byte == 0x0D { carriageReturns += 1 }
        }
        // Old Mac files end lines with CR alone.
        let lines = max(1, lineFeeds > 0 ? lineFeeds : carriageReturns)
        if read >= size { return lines }
        return Int((Double(size) * Double(lines) / Double(read)).rounded(.up))
    }
}
