import SysXML2

/// libxml2's SAX2 push parser, fed chunk by chunk, delivering events to a handler.
///
/// Safe settings only: `XML_PARSE_NONET`, no entity substitution, no DTD loading, no
/// HUGE; a part with a DOCTYPE is refused. Errors never reach stderr: libxml2's
/// structured error hook swallows them and `feed` turns the last one into a `TabularError`.
final class XMLPushParser {
    private let handler: XMLHandler
    private var context: xmlParserCtxtPtr?
    private var sax = xmlSAXHandler()
    /// The part's name, for messages.
    let part: String
    /// Where errors are reported; the handler's `locate` refines it (sheet, row, cell).
    let location: TableLocation

    init(handler: XMLHandler, part: String, location: TableLocation) throws(TabularError) {
        self.handler = handler
        self.part = part
        self.location = location
        handler.part = part
        handler.baseLocation = location
        xmlInitParser()
        sax = Self.saxHandler()
        let me = Unmanaged.passUnretained(handler).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, me, nil, 0, nil) else {
            throw .cannotOpen(path: location.path, reason: "libxml2 could not create a parser")
        }
        context = ctxt
        handler.context = ctxt
        xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
    }

    /// The SAX2 callbacks both parsers use: elements, text and CDATA go to the `XMLHandler`
    /// passed as user data; a DOCTYPE fails the parse; errors are kept off stderr.
    static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localName, _, _, _, _, attributeCount, _, attributes in
            guard let ctx, let localName else { return }
            Unmanaged<XMLHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.startElement(localName, XMLAttributes(base: attributes, count: Int(attributeCount)))
            }
        }
        sax.endElementNs = { ctx, localName, _, _ in
            guard let ctx, let localName else { return }
            Unmanaged<XMLHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.endElement(localName) }
        }
        let characters: charactersSAXFunc = { ctx, bytes, count in
            guard let ctx, let bytes else { return }
            Unmanaged<XMLHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.characters(bytes, Int(count)) }
        }
        sax.characters = characters
        sax.ignorableWhitespace = characters
        sax.cdataBlock = characters
        sax.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            let me = Unmanaged<XMLHandler>.fromOpaque(ctx).takeUnretainedValue()
            me.failure = .malformed(me.locate(me.baseLocation), detail: "the part \(me.part) declares a DOCTYPE, which workbooks never do; it was refused for safety")
        }
        sax.serror = { ctx, error in
            guard let ctx, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let me = Unmanaged<XMLHandler>.fromOpaque(ctx).takeUnretainedValue()
            if me.xmlError == nil { me.xmlError = XMLPushParser.describe(error) }
        }
        return sax
    }

    deinit {
        handler.context = nil
        if let context { xmlFreeParserCtxt(context) }
    }

    /// Parses the next chunk of the part (or ends the document when `last`).
    func feed(_ bytes: UnsafeRawBufferPointer, last: Bool = false) throws(TabularError) {
        guard let context else { return }
        var offset = 0
        // xmlParseChunk takes an Int32 size; 1 MiB chunks are the norm.
        repeat {
            let n = min(bytes.count - offset, 1 << 24)
            let pointer = bytes.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) }
            let end = last && offset + n == bytes.count
            let status = xmlParseChunk(context, pointer, Int32(n), end ? 1 : 0)
            if let failure = handler.failure { throw failure }
            if status != 0 || context.pointee.wellFormed == 0 {
                throw .malformed(handler.locate(location), detail: "the part \(part) is not well-formed XML (\(lastError()))")
            }
            offset += n
        } while offset < bytes.count
    }

    /// Ends the document, checking it was complete.
    func finish() throws(TabularError) {
        try feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
    }

    private func lastError() -> String { Self.lastError(context, handler: handler) }

    /// The first error libxml2 reported to `handler` (else the context's last one), for messages.
    static func lastError(_ context: xmlParserCtxtPtr?, handler: XMLHandler) -> String {
        if let first = handler.xmlError { return first }
        guard let context, let error = xmlCtxtGetLastError(context) else { return "unknown error" }
        return describe(error)
    }

    /// `line N: message` of a libxml2 error.
    static func describe(_ error: UnsafePointer<xmlError>) -> String {
        var message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        return "line \(error.pointee.line): \(message)"
    }

    /// Parses a whole small part held in memory.
    static func parse(_ bytes: [UInt8], handler: XMLHandler, part: String, location: TableLocation) throws(TabularError) {
        let parser = try XMLPushParser(handler: handler, part: part, location: location)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        defer { raw.deallocate() }
        if !bytes.isEmpty { raw.copyMemory(from: bytes, byteCount: bytes.count) }
        try parser.feed(UnsafeRawBufferPointer(start: raw, count: bytes.count), last: true)
    }
}
