/// Splits TeX math into tokens, setting `%` comments aside.
///
/// Never fails: bytes it does not know become one-character tokens the
/// parser reports. Runs in one pass without recursion.
struct MathLexer {
    private let bytes: [UInt8]
    private var index = 0
    private(set) var tokens: [MathToken] = []
    private(set) var comments: [MathComment] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func tokenize(_ bytes: [UInt8]) -> (tokens: [MathToken], comments: [MathComment]) {
        var lexer = MathLexer(bytes)
        lexer.run()
        return (lexer.tokens, lexer.comments)
    }

    private mutating func run() {
        tokens.reserveCapacity(bytes.count / 2 + 4)
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "%"):
                lexComment()
            case UInt8(ascii: "\\"):
                lexCommand()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lexNumber()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                append(.letter, String(UnicodeScalar(byte)), from: index, to: index + 1)
                index += 1
            case UInt8(ascii: "."):
                if index + 2 < bytes.count, bytes[index + 1] == byte, bytes[index + 2] == byte {
                    append(.ellipsis, "...", from: index, to: index + 3)
                    index += 3
                } else {
                    append(.punctuation, ".", from: index, to: index + 1)
                    index += 1
                }
            case UInt8(ascii: "~"):
                index += 1  // a non-breaking space
            case 0x80...:
                lexUnicode()
            default:
                append(.punctuation, String(UnicodeScalar(byte)), from: index, to: index + 1)
                index += 1
            }
        }
    }

    private mutating func append(_ kind: MathToken.Kind, _ text: String, from start: Int, to end: Int) {
        tokens.append(MathToken(kind, text, start: start, end: end))
    }

    private mutating func lexComment() {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        var textStart = start + 1
        while textStart < index, bytes[textStart] == UInt8(ascii: " ") || bytes[textStart] == UInt8(ascii: "\t") {
            textStart += 1
        }
        guard index - textStart >= 3, bytes[textStart] == UInt8(ascii: "n"), bytes[textStart + 1] == UInt8(ascii: "b"),
              bytes[textStart + 2] == UInt8(ascii: ":") else { return }
        let text = String(decoding: bytes[(textStart + 3)..<index], as: UTF8.self)
            .trimmingCharacters(in: " \t\r")
        comments.append(MathComment(text: text, start: start, end: index))
    }

    private mutating func lexNumber() {
        let start = index
        if let previous = tokens.last, previous.kind == .punctuation && (previous.text == "^" || previous.text == "_")
            || previous.kind == .command && ["frac", "dfrac", "tfrac", "cfrac", "binom", "sqrt"].contains(previous.text)
            || previous.kind == .number && previous.text.count == 1 && tokens.count >= 2
            && tokens[tokens.count - 2].kind == .command && ["frac", "dfrac", "tfrac", "cfrac", "binom"].contains(tokens[tokens.count - 2].text) {
            // A TeX argument is one token: `x_12` is `x_1` then `2`, `\frac12` is one half.
            index += 1
            append(.number, String(UnicodeScalar(bytes[start])), from: start, to: index)
            return
        }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        append(.number, String(decoding: bytes[start..<index], as: UTF8.self), from: start, to: index)
    }

    private mutating func lexCommand() {
        let start = index
        index += 1
        guard index < bytes.count else {
            append(.punctuation, "\\", from: start, to: index)
            return
        }
        if !isLetter(bytes[index]) {
            // A control symbol: `\{`, `\,`, `\\`, `\|`; a non-ASCII one takes its whole scalar.
            let symbolStart = index
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            append(.command, String(decoding: bytes[symbolStart..<index], as: UTF8.self), from: start, to: index)
            return
        }
        let nameStart = index
        while index < bytes.count, isLetter(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        if index < bytes.count, bytes[index] == UInt8(ascii: "*"), name == "operatorname" || name == "tag" {
            index += 1  // `\operatorname*`, `\tag*`
        }
        if name == "begin" || name == "end", let (environment, end) = braceArgument(after: index) {
            index = end
            append(name == "begin" ? .begin : .end, environment.trimmingCharacters(in: " "), from: start, to: end)
            return
        }
        append(.command, name, from: start, to: index)
        if MathVocabulary.rawArgument.contains(name) {
            if name == "textcolor", let (_, end) = braceArgument(after: index) {
                index = end  // the colour; the second argument is math
                return
            }
            lexRawArgument()
        }
    }

    /// The argument of `\text` and its kin, braces balanced, kept as text.
    private mutating func lexRawArgument() {
        var cursor = index
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        guard cursor < bytes.count else { return }
        if bytes[cursor] == UInt8(ascii: "{") {
            var depth = 0
            var end = cursor
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "\\") { end += 2; continue }
                if bytes[end] == UInt8(ascii: "{") { depth += 1 }
                if bytes[end] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            let closed = end < bytes.count
            let contentEnd = min(end, bytes.count)
            append(.raw, String(decoding: bytes[(cursor + 1)..<max(cursor + 1, contentEnd)], as: UTF8.self),
                   from: cursor, to: closed ? end + 1 : bytes.count)
            index = closed ? end + 1 : bytes.count
        } else if bytes[cursor] != UInt8(ascii: "\\") {
            var end = cursor + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            append(.raw, String(decoding: bytes[cursor..<end], as: UTF8.self), from: cursor, to: end)
            index = end
        }
    }

    /// `{name}` after optional spaces: the name and the offset after `}`.
    private func braceArgument(after position: Int) -> (String, Int)? {
        var cursor = position
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{") else { return nil }
        var end = cursor + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "{"),
              bytes[end] != UInt8(ascii: "\\"), end - cursor < 64 {
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return nil }
        return (String(decoding: bytes[(cursor + 1)..<end], as: UTF8.self), end + 1)
    }

    private mutating func lexUnicode() {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return }
        switch scalar {
        case "−", "–": append(.punctuation, "-", from: start, to: index)
        case "\u{00A0}", "\u{2009}", "\u{200A}", "\u{2002}", "\u{2003}", "\u{202F}", "\u{FEFF}": break
        case "′": append(.punctuation, "'", from: start, to: index)
        default:
            if let name = MathVocabulary.unicodeLetters[scalar] {
                append(.command, name, from: start, to: index)
            } else {
                append(.letter, text, from: start, to: index)
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var view = Substring(self).unicodeScalars
        while let first = view.first, scalars.contains(first) { view.removeFirst() }
        while let last = view.last, scalars.contains(last) { view.removeLast() }
        return String(view)
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
