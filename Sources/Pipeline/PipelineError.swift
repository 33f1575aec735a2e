import Foundation
import Tabular
import ContactModel
import ContactStore

/// Why a pipeline step failed, in words for the person who has to act on it.
public enum PipelineError: Error, Sendable {
    /// pipeline.json (or a command-line override) is wrong.
    case config(path: String, problem: String)
    /// A file or folder could not be read, written or moved.
    case io(path: String, action: String, reason: String)
    /// An input file could not be read as a table.
    case table(TabularError)
    /// The file's header row cannot be used.
    case header(path: String, HeaderMapping.Problem)
    /// The contact store failed.
    case store(StoreError)
    /// Asked to do something that makes no sense (bad columns, unknown profile).
    case usage(String)
    /// The sheet read has no email column, but other sheets of the workbook have one.
    /// `chosen`: the sheet was named (by --sheet or pipeline.json) rather than the default.
    case emailColumnOnOtherSheets(path: String, sheet: String, chosen: Bool, found: [String], others: [String])
    /// Another `contacts run` (process `pid`, when known) is working on the inbox.
    case inboxBusy(inbox: String, pid: Int32?)
}

extension PipelineError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .config(path, problem):
            return "\(path): \(problem)"
        case let .io(path, action, reason):
            // Foundation's reasons end with a full stop of their own.
            let sentence = reason.hasSuffix(".") ? String(reason.dropLast()) : reason
            return "Could not \(action) \(path): \(sentence)."
        case let .table(error):
            return error.description
        case let .header(path, problem):
            return "\((path as NSString).lastPathComponent): \(problem)"
        case let .store(error):
            return error.description
        case let .usage(message):
            return message
        case let .emailColumnOnOtherSheets(path, sheet, chosen, found, others):
            let names = HeaderMapping.Problem.quoted(found)
            let which = chosen ? "the sheet \"\(sheet)\", as chosen," : "its first sheet, \"\(sheet)\","
            let quoted = others.map { "\"\($0)\"" }
            let those = quoted.count == 1 ? "The sheet \(quoted[0]) has one" : "The sheets \(quoted.joined(separator: ", ")) have one"
            return "\((path as NSString).lastPathComponent): \(which) has no email column (its first row reads: \(names.isEmpty ? "nothing" : names)). "
                + "\(those): move it first in the workbook (or delete the sheets before it) and drop the file again, or name it with --sheet (contacts import) or \"sheet\" in pipeline.json."
        case let .inboxBusy(inbox, pid):
            let who = pid.map { "Another contacts run (process \($0))" } ?? "Another contacts run"
            return "\(who) is working on the inbox \(inbox), so this run did nothing. Its files will be imported by that run; run again once it has finished for anything dropped since."
        }
    }

    /// The process exit code DESIGN.md gives this kind of failure.
    public var exitCode: Int32 {
        switch self {
        case .config, .usage: return 2
        case .table, .header, .emailColumnOnOtherSheets: return 3
        case .io: return 3
        case .store: return 4
        case .inboxBusy: return 5
        }
    }
}
