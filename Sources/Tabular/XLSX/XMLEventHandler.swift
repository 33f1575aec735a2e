import SysXML2

/// Receives the SAX events of one XML part; the part parsers subclass it.
///
/// Per-event work must stay tiny: names and attributes arrive as libxml2's byte
/// pointers, valid only during the call. A subclass that must stop the parse sets
/// `failure`, which stops libxml2 at once; the parser then throws it.
class XMLHandler {
    /// Why the parse must stop; setting it stops the parser.
    var failure: TabularError? {
        didSet { if failure != nil, let context { xmlStopParser(context) } }
    }
    /// The libxml2 context parsing for this handler (set by `XMLPushParser`).
    var context: xmlParserCtxtPtr?
    /// The part's name, for messages.
    var part = ""
    /// libxml2's first error message (with its line), kept because later ones are often
    /// only consequences of it ("premature end of data").
    var xmlError: String?
    /// Where errors are reported before `locate` refines it.
    var baseLocation = TableLocation(path: "")

    func startElement(_ localName: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {}
    func endElement(_ localName: UnsafePointer<UInt8>) {}
    func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {}
    /// Refines `base` with where the parse is now (row, cell), for error messages.
    func locate(_ base: TableLocation) -> TableLocation { base }
}

/// The attributes of a start tag, as libxml2's SAX2 hands them over: five pointers per
/// attribute (local name, prefix, URI, value start, value end).
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute whose local name is `name` (namespace ignored).
    @inline(__always)
    func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        let wanted = name.utf8Start
        let length = name.utf8CodeUnitCount
        for i in 0..<count {
            guard let local = base[i * 5] else { continue }
            if XMLName.equals(local, wanted, length), let start = base[i * 5 + 3], let end = base[i * 5 + 4] {
                return UnsafeBufferPointer(start: start, count: end - start)
            }
        }
        return nil
    }

    /// The value as a String.
    func string(_ name: StaticString) -> String? {
        value(name).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Byte comparisons of NUL-terminated libxml2 names.
enum XMLName {
    @inline(__always)
    static func equals(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for i in 0..<length where a[i] != b[i] { return false }
        return a[length] == 0
    }

    @inline(__always)
    static func equals(_ a: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
        equals(a, name.utf8Start, name.utf8CodeUnitCount)
    }

    /// The name as a String (for messages).
    static func string(_ a: UnsafePointer<UInt8>) -> String { String(cString: a) }
}
