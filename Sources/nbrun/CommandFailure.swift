import ArgumentParser

/// Why a command stopped short, and so how the process ends: the one place
/// where the documented exit codes (`nbrun --help`) are decided.
///
/// ```swift
/// throw CommandFailure.environment("\(error)")   // prints `nbrun: error: …`, exit 2
/// ```
package enum CommandFailure: Error, Equatable, CustomStringConvertible {
    /// A note has errors, already printed with their places: exit 1.
    case noteErrors
    /// Usage or environment: a missing file, KaTeX or node not installed, an unwritable folder: exit 2.
    case environment(String)
    /// A problem whose message already names its file (`a.md: no such file`): exit 2.
    case unreadable(String)
    /// Notes that could not be read, each already reported, and no note errors: exit 2.
    case unreadableNotes

    package var exitCode: ExitCode {
        switch self {
        case .noteErrors: ExitCode(1)
        case .environment, .unreadable, .unreadableNotes: ExitCode(2)
        }
    }

    /// What is printed on stderr before the process ends.
    package var description: String {
        switch self {
        case .noteErrors, .unreadableNotes: ""
        case .environment(let message): "nbrun: error: \(message)"
        case .unreadable(let message): message
        }
    }
}
