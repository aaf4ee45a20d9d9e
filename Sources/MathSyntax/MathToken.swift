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

    var kind: Kind
    var text: String
    var start: Int
    var end: Int

    init(_ kind: Kind, _ text: String, start: Int, end: Int) {
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
    }

    func isPunctuation(_ sign: String) -> Bool { kind == .punctuation && text == sign }
    func isCommand(_ name: String) -> Bool { kind == .command && text == name }

    var isOpeningBrace: Bool { kind == .punctuation && text == "{" }
    var isClosingBrace: Bool { kind == .punctuation && text == "}" }
}

/// A `% nb: …` comment found inside math; `%` comments are otherwise ignored.
struct MathComment: Sendable, Equatable {
    var text: String
    var start: Int
    var end: Int
}
