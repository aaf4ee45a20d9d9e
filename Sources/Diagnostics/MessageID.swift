/// The identity of a diagnostic: a stable code, `domain.name`, that code and
/// tests compare and that `<!-- nb: allow CODE -->` or site.yml's `allow:`
/// silences, while the wording stays free to improve (docs/diagnostics.md
/// lists every code).
///
/// ```swift
/// let id: MessageID = "notebook.unterminated-math"
/// id.domain   // "notebook"
/// ```
public struct MessageID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let code: String

    public init(_ code: String) {
        self.code = code
    }

    public init(stringLiteral code: String) {
        self.init(code)
    }

    public init(from decoder: any Decoder) throws {
        code = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// The module that reports it: `notebook`, `verify`, `render`, `site`.
    public var domain: Substring { code.prefix { $0 != "." } }

    public var description: String { code }

    /// Whether `codes` names this code or a family it belongs to: `verify.unchecked`
    /// covers `verify.unchecked.relation` (a family ends where a `.` follows it).
    public func isCovered(by codes: Set<MessageID>) -> Bool {
        if codes.contains(self) { return true }
        var family = Substring(code)
        while let dot = family.lastIndex(of: ".") {
            family = family[..<dot]
            if family.contains("."), codes.contains(MessageID(String(family))) { return true }
        }
        return false
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.code < rhs.code }
}

/// A message of a module's catalogue (`NotebookMessages`, `RenderMessages`, …):
/// its identity and its wording.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    public var id: MessageID
    public var text: String

    public init(_ id: MessageID, _ text: String) {
        self.id = id
        self.text = text
    }

    public var description: String { text }
}
