/// One lexical unit of TeX math. Offsets are bytes into the tex being parsed
/// (not the file); `MathLocator` turns them into file locations.
struct MathToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// One ASCII letter, or a non-ASCII character with no TeX meaning known to us.
        case letter
        /// Digits with an optional decimal part: `12`, `0.5`.
        case number
        /// `\name` (text is `name`), or a control symbol such as `\{`, `\,`, `\\` (text is the symbol).
        case command
        /// A single ASCII sign: `+ - = ( ) [ ] { } ^ _ & , ; : ' | ! . / * < >` …
        case punctuation
        /// `...` written with dots.
        case ellipsis
        /// `\begin{name}` / `\end{name}`; text is `name`.
        case begin, end
        /// The raw argument of a text-like command (`\text{…}`, `\label{…}`), without its braces.
        case raw
    }

    /// Roles worked out once when the token is made, so the parser compares bits, not strings.
    struct Flags: OptionSet, Sendable, Equatable {
        let rawValue: UInt16
        /// Opens a nesting level: `{ ( [ \left \{ \langle \begin`.
        static let opener = Flags(rawValue: 1 << 0)
        static let closer = Flags(rawValue: 1 << 1)
        /// A relation command (`\approx`), or `\not`, `\stackrel`, `\overset` that may make one.
        static let relation = Flags(rawValue: 1 << 2)
        /// A command that cannot start a factor.
        static let notFactor = Flags(rawValue: 1 << 3)
        static let ignored = Flags(rawValue: 1 << 4)
        static let invisibleWithArgument = Flags(rawValue: 1 << 5)
        static let wideSpace = Flags(rawValue: 1 << 6)
        /// `\|`, `\Vert`: opens or closes a norm.
        static let doubleBar = Flags(rawValue: 1 << 7)
        /// `\vert`: opens or closes an absolute value.
        static let bar = Flags(rawValue: 1 << 8)
    }

    var kind: Kind
    var text: String
    var start: Int
    var end: Int
    /// The ASCII byte of a punctuation token, else 0.
    var byte: UInt8
    var flags: Flags
    /// What a command is, looked up once.
    var command: CommandKind

    init(_ kind: Kind, _ text: String, start: Int, end: Int) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        switch kind {
        case .punctuation:
            let byte = text.utf8.first ?? 0
            self.byte = byte
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["): flags = .opener
            case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"): flags = .closer
            default: flags = []
            }
            command = .other
        case .command:
            byte = 0
            let entry = MathVocabulary.commands[text]
            flags = entry?.flags ?? []
            command = entry?.kind ?? .other
        case .begin:
            byte = 0
            flags = .opener
            command = .other
        case .end:
            byte = 0
            flags = .closer
            command = .other
        default:
            byte = 0
            flags = []
            command = .other
        }
    }

    func isPunctuation(_ sign: Unicode.Scalar) -> Bool { byte == UInt8(truncatingIfNeeded: sign.value) && kind == .punctuation }
    func isCommand(_ name: String) -> Bool { kind == .command && text == name }

    var isOpeningBrace: Bool { byte == UInt8(ascii: "{") && kind == .punctuation }
    var isClosingBrace: Bool { byte == UInt8(ascii: "}") && kind == .punctuation }
    var isOpener: Bool { flags.contains(.opener) }
    var isCloser: Bool { flags.contains(.closer) }
}

/// What a command means to the parser; one dictionary lookup per command token.
enum CommandKind: Sendable, Equatable {
    case other
    case letter
    case elision(Elision)
    case opening(Delimiter)
    case font(MathSymbol.Style)
    case decoration(MathSymbol.Decoration)
    case function
    case fraction
    case root
    case bigOperator(MathBigOperator.Operation)
    case nabla
    case partial
    case operatorName
    case text
    case left
    case sizer
    case integral
    case prime
}

/// A `% nb: …` comment found inside math; `%` comments are otherwise ignored.
struct MathComment: Sendable, Equatable {
    var text: String
    var start: Int
    var end: Int
}
