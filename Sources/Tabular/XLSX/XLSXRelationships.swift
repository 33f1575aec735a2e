/// The relationships of one OPC part (`_rels/.rels`, `xl/_rels/workbook.xml.rels`):
/// id → type and target part, targets resolved against the source part's folder.
struct XLSXRelationships {
    struct Relationship {
        var id: String
        var type: String
        /// The target's part name in the archive (no leading slash), or the raw target when external.
        var target: String
        var external: Bool

        /// True when the type ends with `/kind` (transitional and strict namespaces differ only before it).
        func isType(_ kind: String) -> Bool { type.hasSuffix("/" + kind) }
    }

    var all: [Relationship] = []

    subscript(id id: String) -> Relationship? { all.first { $0.id == id } }

    func first(ofType kind: String) -> Relationship? { all.first { $0.isType(kind) && !$0.external } }

    /// The relationships part of `source` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`).
    static func partName(for source: String) -> String {
        let (folder, file) = split(source)
        return folder + "_rels/" + file + ".rels"
    }

    /// Reads the relationships of `source` ("" for the package), empty when the part is absent.
    static func read(_ archive: ZIPArchive, source: String, location: TableLocation) throws(TabularError) -> XLSXRelationships {
        let part = source.isEmpty ? "_rels/.rels" : partName(for: source)
        guard let entry = archive.entry(named: part) else { return XLSXRelationships() }
        let bytes = try archive.readWhole(entry, maxBytes: 16 << 20, location: location)
        let root = try XMLElement.parse(bytes, part: part, location: location)
        let folder = split(source).folder
        var result = XLSXRelationships()
        for element in root.children("Relationship") {
            guard let id = element["Id"], let target = element["Target"] else { continue }
            let external = element["TargetMode"] == "External"
            result.all.append(Relationship(id: id, type: element["Type"] ?? "",
                                           target: external ? target : resolve(target, from: folder), external: external))
        }
        return result
    }

    /// Resolves a target against `folder`; `/xl/...` is absolute; `.` and `..` are applied.
    static func resolve(_ target: String, from folder: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : folder + target
        var parts: [Substring] = []
        for piece in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == "." { continue }
            if piece == ".." { _ = parts.popLast(); continue }
            parts.append(piece)
        }
        return parts.joined(separator: "/")
    }

    private static func split(_ path: String) -> (folder: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
