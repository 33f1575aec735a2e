import Foundation

/// Reads BIFF records one after another from a workbook stream through a fixed buffer,
/// refilled from the compound file as records are consumed: records may straddle
/// sectors and buffer ends; each record handed out is whole and contiguous.
final class BIFFRecordReader {
    private let stream: CompoundStream
    private let buffer: UnsafeMutableRawPointer
    private let capacity = 1 << 18
    // The read position is touched for every record; nothing here hands out inout access
    // to it, so the per-access exclusivity checks (a measurable share of an XLS read) are off.
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    /// Stream offset of `buffer[0]`.
    @exclusivity(unchecked) private var bufferOffset = 0
    /// Where errors are reported (file and, once known, sheet).
    var location: TableLocation
    /// Stream offset of the record last returned.
    @exclusivity(unchecked) private(set) var recordOffset = 0

    init(stream: CompoundStream) {
        self.stream = stream
        self.location = TableLocation(path: stream.path)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Size of the underlying stream.
    var streamSize: Int { stream.size }

    /// Continues reading at `offset` in the stream.
    func seek(to offset: Int) {
        stream.seek(to: offset)
        bufferOffset = stream.position
        start = 0
        end = 0
    }

    /// The next record, or nil at the end of the stream. A record that claims more bytes
    /// than the stream holds is an error.
    @inline(__always)
    func next() throws(TabularError) -> BIFFRecord? {
        if end - start < 4 {
            try refill()
            if end - start < 4 { return nil }
        }
        let head = buffer + start
        let type = UInt16(littleEndian: head.loadUnaligned(as: UInt16.self))
        let length = Int(UInt16(littleEndian: head.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        if end - start < 4 + length {
            try refill()
            if end - start < 4 + length {
                throw .corrupt(location, detail: "a record (type 0x\(String(type, radix: 16)), \(length) bytes) at offset \(bufferOffset + start) runs past the end of the workbook stream")
            }
        }
        recordOffset = bufferOffset + start
        let body = UnsafeRawBufferPointer(start: buffer + start + 4, count: length)
        start += 4 + length
        return BIFFRecord(type: type, body: body)
    }

    /// The type of the next record, without consuming it (nil at the end).
    func peekType() throws(TabularError) -> UInt16? {
        if end - start < 4 {
            try refill()
            if end - start < 4 { return nil }
        }
        return UInt16(littleEndian: (buffer + start).loadUnaligned(as: UInt16.self))
    }

    /// Moves the unread bytes to the front and fills the rest of the buffer.
    private func refill() throws(TabularError) {
        let remaining = end - start
        if start > 0 {
            if remaining > 0 { memmove(buffer, buffer + start, remaining) }
            bufferOffset += start
            start = 0
            end = remaining
        }
        while end < capacity {
            let n = try stream.read(into: buffer + end, count: capacity - end)
            if n == 0 { break }
            end += n
        }
    }
}
