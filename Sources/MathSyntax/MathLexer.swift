/// Splits TeX math into tokens, setting `%` comments aside.
///
/// Never fails: bytes it does not know become one-character tokens the
/// parser reports. Runs in one pass without recursion.
///
/// Tokens that only space or style are dropped here as they are made (wide
/// spaces survive only at the top level), so the parser never sees them.
struct MathLexer {
    private let bytes: [UInt8]
    private let table = MathVocabulary.table
    private var index = 0
    private(set) var tokens: [MathToken] = []
    private(set) var comments: [MathComment] = []
    /// Spellings made up by the lexer (`alpha` for `α`); token text offsets past the tex point here.
    private(set) var extra: [UInt8] = []

    // The filter's state: nesting level of the kept tokens, and whether a raw argument is to be dropped.
    private var level = 0
    /// Token indices of the `{` still open, innermost last: where `\over` puts its `\frac`.
    private var openBraces: [Int] = []
    /// Whether the next `{` belongs to `\boxed` or `\cancel` (dropped with its `}`), and for every `{`
    /// still open, whether it was dropped.
    private var dropsNextBrace = false
    private var braceDropped: [Bool] = []
    /// Whether the brace group `dropsNextBrace` drops is `\underbrace`'s or `\overbrace`'s, whose
    /// `_{…}` or `^{…}` after it is a caption; for every `{` still open, whether it is such a group.
    private var nextBraceHasCaption = false
    private var braceHasCaption: [Bool] = []
    /// Where lexing resumes after a caption just skipped, if one was.
    private var captionEnd: Int?
    private var skipRaw = false
    /// Whether the raw argument being skipped is `\color`'s, whose brace group after it is dropped.
    private var colorsNextGroup = false

    /// The last two tokens made, before filtering, as far as `lexNumber` needs them: the last
    /// one's kind (nil before the first), punctuation byte and whether its text is one byte, and
    /// for both whether they are `\frac`-like (2: `\frac`, `\dfrac`, `\tfrac`, `\cfrac`, `\binom`; 1: `\sqrt`; else 0).
    private var lastKind: MathToken.Kind?
    private var lastByte: UInt8 = 0
    private var lastIsOneByte = false
    private var lastFraction: UInt8 = 0
    private var beforeLastFraction: UInt8 = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func tokenize(_ bytes: [UInt8]) -> (tokens: [MathToken], comments: [MathComment], extra: [UInt8]) {
        var lexer = MathLexer(bytes)
        lexer.run()
        return (lexer.tokens, lexer.comments, lexer.extra)
    }

