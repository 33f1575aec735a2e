import Foundation

/// File names the pipeline makes from a dropped file's name (`NAME.errors.csv`,
/// `NAME.report.json`, `NAME (2).csv`), kept within what file systems allow.
public enum FileName {
    /// Bytes a name may have on the file systems we run on (NAME_MAX).
    public static let maximumBytes = 255

    /// `name`, with its stem shortened (its extension kept) so that `extra` more bytes still
    /// fit in a file name: a dropped file named to the limit must still get its errors file
    /// and report beside it, or every run would fail on it again.
    public static func fitted(_ name: String, leaving extra: Int) -> String {
        let budget = maximumBytes - extra
        guard name.utf8.count > budget else { return name }
        let dot = name.lastIndex(of: ".")
        let stem = dot.map { String(name[..<$0]) } ?? name
        let ext = dot.map { String(name[$0...]) } ?? ""
        // An extension that does not fit either is dropped with the rest.
        let keptExt = ext.utf8.count + 1 <= budget / 2 ? ext : ""
        var shortened = ""
        let room = budget - keptExt.utf8.count - 1 // one byte for the "~" that marks the cut
        for character in stem {
            if shortened.utf8.count + character.utf8.count > room { break }
            shortened.append(character)
        }
        return shortened + "~" + keptExt
    }

    /// Where `contacts import` writes the errors file of the file named `name`, in `folder`:
    /// `NAME.errors.csv`, the name fitted so that its temporary name fits as well.
    public static func errorsFile(for name: String, in folder: String) -> String {
        let suffix = ".errors.csv"
        let fittedName = fitted(name, leaving: suffix.utf8.count + ErrorsFileWriter.partialNameExtra)
        return (folder as NSString).appendingPathComponent(fittedName + suffix)
    }

    /// Room left for the suffixes the archive adds: the longest (".report.json"), and a
    /// " (N)" of `Inbox.freeName` up to 99,999.
    static let archiveSuffixes = ".report.json".utf8.count + " (99999)".utf8.count
}
