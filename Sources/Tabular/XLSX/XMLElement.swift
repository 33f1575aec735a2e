/// A small XML part as a tree of local names (namespaces dropped), for the parts read
/// whole: relationships, workbook.xml, styles.xml. Sheets and shared strings stream.
final class XMLElement {
    let name: String
    let attributes: [String: String]
    var children: [XMLElement] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// Direct children called `name`.
    func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The first direct child called `name`.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Parses `bytes` into a tree and returns its root element.
    static func parse(_ bytes: [UInt8], part: String, location: TableLocation) throws(TabularError) -> XMLElement {
        let builder = XMLTreeBuilder()
        try XMLPushParser.parse(bytes, handler: builder, part: part, location: location)
        guard let root = builder.root else {
            throw .malformed(location, detail: "the part \(part) holds no XML element")
        }
        return root
    }
}

/// Builds an `XMLElement` tree from SAX events.
final class XMLTreeBuilder: XMLHandler {
    var root: XMLElement?
    private var stack: [XMLElement] = []

    override func startElement(_ localName: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        var dict: [String: String] = [:]
        if let base = attributes.base {
            for i in 0..<attributes.count {
                guard let local = base[i * 5], let start = base[i * 5 + 3], let end = base[i * 5 + 4] else { continue }
                dict[String(cString: local)] = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            }
        }
        let element = XMLElement(name: String(cString: localName), attributes: dict)
        if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
        stack.append(element)
    }

    override func endElement(_ localName: UnsafePointer<UInt8>) {
        _ = stack.popLast()
    }

    override func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        guard let top = stack.last else { return }
        top.text += String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
