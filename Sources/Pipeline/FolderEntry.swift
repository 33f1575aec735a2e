#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tabular

/// One entry of a folder as the file system holds it: the name's own bytes (a name copied
/// from an old Windows share may not be UTF-8, and Foundation's listing leaves such a file
/// out), and what the entry is, without following a link.
struct FolderEntry: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case file, folder, link, other
    }

    /// The name's bytes.
    var rawName: [UInt8]
    /// The name as text: the bytes when they are UTF-8, else read as Windows-1252.
    var name: String
    /// Whether `rawName` is valid UTF-8 (so `name` names the entry on disk).
    var nameIsUTF8: Bool
    var kind: Kind
    /// When its content last changed (seconds since 1970), as listed.
    var modified: Double

    /// The entries of `folder` in name order, "." and ".." left out; empty when it cannot be read.
    static func list(_ folder: String) -> [FolderEntry] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var result: [FolderEntry] = []
        while let entry = readdir(directory) {
            let rawName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if rawName == [0x2E] || rawName == [0x2E, 0x2E] { continue }
            var info = stat()
            let kind: Kind
            let looked = rawName.withUnsafeBufferPointer { bytes in
                (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
                    fstatat(descriptor, $0.baseAddress!, &info, AT_SYMLINK_NOFOLLOW)
                }
            }
            if looked != 0 {
                kind = .other
            } else {
                switch info.st_mode & S_IFMT {
                case S_IFREG: kind = .file
                case S_IFDIR: kind = .folder
                case S_IFLNK: kind = .link
                default: kind = .other
                }
            }
            let text = String(validating: rawName, as: UTF8.self)
            let name = text ?? rawName.withUnsafeBufferPointer { Windows1252.decode($0) }
            let modified = looked == 0 ? Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9 : 0
            result.append(FolderEntry(rawName: rawName, name: name, nameIsUTF8: text != nil, kind: kind, modified: modified))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The entry's path inside `folder`, as the bytes the file system wants (NUL-terminated).
    func rawPath(in folder: String) -> [CChar] {
        let bytes = Array(folder.utf8) + (folder.hasSuffix("/") ? [] : [0x2F]) + rawName
        return bytes.map { CChar(bitPattern: $0) } + [0]
    }
}
