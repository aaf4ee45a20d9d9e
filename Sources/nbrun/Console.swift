import Diagnostics
import Foundation

/// Where the command writes: results on stdout, diagnostics on stderr,
/// colour only when stderr is a terminal.
package enum Console {
    package static var colored: Bool {
        isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    package static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    package static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Prints diagnostics in file order, compiler style.
    package static func report(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) {
        let printer = DiagnosticPrinter(colored: colored)
        var text = ""
        for diagnostic in diagnostics.sorted(by: { ($0.range.start.file, $0.range.start.offset) < ($1.range.start.file, $1.range.start.offset) }) {
            text += printer.format(diagnostic, source: sources[diagnostic.range.start.file])
        }
        if !text.isEmpty { standardError(text) }
    }

    package static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
    }

    package static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
