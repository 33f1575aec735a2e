/// Streams `sharedStrings.xml` into the workbook's string table: each `<si>` is one
/// string, its `<t>` text or the `<t>` of its rich-text runs concatenated, phonetic
/// `<rPh>` runs dropped, `_xHHHH_` escapes decoded.
final class XLSXSharedStrings: XMLHandler {
    private(set) var strings: [String] = []
    private let text = ByteBuffer()
    private var inItem = false
    private var collecting = false
    private var phonetic = 0
    private var totalBytes = 0
    private let maxBytes: Int
    private let location: TableLocation

    init(location: TableLocation, maxBytes: Int) {
        self.location = location
        self.maxBytes = maxBytes
        super.init()
    }

    override func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if XMLName.equals(name, "si") {
            inItem = true
            text.reset()
        } else if XMLName.equals(name, "t") {
            collecting = inItem && phonetic == 0
        } else if XMLName.equals(name, "rPh") {
            phonetic += 1
        } else if XMLName.equals(name, "sst"), let count = attributes.value("uniqueCount") {
            // A hint only: capped, so that a lying count cannot reserve much memory.
            if let n = XLSXSheetHandler.parseInt(count), n > 0 { strings.reserveCapacity(min(n, 1 << 20)) }
        }
    }

    override func endElement(_ name: UnsafePointer<UInt8>) {
        if XMLName.equals(name, "t") {
            collecting = false
        } else if XMLName.equals(name, "rPh") {
            phonetic -= 1
        } else if XMLName.equals(name, "si") {
            inItem = false
            totalBytes += text.count + 16
            if totalBytes > maxBytes {
                failure = .limitExceeded(location, detail: "the shared strings take more than \(maxBytes >> 20) MB")
                return
            }
            strings.append(XLSXText.string(text.buffer))
        }
    }

    override func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if collecting { text.append(bytes, count) }
    }

    /// Streams the part out of `archive`.
    static func read(_ archive: ZIPArchive, entry: ZIPEntry, location: TableLocation, maxBytes: Int) throws(TabularError) -> [String] {
        let handler = XLSXSharedStrings(location: location, maxBytes: maxBytes)
        let parser = try XMLPushParser(handler: handler, part: entry.name, location: location)
        let stream = try archive.chunks(entry, location: location)
        while let chunk = try stream.next() {
            try parser.feed(chunk)
        }
        try parser.finish()
        return handler.strings
    }
}
