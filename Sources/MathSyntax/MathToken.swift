/// One lexical unit of TeX math. Offsets are bytes into the tex being parsed
/// (not the file); `MathLocator` turns them into file locations.
///
/// A token holds no `String`: its text is `text[textStart..<textEnd]` of the
/// parse's `TokenText` buffer (the tex bytes, followed by the few spellings the
/// lexer makes up, such as `alpha` for `α`), so copying one copies plain bits.
struct MathToken: Sendable, Equatable {
    enum Kind: UInt8, Sendable, Equatable {
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
        /// `\label`, `\tag`, `\because`, `\therefore`, `\text` and its kin: may split a row into statements.
        static let mayBreakStatement = Flags(rawValue: 1 << 9)
    }

    var kind: Kind
    /// The ASCII byte of a punctuation token, else 0.
    var byte: UInt8
    var flags: Flags
    /// What a command is, looked up once.
    var command: CommandKind
    /// The command's row in `MathVocabulary.table`, or -1 (also for every token that is not a command).
    var entry: Int32
    /// The token's text, as offsets into the parse's text buffer.
    var textStart: Int32
    var textEnd: Int32
    /// Whether the text is all ASCII, so that comparing bytes is comparing strings.
    var isASCII: Bool
    var start: Int
    var end: Int

    /// A token whose text is the bytes `textStart..<textEnd` of the text buffer.
    /// `entry` is the command's row in `MathVocabulary.table` (-1 when unknown or not a command).
    @inline(__always)
    init(_ kind: Kind, textStart: Int, textEnd: Int, start: Int, end: Int, byte: UInt8 = 0, entry: Int32 = -1,
         isASCII: Bool = true) {
        self.kind = kind
        self.isASCII = isASCII
        self.textStart = Int32(truncatingIfNeeded: textStart)
        self.textEnd = Int32(truncatingIfNeeded: textEnd)
        self.start = start
        self.end = end
        self.entry = -1
        switch kind {
        case .punctuation:
            self.byte = byte
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["): flags = .opener
            case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"): flags = .closer
            default: flags = []
            }
            command = .other
        case .command:
            self.byte = 0
            self.entry = entry
            if entry >= 0 {
                let row = MathVocabulary.table.entries[Int(entry)]
                flags = row.flags
                command = row.kind
            } else {
                flags = []
                command = .other
            }
        case .begin:
            self.byte = 0
            flags = .opener
            command = .other
        case .end:
            self.byte = 0
            flags = .closer
            command = .other
        default:
            self.byte = 0
            flags = []
            command = .other
        }
    }

    /// A command token whose vocabulary row (`entry`, or -1) is `row`.
    @inline(__always)
    init(command textStart: Int, _ textEnd: Int, start: Int, end: Int, entry: Int32, row: CommandEntry?, isASCII: Bool) {
        kind = .command
        byte = 0
        self.textStart = Int32(truncatingIfNeeded: textStart)
        self.textEnd = Int32(truncatingIfNeeded: textEnd)
        self.isASCII = isASCII
        self.start = start
        self.end = end
        self.entry = entry
        flags = row?.flags ?? []
        command = row?.kind ?? .other
    }

    @inline(__always)
    func isPunctuation(_ sign: Unicode.Scalar) -> Bool { byte == UInt8(truncatingIfNeeded: sign.value) && kind == .punctuation }

    var isOpeningBrace: Bool { byte == UInt8(ascii: "{") && kind == .punctuation }
    var isClosingBrace: Bool { byte == UInt8(ascii: "}") && kind == .punctuation }
    var isOpener: Bool { flags.contains(.opener) }
    var isCloser: Bool { flags.contains(.closer) }
    /// The number of bytes of the token's text.
    var textLength: Int { Int(textEnd - textStart) }

    /// What the vocabulary says about this command, if it knows it.
    var vocabulary: CommandEntry? { entry >= 0 ? MathVocabulary.table.entries[Int(entry)] : nil }
}

/// The bytes every token's text points into: the tex, then spellings the lexer made up.
struct TokenText: Sendable {
    var bytes: [UInt8]

    /// The token's text as a string.
    func string(_ token: MathToken) -> String {
        if token.isASCII, token.textEnd - token.textStart == 1 {
            return oneCharacterStrings[Int(bytes[Int(token.textStart)] & 0x7f)]
        }
        return String(decoding: bytes[Int(token.textStart)..<Int(token.textEnd)], as: UTF8.self)
    }

    /// Whether the token's text is exactly `literal` (ASCII), as `String` compares them.
    @inline(__always)
    func equals(_ token: MathToken, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let length = token.textLength
        if length == count {
            let start = Int(token.textStart)
            let pointer = literal.utf8Start
            for index in 0..<count where bytes[start + index] != pointer[index] { return false }
            return true
        }
        // Non-ASCII text can still equal ASCII under canonical equivalence (U+037E is `;`).
        return !token.isASCII && length > count && string(token) == literal.description
    }

    /// Whether the token is the command `\literal`.
    @inline(__always)
    func isCommand(_ token: MathToken, _ literal: StaticString) -> Bool {
        token.kind == .command && equals(token, literal)
    }

    /// Whether two tokens have the same text, as `String` compares them.
    func sameText(_ a: MathToken, _ b: MathToken) -> Bool {
        guard a.isASCII, b.isASCII else { return string(a) == string(b) }
        let count = a.textLength
        guard b.textLength == count else { return false }
        let aStart = Int(a.textStart)
        let bStart = Int(b.textStart)
        for index in 0..<count where bytes[aStart + index] != bytes[bStart + index] { return false }
        return true
    }

    /// The vocabulary row of the token's text, whatever the token's kind.
    func lookup(_ token: MathToken) -> CommandEntry? {
        let row = MathVocabulary.table.find(bytes, Int(token.textStart), Int(token.textEnd))
        return row >= 0 ? MathVocabulary.table.entries[row] : nil
    }
}

/// What a command means to the parser; one table lookup per command token.
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

/// Every one-character ASCII string, made once: most names in math are one letter,
/// and copying a small string is cheaper than building it from its byte.
let oneCharacterStrings: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }
