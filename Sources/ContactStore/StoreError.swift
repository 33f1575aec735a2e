import Foundation

/// Why the contact store could not do what was asked.
public enum StoreError: Error, Sendable, Equatable {
    /// SQLite reported an error.
    case sqlite(code: Int32, message: String, context: String)
    /// The store folder could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The database was written by a newer version of this program.
    case newerSchema(found: Int, supported: Int)
    /// A stored value could not be read back (the database was edited by hand or damaged).
    case corruptValue(contactId: Int, column: String)
    /// An import is already open on this store; commit or roll it back first.
    case importInProgress
    /// The import session was already committed or rolled back (or settled, for `merge`).
    case importFinished
    /// An export column name that is empty.
    case invalidColumn(String)
    /// The import's scratch file (keys of new contacts kept until the commit) failed.
    case scratchFile(directory: String, reason: String)
}

extension StoreError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .sqlite(code, _, context) where code & 0xFF == 5 || code & 0xFF == 6: // SQLITE_BUSY, SQLITE_LOCKED
            return "The contact store was busy while \(context): another contacts process (an import, a run or an export) kept it locked for longer than this one waits. Nothing of this step was saved; run again once that process has finished."
        case let .sqlite(code, message, context):
            return "The contact store failed while \(context): \(message) (SQLite code \(code)). Nothing of this step was saved; \(Self.advice(code))"
        case let .cannotOpen(path, reason):
            return "The contact store at \(path) cannot be opened: \(reason). Check the --store folder and its permissions."
        case let .newerSchema(found, supported):
            return "The contact store was written by a newer version of contacts (schema \(found), this version knows up to \(supported)). Upgrade contacts before using this store."
        case let .corruptValue(contactId, column):
            return "The contact store holds an unreadable \(column) value for contact #\(contactId). Restore the store from a backup or fix that row."
        case .importInProgress:
            return "Another import is still open on this contact store. Finish it before starting a new one."
        case .importFinished:
            return "This import was already settled, committed or rolled back; start a new import."
        case let .scratchFile(directory, reason):
            return "The import's scratch file in \(directory) failed: \(reason). Nothing of this import was saved; check the free space and permissions of the store folder, then run again."
        case let .invalidColumn(name):
            return "The export column '\(name)' is not valid. Use email, first_name, last_name, mobile, contact_type, created_at, updated_at, lists, hubs, badges or a property key."
        }
    }

    /// What to do about a failed SQLite call, by its primary result code.
    static func advice(_ code: Int32) -> String {
        switch code & 0xFF {
        case 13: // SQLITE_FULL
            return "the disk holding the store is full: free some space, then run again."
        case 8: // SQLITE_READONLY
            return "the store cannot be written: check the permissions of the store folder and its files (and that its disk is not mounted read-only), then run again."
        case 10: // SQLITE_IOERR
            return "reading or writing the store's file failed: check the disk and the store folder, then run again."
        case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
            return "the store's file is damaged or is not a contact store: restore contacts.sqlite from a backup, or point --store at the right folder."
        case 19: // SQLITE_CONSTRAINT
            return "the store refused a change that would break its own rules, which is a bug in contacts: please report it with this message and the file. Running again gives the same result."
        default:
            return "check disk space and permissions, then run again."
        }
    }
}
