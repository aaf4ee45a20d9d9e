/// Every resource bound nbrun puts on a note, in one value: the checker, the
/// renderer and the site builder each read the ones they enforce. Notes may
/// come from anyone (pull requests, shared course material), so each bound
/// is there to keep one note from hanging nbrun, exhausting memory or
/// filling a disk; docs/security.md says what each one protects.
///
/// Defaults are below; `site.yml` (`limits:`) and `--limit NAME=VALUE` on the
/// command line override them, the command line last:
///
/// ```swift
/// var limits = Limits()
/// try limits.apply(Limits.Setting(parsing: "timePerNote=10s"))
/// limits.timePerNote   // .seconds(10)
/// ```
public struct Limits: Sendable, Equatable {
    /// Checking time of one note.
    public var timePerNote: Duration = .seconds(30)
    /// How deeply definitions may build on each other (and expressions nest) while checking.
    public var maxDefinitionDepth = 400
    /// Terms of one sum or one `…` pattern.
    public var maxSumTerms = 100_000
    /// Elements of one array (a drawn input, a layer's weights, a result).
    public var maxArrayElements = 1 << 24
    /// Weights and biases of a network declared in a cell.
    public var maxParameters = 10_000_000
    /// Bytes of TeX in one piece of math sent to KaTeX.
    public var maxMathBytes = 100_000
    /// Bytes of TeX one page sends to KaTeX, all its math together (its embeds' too).
    public var maxPageMathBytes = 200_000
    /// Brace, bracket and parenthesis nesting of one piece of math sent to KaTeX.
    public var maxMathNesting = 200
    /// Bytes of one written page.
    public var maxPageBytes = 20_000_000
    /// Notes of one site.
    public var maxNotes = 20_000
    /// Bytes of one note; a larger one is left out.
    public var maxNoteBytes = 2_000_000
    /// Bytes of one asset; a larger one is not copied.
    public var maxAssetBytes = 50_000_000

    public init() {}

    /// The name of each limit, as `site.yml` and `--limit` spell it.
    public enum Key: String, Sendable, CaseIterable {
        case timePerNote, maxDefinitionDepth, maxSumTerms, maxArrayElements, maxParameters
        case maxMathBytes, maxPageMathBytes, maxMathNesting, maxPageBytes, maxNotes, maxNoteBytes, maxAssetBytes

        /// What the limit bounds, for `--help` and docs.
        public var summary: String {
            switch self {
            case .timePerNote: "seconds of checking per note (`10s` or `10`)"
            case .maxDefinitionDepth: "levels definitions and expressions may nest while checking"
            case .maxSumTerms: "terms of one sum or pattern, nested ones multiplied"
            case .maxArrayElements: "elements of one array"
            case .maxParameters: "weights and biases of a network cell"
            case .maxMathBytes: "bytes of one piece of math to typeset"
            case .maxPageMathBytes: "bytes of all the math of one page to typeset"
            case .maxMathNesting: "nesting depth of one piece of math to typeset"
            case .maxPageBytes: "bytes of one page"
            case .maxNotes: "notes of one site"
            case .maxNoteBytes: "bytes of one note"
            case .maxAssetBytes: "bytes of one asset a site copies"
            }
        }
    }

    /// One `NAME=VALUE` override, checked when it is read.
    public struct Setting: Sendable, Equatable {
        public var key: Key
        public var value: Int

        public init(key: Key, value: Int) {
            self.key = key
            self.value = value
        }

        /// `maxSumTerms=1000`, `timePerNote=10s`; the value is a positive whole number.
        public init(parsing text: String) throws(LimitError) {
            guard let equals = text.firstIndex(of: "=") else { throw .malformed(text) }
            try self.init(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
        }

        public init(name: String, value text: String) throws(LimitError) {
            let name = name.trimmingSpaces
            guard let key = Key(rawValue: name) else { throw .unknown(name) }
            var digits = text.trimmingSpaces
            if key == .timePerNote, digits.hasSuffix("s") { digits.removeLast() }
            guard let value = Int(digits), value > 0 else { throw .notPositive(name, text) }
            self.init(key: key, value: value)
        }
    }

    public mutating func apply(_ setting: Setting) {
        switch setting.key {
        case .timePerNote: timePerNote = .seconds(setting.value)
        case .maxDefinitionDepth: maxDefinitionDepth = setting.value
        case .maxSumTerms: maxSumTerms = setting.value
        case .maxArrayElements: maxArrayElements = setting.value
        case .maxParameters: maxParameters = setting.value
        case .maxMathBytes: maxMathBytes = setting.value
        case .maxPageMathBytes: maxPageMathBytes = setting.value
        case .maxMathNesting: maxMathNesting = setting.value
        case .maxPageBytes: maxPageBytes = setting.value
        case .maxNotes: maxNotes = setting.value
        case .maxNoteBytes: maxNoteBytes = setting.value
        case .maxAssetBytes: maxAssetBytes = setting.value
        }
    }

    public func applying(_ settings: [Setting]) -> Limits {
        var limits = self
        for setting in settings { limits.apply(setting) }
        return limits
    }

    /// The value of a limit as its setting would write it (`30s`, `100000`).
    public func value(of key: Key) -> String {
        switch key {
        case .timePerNote: "\(timePerNote.components.seconds)s"
        case .maxDefinitionDepth: "\(maxDefinitionDepth)"
        case .maxSumTerms: "\(maxSumTerms)"
        case .maxArrayElements: "\(maxArrayElements)"
        case .maxParameters: "\(maxParameters)"
        case .maxMathBytes: "\(maxMathBytes)"
        case .maxPageMathBytes: "\(maxPageMathBytes)"
        case .maxMathNesting: "\(maxMathNesting)"
        case .maxPageBytes: "\(maxPageBytes)"
        case .maxNotes: "\(maxNotes)"
        case .maxNoteBytes: "\(maxNoteBytes)"
        case .maxAssetBytes: "\(maxAssetBytes)"
        }
    }

    /// What every limit message ends with: which limit, and how to raise it.
    public static func hint(_ key: Key) -> String {
        "(limit \(key.rawValue); raise it with --limit \(key.rawValue)=N or under limits: in site.yml)"
    }

    /// `message` followed by the hint for `key`.
    public static func exceeded(_ message: String, _ key: Key) -> String {
        "\(message) \(hint(key))"
    }
}

/// A `--limit` or `site.yml` limit that cannot be used.
public enum LimitError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unknown(String)
    case notPositive(String, String)

    public var description: String {
        switch self {
        case .malformed(let text): "expected NAME=VALUE for a limit, found '\(text)'"
        case .unknown(let name):
            "unknown limit '\(name)' (known: \(Limits.Key.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .notPositive(let name, let value): "the limit \(name) must be a positive whole number, found '\(value)'"
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
