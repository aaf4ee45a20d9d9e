import Diagnostics
import Foundation
import Verify

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
        milliseconds(ContinuousClock.now - start)
    }

    /// `67.5 ms` → "68 ms", `4.2 ms` → "4.2 ms" (never `0.067535509 seconds`).
    package static func milliseconds(_ elapsed: Duration) -> String {
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
    }

    /// `3 verified, 1 failed, 0 unchecked`: what `check` and `nbrun FILE` both say of the steps.
    static func stepCounts(_ reports: [Report]) -> String {
        let verified = reports.reduce(0) { $0 + $1.count(.verified) }
        let failed = reports.reduce(0) { $0 + $1.count(.failed) }
        let unchecked = reports.reduce(0) { $0 + $1.count(.unchecked) }
        return "\(verified) verified, \(failed) failed, \(unchecked) unchecked"
    }

    package static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
