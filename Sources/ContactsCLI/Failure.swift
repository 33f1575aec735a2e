import ArgumentParser
import Foundation
import Pipeline
import ContactStore
import Tabular

/// Prints a failure for the person at the terminal and turns it into DESIGN.md's exit code.
func fail(_ error: Error) -> ExitCode {
    let code: Int32
    let message: String
    switch error {
    case let e as PipelineError:
        code = e.exitCode
        message = e.description
    case let e as StoreError:
        code = 4
        message = e.description
    case let e as TabularError:
        code = 3
        message = e.description
    default:
        code = 2
        message = error.localizedDescription
    }
    Terminal.error("error: " + message)
    return ExitCode(code)
}

/// Writing to the terminal's standard streams.
enum Terminal {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var isInteractive: Bool { isatty(2) == 1 }

    static func json(_ object: Any) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}

/// A progress line on standard error, only on a terminal and only for work of more than a couple of seconds.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let enabled = Terminal.isInteractive

    func update(_ file: String, _ rows: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(started) > 2, now.timeIntervalSince(lastDraw) > 0.25 else { return }
        lastDraw = now
        drawn = true
        let rate = Double(rows) / now.timeIntervalSince(started)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(file): \(rows) rows (\(Int(rate)) rows/s)…".utf8))
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

/// Output format for reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
