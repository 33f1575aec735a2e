import Foundation
import Tabular
import ContactModel
import ContactStore

/// Imports one file into the store: read as a stream, normalise, deduplicate by
/// email and merge, all in one transaction, with reading and normalising on one
/// thread and SQLite's work on another.
public struct Importer: Sendable {
    public let config: PipelineConfig

    public init(config: PipelineConfig) { self.config = config }

    /// Imports `request` into `store`. A file that cannot be read ends as a `.failed`
    /// summary with the reason and nothing imported; only a store failure throws.
    public func run(_ request: ImportRequest, store: ContactStore,
                    progress: (@Sendable (Int) -> Void)? = nil) throws(PipelineError) -> ImportSummary {
        let started = Date()
        var summary = try importFile(request, store: store, progress: progress)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func importFile(_ request: ImportRequest, store: ContactStore,
                            progress: (@Sendable (Int) -> Void)?) throws(PipelineError) -> ImportSummary {
        let started = Date()
        var summary = ImportSummary(file: request.displayName, status: request.dryRun ? .dryRun : .imported)

        // The checksum is read on a helper thread while the header is read and the import
        // begins (loading the store's known rows takes 0.2-0.3 s for a million contacts); a
        // file whose content was imported already is then rolled back before any row is read.
        let path = request.path
        let checksum = ProducerThread<String, PipelineError>(depth: 1, name: "checksum") { (queue) throws(PipelineError) in
            _ = queue.put(try SHA256.hexDigest(ofFile: path))
        }
        defer { checksum.cancelAndWait() }

        // Open, choose the sheet and read the header before touching the store.
        let prepared: PreparedTable
        do {
            prepared = try prepare(request)
        } catch {
            summary.status = .failed
            summary.reason = error.description
            return summary
        }
        summary.sheet = prepared.sheetName

        let trace = ProcessInfo.processInfo.environment["CONTACTS_TRACE"] != nil
        if trace { Self.trace(String(format: "header %.2f s", Date().timeIntervalSince(started))) }
        let beginStart = Date()
        let session: ImportSession
        do { session = try store.beginImport(file: request.displayName, sha256: "", list: request.lists.first) } catch { throw .store(error) }
        if trace { Self.trace(String(format: "beginning the import (known rows) %.2f s", Date().timeIntervalSince(beginStart))) }
        let checksumStart = Date()
        let sha: String
        do throws(PipelineError) {
            guard let digest = try checksum.take() else {
                throw .io(path: path, action: "read", reason: "the checksum was not computed")
            }
            sha = digest
        } catch {
            session.rollback()
            summary.status = .failed
            summary.reason = error.description
            return summary
        }
        do throws(StoreError) {
            if let earlier = try store.importRecord(sha256: sha) {
                session.rollback()
                summary.status = .alreadyImported
                summary.reason = "the same content was already imported as \(earlier.file) on \(earlier.finishedAt ?? earlier.startedAt)"
                return summary
            }
            try session.setChecksum(sha)
        } catch {
            session.rollback()
            throw .store(error)
        }
        if trace { Self.trace(String(format: "waiting for the checksum %.2f s", Date().timeIntervalSince(checksumStart))) }

        var errors: ErrorsFileWriter?
        if let path = request.errorsFile {
            do { errors = try ErrorsFileWriter(path: path, header: prepared.mapping.labels) } catch {
                session.rollback()
                throw .io(path: path, action: "write", reason: error.description)
            }
        }

        let normaliser = RowNormaliser(mapping: prepared.mapping, region: config.region, fileLists: request.lists)
        let known = session.knownRows
        let readerHelpers = prepared.rows.helperThreads
        let source = Handoff(prepared.rows)
        // Rows of contacts last changed by several rows are held back (see `DeferredRows`).
        let held = known?.hasSeveralRows == true ? DeferredRows(directory: store.directory) : nil
        let reader = ProducerThread<RowBatch, PipelineError>(depth: 2, name: "reading", stackSize: 4 << 20) { (queue) throws(PipelineError) in
            try Self.produce(from: source.value, normaliser: normaliser, known: known, held: held, into: queue)
        }
        defer { reader.cancelAndWait() }

        var mergeSeconds = 0.0
        var waitSeconds = 0.0
        var readFailure: TabularError?
        var storeFailure: StoreError?
        var writeFailure: PipelineError?
        var idleWorkSeconds = 0.0
        var waitStart = Date()
        // While no batch is ready, the store does work it would otherwise do at the end, if that
        // uses a core nothing else needs: this thread and the reading thread, plus the reader's
        // own threads (XLSX parses and inflates on two), must leave one. Else that work only
        // competes with reading: on 2 cores the 1M-row XLSX import used 2.4 s more CPU settling
        // early than settling once at the end (median wall 9.97 s against 9.34 s, side by side).
        let spareCore = 2 + readerHelpers <= ProcessInfo.processInfo.activeProcessorCount
        /// The next batch; nil at the end, or once reading or the store failed.
        func next() -> RowBatch? {
            do throws(PipelineError) {
                while storeFailure == nil {
                    switch try reader.poll() {
                    case .chunk(let batch): return batch
                    case .done: return nil
                    case .empty:
                        guard spareCore else { return try reader.take() }
                        let start = trace ? Date() : .distantPast
                        var worked = false
                        do throws(StoreError) {
                            worked = try session.workWhileIdle()
                            if trace { idleWorkSeconds += Date().timeIntervalSince(start) }
                        } catch {
                            storeFailure = error
                            reader.cancelAndWait()
                            return nil
                        }
                        if !worked { return try reader.take() }
                    }
                }
            } catch .table(let error) {
                readFailure = error
            } catch .store(let error) {
                storeFailure = error
            } catch {
                writeFailure = error
            }
            return nil
        }
        while var batch = next() {
            if trace { waitSeconds += Date().timeIntervalSince(waitStart) }
            defer { waitStart = Date() }
            if batch.prepared == nil { batch.prepare() }
            summary.rowsRead += batch.rowsRead
            summary.blank += batch.blank
            summary.knownRows += batch.knownCount
            let mergeStart = trace ? Date() : .distantPast
            defer { if trace { mergeSeconds += Date().timeIntervalSince(mergeStart) } }
            do {
                // The counts come from `settle` below: a batch's own are provisional.
                _ = try session.merge(prepared: batch.prepared!)
            } catch {
                storeFailure = error
                reader.cancelAndWait()
            }
            for (row, issue) in batch.issues {
                if issue.rejected { summary.rejected += 1 } else { summary.warnings += 1 }
                if summary.issues.count < 100 { summary.issues.append(issue) }
                do { try errors?.append(row: row, issue: issue) } catch {
                    writeFailure = .io(path: request.errorsFile ?? "", action: "write", reason: error.description)
                }
            }
            progress?(summary.rowsRead)
            if storeFailure != nil { break }
        }

        if trace {
            Self.trace(String(format: "merging %.2f s, waiting for batches %.2f s (of which settling new contacts early %.2f s)", mergeSeconds, waitSeconds, idleWorkSeconds))
        }
        if let storeFailure {
            session.rollback()
            throw .store(storeFailure)
        }
        if let readFailure {
            session.rollback()
            try? errors?.close()
            if let path = request.errorsFile { try? FileManager.default.removeItem(atPath: path) }
            summary = ImportSummary(file: request.displayName, status: .failed)
            summary.sheet = prepared.sheetName
            summary.reason = readFailure.description + " Nothing from this file was imported."
            return summary
        }
        if let writeFailure {
            session.rollback()
            throw writeFailure
        }
        do { try errors?.close() } catch {
            session.rollback()
            throw .io(path: request.errorsFile ?? "", action: "write", reason: error.description)
        }
        if let errors {
            if errors.count == 0 {
                try? FileManager.default.removeItem(atPath: errors.path)
            } else {
                summary.errorsFile = errors.path
            }
        }
        let settleStart = Date()
        do {
            let final = try session.settle()
            summary.created = final.created
            summary.updated = final.updated
            summary.unchanged = final.unchanged
            summary.duplicates = final.duplicates
        } catch {
            session.rollback()
            throw .store(error)
        }
        if trace {
            Self.trace(String(format: "settle %.2f s", Date().timeIntervalSince(settleStart)))
        }
        if request.dryRun {
            session.rollback()
        } else {
            let commitStart = Date()
            do { try session.commit(rowsRead: summary.rowsRead, rejected: summary.rejected) } catch { throw .store(error) }
            if trace {
                Self.trace(String(format: "commit %.2f s", Date().timeIntervalSince(commitStart)))
            }
        }
        return summary
    }

    /// One line of `CONTACTS_TRACE=1` timings on standard error.
    static func trace(_ text: String) {
        FileHandle.standardError.write(Data("trace: \(text)\n".utf8))
    }

    /// The table, sheet, header mapping and the row stream positioned after the header.
    struct PreparedTable {
        var rows: any RowSource
        var sheetName: String?
        var mapping: HeaderMapping
    }

    func prepare(_ request: ImportRequest) throws(PipelineError) -> PreparedTable {
        do {
            let table = try TableOpener.open(path: request.path)
            let index = try TableOpener.chooseSheet(table, path: request.path, selector: request.sheet ?? config.sheet)
            let info = table.sheets[index]
            let sheetName = table.format == .csv ? nil : info.name
            let rows = try table.rows(sheet: index)
            var header: Row?
            while let row = try rows.next() {
                if !row.cells.allSatisfy(\.isBlank) { header = row; break }
            }
            guard let header else {
                if table.format == .csv {
                    throw PipelineError.usage("\(request.displayName): the file is empty: there is no header row and no contacts. Check that the right file was exported.")
                }
                let withData = try sheetsWithData(table, except: index)
                throw PipelineError.table(.emptySheet(path: request.path, sheet: info.name, sheetsWithData: withData))
            }
            let mapping = try HeaderMapping(header: header.cells.map(\.rendered), overrides: config.headers)
            return PreparedTable(rows: rows, sheetName: sheetName, mapping: mapping)
        } catch let error as TabularError {
            throw .table(error)
        } catch let error as HeaderMapping.Problem {
            throw .header(path: request.path, error)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw .usage(error.localizedDescription)
        }
    }

    /// Names of the worksheets, other than `except`, that hold at least one non-empty cell.
    func sheetsWithData(_ table: any TableSource, except: Int) throws -> [String] {
        var names: [String] = []
        for sheet in table.sheets where sheet.index != except && sheet.kind == .worksheet {
            let rows = try table.rows(sheet: sheet.index)
            while let row = try rows.next() {
                if !row.cells.allSatisfy(\.isBlank) { names.append(sheet.name); break }
            }
        }
        return names
    }

    /// Runs `body`, its table errors as the reading thread's.
    @inline(__always)
    static func table<Result>(_ body: () throws(TabularError) -> Result) throws(PipelineError) -> Result {
        do { return try body() } catch { throw .table(error) }
    }

    /// The reading thread: rows → records in batches, in file order.
    ///
    /// Every row's digest is computed (and kept with the record when the row had no warning);
    /// a row in `known` whose contact no earlier row of this file may have touched is passed on
    /// as that contact's id instead of being normalised. Rows of contacts whose last change
    /// came from several rows are held back in `held` until the file ends (see `DeferredRows`).
    static func produce(from rows: any RowSource, normaliser: RowNormaliser, known: KnownRows?,
                        held: DeferredRows?,
                        into queue: ProducerThread<RowBatch, PipelineError>) throws(PipelineError) {
        var batch = RowBatch()
        batch.records.reserveCapacity(RowBatch.size)
        var warnings: [String] = []
        var seen = SeenEmails()
        /// Hands the batch over when full; false when the store has gone.
        func handOverIfFull() -> Bool {
            guard batch.records.count + batch.knownIds.count >= RowBatch.size else { return true }
            // When the store has rows to skip (a re-import), its thread mostly waits for this
            // one: if it is waiting now, it prepares the batch itself (1M-row re-import, 8
            // alternating runs: median 3.02 -> 2.56 s in a slow spell). Not otherwise: for a new file the store's
            // thread settles early while it waits, and preparing a batch there, away from the
            // core whose cache holds its records, cost 0.5 s more CPU (import 4.55 -> 4.78 s).
            if known == nil || !queue.consumerIsWaiting { batch.prepare() }
            if !queue.put(batch) { return false }
            batch = RowBatch()
            batch.records.reserveCapacity(RowBatch.size)
            return true
        }
        /// Counts a row and hands the batch over when full; false when the store has gone.
        func counted() -> Bool {
            batch.rowsRead += 1
            return handOverIfFull()
        }
        /// A row with this digest that the store has applied already (and no earlier row of
        /// this file named its contact): its contact's id.
        func knownContact(_ digest: RowDigest) -> Int? {
            guard let known, let hit = known.contact(for: digest), !seen.contains(hit.emailKey),
                  held?.holds(emailKey: hit.emailKey) != true else { return nil }
            return hit.id
        }
        /// Normalises a row that is not known; false when it was blank (not counted).
        func normalise(_ row: Row, digest: RowDigest) -> Bool {
            switch normaliser.normalise(row, into: &batch.records, warnings: &warnings) {
            case .blank:
                batch.blank += 1
                return false
            case .accepted:
                if known != nil { seen.insert(KnownRows.emailKey(batch.records[batch.records.count - 1].email)) }
                if warnings.isEmpty { batch.records[batch.records.count - 1].rowDigest = digest }
                for warning in warnings {
                    batch.issues.append((row, ImportSummary.RowIssue(row: row.number, column: nil, reason: warning, rejected: false)))
                }
                warnings.removeAll(keepingCapacity: true)
            case let .rejected(reason, column):
                let label = column.map { c in
                    let l = c < normaliser.mapping.labels.count ? normaliser.mapping.labels[c] : ""
                    return ColumnName.letters(c) + (l.isEmpty ? "" : " (\(l))")
                }
                batch.issues.append((row, ImportSummary.RowIssue(row: row.number, column: label, reason: reason, rejected: true)))
            }
            return true
        }
        /// `normalise`, after the rows held back for the same contact, if any (they come first
        /// in the file, so they must reach the store first).
        func normaliseInOrder(_ row: Row, digest: RowDigest) throws(PipelineError) -> Bool {
            let issues = batch.issues.count
            let records = batch.records.count
            guard normalise(row, digest: digest) else { return false }
            guard let held, batch.records.count > records else { return true }
            let key = KnownRows.emailKey(batch.records[records].email)
            guard held.holds(emailKey: key) else { return true }
            let record = batch.records.removeLast()
            let rowIssues = batch.issues[issues...]
            batch.issues.removeSubrange(issues...)
            do {
                for earlier in try held.takeRows(emailKey: key) { _ = normalise(earlier.row, digest: earlier.digest) }
            } catch {
                throw .store(error)
            }
            batch.records.append(record)
            batch.issues.append(contentsOf: rowIssues)
            return true
        }
        if known != nil, let raw = rows as? any RawRecordSource {
            // Known rows are recognised from their bytes: the cells of a row that is
            // skipped are never built (most rows of a re-import). One record ahead, as
            // below: the next record's known-rows slot is requested before this one is
            // looked up (the 1M-row re-import spent ~0.25 s of this thread waiting for it).
            /// The current record's digest, and its row when the digest needed it.
            func digestOfCurrent() -> (digest: RowDigest, row: Row?) {
                if let fromBytes = normaliser.digest(fieldsOf: raw) { return (fromBytes, nil) }
                let row = raw.currentRow()
                return (normaliser.digest(row), row)
            }
            /// Holds the held record back when its contact's last change came from several
            /// rows and no earlier row of this file normalised that contact; false otherwise.
            func holdBack(_ digest: RowDigest, in held: DeferredRows) throws(PipelineError) -> Bool {
                guard let known else { return false }
                var failure: StoreError?
                let holding = raw.withHeldFields { (fields) -> Bool in
                    guard let key = normaliser.withNormalisedEmail(of: fields, { KnownRows.emailKey(bytes: $0) }),
                          !seen.contains(key), let contact = known.contactOfSeveralRows(emailKey: key) else { return false }
                    let position = raw.heldPosition
                    do throws(StoreError) {
                        try held.hold(fields, number: position.number, line: position.line, digest: digest,
                                      emailKey: key, id: contact.id, stored: contact.digest)
                    } catch {
                        failure = error
                    }
                    return true
                }
                if let failure { throw .store(failure) }
                return holding == true
            }
            var next = try Self.table { () throws(TabularError) in try raw.advance() ? digestOfCurrent() : nil }
            if let next { known?.prefetch(next.digest) }
            while let record = next {
                raw.holdCurrent()
                next = try Self.table { () throws(TabularError) in try raw.advance() ? digestOfCurrent() : nil }
                if let next { known?.prefetch(next.digest) }
                if let id = knownContact(record.digest) {
                    batch.knownIds.append(id)
                } else if let held, record.row == nil, try holdBack(record.digest, in: held) {
                    batch.rowsRead += 1
                    continue
                } else {
                    guard try normaliseInOrder(record.row ?? raw.heldRow(), digest: record.digest) else { continue }
                }
                guard counted() else { return }
            }
            if let held {
                // The contacts whose held rows are exactly their stored rows are unchanged;
                // the others' rows are normalised now.
                let rest = held.finish { id, count in batch.knownIds.append(contentsOf: repeatElement(id, count: count)) }
                for key in rest {
                    let taken: [(row: Row, digest: RowDigest)]
                    do { taken = try held.takeRows(emailKey: key) } catch { throw .store(error) }
                    for earlier in taken { _ = normalise(earlier.row, digest: earlier.digest) }
                    guard handOverIfFull() else { return }
                }
            }
        } else {
            // One row ahead: its digest is computed and its known-rows slot requested while
            // this row is handled, so the lookup (a cache miss in a table of ~25 MB per
            // million contacts) has its memory ready.
            var next = try Self.table { () throws(TabularError) in try rows.next() }
            var nextDigest = next.map { normaliser.digest($0) }
            if let nextDigest { known?.prefetch(nextDigest) }
            while let row = next, let digest = nextDigest {
                next = try Self.table { () throws(TabularError) in try rows.next() }
                nextDigest = next.map { normaliser.digest($0) }
                if let nextDigest { known?.prefetch(nextDigest) }
                if let id = knownContact(digest) {
                    batch.knownIds.append(id)
                } else {
                    guard normalise(row, digest: digest) else { continue }
                }
                guard counted() else { return }
            }
        }
        for warning in rows.warnings {
            batch.issues.append((Row(number: warning.line, cells: []),
                                 ImportSummary.RowIssue(row: warning.line, column: nil, reason: warning.message, rejected: false)))
        }
        batch.prepare()
        _ = queue.put(batch)
    }
}
