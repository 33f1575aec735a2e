/// Something that hands out an entry's inflated bytes chunk by chunk.
public protocol ZIPChunkSource: AnyObject {
    /// The next chunk (valid until the next call), or nil at the end of the entry.
    func next() throws(TabularError) -> UnsafeRawBufferPointer?
}

extension ZIPEntryStream: ZIPChunkSource {}
