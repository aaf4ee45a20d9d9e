import Diagnostics

/// Recursive descent over the tokens of one operand, `tokens[position..<end]`.
///
/// Precedence, loosest first: `+ - \pm`; explicit products (`\cdot \times / * \odot \otimes`);
/// juxtaposition; prefix operators and function names; postfix scripts and primes.
/// Recursion is bounded by `depthLimit`; past it the rest is skipped and reported once.
struct ExpressionParser {
    let tokens: [MathToken]
    var position: Int
    var end: Int
    let locator: MathLocator
    /// The tex bytes (`texCount` of them), then spellings the lexer made up; token text points here.
    let text: TokenText
    let texCount: Int
    let depthLimit: Int
    /// Multi-letter names declared by the note (`% nb: names out, net`): `out_{o1}` is one symbol.
    var names: Set<String> = []
    /// Whether digits glued to a letter index it (`w5` is `w_5`): decided for the whole note (`NoteNotation`).
    var digitsIndexLetters = false
    var diagnostics: [Diagnostic] = []
    var depth = 0
    /// Set after the depth limit was hit: everything left is skipped quietly.
    var abandoned = false
    /// `|` and `\|` currently open, so that the next one closes.
    var openBars = 0
    var openDoubleBars = 0

    init(tokens: [MathToken], locator: MathLocator, text: TokenText, texCount: Int, depthLimit: Int) {
        self.tokens = tokens
        self.position = 0
        self.end = tokens.count
        self.locator = locator
        self.text = text
        self.texCount = texCount
        self.depthLimit = depthLimit
    }

    // MARK: Entry

    /// Parses `tokens[start..<stop]` as one whole expression.
    /// Leaves `position` where it was.
    mutating func parseOperand(_ start: Int, _ stop: Int) -> MathExpression {
        let savedEnd = end
        let savedPosition = position
        position = start
        end = stop
        defer {
            end = savedEnd
            position = savedPosition
        }
        guard start < stop else {
            let location = start < tokens.count ? tokens[start].start : (tokens.last?.end ?? 0)
            return uninterpretable(MathSyntaxMessages.expectedExpression, location, location)
        }
        if stop - start == 1, !abandoned, depth + 2 <= depthLimit {
            // One number or letter: what the descent would make of it, without the descent
            // (it enters two levels; nothing follows the token, so no script, call or name).
            let token = tokens[start]
            switch token.kind {
            case .number:
                return node(.number(text.string(token)), token.start, token.end)
            case .letter:
                return symbolNode(MathSymbol(name: text.string(token)), token.start, token.end)
            case .command where token.command == .letter && startsFactor(token):
                return symbolNode(MathSymbol(name: "\\" + text.string(token)), token.start, token.end)
            default:
                break
            }
        }
        let expression = parseExpression()
        if position < stop {
            if abandoned { return expression }
            let token = tokens[position]
            return uninterpretable(MathSyntaxMessages.unexpected(spelling(token)), tokens[start].start, tokens[stop - 1].end)
        }
        return expression
    }

    // MARK: Levels

