import Foundation

/// Dates printed in UTC with a fixed pattern, independent of the machine's locale and zone
/// (archive folder names, export file names).
enum UTCTime {
    static func string(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}
