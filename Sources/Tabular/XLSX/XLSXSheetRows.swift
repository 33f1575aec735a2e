/// The rows of one worksheet, streamed on the caller's thread: inflate a chunk of the sheet's
/// XML, let libxml2 parse it into the handler, hand out the records it completed, repeat.
enum XLSXSheetRows {
    /// The sheet's rows, parsed as they are read.
    static func rows(stream: any ZIPChunkSource, handler: XLSXSheetHandler, parser: XMLPushParser) -> SheetRecordRows {
        var done = false
        var failed: TabularError?
        return SheetRecordRows { () throws(TabularError) -> SheetRecords? in
            while true {
                if handler.records.count > 0 { return handler.takeRecords() }
                if let failed { throw failed }
                if done { return nil }
                do throws(TabularError) {
                    if let chunk = try stream.next() {
                        try parser.feed(chunk)
                    } else {
                        try parser.finish()
                        done = true
                    }
                } catch {
                    failed = error
                }
            }
        }
    }
}

/// The rows of a sheet that holds no cells (a chart sheet).
final class NoRows: RowSource {
    func next() throws(TabularError) -> Row? { nil }
}
