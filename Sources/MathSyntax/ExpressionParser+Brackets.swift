import Diagnostics

extension ExpressionParser {
    // MARK: Fonts and accents

    mutating func parseFont(_ style: MathSymbol.Style, _ token: MathToken) -> MathExpression {
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument(text.string(token)), token.start, token.end)
        }
        let (from, to) = (argument.contentStart, argument.contentEnd)
        // `\mathrm{ReLU}`, `\mathbf{W}`: the letters make one name.
        if from < to, tokens[from..<to].allSatisfy({ $0.kind == .letter || $0.kind == .number }) {
            // Letter and number tokens are whole UTF-8 scalars, so their bytes decode as their texts joined.
            let name = to - from == 1 ? text.string(tokens[from])
                : String(decoding: tokens[from..<to].flatMap { text.bytes[Int($0.textStart)..<Int($0.textEnd)] }, as: UTF8.self)
            if name == "1", style == .blackboard || style == .bold, let indicator = parseIndicator(start: token.start) {
                return indicator
            }
            return symbolNode(MathSymbol(name: name, style: style), token.start, argument.end)
        }
        let inner = parseOperand(from, to)
        if case .symbol(var symbol) = inner.kind, symbol.style == .normal {
            symbol.style = style
            return symbolNode(symbol, token.start, argument.end)
        }
        if case .symbol = inner.kind { return inner }
        if case .uninterpretable = inner.kind { return inner }
        return uninterpretable(MathSyntaxMessages.fontOverExpression, token.start, argument.end)
    }

    /// `\mathbb{1}(x \geq y)`, `\mathbb{1}[z > 0]`: 1 where the comparison holds, else 0 (the
    /// derivative of max and ReLU as notes write it). Nil, with nothing read, when no
    /// bracket holding one comparison follows.
    mutating func parseIndicator(start: Int) -> MathExpression? {
        // `\mathbf{1}_{x > 0}`: the comparison as a subscript.
        let subscripted = current?.isPunctuation("_") == true && position + 1 < end && tokens[position + 1].isOpeningBrace
        let openIndex = subscripted ? position + 1 : position
        guard openIndex < end else { return nil }
        let open = tokens[openIndex]
        guard subscripted || open.isPunctuation("(") || open.isPunctuation("[") else { return nil }
        let closer: Unicode.Scalar = subscripted ? "}" : open.isPunctuation("(") ? ")" : "]"
        // `\mathbb{1}_{(i = \ell)}`: the condition in parentheses inside the subscript.
        let wrapped = subscripted && openIndex + 1 < end && tokens[openIndex + 1].isPunctuation("(")
        let signLevel = wrapped ? 2 : 1
        var level = 0
        var close: Int?
        var sign: (first: Int, last: Int, name: String)?
        var cursor = openIndex
        while cursor < end {
            let token = tokens[cursor]
            if token.isOpener { level += 1 } else if token.isCloser { level -= 1 }
            if level == 0 {
                if token.isPunctuation(closer) { close = cursor; break }
            } else if level == signLevel, sign == nil {
                let next = cursor + 1 < end ? tokens[cursor + 1] : nil
                if token.isPunctuation("=") {
                    sign = (cursor, cursor, "=")
                } else if text.isCommand(token, "neq") || text.isCommand(token, "ne") {
                    sign = (cursor, cursor, "!=")
                } else if token.isPunctuation(">") || token.isPunctuation("<") {
                    let orEqual = next?.isPunctuation("=") == true
                    sign = (cursor, orEqual ? cursor + 1 : cursor, (token.isPunctuation(">") ? ">" : "<") + (orEqual ? "=" : ""))
                } else if text.isCommand(token, "geq") || text.isCommand(token, "ge") {
                    sign = (cursor, cursor, ">=")
                } else if text.isCommand(token, "leq") || text.isCommand(token, "le") {
                    sign = (cursor, cursor, "<=")
                } else if text.isCommand(token, "gt") {
                    sign = (cursor, cursor, ">")
                } else if text.isCommand(token, "lt") {
                    sign = (cursor, cursor, "<")
                }
            }
            cursor += 1
        }
        guard let close, let sign else { return nil }
        let first = wrapped ? openIndex + 2 : openIndex + 1
        let last = wrapped ? close - 1 : close
        guard !wrapped || tokens[last].isPunctuation(")"), sign.first > first, sign.last + 1 < last else { return nil }
        let left = parseOperand(first, sign.first)
        let right = parseOperand(sign.last + 1, last)
        position = close + 1
        let call = MathCall(name: "1[" + sign.name + "]", arguments: [left, right], bracket: open.isPunctuation("(") ? .parenthesis : .square)
        return node(.call(call), start, tokens[close].end)
    }

    mutating func parseDecoration(_ decoration: MathSymbol.Decoration, _ token: MathToken) -> MathExpression {
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument(text.string(token)), token.start, token.end)
        }
        let inner = parseOperand(argument.contentStart, argument.contentEnd)
        if case .symbol(var symbol) = inner.kind {
            symbol.decorations.append(decoration)
            return symbolNode(symbol, token.start, argument.end)
        }
        if case .uninterpretable = inner.kind { return inner }
        // `\hat{W^L}`: the accent is on the letter, the superscript outside it (`\hat{W}^L`).
        switch inner.kind {
        case .power(let base, let exponent):
            if case .symbol(var symbol) = base.kind {
                symbol.decorations.append(decoration)
                return node(.power(MathExpression(.symbol(symbol), range: base.range), exponent: exponent), token.start, argument.end)
            }
        case .powerOrLabel(let base, let superscript):
            if case .symbol(var symbol) = base.kind {
                symbol.decorations.append(decoration)
                return node(.powerOrLabel(base: MathExpression(.symbol(symbol), range: base.range), superscript: superscript), token.start, argument.end)
            }
        default:
            break
        }
        return uninterpretable(MathSyntaxMessages.decorationOverExpression, token.start, argument.end)
    }

    // MARK: Brackets

    /// `{ … }` groups invisibly.
    mutating func parseBraceGroup() -> MathExpression {
        let open = tokens[position]
        guard let close = matchingBrace(position) else {
            position += 1
            let inner = parseExpressionOrEmpty(open)
            diagnose(MathSyntaxMessages.missingClosing("}"), open.start, open.end)
            return inner
        }
        position += 1
        if position == close {
            position = close + 1
            return uninterpretable(MathSyntaxMessages.emptyGroup, open.start, tokens[close].end)
        }
        let inner = parseOperand(position, close)
        position = close + 1
        return inner
    }

    mutating func parseExpressionOrEmpty(_ open: MathToken) -> MathExpression {
        guard let token = current, startsFactor(token) || token.isPunctuation("-") else {
            return uninterpretable(MathSyntaxMessages.emptyGroup, open.start, open.end)
        }
        return parseExpression()
    }

    /// `( … )`, `[ … ]`, `\{ … \}`, `| … |`, `\| … \|`, with comma lists.
    mutating func parseBracketed(_ delimiter: Delimiter, start: Int) -> MathExpression {
        position += 1
        return parseBracketBody(delimiter, start: start, sized: false)
    }

    mutating func parseLeftRight(_ token: MathToken) -> MathExpression {
        position += 1
        guard let delimiterToken = current else {
            return uninterpretable(MathSyntaxMessages.missingArgument("left"), token.start, token.end)
        }
        position += 1
        let delimiter: Delimiter?
        switch (delimiterToken.kind, delimiterToken.byte) {
        case (.punctuation, UInt8(ascii: "(")): delimiter = .bracket(.parenthesis)
        case (.punctuation, UInt8(ascii: "[")): delimiter = .bracket(.square)
        case (.punctuation, UInt8(ascii: "|")): delimiter = .bar
        case (.punctuation, UInt8(ascii: ".")): delimiter = nil
        case (.command, _): delimiter = delimiterToken.vocabulary?.opening
        default: delimiter = nil
        }
        guard let delimiter else {
            if delimiterToken.isPunctuation(".") {
                // `\left. … \right|`: evaluation bars and the like.
                let end = skipToRight()
                return uninterpretable(MathSyntaxMessages.unexpected("\\left."), token.start, end)
            }
            return uninterpretable(MathSyntaxMessages.unexpected(spelling(delimiterToken), in: "\\left"), token.start, delimiterToken.end)
        }
        return parseBracketBody(delimiter, start: token.start, sized: true)
    }

    mutating func parseBracketBody(_ delimiter: Delimiter, start: Int, sized: Bool) -> MathExpression {
        switch parseBracketItems(delimiter, start: start, sized: sized) {
        case .failed(let problem):
            return problem
        case .items(let first, let items, let sawComma, let closeEnd):
            switch delimiter {
            case .bar:
                guard let only = first else { return uninterpretable(MathSyntaxMessages.unexpected(","), start, closeEnd) }
                return node(.absolute(only), start, closeEnd)
            case .doubleBar:
                guard let only = first else { return uninterpretable(MathSyntaxMessages.unexpected(","), start, closeEnd) }
                return node(.norm(only), start, closeEnd)
            case .bracket(let bracket):
                if let only = first, !sawComma { return node(.group(only, bracket), start, closeEnd) }
                if let only = first { return node(.tuple([only], bracket), start, closeEnd) }
                return node(.tuple(items, bracket), start, closeEnd)
            }
        }
    }

    /// What is between brackets: the items (the first held apart while it is the only one) and
    /// the end of the closer, or the node for what went wrong.
    enum BracketItems {
        case items(first: MathExpression?, rest: [MathExpression], sawComma: Bool, closeEnd: Int)
        case failed(MathExpression)
    }

    /// Reads the items of a bracket whose opener has been consumed, and its closer.
    mutating func parseBracketItems(_ delimiter: Delimiter, start: Int, sized: Bool) -> BracketItems {
        if delimiter == .bar { openBars += 1 }
        if delimiter == .doubleBar { openDoubleBars += 1 }
        defer {
            if delimiter == .bar { openBars -= 1 }
            if delimiter == .doubleBar { openDoubleBars -= 1 }
        }
        // The first item stays out of an array until a second one comes (most brackets hold one).
        var first: MathExpression?
        var items: [MathExpression] = []
        var sawComma = false
        while !abandoned {
            if let token = current, isBracketClose(token, sized: sized) { break }
            if let token = current, token.isPunctuation(",") {
                // An empty item: `(,)`.
                position += 1
                let item = uninterpretable(MathSyntaxMessages.expectedExpression, token.start, token.start)
                if first == nil, items.isEmpty { first = item } else { Self.add(item, to: &items, after: &first) }
                sawComma = true
                continue
            }
            guard let token = current, startsFactor(token) || token.isPunctuation("-") || token.isPunctuation("+") else { break }
            let item = parseExpression()
            if first == nil, items.isEmpty { first = item } else { Self.add(item, to: &items, after: &first) }
            if let comma = current, comma.isPunctuation(",") {
                position += 1
                sawComma = true
                continue
            }
            break
        }
        if abandoned { return .failed(tooDeep()) }
        guard let close = current, isBracketClose(close, sized: sized) else {
            let problem = current
            let stop = skipToCloser(sized: sized)
            let reason = problem.map { token -> String in
                text.lookup(token)?.relation != nil || token.isPunctuation("=") || token.isPunctuation("<")
                    || token.isPunctuation(">") ? MathSyntaxMessages.relationInBrackets
                    : MathSyntaxMessages.unexpected(spelling(token), in: "brackets")
            } ?? MathSyntaxMessages.missingClosing(closingSpelling(delimiter))
            return .failed(uninterpretable(reason, start, stop))
        }
        let closeEnd = consumeCloser(sized: sized)
        _ = close
        return .items(first: first, rest: items, sawComma: sawComma, closeEnd: closeEnd)
    }

    /// Appends `item` to `items`, moving `first` there before it when it is still held apart.
    static func add(_ item: MathExpression, to items: inout [MathExpression], after first: inout MathExpression?) {
        if let held = first {
            items.append(held)
            first = nil
        }
        items.append(item)
    }

    func isBracketClose(_ token: MathToken, sized: Bool) -> Bool {
        if sized { return text.isCommand(token, "right") }
        switch token.kind {
        case .punctuation:
            switch token.byte {
            case UInt8(ascii: ")"), UInt8(ascii: "]"): return true
            case UInt8(ascii: "|"): return openBars > 0
            default: return false
            }
        case .command:
            if text.equals(token, "|") || text.equals(token, "Vert") { return openDoubleBars > 0 }
            if text.equals(token, "vert") { return openBars > 0 }
            guard let entry = token.vocabulary else { return false }
            if entry.isSizedCloser {
                return position + 1 < end && isBracketClose(tokens[position + 1], sized: false)
            }
            return entry.closing != nil
        default: return false
        }
    }

    /// Consumes the closing delimiter (and `\right`, `\bigr`); returns its end offset.
    mutating func consumeCloser(sized: Bool) -> Int {
        let token = tokens[position]
        position += 1
        if sized || token.kind == .command && token.vocabulary?.isSizedCloser == true {
            guard let delimiter = current else { return token.end }
            position += 1
            return delimiter.end
        }
        return token.end
    }

    /// Skips to just past the closer of the current bracket, balancing nested ones.
    mutating func skipToCloser(sized: Bool) -> Int {
        var level = 0
        var last = position > 0 ? tokens[position - 1].end : 0
        while position < end {
            let token = tokens[position]
            if level == 0, isBracketClose(token, sized: sized) { return consumeCloser(sized: sized) }
            if isOpener(token) { level += 1 } else if isCloser(token) { level -= 1 }
            last = token.end
            position += 1
            if level < 0 { break }
        }
        return last
    }

    mutating func skipToRight() -> Int {
        var level = 0
        var last = position > 0 ? tokens[position - 1].end : 0
        while position < end {
            let token = tokens[position]
            position += 1
            last = token.end
            if text.isCommand(token, "left") { level += 1 }
            if text.isCommand(token, "right") {
                if level == 0 {
                    if let delimiter = current { position += 1; return delimiter.end }
                    return last
                }
                level -= 1
            }
        }
        return last
    }

    func closingSpelling(_ delimiter: Delimiter) -> String {
        switch delimiter {
        case .bar: "|"
        case .doubleBar: "\\|"
        case .bracket(let bracket): bracket.closing
        }
    }
}
