/// The rows of one worksheet, streamed: inflate a chunk of the sheet's XML, let
/// libxml2 parse it into the handler, hand out the rows it completed, repeat.
final class XLSXSheetRows: RowSource {
    private let stream: any ZIPChunkSource
    private let handler: XLSXSheetHandler
    private let parser: XMLPushParser
    @exclusivity(unchecked) private var head = 0
    @exclusivity(unchecked) private var done = false
    @exclusivity(unchecked) private var failed: TabularError?

    init(stream: any ZIPChunkSource, handler: XLSXSheetHandler, parser: XMLPushParser) {
        self.stream = stream
        self.handler = handler
        self.parser = parser
    }

    /// The next row; an error comes after the rows completed before it.
    func next() throws(TabularError) -> Row? {
        while true {
            if head < handler.rows.count {
                head += 1
                return handler.rows[head - 1]
            }
            if let failed { throw failed }
            if done { return nil }
            handler.rows.removeAll(keepingCapacity: true)
            head = 0
            do {
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

/// The rows of a sheet that holds no cells (a chart sheet).
final class NoRows: RowSource {
    func next() throws(TabularError) -> Row? { nil }
}