    mutating func parseExpression() -> MathExpression {
        guard enter() else { return tooDeep() }
        defer { depth -= 1 }
        var lhs: MathExpression
        if let sign = current, sign.isPunctuation("-") || sign.isPunctuation("+") {
            position += 1
            let operand = parseTermOrMissing(after: sign.isPunctuation("-") ? "-" : "+")
            lhs = node(sign.isPunctuation("-") ? .negation(operand) : .positive(operand), sign.start, operand.range)
        } else if let sign = current, text.isCommand(sign, "pm") || text.isCommand(sign, "mp") {
            position += 1
            let operand = parseTermOrMissing(after: "\\pm")
            lhs = uninterpretable(MathSyntaxMessages.unexpected("\\\(text.string(sign))"), sign.start, offset(operand.range))
        } else {
            lhs = parseTermOrMissing(after: nil)
        }
        var chain = 0
        defer { depth -= chain }
        while let token = current, !abandoned {
            let op: BinaryOperator
            if token.isPunctuation("+") { op = .add }
            else if token.isPunctuation("-") { op = .subtract }
            else if text.isCommand(token, "pm") || text.isCommand(token, "mp") { op = .plusMinus }
            else { break }
            guard enterChain(&chain) else {
                chain -= 1
                let rest = tooDeep()
                return node(.binary(op, lhs, rest), lhs.range, rest.range)
            }
            position += 1
            var rhs: MathExpression
            if op == .add, let sign = current, sign.isPunctuation("-") {
                // `0.0553 + -0.0190`, as worked examples print a negative term.
                position += 1
                let operand = parseTermOrMissing(after: "-")
                rhs = node(.negation(operand), sign.start, operand.range)
            } else {
                rhs = parseTermOrMissing(after: op.rawValue)
            }
            lhs = node(.binary(op, lhs, rhs), lhs.range, rhs.range)
        }
        return lhs
    }

    mutating func parseTermOrMissing(after what: String?) -> MathExpression {
        if let token = current, startsFactor(token) { return parseTerm() }
        let location = current?.start ?? (position > 0 ? tokens[min(position, tokens.count) - 1].end : 0)
        return uninterpretable(what.map(MathSyntaxMessages.expectedExpression(after:)) ?? MathSyntaxMessages.expectedExpression,
                               location, location)
    }

    /// Products and quotients, explicit or by juxtaposition.
    mutating func parseTerm() -> MathExpression {
        var lhs = parseRun()
        var chain = 0
        defer { depth -= chain }
        while let token = current, !abandoned, let op = explicitProduct(token) {
            guard enterChain(&chain) else {
                chain -= 1
                let rest = tooDeep()
                return node(.binary(op, lhs, rest), lhs.range, rest.range)
            }
            position += 1
            var rhs: MathExpression
            if let sign = current, sign.isPunctuation("-") {
                position += 1
                let operand = parseRunOrMissing(after: op.rawValue)
                rhs = node(.negation(operand), sign.start, operand.range)
            } else {
                rhs = parseRunOrMissing(after: op.rawValue)
            }
            lhs = node(.binary(op, lhs, rhs), lhs.range, rhs.range)
        }
        return lhs
    }

    mutating func parseRunOrMissing(after what: String) -> MathExpression {
        if let token = current, startsFactor(token) { return parseRun() }
        let location = current?.start ?? tokens[max(0, position - 1)].end
        return uninterpretable(MathSyntaxMessages.expectedExpression(after: what), location, location)
    }

    func explicitProduct(_ token: MathToken) -> BinaryOperator? {
        switch token.kind {
        case .punctuation:
            switch token.byte {
            case UInt8(ascii: "/"): return .slash
            case UInt8(ascii: "*"): return .asterisk
            default: return nil
            }
        case .command:
            guard token.flags.contains(.notFactor) else { return nil }
            return token.vocabulary?.product
        default: return nil
        }
    }

    /// Juxtaposed factors: `2x`, `w_2 x_1`, `(a)(b)`.
    mutating func parseRun() -> MathExpression {
        var lhs = parseFactor()
        var chain = 0
        defer { depth -= chain }
        while let token = current, !abandoned, startsFactor(token) {
            guard enterChain(&chain) else {
                chain -= 1
                let rest = tooDeep()
                return node(.binary(.implicitProduct, lhs, rest), lhs.range, rest.range)
            }
            let rhs = parseFactor()
            lhs = node(.binary(.implicitProduct, lhs, rhs), lhs.range, rhs.range)
        }
        return lhs
    }

    // MARK: Arguments and balancing

    struct Argument {
        var contentStart: Int
        var contentEnd: Int
        /// Byte offset just past the argument.
        var end: Int
        /// Token index just past the argument.
        var nextIndex: Int
    }

