/// A window on a `ScratchFile` for one thread's reads that mostly move forward: bytes asked for
/// come from the window when it holds them, else the window is read again from their offset
/// (one `pread` for many nearby small reads).
final class ScratchWindow {
    private let file: ScratchFile
    private let size: Int
    private var storage: UnsafeMutableRawBufferPointer
    /// The file offset of the window's first byte, and how many bytes it holds.
    private var start = 0
    private var count = 0

    /// - Parameters:
    ///   - file: the file read (only appended to meanwhile: bytes once written never change).
    ///   - size: bytes read at once (more when one read asks for more).
    init(file: ScratchFile, size: Int) {
        self.file = file
        self.size = max(64, size)
        storage = .allocate(byteCount: self.size, alignment: 8)
    }

    deinit {
        storage.deallocate()
    }

    /// The `count` bytes at `offset` (valid until the next call).
    func bytes(at offset: Int, count wanted: Int) throws(StoreError) -> UnsafeRawBufferPointer {
        if offset < start || offset + wanted > start + count {
            let capacity = max(size, wanted)
            if storage.count < capacity {
                storage.deallocate()
                storage = .allocate(byteCount: capacity, alignment: 8)
            }
            let available = min(capacity, file.count - offset)
            precondition(available >= wanted, "scratch reads stay within what was written")
            try file.read(at: offset, count: available, into: storage.baseAddress!)
            start = offset
            count = available
        }
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[(offset - start)..<(offset - start + wanted)])
    }
}
