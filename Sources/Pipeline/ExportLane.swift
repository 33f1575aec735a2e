import Foundation
import ContactStore

/// One producer of an export: formats the rows of its share of a snapshot's chunks (every
/// `lanes`-th chunk from `lane` on) as CSV into its lane of the shared `ExportWriter`, which
/// puts the chunks back in order. An export runs one lane per cursor of its `ExportSnapshot`,
/// each on its own thread, so formatting runs on every core.
///
/// `@unchecked Sendable`: a lane is handed to its thread once and used by that thread alone
/// until it is joined (its cursor's SQLite connection and its buffer are never shared).
final class ExportLane: @unchecked Sendable {
    let out: ExportBuffer
    private let cursor: ExportCursor
    private let chunks: [ClosedRange<Int>]
    private let lane: Int
    private let lanes: Int
    /// Rows written so far.
    private(set) var rows = 0

    init(snapshot: ExportSnapshot, lane: Int, writer: ExportWriter) throws(PipelineError) {
        cursor = snapshot.cursors[lane]
        chunks = snapshot.chunks
        self.lane = lane
        lanes = snapshot.cursors.count
        out = try ExportBuffer(writer: writer, lane: lane)
    }

    /// Writes every row of the lane's chunks, ending each chunk for the writer.
    func write() throws(PipelineError) {
        let width = cursor.columns.count
        var chunk = lane
        while chunk < chunks.count {
            cursor.start(ids: chunks[chunk])
            while try next() {
                if width > 0 { try out.field(cursor.cell(0).map { UnsafeRawBufferPointer($0) }) }
                var column = 1
                while column < width {
                    try out.byte(0x2C)
                    try out.field(cursor.cell(column).map { UnsafeRawBufferPointer($0) })
                    column += 1
                }
                try out.endRecord()
                rows += 1
            }
            chunk += lanes
            try out.endChunk(last: chunk >= chunks.count)
        }
    }

    private func next() throws(PipelineError) -> Bool {
        do { return try cursor.next() } catch { throw .store(error) }
    }
}