    private mutating func run() {
        // Every token takes at least one byte: a short tex never makes the array grow.
        tokens.reserveCapacity(bytes.count < 4096 ? bytes.count : bytes.count / 2)
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
                append(MathToken(.letter, textStart: index, textEnd: index + 1, start: index, end: index + 1))
                index += 1
            case UInt8(ascii: "."):
                if index + 2 < bytes.count, bytes[index + 1] == byte, bytes[index + 2] == byte {
                    append(MathToken(.ellipsis, textStart: index, textEnd: index + 3, start: index, end: index + 3))
                    index += 3
                } else {
                    appendPunctuation(byte, textStart: index, from: index, to: index + 1)
                    index += 1
                }
            case UInt8(ascii: "~"):
                index += 1  // a non-breaking space
            case 0x80...:
                lexUnicode()
            default:
                appendPunctuation(byte, textStart: index, from: index, to: index + 1)
                index += 1
                if let end = captionEnd {
                    index = end
                    captionEnd = nil
                }
            }
        }
    }

    @inline(__always)
    private mutating func appendPunctuation(_ byte: UInt8, textStart: Int, from start: Int, to end: Int) {
        if byte == UInt8(ascii: "{") {
            braceDropped.append(dropsNextBrace)
            braceHasCaption.append(dropsNextBrace && nextBraceHasCaption)
            nextBraceHasCaption = false
            if dropsNextBrace {
                dropsNextBrace = false
                return
            }
        } else if byte == UInt8(ascii: "}"), let dropped = braceDropped.popLast() {
            let hasCaption = braceHasCaption.popLast() ?? false
            if hasCaption { captionEnd = Self.captionEnd(in: bytes, after: end) }
            if dropped { return }
        }
        dropsNextBrace = false
        nextBraceHasCaption = false
        append(MathToken(.punctuation, textStart: textStart, textEnd: textStart + 1, start: start, end: end, byte: byte))
    }

    /// Records a token made and keeps it unless it only spaces or styles.
    private mutating func append(_ token: MathToken, fraction: UInt8 = 0) {
        if token.kind != .punctuation { dropsNextBrace = false }
        beforeLastFraction = lastFraction
        lastFraction = fraction
        lastKind = token.kind
        lastByte = token.byte
        lastIsOneByte = token.textEnd - token.textStart == 1
        if skipRaw {
            skipRaw = false
            if token.kind == .raw {
                // `\color{red}{a = b}`: the group after the colour only holds what is coloured.
                if colorsNextGroup { dropsNextBrace = true }
                colorsNextGroup = false
                return
            }
            colorsNextGroup = false
        }
        if token.kind == .command {
            let flags = token.flags
            if flags.contains(.ignored) { return }
            if flags.contains(.invisibleWithArgument) {
                skipRaw = true
                colorsNextGroup = textEquals(token, "color")
                // `\hspace{1in}` between two statements separates them as `\quad` does.
                let spaced = textEquals(token, "hspace") || textEquals(token, "hskip")
                if spaced, level == 0 {
                    let (quadStart, quadEnd) = madeUp("quad")
                    let row = table.find(extra, quadStart - bytes.count, quadEnd - bytes.count)
                    tokens.append(MathToken(command: quadStart, quadEnd, start: token.start, end: token.end, entry: Int32(row),
                                            row: row >= 0 ? table.entries[row] : nil, isASCII: true))
                }
                return
            }
            if flags.contains(.wideSpace), level > 0 { return }
        }
        if token.isOpener { level += 1 } else if token.isCloser { level = max(0, level - 1) }
        if token.isOpeningBrace {
            openBraces.append(tokens.count)
        } else if token.isClosingBrace, !openBraces.isEmpty {
            openBraces.removeLast()
        }
        tokens.append(token)
    }

    /// Whether a token's text, in the tex, is `name`.
    private func textEquals(_ token: MathToken, _ name: String) -> Bool {
        let start = Int(token.textStart), end = Int(token.textEnd)
        guard end <= bytes.count, end - start == name.utf8.count else { return false }
        return bytes[start..<end].elementsEqual(name.utf8)
    }

    /// Text offsets of `spelling` in `extra`, past the tex.
    private mutating func madeUp(_ spelling: String) -> (Int, Int) {
        let start = bytes.count + extra.count
        extra += spelling.utf8
        return (start, bytes.count + extra.count)
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
        if let previous = lastKind, previous == .punctuation && (lastByte == UInt8(ascii: "^") || lastByte == UInt8(ascii: "_"))
            || previous == .command && lastFraction > 0
            || previous == .number && lastIsOneByte && beforeLastFraction == 2 {
            // A TeX argument is one token: `x_12` is `x_1` then `2`, `\frac12` is one half.
            index += 1
            append(MathToken(.number, textStart: start, textEnd: index, start: start, end: index))
            return
        }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        append(MathToken(.number, textStart: start, textEnd: index, start: start, end: index))
    }

    private mutating func lexCommand() {
        let start = index
        index += 1
        guard index < bytes.count else {
            appendPunctuation(UInt8(ascii: "\\"), textStart: start, from: start, to: index)
            return
        }
        if bytes[index] == UInt8(ascii: "_") {
            // `\delta^L\_{j}`: math written through a Markdown processor that eats `_` escapes it;
            // the reader of the page sees a subscript.
            index += 1
            appendPunctuation(UInt8(ascii: "_"), textStart: start + 1, from: start, to: index)
            return
        }
        if !isLetter(bytes[index]) {
            // A control symbol: `\{`, `\,`, `\\`, `\|`; a non-ASCII one takes its whole scalar.
            let symbolStart = index
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            appendCommand(nameStart: symbolStart, nameEnd: index, from: start, to: index)
            return
        }
        let nameStart = index
        while index < bytes.count, isLetter(bytes[index]) { index += 1 }
        let nameEnd = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "*"), isName("operatorname", nameStart, nameEnd) || isName("tag", nameStart, nameEnd) {
            index += 1  // `\operatorname*`, `\tag*`
        }
        let isBegin = isName("begin", nameStart, nameEnd)
        if isBegin || isName("end", nameStart, nameEnd), let (environmentStart, environmentEnd, end) = braceArgument(after: index) {
            index = end
            var low = environmentStart
            var high = environmentEnd
            while low < high, bytes[low] == UInt8(ascii: " ") { low += 1 }
            while high > low, bytes[high - 1] == UInt8(ascii: " ") { high -= 1 }
            append(MathToken(isBegin ? .begin : .end, textStart: low, textEnd: high, start: start, end: end,
                             isASCII: isASCII(low, high)))
            return
        }
        let row = table.find(bytes, nameStart, nameEnd)
        let entry = row >= 0 ? table.entries[row] : nil
        if isName("newline", nameStart, nameEnd) || isName("cr", nameStart, nameEnd) {
            // A row break by another name: the token stands as `\\`.
            let (textStart, textEnd) = madeUp("\\")
            appendMadeUpCommand(textStart, textEnd, from: start, to: index)
            return
        }
        if isName("boxed", nameStart, nameEnd) || isName("cancel", nameStart, nameEnd) || isName("bcancel", nameStart, nameEnd)
            || isName("xcancel", nameStart, nameEnd) {
            // Marks drawn around math that do not change it: `\boxed{a = b}` reads as `a = b`.
            dropsNextBrace = true
            return
        }
        if isName("underbrace", nameStart, nameEnd) || isName("overbrace", nameStart, nameEnd) {
            // `\underbrace{a b}_{\text{Part I}}` reads as `a b`: the brace and its caption only annotate.
            dropsNextBrace = true
            nextBraceHasCaption = true
            return
        }
        if isName("over", nameStart, nameEnd), let open = openBraces.last {
            // `{a \over b}` is `\frac{a}{b}`: the group becomes the numerator, what follows the denominator.
            let (fracStart, fracEnd) = madeUp("frac")
            let row = table.find(extra, fracStart - bytes.count, fracEnd - bytes.count)
            let frac = MathToken(command: fracStart, fracEnd, start: tokens[open].start, end: tokens[open].start, entry: Int32(row),
                                 row: row >= 0 ? table.entries[row] : nil, isASCII: true)
            tokens.insert(frac, at: open)
            openBraces[openBraces.count - 1] = open + 1
            let (closeText, _) = madeUp("}")
            appendPunctuation(UInt8(ascii: "}"), textStart: closeText, from: start, to: index)
            let (openText, _) = madeUp("{")
            appendPunctuation(UInt8(ascii: "{"), textStart: openText, from: start, to: index)
            return
        }
        var fraction: UInt8 = 0
        if let entry, case .fraction = entry.kind { fraction = 2 }
        else if isName("binom", nameStart, nameEnd) { fraction = 2 }
        else if isName("sqrt", nameStart, nameEnd) { fraction = 1 }
        append(MathToken(command: nameStart, nameEnd, start: start, end: index, entry: Int32(row), row: entry, isASCII: true),
               fraction: fraction)
        if let entry, entry.takesRawArgument {
            if isName("textcolor", nameStart, nameEnd), let (_, _, end) = braceArgument(after: index) {
                index = end  // the colour; the second argument is math
                return
            }
            lexRawArgument()
        }
    }

    private mutating func appendCommand(nameStart: Int, nameEnd: Int, from start: Int, to end: Int) {
        let row = table.find(bytes, nameStart, nameEnd)
        append(MathToken(command: nameStart, nameEnd, start: start, end: end, entry: Int32(row),
                         row: row >= 0 ? table.entries[row] : nil, isASCII: isASCII(nameStart, nameEnd)))
    }

    /// A command whose name the lexer made up (`extra`, offset past the tex).
    private mutating func appendMadeUpCommand(_ textStart: Int, _ textEnd: Int, from start: Int, to end: Int) {
        let row = table.find(extra, textStart - bytes.count, textEnd - bytes.count)
        append(MathToken(command: textStart, textEnd, start: start, end: end, entry: Int32(row),
                         row: row >= 0 ? table.entries[row] : nil, isASCII: true))
    }

    private func isASCII(_ start: Int, _ end: Int) -> Bool {
        var high: UInt8 = 0
        for index in start..<end { high |= bytes[index] }
        return high < 0x80
    }

    @inline(__always)
    private func isName(_ literal: StaticString, _ start: Int, _ end: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - start == count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    /// The end of the `_{…}` or `^{…}` caption that starts after spaces at `start`, or nil if none does.
    private static func captionEnd(in bytes: [UInt8], after start: Int) -> Int? {
        var cursor = start
        func skipSpaces() { while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "\n") { cursor += 1 } }
        skipSpaces()
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "_") || bytes[cursor] == UInt8(ascii: "^") else { return nil }
        cursor += 1
        skipSpaces()
        guard cursor < bytes.count else { return cursor }
        switch bytes[cursor] {
        case UInt8(ascii: "{"):
            var depth = 0
            while cursor < bytes.count {
                if bytes[cursor] == UInt8(ascii: "\\") { cursor += 2; continue }
                if bytes[cursor] == UInt8(ascii: "{") { depth += 1 }
                if bytes[cursor] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { return cursor + 1 }
                }
                cursor += 1
            }
            return bytes.count
        case UInt8(ascii: "\\"):
            cursor += 1
            while cursor < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[cursor] | 0x20) { cursor += 1 }
            return cursor
        default:
            return cursor + 1
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
            append(MathToken(.raw, textStart: cursor + 1, textEnd: max(cursor + 1, contentEnd),
                             start: cursor, end: closed ? end + 1 : bytes.count,
                             isASCII: isASCII(cursor + 1, max(cursor + 1, contentEnd))))
            index = closed ? end + 1 : bytes.count
        } else if bytes[cursor] != UInt8(ascii: "\\") {
            var end = cursor + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            append(MathToken(.raw, textStart: cursor, textEnd: end, start: cursor, end: end, isASCII: isASCII(cursor, end)))
            index = end
        }
    }

    /// `{name}` after optional spaces: the name's offsets and the offset after `}`.
    private func braceArgument(after position: Int) -> (Int, Int, Int)? {
        var cursor = position
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{") else { return nil }
        var end = cursor + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "{"),
              bytes[end] != UInt8(ascii: "\\"), end - cursor < 64 {
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return nil }
        return (cursor + 1, end, end + 1)
    }

    private mutating func lexUnicode() {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return }
        switch scalar {
        case "−", "–":
            let (textStart, _) = madeUp("-")
            appendPunctuation(UInt8(ascii: "-"), textStart: textStart, from: start, to: index)
        case "\u{00A0}", "\u{2009}", "\u{200A}", "\u{2002}", "\u{2003}", "\u{202F}", "\u{FEFF}": break
        case "′":
            let (textStart, _) = madeUp("'")
            appendPunctuation(UInt8(ascii: "'"), textStart: textStart, from: start, to: index)
        default:
            if let name = MathVocabulary.unicodeLetters[scalar] {
                let (textStart, textEnd) = madeUp(name)
                appendMadeUpCommand(textStart, textEnd, from: start, to: index)
            } else {
                append(MathToken(.letter, textStart: start, textEnd: index, start: start, end: index, isASCII: false))
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