    /// A TeX argument at `position`: a brace group or a single token (a digit of a number).
    /// Advances past it.
    mutating func takeArgument() -> Argument? {
        guard let token = current else { return nil }
        if token.isOpeningBrace {
            guard let close = matchingBrace(position) else {
                let start = position + 1
                position = end
                diagnose(MathSyntaxMessages.missingClosing("}"), token.start, token.end)
                return Argument(contentStart: start, contentEnd: end, end: tokens[end - 1].end, nextIndex: end)
            }
            let argument = Argument(contentStart: position + 1, contentEnd: close, end: tokens[close].end, nextIndex: close + 1)
            position = close + 1
            return argument
        }
        if token.kind == .command, token.vocabulary?.isFontOrDecoration == true || token.vocabulary?.takesRawArgument == true
            || text.equals(token, "text") || text.equals(token, "mathrm") || text.equals(token, "operatorname") {
            // `^\mathsf{T}`, `_\text{out}`: the command with its argument.
            let start = position
            position += 1
            if let next = current, next.kind == .raw {
                position += 1
            } else if let next = current, next.isOpeningBrace, let close = matchingBrace(position) {
                position = close + 1
            } else if current != nil {
                position += 1
            }
            return Argument(contentStart: start, contentEnd: position, end: tokens[position - 1].end, nextIndex: position)
        }
        if token.isClosingBrace || token.isPunctuation("^") || token.isPunctuation("_") || token.isPunctuation("&")
            || text.isCommand(token, "\\") || token.kind == .end {
            return nil
        }
        position += 1
        if token.kind == .letter, let next = current, next.kind == .number, next.start == token.end,
           names.contains(text.string(token) + text.string(next)) {
            // `E_y1` in a note that writes `y1` as one label: the subscript is the whole label.
            position += 1
            return Argument(contentStart: position - 2, contentEnd: position, end: next.end, nextIndex: position)
        }
        return Argument(contentStart: position - 1, contentEnd: position, end: token.end, nextIndex: position)
    }

    func braceRange(at index: Int) -> Argument? {
        guard index < end, tokens[index].isOpeningBrace, let close = matchingBrace(index) else { return nil }
        return Argument(contentStart: index + 1, contentEnd: close, end: tokens[close].end, nextIndex: close + 1)
    }

    /// The `}` matching the `{` at `index`, within the operand.
    func matchingBrace(_ index: Int) -> Int? {
        var level = 0
        var cursor = index
        while cursor < end {
            let token = tokens[cursor]
            if token.isOpeningBrace { level += 1 }
            else if token.isClosingBrace {
                level -= 1
                if level == 0 { return cursor }
            }
            cursor += 1
        }
        return nil
    }

    func matchingEnd(_ index: Int) -> Int? {
        var level = 0
        var cursor = index
        let begin = tokens[index]
        while cursor < end {
            let token = tokens[cursor]
            if token.kind == .begin { level += 1 }
            else if token.kind == .end {
                level -= 1
                if level == 0 { return text.sameText(token, begin) ? cursor : nil }
            }
            cursor += 1
        }
        return nil
    }

    /// Skips a brace group iteratively; returns the end offset.
    mutating func skipBalanced() -> Int {
        let start = position
        guard let close = matchingBrace(position) else {
            position = end
            return tokens[end - 1].end
        }
        position = close + 1
        return max(tokens[start].end, tokens[close].end)
    }

    mutating func skipScripts(_ initialEnd: Int) -> Int {
        var stop = initialEnd
        while let token = current, token.isPunctuation("_") || token.isPunctuation("^") {
            position += 1
            guard let argument = takeArgument() else { break }
            stop = argument.end
        }
        return stop
    }

    func isOpener(_ token: MathToken) -> Bool { token.flags.contains(.opener) }

    func isCloser(_ token: MathToken) -> Bool { token.flags.contains(.closer) }

    // MARK: Nodes and diagnostics

    var current: MathToken? { position < end ? tokens[position] : nil }

