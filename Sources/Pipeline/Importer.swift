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

        // The checksum is read on a helper thread while the header is read, the import begins
        // (loading the store's known rows takes 0.2-0.3 s for a million contacts) and the
        // first rows are merged: a file whose content was imported already is rolled back as
        // soon as the checksum is known (`checkContent`), and nothing is committed before.
        // Waiting for it before reading any row cost 0.16 s of the 1M-row CSV's import.
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
        summary.headerRow = prepared.headerRow
        summary.rowsAboveHeader = prepared.rowsAboveHeader

        let trace = ProcessInfo.processInfo.environment["CONTACTS_TRACE"] != nil
        if trace { Self.trace(String(format: "header %.2f s", Date().timeIntervalSince(started))) }
        let beginStart = Date()
        // The file's rows, estimated from its start once: they decide whether the known rows
        // are loaded, and whether a file whose first rows are known is still mostly new.
        let estimatedRows = RowEstimate.rows(path: request.path, format: prepared.format)
        let session: ImportSession
        do {
            // A reader with threads of its own (XLSX) leaves this thread waiting: the store
            // keeps new contacts' rows so that settling them runs on helper threads too.
            session = try store.beginImport(file: request.displayName, sha256: "", list: request.lists.first,
                                            keepCreationRows: prepared.rows.helperThreads > 0,
                                            knownRows: Self.knownRowsLoading(request, estimatedRows: estimatedRows))
        } catch { throw .store(error) }
        if trace { Self.trace(String(format: "beginning the import (known rows) %.2f s", Date().timeIntervalSince(beginStart))) }
        /// The summary of an import given up: no counts, only why.
        func givenUp(_ status: ImportSummary.Status, _ reason: String) -> ImportSummary {
            var ended = ImportSummary(file: request.displayName, status: status)
            ended.sheet = prepared.sheetName
            ended.reason = reason
            return ended
        }
        /// The checksum, once known and checked to be new.
        var sha: String?
        /// Takes the checksum (waiting for it when `wait`; nil when it is not ready) and checks
        /// that no earlier import had the same content. Returns the summary to give instead
        /// when one had, or when the checksum failed; the import is then rolled back.
        func checkContent(wait: Bool) throws(PipelineError) -> ImportSummary? {
            let digest: String
            do throws(PipelineError) {
                if wait {
                    guard let taken = try checksum.take() else {
                        throw .io(path: path, action: "read", reason: "the checksum was not computed")
                    }
                    digest = taken
                } else {
                    switch try checksum.poll() {
                    case .chunk(let taken): digest = taken
                    case .empty: return nil
                    case .done: throw .io(path: path, action: "read", reason: "the checksum was not computed")
                    }
                }
            } catch {
                session.rollback()
                return givenUp(.failed, error.description)
            }
            do throws(StoreError) {
                if let earlier = try store.importRecord(sha256: digest) {
                    session.rollback()
                    if store.isFromThisDryRun(earlier) {
                        return givenUp(.alreadyImported, "the same content as \(earlier.file), earlier in this dry run")
                    }
                    return givenUp(.alreadyImported,
                                   "the same content was already imported as \(earlier.file) on \(earlier.finishedAt ?? earlier.startedAt)")
                }
                try session.setChecksum(digest)
            } catch {
                session.rollback()
                throw .store(error)
            }
            sha = digest
            return nil
        }

        var errors: ErrorsFileWriter?
        if let path = request.errorsFile {
            do { errors = try ErrorsFileWriter(path: path, header: prepared.mapping.labels) } catch {
                session.rollback()
                throw .io(path: path, action: "write", reason: Self.writeReason(error))
            }
        }
        // The errors file takes its name only once the import is saved (or the dry run is
        // done): an import that fails on the way leaves no errors file for rows never saved,
        // and any earlier one as it was.
        var errorsPublished = false
        defer { if !errorsPublished { errors?.discard() } }

        let normaliser = RowNormaliser(mapping: prepared.mapping, region: config.region, fileLists: request.lists)
        let known = session.knownRows
        let readerHelpers = prepared.rows.helperThreads
        let source = Handoff(prepared.rows)
        // Rows of contacts last changed by several rows are held back (see `DeferredRows`).
        let held = known?.hasSeveralRows == true ? DeferredRows(directory: store.directory) : nil
        // A CSV or XLSX whose rows are mostly known (a re-import) reads on one thread and
        // decides on this one (see `RecordDecider`); anything else reads and normalises on the
        // reading thread. Which, the file's first records tell: they are read here, and those
        // of a file that is mostly new are then normalised by the reading thread before the
        // rest (split, a new 1M-row file into a store of 100k others took 10.4-11.3 s against
        // 7.0-7.5 s).
        var reader: ProducerThread<RowBatch, PipelineError>?
        var recordReader: ProducerThread<RawRecordBatch, PipelineError>?
        var decider: RecordDecider?
        var sampleFailure: TabularError?
        let raw = known == nil ? nil : prepared.rows as? any RawRecordSource
        var first = RawRecordBatch()
        if let raw {
            do throws(TabularError) {
                _ = try Self.readRecords(from: raw, normaliser: normaliser, into: &first)
            } catch {
                sampleFailure = error
            }
        }
        let sample = Handoff(first)
        if sampleFailure != nil {
            // Reported below as the file's failure.
        } else if let known, let raw, !RecordDecider.tooBigToBeMostlyKnown(rows: estimatedRows, knownRows: known.count),
                  RecordDecider.mostlyKnown(first, known: known, normaliser: normaliser) {
            let records = Handoff(raw)
            recordReader = ProducerThread(depth: 3, name: "reading", stackSize: 4 << 20) { (queue) throws(PipelineError) in
                guard queue.put(sample.value) else { return }
                try Self.readRecords(from: records.value, normaliser: normaliser, into: queue)
            }
            decider = RecordDecider(normaliser: normaliser, known: known, held: held)
        } else {
            // Mostly new rows: their emails are checked against the stored ones in memory first.
            session.ruleOutNewEmails()
            reader = ProducerThread(depth: 2, name: "reading", stackSize: 4 << 20) { (queue) throws(PipelineError) in
                try Self.produce(from: source.value, after: sample.value, normaliser: normaliser, known: known, into: queue)
            }
        }
        /// Stops the reading thread (after a failure).
        func stopReading() {
            reader?.cancelAndWait()
            recordReader?.cancelAndWait()
        }
        defer { stopReading() }

        var mergeSeconds = 0.0
        var waitSeconds = 0.0
        var readFailure: TabularError? = sampleFailure
        var storeFailure: StoreError?
        var writeFailure: PipelineError?
        var idleWorkSeconds = 0.0
        var waitStart = Date()
        let readingCPU = trace ? Self.threadCPUSeconds() : 0
        // While no batch is ready, the store does work it would otherwise do at the end, if that
        // uses a core nothing else needs: this thread and the reading thread, plus the reader's
        // own threads (XLSX parses and inflates on two), must leave one. Else that work only
        // competes with reading: on 2 cores the 1M-row XLSX import used 2.4 s more CPU settling
        // early than settling once at the end (median wall 9.97 s against 9.34 s, side by side).
        let spareCore = 2 + readerHelpers <= ProcessInfo.processInfo.activeProcessorCount
        /// The next batch; nil at the end, or once reading or the store failed.
        func next() -> RowBatch? {
            do throws(PipelineError) {
                if let decider, let recordReader {
                    return storeFailure == nil ? try decider.next(from: recordReader) : nil
                }
                guard let reader else { return nil }
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
                stopReading()
            }
            for (row, issue) in batch.issues {
                if issue.rejected { summary.rejected += 1 } else { summary.warnings += 1 }
                if summary.issues.count < ImportSummary.issuesKept { summary.issues.append(issue) }
                do { try errors?.append(row: row, issue: issue) } catch {
                    writeFailure = .io(path: request.errorsFile ?? "", action: "write", reason: Self.writeReason(error))
                }
            }
            progress?(summary.rowsRead)
            if storeFailure != nil { break }
            if sha == nil, let instead = try checkContent(wait: false) {
                stopReading()
                return instead
            }
        }

        if trace {
            Self.trace(String(format: "merging %.2f s, waiting for batches %.2f s (of which settling new contacts early %.2f s); this thread's CPU %.2f s",
                              mergeSeconds, waitSeconds, idleWorkSeconds, Self.threadCPUSeconds() - readingCPU))
            if let blocked = reader?.producerBlockedSeconds ?? recordReader?.producerBlockedSeconds {
                Self.trace(String(format: "the reading thread waited for room in the queue %.2f s", blocked))
            }
        }
        if let storeFailure {
            session.rollback()
            throw .store(storeFailure)
        }
        if let readFailure {
            session.rollback()
            return givenUp(.failed, readFailure.description + " Nothing from this file was imported.")
        }
        if let writeFailure {
            session.rollback()
            throw writeFailure
        }
        if sha == nil {
            let checksumStart = Date()
            if let instead = try checkContent(wait: true) {
                return instead
            }
            if trace { Self.trace(String(format: "waiting for the checksum %.2f s", Date().timeIntervalSince(checksumStart))) }
        }
        do { try errors?.sync() } catch {
            session.rollback()
            throw .io(path: request.errorsFile ?? "", action: "write", reason: Self.writeReason(error))
        }
        let settleStart = Date()
        let settleCPU = trace ? Self.threadCPUSeconds() : 0
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
            Self.trace(String(format: "settle %.2f s (this thread's CPU %.2f s)", Date().timeIntervalSince(settleStart),
                              Self.threadCPUSeconds() - settleCPU))
        }
        if request.dryRun && !store.inDryRun {
            session.rollback()
        } else {
            // Inside a dry run of several files the commit only keeps this file's changes for
            // the next file to see; the dry run undoes them all at its end.
            let commitStart = Date()
            let commitCPU = trace ? Self.threadCPUSeconds() : 0
            do { try session.commit(rowsRead: summary.rowsRead, rejected: summary.rejected) } catch { throw .store(error) }
            if trace {
                Self.trace(String(format: "commit %.2f s (this thread's CPU %.2f s)", Date().timeIntervalSince(commitStart),
                                  Self.threadCPUSeconds() - commitCPU))
            }
        }
        if let errors, errors.count > 0 {
            do { try errors.publish() } catch {
                throw .io(path: errors.partialPath, action: "rename", reason: "\(Self.writeReason(error)) (the import itself was saved; rename this file to \(errors.path) to see its rejected rows)")
            }
            errorsPublished = true
            summary.errorsFile = errors.path
        } else if let errors {
            // No row to report: no errors file, and none left from an earlier import.
            try? FileManager.default.removeItem(atPath: errors.path)
        }
        return summary
    }

    /// Why the errors file could not be written, for a `PipelineError.io` that names the file.
    static func writeReason(_ error: TabularError) -> String {
        guard case let .cannotWrite(_, reason) = error else { return error.description }
        return reason + ". Check that the folder exists and may be written to, and that the disk has room"
    }

    /// One line of `CONTACTS_TRACE=1` timings on standard error.
    static func trace(_ text: String) {
        FileHandle.standardError.write(Data("trace: \(text)\n".utf8))
    }

    /// The CPU time the calling thread has used, for traces: set against a phase's wall time,
    /// it tells work from waiting (for helper threads, or for a core the host's other tenants hold).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Whether the import of `request`, a file of about `estimatedRows` rows (nil: unknown),
    /// loads the store's known rows: as asked, else by the file's rows against the store's
    /// contacts.
    static func knownRowsLoading(_ request: ImportRequest, estimatedRows: Int?) -> KnownRowsLoading {
        if let asked = request.loadKnownRows { return asked ? .always : .never }
        guard let rows = estimatedRows else { return .always }
        return .ifWorthIt(rows: rows)
    }

    /// The table, sheet, header mapping and the row stream positioned after the header.
    struct PreparedTable {
        var rows: any RowSource
        var format: TableFormat
        var sheetName: String?
        var mapping: HeaderMapping
        /// Where the header is, when rows came before it (a title above the table); nil when
        /// it is the first row with anything in it.
        var headerRow: Int?
        /// Rows with something in them above the header (not contacts, so not imported).
        var rowsAboveHeader = 0
    }

    /// How many rows with something in them the header is looked for in: a title and a few
    /// lines of notes above the table are common in exported workbooks.
    static let headerSearchRows = 10

    func prepare(_ request: ImportRequest) throws(PipelineError) -> PreparedTable {
        do {
            let table = try TableOpener.open(path: request.path)
            let index = try TableOpener.chooseSheet(table, path: request.path, selector: request.sheet ?? config.sheet)
            let info = table.sheets[index]
            let sheetName = table.format == .csv ? nil : info.name
            let rows = try table.rows(sheet: index)
            let found = try findHeader(in: rows)
            guard let first = found.first else {
                if table.format == .csv {
                    throw PipelineError.usage("\(request.displayName): the file is empty: there is no header row and no contacts. Check that the right file was exported.")
                }
                let withData = try sheetsWithData(table, except: index)
                throw PipelineError.table(.emptySheet(path: request.path, sheet: info.name, sheetsWithData: withData))
            }
            guard let header = found.header, let mapping = found.mapping else {
                // The first row's columns say what was found; other sheets may have contacts.
                let problem = found.firstProblem ?? .noEmailColumn(found: first.cells.map(\.rendered))
                let others = table.sheets.count > 1 ? try sheetsWithEmailColumn(table, except: index) : []
                guard !others.isEmpty else { throw problem }
                throw PipelineError.emailColumnOnOtherSheets(path: request.path, sheet: info.name, chosen: (request.sheet ?? config.sheet) != nil,
                                                             found: problem.columnsFound, others: others)
            }
            if header.number != first.number { rows.useAsHeader(header) }
            return PreparedTable(rows: rows, format: table.format, sheetName: sheetName, mapping: mapping,
                                 headerRow: header.number == first.number ? nil : header.number,
                                 rowsAboveHeader: found.above)
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

    /// The header among the first rows of `rows` that have something in them: the first
    /// whose columns name an email column. Also the first such row and why it is no header
    /// (what an error names), and how many came before the header.
    func findHeader(in rows: any RowSource) throws
        -> (first: Row?, firstProblem: HeaderMapping.Problem?, header: Row?, mapping: HeaderMapping?, above: Int) {
        var first: Row?
        var firstProblem: HeaderMapping.Problem?
        var looked = 0
        while looked < Self.headerSearchRows, let row = try rows.next() {
            if row.cells.allSatisfy(\.isBlank) { continue }
            do {
                let mapping = try HeaderMapping(header: row.cells.map(\.rendered), overrides: config.headers)
                return (first ?? row, firstProblem, row, mapping, looked)
            } catch {
                if first == nil { (first, firstProblem) = (row, error) }
            }
            looked += 1
        }
        return (first, firstProblem, nil, nil, looked)
    }

    /// Names of the visible worksheets, other than `except`, with an email column in their
    /// first rows: where the contacts of a workbook whose first sheet is a cover page are.
    func sheetsWithEmailColumn(_ table: any TableSource, except: Int) throws -> [String] {
        var names: [String] = []
        for sheet in table.sheets where sheet.index != except && sheet.kind == .worksheet && sheet.visibility == .visible {
            guard let rows = try? table.rows(sheet: sheet.index) else { continue }
            if (try? findHeader(in: rows))?.header != nil { names.append(sheet.name) }
        }
        return names
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
}
