import ContactModel

/// The row each contact an import creates was created with (its type and encoded columns, as
/// `contacts` holds them), by id, in scratch files.
///
/// Settling a new contact's waiting rows merges them into its row. Read back from `contacts`,
/// that row cost the store's thread a SELECT and a decode per contact, at the end of the import
/// when nothing else runs; read from here, the helper threads that fold the waiting rows merge
/// them as well, and the store's thread only writes the result (`PendingChanges`). Writing
/// every new contact's row here costs the store's thread a copy of ~160 bytes a contact, in a
/// sequential file, and the import that much scratch space (~150 MB per million new contacts);
/// reading them back goes through a `Reader`'s windows, as settling asks for them in id order.
/// So an import keeps them only when the store's thread would otherwise wait for the reader
/// (an XLSX file, whose reader has threads of its own), not for a CSV file (see
/// `ContactStore.beginImport`).
final class CreationRows: @unchecked Sendable {
    /// The id of the first contact the import creates (every later id is one of its contacts).
    let firstId: Int
    /// The rows, one record each: length (UInt32), then `ScratchRecord.append(type:columns:bytes:)`.
    private let rows: ScratchFile
    /// Each contact's record offset in `rows` (Int64), by id.
    private let slots: ScratchFile
    private static let slotSize = 8
    /// The record being written (reused).
    private let record = ScratchRecord()

    /// - Parameters:
    ///   - directory: where the scratch files go (the store folder).
    ///   - firstId: the id of the first contact the import creates.
    init(directory: String, firstId: Int, spillBytes: Int = 1 << 20) {
        self.firstId = firstId
        rows = ScratchFile(directory: directory, spillBytes: spillBytes)
        slots = ScratchFile(directory: directory, spillBytes: max(64, spillBytes / 8))
    }

    /// Contacts recorded so far.
    var count: Int { slots.count / Self.slotSize }

    /// Records the row contact `id` (the next id in turn) was created with.
    func append(id: Int, type: ContactType?, columns: ContactRowCodec.Encoded, bytes: FrozenBytes) throws(StoreError) {
        precondition(id == firstId + count, "new contacts are numbered in order")
        try slots.append(Int64(rows.count))
        record.removeAll()
        record.append(UInt32(0))
        record.append(type: type, columns: columns, bytes: bytes)
        record.set(UInt32(record.count - 4), at: 0)
        try rows.append(record.bytes)
    }

    /// Writes what is still in memory out to the files: call before other threads read.
    func flush() throws(StoreError) {
        try rows.flush()
        try slots.flush()
    }

    /// Reads rows back, one thread each (once `flush` ran, if other threads read too).
    func reader() -> Reader {
        Reader(self)
    }

    /// Reads rows for one thread, through a window on each file: asked in id order, most come
    /// from a window already read (one read per ~40 rows or ~2,000 slots instead of two per
    /// row).
    final class Reader {
        private let owner: CreationRows
        private let slotWindow: ScratchWindow
        private let rowWindow: ScratchWindow

        fileprivate init(_ owner: CreationRows) {
            self.owner = owner
            slotWindow = ScratchWindow(file: owner.slots, size: 16 << 10)
            rowWindow = ScratchWindow(file: owner.rows, size: 64 << 10)
        }

        /// Appends the row contact `id` was created with to `arena`; its columns' ranges are
        /// the arena's.
        func read(id: Int, into arena: ByteArena) throws(StoreError) -> (type: ContactType?, columns: ContactRowCodec.Encoded) {
            let slot = try slotWindow.bytes(at: owner.slotOffset(of: id), count: CreationRows.slotSize)
            let offset = Int(Int64(littleEndian: slot.loadUnaligned(as: Int64.self)))
            let length = Int(UInt32(littleEndian: try rowWindow.bytes(at: offset, count: 4).loadUnaligned(as: UInt32.self)))
            let row = try rowWindow.bytes(at: offset + 4, count: length)
            var position = arena.count
            if let base = row.baseAddress, length > 0 {
                arena.reserve(length).update(from: base.assumingMemoryBound(to: UInt8.self), count: length)
                arena.didWrite(length)
            }
            return ContactRowCodec.Encoded.read(at: &position, in: arena)
        }
    }

    private func slotOffset(of id: Int) -> Int {
        precondition(id >= firstId && id < firstId + count, "only contacts this import created")
        return (id - firstId) * Self.slotSize
    }
}
