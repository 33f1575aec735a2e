import ContactModel
import Tabular

/// The rows a re-import's reading thread holds back: those of contacts whose last change came
/// from several rows (`KnownRows.contactOfSeveralRows`), until it knows whether the file has
/// exactly that sequence of rows for the contact.
///
/// - At the end of the file, a contact whose held rows have the stored digest is unchanged:
///   folding the same rows again changes nothing, so its rows are passed on as known, never
///   normalised (`finish`).
/// - Any other row of the file with the contact's email key must first take the held rows
///   back (`takeRows`) and have them normalised before itself, so that every contact's rows
///   still reach the store in file order.
/// - At the end, the held rows of the contacts whose sequence differs are taken back too.
///
/// Held rows wait in a `ScratchFile` in the store folder, so memory stays flat however many
/// wait: each row's number, line, digest, field count, field ends and bytes. Used by one
/// thread at a time (made on one, then used by the reading thread).
public final class DeferredRows: @unchecked Sendable {
    private struct Contact {
        var id: Int
        /// The digest the store keeps for the contact's rows.
        var stored: RowDigest
        /// The digest of the rows held so far.
        var held: RowSequenceDigest
        /// The first and last held rows (indices into `rows`).
        var first: Int
        var last: Int
    }
    /// Contacts with rows held, by email key.
    private var contacts: [UInt32: Contact] = [:]
    /// Every held row: where it starts in `scratch`, and the contact's next held row (-1: none).
    private var rows: [(offset: Int, next: Int)] = []
    private let scratch: ScratchFile
    /// The row being written, then read back (reused).
    private let record = ScratchRecord()
    private var readBuffer: UnsafeMutableRawBufferPointer = .allocate(byteCount: 4096, alignment: 8)

    /// - Parameters:
    ///   - directory: where held rows go once they outgrow memory (the store folder).
    public init(directory: String, spillBytes: Int = 4 << 20) {
        scratch = ScratchFile(directory: directory, spillBytes: spillBytes)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Whether rows are held for this email key (then a row with that key that is not held
    /// must `takeRows` first).
    public func holds(emailKey: UInt32) -> Bool {
        !contacts.isEmpty && contacts[emailKey] != nil
    }

    /// Holds back the row whose fields are `fields` (valid UTF-8), for contact `id` with email
    /// key `emailKey`, whose stored rows have digest `stored`.
    public func hold(_ fields: RecordBytes, number: Int, line: Int, digest: RowDigest,
                     emailKey: UInt32, id: Int, stored: RowDigest) throws(StoreError) {
        let index = rows.count
        rows.append((scratch.count, -1))
        record.removeAll()
        record.append(Int64(number))
        record.append(Int64(line))
        record.append(digest.high)
        record.append(digest.low)
        record.append(UInt32(fields.count))
        for field in 0..<fields.count { record.append(UInt32(fields.ends[field])) }
        let byteCount = fields.count == 0 ? 0 : fields.ends[fields.count - 1]
        record.append(UnsafeRawBufferPointer(start: fields.bytes, count: byteCount))
        try scratch.append(record.bytes)
        if let known = contacts[emailKey] {
            rows[known.last].next = index
            contacts[emailKey]!.last = index
            contacts[emailKey]!.held.append(digest)
        } else {
            contacts[emailKey] = Contact(id: id, stored: stored, held: RowSequenceDigest(digest), first: index, last: index)
        }
    }

    /// Takes back the rows held for `emailKey`, in file order, with their digests.
    public func takeRows(emailKey: UInt32) throws(StoreError) -> [(row: Row, digest: RowDigest)] {
        guard let contact = contacts.removeValue(forKey: emailKey) else { return [] }
        var taken: [(row: Row, digest: RowDigest)] = []
        var index = contact.first
        while index >= 0 {
            taken.append(try read(at: rows[index].offset))
            index = rows[index].next
        }
        return taken
    }

    /// Ends the file: calls `unchanged` with the id and row count of each contact whose held
    /// rows have its stored digest, and returns the email keys of the others, in the order of
    /// their first held row, for `takeRows`.
    public func finish(unchanged: (_ id: Int, _ rows: Int) -> Void) -> [UInt32] {
        var rest: [(key: UInt32, first: Int)] = []
        for (key, contact) in contacts {
            if contact.held.value == contact.stored {
                unchanged(contact.id, contact.held.count)
                contacts[key] = nil
            } else {
                rest.append((key, contact.first))
            }
        }
        return rest.sorted { $0.first < $1.first }.map(\.key)
    }

    /// The held row that starts at `offset` in the scratch file.
    private func read(at offset: Int) throws(StoreError) -> (row: Row, digest: RowDigest) {
        let headerSize = 36
        let fieldCount = Int(try scratch.readInteger(at: offset + 32, as: UInt32.self))
        let endsSize = 4 * fieldCount
        let lastEnd = fieldCount == 0 ? 0 : Int(try scratch.readInteger(at: offset + headerSize + endsSize - 4, as: UInt32.self))
        let size = headerSize + endsSize + lastEnd
        if readBuffer.count < size {
            readBuffer.deallocate()
            readBuffer = .allocate(byteCount: size, alignment: 8)
        }
        let base = readBuffer.baseAddress!
        try scratch.read(at: offset, count: size, into: base)
        let number = Int(Int64(littleEndian: base.loadUnaligned(as: Int64.self)))
        let line = Int(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
        let digest = RowDigest(high: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                               low: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        let ends = (0..<fieldCount).map { field in
            Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: headerSize + 4 * field, as: UInt32.self)))
        }
        let row = ends.withUnsafeBufferPointer { ends in
            Row(number: number, line: line, fields: RecordBytes(
                bytes: (base + headerSize + endsSize).assumingMemoryBound(to: UInt8.self),
                ends: ends.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: fieldCount))
        }
        return (row, digest)
    }
}
