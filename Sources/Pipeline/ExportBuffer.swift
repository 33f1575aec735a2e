import Foundation

/// The export's byte-level CSV output: RFC 4180 quoting, formula neutralising. Full 1 MiB
/// buffers go to an `ExportWriter`, which hashes (SHA-256) and writes them on its own thread.
final class ExportBuffer {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let capacity = ExportWriter.bufferSize
    private let writer: ExportWriter
    /// The writer's lane this buffer fills (see `ExportWriter`).
    private let lane: Int

    /// Output through `lane` of a shared `writer`, for one of several producers.
    init(writer: ExportWriter, lane: Int) throws(PipelineError) {
        self.writer = writer
        self.lane = lane
        buffer = try writer.takeBuffer(lane: lane)
    }

    @inline(__always)
    func byte(_ b: UInt8) throws(PipelineError) {
        if count >= capacity { try flush() }
        buffer[count] = b
        count += 1
    }

    /// Appends one field, quoting and neutralising as needed.
    @inline(__always)
    func field(_ bytes: UnsafeRawBufferPointer?) throws(PipelineError) {
        guard let bytes, bytes.count > 0 else { return }
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let first = base[0]
        let n = bytes.count
        if !FormulaGuard.mayNeedGuard(first) && count + n <= capacity {
            // The common case: copy 8 bytes at a time while checking them for bytes that need
            // quoting; on finding one, drop the copy (count is unchanged) and take the slow path.
            let source = UnsafeRawPointer(base)
            let target = UnsafeMutableRawPointer(buffer + count)
            var i = 0
            while i + 8 <= n {
                let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if Self.hasQuoteByte(word) { return try special(bytes) }
                target.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < n {
                let b = base[i]
                if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return try special(bytes) }
                target.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
                i += 1
            }
            count += n
            return
        }
        if !FormulaGuard.mayNeedGuard(first) && !Self.needsQuote(base, n) {
            try append(bytes)
            return
        }
        try special(bytes)
    }

    /// A field that is quoted or guarded (or both).
    private func special(_ bytes: UnsafeRawBufferPointer) throws(PipelineError) {
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if (base[0] == 0x2B || base[0] == 0x2D) && Self.isPlainNumber(base, bytes.count) {
            // A signed number or phone number: neither guarded nor quoted (only digits, . e E + -).
            return try append(bytes)
        }
        let needsQuote = Self.needsQuote(base, bytes.count)
        let guardPrefix = FormulaGuard.mayNeedGuard(base[0])
        if needsQuote { try byte(0x22) }
        if guardPrefix { try byte(0x27) }
        if needsQuote {
            for b in bytes {
                try byte(b)
                if b == 0x22 { try byte(0x22) }
            }
            try byte(0x22)
        } else {
            try append(bytes)
        }
    }

    /// True when the bytes hold `,` `"` LF or CR (RFC 4180 quoting), scanning 8 bytes at a time.
    @inline(__always)
    static func needsQuote(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasQuoteByte(w) { return true }
            i += 8
        }
        while i < count {
            let b = base[i]
            if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
            i += 1
        }
        return false
    }

    /// `FormulaGuard.isPlainNumber` on raw bytes (the mobile column takes this path on every row).
    static func isPlainNumber(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count > 0, base[0] == 0x2B || base[0] == 0x2D else { return false }
        var digits = 0
        var dot = false
        var exp = false
        var expDigits = 0
        var afterExp = false
        var i = 1
        while i < count {
            let b = base[i]
            i += 1
            if b &- 0x30 < 10 {
                if exp { expDigits += 1 } else { digits += 1 }
                afterExp = false
            } else if b == 0x2E {
                if dot || exp { return false }
                dot = true
            } else if b == 0x65 || b == 0x45 {
                if exp || digits == 0 { return false }
                exp = true
                afterExp = true
            } else if b == 0x2B || b == 0x2D {
                if !afterExp { return false }
                afterExp = false
            } else {
                return false
            }
        }
        return digits > 0 && (!exp || expDigits > 0)
    }

    /// True when any of the 8 bytes of `word` is `,` `"` LF or CR (exact: no false positives).
    @inline(__always)
    static func hasQuoteByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return zeroByte(word ^ (ones &* 0x2C)) | zeroByte(word ^ (ones &* 0x22))
            | zeroByte(word ^ (ones &* 0x0A)) | zeroByte(word ^ (ones &* 0x0D)) != 0
    }

    func field(_ text: String) throws(PipelineError) {
        let bytes = Array(text.utf8)
        var failure: PipelineError?
        bytes.withUnsafeBytes { raw in
            do { try field(Optional(raw)) } catch { failure = (error as? PipelineError) ?? .usage("\(error)") }
        }
        if let failure { throw failure }
    }

    /// Appends raw bytes, spilling across buffers when they do not fit.
    func append(_ bytes: UnsafeRawBufferPointer) throws(PipelineError) {
        guard var source = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = bytes.count
        while remaining > 0 {
            if count >= capacity { try flush() }
            let take = min(remaining, capacity - count)
            (buffer + count).update(from: source, count: take)
            count += take
            source += take
            remaining -= take
        }
    }

    @inline(__always)
    func endRecord() throws(PipelineError) {
        if count + 2 > capacity { try flush() }
        buffer[count] = 0x0D
        buffer[count + 1] = 0x0A
        count += 2
    }

    /// Hands the filled buffer to the writer thread and takes an empty one.
    func flush() throws(PipelineError) {
        guard count > 0 else { return }
        try writer.submit(buffer, count: count, lane: lane)
        count = 0
        buffer = try writer.takeBuffer(lane: lane)
    }

    /// Ends this lane's current chunk: what is buffered is written before the next lane's turn.
    /// `last`: no chunk follows on this lane (no buffer is taken for one).
    func endChunk(last: Bool = false) throws(PipelineError) {
        try writer.submit(buffer, count: count, lane: lane, endsChunk: true)
        count = 0
        if !last { buffer = try writer.takeBuffer(lane: lane) }
    }
}
