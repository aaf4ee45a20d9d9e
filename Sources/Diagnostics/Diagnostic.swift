/// A problem found in a source file, reported the way compilers do:
/// `notes/a.md:42:7: error: step does not hold`.
///
/// Every stage returns diagnostics as values; only the command line prints them.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs.rank < rhs.rank
        }

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
    }

    public var severity: Severity
    public var message: String
    public var range: SourceRange
    /// Further lines printed under the source excerpt (values, hints).
    public var notes: [String]
    /// The message's stable code (`notebook.unterminated-math`); nil for a message
    /// not yet in its module's catalogue.
    public var id: MessageID?

    public init(_ severity: Severity, _ message: String, at range: SourceRange, notes: [String] = [], id: MessageID? = nil) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.id = id
    }

    public init(_ severity: Severity, _ message: Message, at range: SourceRange, notes: [String] = []) {
        self.init(severity, message.text, at: range, notes: notes, id: message.id)
    }

    public static func error(_ message: Message, at range: SourceRange, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, notes: notes)
    }

    public static func warning(_ message: Message, at range: SourceRange, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: range, notes: notes)
    }

    public static func error(_ message: String, at range: SourceRange, notes: [String] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, notes: notes)
    }

    public static func warning(_ message: String, at range: SourceRange, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: range, notes: notes)
    }

    public var location: SourceLocation { range.start }

    /// `file:line:col: severity: message`
    public var description: String { "\(range.start): \(severity.rawValue): \(message)" }
}

/// A diagnostic can stand as the failure of a `Result` while a parser recovers.
extension Diagnostic: Error {}