    /// Counts one more link of a left-deep chain (`a - b - c …`) as depth, so that a
    /// very long chain cannot build a tree too deep to walk; `chain` tracks what to give back.
    mutating func enterChain(_ chain: inout Int) -> Bool {
        chain += 1
        return enter()
    }

    mutating func enter() -> Bool {
        depth += 1
        if depth > depthLimit || abandoned {
            return false
        }
        return true
    }

    /// Call after a failed `enter()` or `enterChain()`, whose count it gives back.
    mutating func tooDeep() -> MathExpression {
        depth -= 1
        let start = position < tokens.count ? tokens[position].start : (tokens.last?.end ?? 0)
        let stop = tokens.isEmpty ? 0 : tokens[max(0, end - 1)].end
        if !abandoned {
            abandoned = true
            diagnostics.append(MathSyntaxMessages.tooDeepDiagnostic(limit: depthLimit, at: locator.range(start, stop)))
        }
        position = end
        return MathExpression(.uninterpretable(reason: MathSyntaxMessages.tooDeep(limit: depthLimit),
                                               tex: source(start, stop)), range: locator.range(start, stop))
    }

    func node(_ kind: MathExpression.Kind, _ start: Int, _ end: Int) -> MathExpression {
        MathExpression(kind, range: locator.range(start, end))
    }

    func node(_ kind: MathExpression.Kind, _ start: Int, _ last: SourceRange) -> MathExpression {
        MathExpression(kind, range: locator.range(start, offset(last) + last.byteCount))
    }

    func node(_ kind: MathExpression.Kind, _ first: SourceRange, _ last: SourceRange) -> MathExpression {
        MathExpression(kind, range: SourceRange(start: first.start, end: max(first.end, last.end)))
    }

    func symbolNode(_ symbol: MathSymbol, _ start: Int, _ end: Int) -> MathExpression {
        node(.symbol(symbol), start, end)
    }

    /// The tex-local offset of a range's start.
    func offset(_ range: SourceRange) -> Int { range.start.offset - locator.baseOffset }

    mutating func uninterpretable(_ reason: String, _ start: Int, _ end: Int) -> MathExpression {
        let range = locator.range(start, end)
        if !abandoned { diagnostics.append(MathSyntaxMessages.diagnostic(reason, at: range)) }
        return MathExpression(.uninterpretable(reason: reason, tex: source(start, end)), range: range)
    }

    mutating func diagnose(_ reason: String, _ start: Int, _ end: Int) {
        if !abandoned { diagnostics.append(MathSyntaxMessages.diagnostic(reason, at: locator.range(start, end))) }
    }

    /// The tex between two offsets.
    func source(_ start: Int, _ end: Int) -> String {
        let low = min(max(0, start), texCount)
        let high = min(max(low, end), texCount)
        return String(decoding: text.bytes[low..<high], as: UTF8.self)
    }

    func spelling(_ token: MathToken) -> String {
        switch token.kind {
        case .command: "\\" + text.string(token)
        case .begin: "\\begin{\(text.string(token))}"
        case .end: "\\end{\(text.string(token))}"
        default: text.string(token)
        }
    }
}

extension MathExpression {
    /// `1 - 1`, `2 \cdot 3`: numbers and operators only, so `w^{(1 - 1)}` is a power, not a label.
    var isArithmeticOfNumbers: Bool {
        switch kind {
        case .binary(_, let lhs, let rhs):
            return (lhs.isArithmeticOfNumbers || lhs.isNumber) && (rhs.isArithmeticOfNumbers || rhs.isNumber)
        case .group(let inner, _), .negation(let inner): return inner.isArithmeticOfNumbers || inner.isNumber
        default: return false
        }
    }

    var isNumber: Bool {
        if case .number = kind { return true }
        return false
    }

    var isSymbol: Bool { if case .symbol = kind { true } else { false } }
    /// The symbol when the node is one.
    var symbol: MathSymbol? { if case .symbol(let symbol) = kind { symbol } else { nil } }
}
