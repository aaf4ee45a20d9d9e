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
    private var depth = 0
    /// Set after the depth limit was hit: everything left is skipped quietly.
    private(set) var abandoned = false
    /// `|` and `\|` currently open, so that the next one closes.
    private var openBars = 0
    private var openDoubleBars = 0

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
            return uninterpretable(MathDiagnostics.expectedExpression, location, location)
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
            return uninterpretable(MathDiagnostics.unexpected(spelling(token)), tokens[start].start, tokens[stop - 1].end)
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
            lhs = uninterpretable(MathDiagnostics.unexpected("\\\(text.string(sign))"), sign.start, offset(operand.range))
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

    private mutating func parseTermOrMissing(after what: String?) -> MathExpression {
        if let token = current, startsFactor(token) { return parseTerm() }
        let location = current?.start ?? (position > 0 ? tokens[min(position, tokens.count) - 1].end : 0)
        return uninterpretable(what.map(MathDiagnostics.expectedExpression(after:)) ?? MathDiagnostics.expectedExpression,
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

    private mutating func parseRunOrMissing(after what: String) -> MathExpression {
        if let token = current, startsFactor(token) { return parseRun() }
        let location = current?.start ?? tokens[max(0, position - 1)].end
        return uninterpretable(MathDiagnostics.expectedExpression(after: what), location, location)
    }

    private func explicitProduct(_ token: MathToken) -> BinaryOperator? {
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

    // MARK: Factors

    func startsFactor(_ token: MathToken) -> Bool {
        switch token.kind {
        case .letter, .number, .ellipsis, .begin: return true
        case .end, .raw: return false
        case .punctuation:
            switch token.byte {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): return true
            case UInt8(ascii: "|"): return openBars == 0
            default: return false
            }
        case .command:
            let flags = token.flags
            if flags.contains(.doubleBar) { return openDoubleBars == 0 }
            if flags.contains(.bar) { return openBars == 0 }
            // `\bigg)` sizes a closing bracket: it ends the run, as the `)` would.
            if case .sizer? = token.vocabulary?.kind, position + 1 < end, tokens[position].start == token.start,
               tokens[position + 1].isPunctuation(")") || tokens[position + 1].isPunctuation("]") {
                return false
            }
            return !flags.contains(.notFactor)
        }
    }

    mutating func parseFactor() -> MathExpression {
        guard enter() else { return tooDeep() }
        defer { depth -= 1 }
        guard let token = current else {
            let location = tokens.last?.end ?? 0
            return uninterpretable(MathDiagnostics.expectedExpression, location, location)
        }
        switch token.kind {
        case .number:
            position += 1
            return parsePostfix(node(.number(text.string(token)), token.start, token.end))
        case .letter:
            if let (word, next) = declaredName(at: position, limit: end) {
                position = next
                return parsePostfix(symbolNamed: word, token.start, tokens[next - 1].end)
            }
            if digitsIndexLetters, token.isASCII, position + 1 < end, tokens[position + 1].kind == .number,
               tokens[position + 1].start == token.end, let digits = gluedDigits(tokens[position + 1]) {
                // `w5`: the note writes indices as digits glued to the letter.
                position += 2
                let symbol = MathSymbol(name: text.string(token), indices: digits)
                return parsePostfix(symbolNode(symbol, token.start, tokens[position - 1].end))
            }
            position += 1
            return parsePostfix(symbolNamed: text.string(token), token.start, token.end)
        case .ellipsis:
            position += 1
            return node(.elided(.horizontal), token.start, token.end)
        case .begin:
            return parsePostfix(parseEnvironment())
        case .punctuation:
            switch token.byte {
            case UInt8(ascii: "("): return parsePostfix(parseBracketed(.bracket(.parenthesis), start: token.start))
            case UInt8(ascii: "["): return parsePostfix(parseBracketed(.bracket(.square), start: token.start))
            case UInt8(ascii: "{"): return parsePostfix(parseBraceGroup())
            case UInt8(ascii: "|"): return parsePostfix(parseBracketed(.bar, start: token.start))
            default:
                position += 1
                return uninterpretable(MathDiagnostics.unexpected(text.string(token)), token.start, token.end)
            }
        case .command:
            return parseCommand(token)
        case .end, .raw:
            position += 1
            return uninterpretable(MathDiagnostics.unexpected(spelling(token)), token.start, token.end)
        }
    }

    private mutating func parseCommand(_ token: MathToken) -> MathExpression {
        var name: String { text.string(token) }
        switch token.command {
        case .letter:
            position += 1
            return parsePostfix(symbolNamed: "\\" + name, token.start, token.end)
        case .elision(let elision):
            position += 1
            return node(.elided(elision), token.start, token.end)
        case .opening(let opening):
            return parsePostfix(parseBracketed(opening, start: token.start))
        case .font(let style):
            return parsePostfix(parseFont(style, token))
        case .decoration(let decoration):
            return parsePostfix(parseDecoration(decoration, token))
        case .function:
            position += 1
            return parseCall(name: name, isOperatorName: false, start: token.start)
        case .fraction:
            return parsePostfix(parseFraction(token))
        case .root:
            return parsePostfix(parseRoot(token))
        case .bigOperator(let operation):
            return parseBigOperator(token, operation)
        case .nabla:
            return parseNabla(token)
        case .partial:
            return parsePartialSubscriptForm(token)
        case .operatorName:
            position += 1
            guard let raw = current, raw.kind == .raw else {
                return uninterpretable(MathDiagnostics.missingArgument(name), token.start, token.end)
            }
            position += 1
            return parseCall(name: text.string(raw).trimmingCharacters(in: " "), isOperatorName: true, start: token.start)
        case .text:
            position += 1
            guard let raw = current, raw.kind == .raw else {
                return uninterpretable(MathDiagnostics.missingArgument(name), token.start, token.end)
            }
            position += 1
            let word = text.string(raw)
            // `\text{ReLU}'(x)`: the derivative of a function named in text, applied.
            var primes = 0
            var primeEnd = raw.end
            while let next = current, next.isPunctuation("'") {
                position += 1
                primes += 1
                primeEnd = next.end
            }
            if primes > 0 {
                guard !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                    return uninterpretable(MathDiagnostics.unexpected("'"), token.start, primeEnd)
                }
                let function = node(.symbol(MathSymbol(name: word, style: .roman)), token.start, raw.end)
                return parseApplicationIfAny(node(.prime(function, count: primes), token.start, primeEnd))
            }
            let textNode = node(.text(word), token.start, raw.end)
            return parseApplicationIfAny(textNode)
        case .left:
            return parsePostfix(parseLeftRight(token))
        case .sizer:
            position += 1
            guard let next = current else { return uninterpretable(MathDiagnostics.missingArgument(name), token.start, token.end) }
            return parseFactor(startingAt: next, sizedFrom: token.start)
        case .integral:
            position += 1
            let end = skipScripts(token.end)
            return uninterpretable(MathDiagnostics.unsupportedCommand(name, MathDiagnostics.integral), token.start, end)
        case .prime:
            position += 1
            return uninterpretable(MathDiagnostics.unexpected("\\prime"), token.start, token.end)
        case .other:
            position += 1
            // An unknown command takes its brace arguments with it.
            var end = token.end
            while let next = current, next.isOpeningBrace {
                end = skipBalanced()
            }
            while let next = current, next.kind == .raw {
                end = next.end
                position += 1
            }
            return uninterpretable(MathDiagnostics.unknownCommand(name), token.start, end)
        }
    }

    /// After a sizing command (`\bigl`): the delimiter that follows.
    private mutating func parseFactor(startingAt token: MathToken, sizedFrom start: Int) -> MathExpression {
        if token.isPunctuation("(") { return parsePostfix(parseBracketed(.bracket(.parenthesis), start: start)) }
        if token.isPunctuation("[") { return parsePostfix(parseBracketed(.bracket(.square), start: start)) }
        if token.isPunctuation("|") { return parsePostfix(parseBracketed(.bar, start: start)) }
        if token.kind == .command, let opening = token.vocabulary?.opening {
            return parsePostfix(parseBracketed(opening, start: start))
        }
        return uninterpretable(MathDiagnostics.unexpected(spelling(token)), start, token.end)
    }

    // MARK: Symbols, scripts, primes

    /// Scripts, primes and an argument list after a base.
    mutating func parsePostfix(_ base: MathExpression) -> MathExpression {
        parsePostfix(base: base, name: nil, start: 0, end: 0)
    }

    /// Scripts, primes and an argument list after the plain symbol `name` written at `start..<end`,
    /// which becomes a node only once its indices are known (one node rather than two).
    mutating func parsePostfix(symbolNamed name: String, _ start: Int, _ end: Int) -> MathExpression {
        parsePostfix(base: nil, name: name, start: start, end: end)
    }

    /// `base`, or (when `nil`) the plain symbol `name` at `symbolStart..<symbolEnd`, with what follows.
    private mutating func parsePostfix(base: MathExpression?, name: String?, start symbolStart: Int,
                                       end symbolEnd: Int) -> MathExpression {
        var subscriptRange: (Int, Int)?
        var superscript: (start: Int, end: Int, contentStart: Int, contentEnd: Int)?
        var primes = 0
        let baseStart = base?.range.start.offset
        var lastEnd: Int
        if let baseStart, let baseEnd = base?.range.end.offset {
            lastEnd = baseStart - locator.baseOffset + max(0, baseEnd - baseStart)
        } else {
            lastEnd = max(symbolStart, symbolEnd)
        }
        let baseIsSymbol = base?.isSymbol ?? true
        var trouble: String?
        while let token = current, !abandoned {
            if token.isPunctuation("_") {
                position += 1
                guard let argument = takeArgument() else { trouble = MathDiagnostics.missingArgument("_"); break }
                if subscriptRange != nil || superscript != nil && baseIsSymbol == false { trouble = MathDiagnostics.doubleSubscript }
                if subscriptRange != nil { trouble = MathDiagnostics.doubleSubscript }
                subscriptRange = (argument.contentStart, argument.contentEnd)
                lastEnd = argument.end
            } else if token.isPunctuation("^") {
                position += 1
                // `e^-x`: TeX raises only the minus, but its writer means `e^{-x}`.
                var signed: Argument?
                if let minus = current, minus.isPunctuation("-"), position + 1 < end,
                   tokens[position + 1].kind == .letter || tokens[position + 1].kind == .number,
                   tokens[position + 1].start == minus.end {
                    signed = Argument(contentStart: position, contentEnd: position + 2, end: tokens[position + 1].end, nextIndex: position + 2)
                    position += 2
                }
                guard let argument = signed ?? takeArgument() else { trouble = MathDiagnostics.missingArgument("^"); break }
                if isPrimeSuperscript(argument.contentStart, argument.contentEnd) {
                    primes += argument.contentEnd - argument.contentStart
                } else {
                    if superscript != nil { trouble = MathDiagnostics.doubleSuperscript }
                    superscript = (token.start, argument.end, argument.contentStart, argument.contentEnd)
                }
                lastEnd = argument.end
            } else if token.isPunctuation("'") {
                position += 1
                primes += 1
                lastEnd = token.end
            } else {
                break
            }
        }
        let start = baseStart.map { $0 - locator.baseOffset } ?? symbolStart
        if let trouble {
            return uninterpretable(trouble, start, lastEnd)
        }
        // The result so far: while `pending` is set, still the base symbol (with `pendingIndices`,
        // ending at `pendingEnd`); else `result`.
        var pending = name
        var pendingIndices: [MathExpression] = []
        var pendingEnd = symbolEnd
        var result = base
        if let (from, to) = subscriptRange {
            if pending != nil {
                pendingIndices = parseIndices(from, to)
                pendingEnd = to == from ? lastEnd : tokens[to - 1].end + closingBraceWidth(to)
            } else if let made = result {
                if case .symbol(var symbol) = made.kind {
                    symbol.indices = parseIndices(from, to)
                    result = node(.symbol(symbol), start, to == from ? lastEnd : tokens[to - 1].end + closingBraceWidth(to))
                } else {
                    let sub = parseOperand(from, to)
                    result = node(.subscripted(made, subscript: sub), start, sub.range)
                }
            }
        }
        if let name = pending, primes > 0 || superscript != nil {
            result = node(.symbol(MathSymbol(name: name, indices: pendingIndices)), start, pendingEnd)
            pending = nil
        }
        if let name = pending {
            return parseApplicationIfAny(node(.symbol(MathSymbol(name: name, indices: pendingIndices)), start, pendingEnd))
        }
        // Callers pass a base or a name, so there is always a result; a guard keeps it so.
        guard var made = result else {
            return uninterpretable(MathDiagnostics.expectedExpression(after: "a script"), start, start)
        }
        if primes > 0 {
            made = node(.prime(made, count: primes), start, lastEnd)
        }
        if let superscript, case .symbol(var symbol) = made.kind,
           let label = textLabel(superscript.contentStart, superscript.contentEnd) {
            // `x^*`, `i^{th}`: labels, never powers.
            symbol.label = node(.text(label), tokens[superscript.contentStart].start, tokens[superscript.contentEnd - 1].end)
            made = node(.symbol(symbol), start, superscript.end)
        } else if let superscript {
            let exponent = parseOperand(superscript.contentStart, superscript.contentEnd)
            made = classifySuperscript(made, exponent, start: start, end: superscript.end,
                                       contentStart: superscript.contentStart, contentEnd: superscript.contentEnd)
        }
        return parseApplicationIfAny(made)
    }

    /// `g(a)`, `g'(a)`, `\text{softmax}(z)`: a symbol-like base followed by parentheses.
    private mutating func parseApplicationIfAny(_ base: MathExpression) -> MathExpression {
        guard let token = current, !abandoned else { return base }
        let opensParenthesis = token.isPunctuation("(")
            || (text.isCommand(token, "left") && position + 1 < end && tokens[position + 1].isPunctuation("("))
        guard opensParenthesis else { return base }
        switch base.kind {
        case .symbol, .text:
            var head = base
            if case .text(let word) = base.kind, !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber }) {
                // `\text{Cost}(…)`: a function's name, as `\mathrm{Cost}` would be.
                head = MathExpression(.symbol(MathSymbol(name: word, style: .roman)), range: base.range)
            }
            let arguments = parseArgumentList()
            let applied = node(.applicationOrProduct(head, arguments: arguments.items), offset(base.range), arguments.end)
            return parseEntrySubscript(of: applied)
        case .prime:
            let arguments = parseArgumentList()
            return node(.application(function: base, arguments: arguments.items), offset(base.range), arguments.end)
        default:
            return base
        }
    }

    /// `\text{softmax}(z)_i`: an entry of a function's value.
    private mutating func parseEntrySubscript(of applied: MathExpression) -> MathExpression {
        guard let token = current, token.isPunctuation("_") else { return applied }
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument("_"), offset(applied.range), token.end)
        }
        let index = parseOperand(argument.contentStart, argument.contentEnd)
        return node(.subscripted(applied, subscript: index), offset(applied.range), argument.end)
    }

    /// `( a, b )` as a list of arguments.
    private mutating func parseArgumentList() -> (items: [MathExpression], end: Int) {
        let start = current?.start ?? 0
        if let token = current, !text.isCommand(token, "left") {
            // `( … )`: the items themselves, without making the group or tuple node around them.
            position += 1
            switch parseBracketItems(.bracket(.parenthesis), start: start, sized: false) {
            case .failed(let problem):
                return ([problem], offset(problem.range) + problem.range.byteCount)
            case .items(let first, let items, _, let closeEnd):
                if let only = first { return ([only], max(start, closeEnd)) }
                return (items, max(start, closeEnd))
            }
        }
        let group = parseBracketedOrLeftRight(start: start)
        switch group.kind {
        case .group(let inner, _): return ([inner], offset(group.range) + group.range.byteCount)
        case .tuple(let items, _): return (items, offset(group.range) + group.range.byteCount)
        default: return ([group], offset(group.range) + group.range.byteCount)
        }
    }

    private mutating func parseBracketedOrLeftRight(start: Int) -> MathExpression {
        if let token = current, text.isCommand(token, "left") { return parseLeftRight(token) }
        return parseBracketed(.bracket(.parenthesis), start: start)
    }

    private func isPrimeSuperscript(_ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        return tokens[from..<to].allSatisfy { text.isCommand($0, "prime") }
    }

    /// Decides what a superscript means; see docs/math-language.md, "Superscripts".
    private mutating func classifySuperscript(_ base: MathExpression, _ exponent: MathExpression, start: Int, end: Int,
                                              contentStart: Int, contentEnd: Int) -> MathExpression {
        if isTransposeMark(exponent) {
            return node(.transpose(base), start, end)
        }
        guard case .symbol(var symbol) = base.kind else {
            return node(.power(base, exponent: exponent), start, end)
        }
        // `W^{(l)}`, `W^{[l]}`: brackets make a layer label.
        if case .group(let inner, let bracket) = exponent.kind, bracket == .parenthesis || bracket == .square,
           symbol.label == nil, !inner.isArithmeticOfNumbers {
            symbol.label = inner
            return node(.symbol(symbol), start, end)
        }
        // `x^{\text{out}}`: a label.
        if case .text = exponent.kind {
            symbol.label = exponent
            return node(.symbol(symbol), start, end)
        }
        // `e^{x}`: Euler's number.
        if symbol.name == "e", symbol.isBareLetter {
            return node(.power(base, exponent: exponent), start, end)
        }
        if Self.couldBeLabel(exponent) {
            return node(.powerOrLabel(base: base, superscript: exponent), start, end)
        }
        return node(.power(base, exponent: exponent), start, end)
    }

    /// A superscript a layer label could be: a whole number, a symbol, or `l ± 1`.
    static func couldBeLabel(_ exponent: MathExpression) -> Bool {
        switch exponent.kind {
        case .number(let text): return !text.contains(".")
        case .symbol: return true
        case .binary(let op, let lhs, let rhs):
            guard op == .add || op == .subtract else { return false }
            if case .symbol = lhs.kind, case .number = rhs.kind { return true }
            return false
        default: return false
        }
    }

    private func isTransposeMark(_ exponent: MathExpression) -> Bool {
        guard case .symbol(let symbol) = exponent.kind, symbol.indices.isEmpty, symbol.label == nil,
              symbol.decorations.isEmpty else { return false }
        return symbol.name == "T" || symbol.name == "\\top" || symbol.name == "\\intercal" || symbol.name == "\\mathsf{T}"
    }

    private func textLabel(_ from: Int, _ to: Int) -> String? {
        guard from < to else { return nil }
        if to - from == 1, tokens[from].isPunctuation("*") || text.isCommand(tokens[from], "ast") || text.isCommand(tokens[from], "star") {
            return "*"
        }
        // `w^+`: the updated weight.
        if to - from == 1, tokens[from].isPunctuation("+") { return "+" }
        let letters = tokens[from..<to]
        guard letters.allSatisfy({ $0.kind == .letter }) else { return nil }
        if letters.allSatisfy(\.isASCII) {
            // ASCII letters are one byte each: only two of them can spell an ordinal suffix.
            guard to - from == 2 else { return nil }
            let first = text.bytes[Int(tokens[from].textStart)]
            let second = text.bytes[Int(tokens[from + 1].textStart)]
            switch (first, second) {
            case (UInt8(ascii: "t"), UInt8(ascii: "h")), (UInt8(ascii: "s"), UInt8(ascii: "t")),
                 (UInt8(ascii: "n"), UInt8(ascii: "d")), (UInt8(ascii: "r"), UInt8(ascii: "d")):
                return text.string(tokens[from]) + text.string(tokens[from + 1])
            default:
                return nil
            }
        }
        let word = letters.map { text.string($0) }.joined()
        return ["th", "st", "nd", "rd"].contains(word) ? word : nil
    }

    /// Index rule (docs/math-language.md, "Indices"): commas separate; without commas a
    /// run of single letters and digits is one index per character; otherwise one index.
    private mutating func parseIndices(_ from: Int, _ to: Int) -> [MathExpression] {
        guard from < to else { return [] }
        if tokens[from..<to].allSatisfy({ $0.kind == .letter || $0.kind == .number
            || ($0.kind == .command && $0.command == .letter) }) {
            var indices: [MathExpression] = []
            indices.reserveCapacity(to - from + 1)
            var cursor = from
            while cursor < to {
                let token = tokens[cursor]
                cursor += 1
                if token.kind == .letter, let (word, next) = declaredName(at: cursor - 1, limit: to) {
                    indices.append(symbolNode(MathSymbol(name: word), token.start, tokens[next - 1].end))
                    cursor = next
                    continue
                }
                switch token.kind {
                case .number:
                    // A number's text is ASCII digits and `.`: one character per byte.
                    var offset = token.start
                    for textIndex in Int(token.textStart)..<Int(token.textEnd) {
                        let character = oneCharacterStrings[Int(text.bytes[textIndex] & 0x7f)]
                        indices.append(node(.number(character), offset, offset + 1))
                        offset += 1
                    }
                case .letter:
                    indices.append(symbolNode(MathSymbol(name: text.string(token)), token.start, token.end))
                default:
                    indices.append(symbolNode(MathSymbol(name: "\\" + text.string(token)), token.start, token.end))
                }
            }
            return indices
        }
        // Parts are read as they are found (parsing leaves `position` and `end` as they were),
        // into an array sized by a first count of the top-level commas: one allocation.
        var parts = 1
        var level = 0
        for index in from..<to {
            let token = tokens[index]
            if isOpener(token) { level += 1 } else if isCloser(token) { level = max(0, level - 1) }
            if level == 0, token.isPunctuation(",") { parts += 1 }
        }
        var indices: [MathExpression] = []
        indices.reserveCapacity(parts)
        level = 0
        var partStart = from
        for index in from...to {
            if index < to {
                let token = tokens[index]
                if isOpener(token) { level += 1 } else if isCloser(token) { level = max(0, level - 1) }
                guard level == 0, token.isPunctuation(",") else { continue }
            }
            indices.append(parseIndex(partStart, index))
            partStart = index + 1
        }
        return indices
    }

    /// One comma-separated index: `*` is a wildcard, `(i+1)` loses its parentheses.
    private mutating func parseIndex(_ from: Int, _ to: Int) -> MathExpression {
        if to - from == 1, tokens[from].isPunctuation("*") || text.isCommand(tokens[from], "ast") {
            return node(.wildcard, tokens[from].start, tokens[from].end)
        }
        let index = parseOperand(from, to)
        if case .group(let inner, .parenthesis) = index.kind { return inner }
        // `w_\text{h}`, `w_{\textrm{h}}`: a word in a subscript names, as `w_\mathrm{h}` does.
        if case .text(let word) = index.kind, !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber }) {
            return symbolNode(MathSymbol(name: word, style: .roman), tokens[from].start, tokens[to - 1].end)
        }
        return index
    }

    /// The longest declared multi-letter name written with adjacent letters at `index`,
    /// possibly ending in digits (`h1`, a label the note declared or `NoteNotation` inferred).
    private func declaredName(at index: Int, limit: Int) -> (String, Int)? {
        guard !names.isEmpty else { return nil }
        var word = ""
        var best: (String, Int)?
        var cursor = index
        while cursor < limit, tokens[cursor].kind == .letter, tokens[cursor].textLength == 1,
              cursor == index || tokens[cursor].start == tokens[cursor - 1].end {
            word += text.string(tokens[cursor])
            cursor += 1
            if cursor - index >= 2, names.contains(word) { best = (word, cursor) }
        }
        if cursor < limit, cursor > index, tokens[cursor].kind == .number, tokens[cursor].start == tokens[cursor - 1].end {
            let labelled = word + text.string(tokens[cursor])
            if names.contains(labelled) { best = (labelled, cursor + 1) }
        }
        return best
    }

    /// The digits of a whole number glued to a letter, one index each (`w11` is `w_{11}`, as `w_{11}` is 1, 1).
    private func gluedDigits(_ token: MathToken) -> [MathExpression]? {
        let digits = text.string(token)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var offset = token.start
        return digits.utf8.map { byte in
            defer { offset += 1 }
            return node(.number(oneCharacterStrings[Int(byte & 0x7f)]), offset, offset + 1)
        }
    }

    private func closingBraceWidth(_ index: Int) -> Int {
        index < tokens.count && tokens[index].isClosingBrace ? 1 : 0
    }

    // MARK: Fonts and accents

    private mutating func parseFont(_ style: MathSymbol.Style, _ token: MathToken) -> MathExpression {
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument(text.string(token)), token.start, token.end)
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
        return uninterpretable(MathDiagnostics.fontOverExpression, token.start, argument.end)
    }

    /// `\mathbb{1}(x \geq y)`, `\mathbb{1}[z > 0]`: 1 where the comparison holds, else 0 (the
    /// derivative of max and ReLU as notes write it). Nil, with nothing read, when no
    /// bracket holding one comparison follows.
    private mutating func parseIndicator(start: Int) -> MathExpression? {
        // `\mathbf{1}_{x > 0}`: the comparison as a subscript.
        let subscripted = current?.isPunctuation("_") == true && position + 1 < end && tokens[position + 1].isOpeningBrace
        let openIndex = subscripted ? position + 1 : position
        guard openIndex < end else { return nil }
        let open = tokens[openIndex]
        guard subscripted || open.isPunctuation("(") || open.isPunctuation("[") else { return nil }
        let closer: Unicode.Scalar = subscripted ? "}" : open.isPunctuation("(") ? ")" : "]"
        var level = 0
        var close: Int?
        var sign: (first: Int, last: Int, name: String)?
        var cursor = openIndex
        while cursor < end {
            let token = tokens[cursor]
            if token.isOpener { level += 1 } else if token.isCloser { level -= 1 }
            if level == 0 {
                if token.isPunctuation(closer) { close = cursor; break }
            } else if level == 1, sign == nil {
                let next = cursor + 1 < end ? tokens[cursor + 1] : nil
                if token.isPunctuation(">") || token.isPunctuation("<") {
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
        guard let close, let sign, sign.first > openIndex + 1, sign.last + 1 < close else { return nil }
        let left = parseOperand(openIndex + 1, sign.first)
        let right = parseOperand(sign.last + 1, close)
        position = close + 1
        let call = MathCall(name: "1[" + sign.name + "]", arguments: [left, right], bracket: open.isPunctuation("(") ? .parenthesis : .square)
        return node(.call(call), start, tokens[close].end)
    }

    private mutating func parseDecoration(_ decoration: MathSymbol.Decoration, _ token: MathToken) -> MathExpression {
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument(text.string(token)), token.start, token.end)
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
        return uninterpretable(MathDiagnostics.decorationOverExpression, token.start, argument.end)
    }

    // MARK: Brackets

    /// `{ … }` groups invisibly.
    private mutating func parseBraceGroup() -> MathExpression {
        let open = tokens[position]
        guard let close = matchingBrace(position) else {
            position += 1
            let inner = parseExpressionOrEmpty(open)
            diagnose(MathDiagnostics.missingClosing("}"), open.start, open.end)
            return inner
        }
        position += 1
        if position == close {
            position = close + 1
            return uninterpretable(MathDiagnostics.emptyGroup, open.start, tokens[close].end)
        }
        let inner = parseOperand(position, close)
        position = close + 1
        return inner
    }

    private mutating func parseExpressionOrEmpty(_ open: MathToken) -> MathExpression {
        guard let token = current, startsFactor(token) || token.isPunctuation("-") else {
            return uninterpretable(MathDiagnostics.emptyGroup, open.start, open.end)
        }
        return parseExpression()
    }

    /// `( … )`, `[ … ]`, `\{ … \}`, `| … |`, `\| … \|`, with comma lists.
    private mutating func parseBracketed(_ delimiter: Delimiter, start: Int) -> MathExpression {
        position += 1
        return parseBracketBody(delimiter, start: start, sized: false)
    }

    private mutating func parseLeftRight(_ token: MathToken) -> MathExpression {
        position += 1
        guard let delimiterToken = current else {
            return uninterpretable(MathDiagnostics.missingArgument("left"), token.start, token.end)
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
                return uninterpretable(MathDiagnostics.unexpected("\\left."), token.start, end)
            }
            return uninterpretable(MathDiagnostics.unexpected(spelling(delimiterToken), in: "\\left"), token.start, delimiterToken.end)
        }
        return parseBracketBody(delimiter, start: token.start, sized: true)
    }

    private mutating func parseBracketBody(_ delimiter: Delimiter, start: Int, sized: Bool) -> MathExpression {
        switch parseBracketItems(delimiter, start: start, sized: sized) {
        case .failed(let problem):
            return problem
        case .items(let first, let items, let sawComma, let closeEnd):
            switch delimiter {
            case .bar:
                guard let only = first else { return uninterpretable(MathDiagnostics.unexpected(","), start, closeEnd) }
                return node(.absolute(only), start, closeEnd)
            case .doubleBar:
                guard let only = first else { return uninterpretable(MathDiagnostics.unexpected(","), start, closeEnd) }
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
    private enum BracketItems {
        case items(first: MathExpression?, rest: [MathExpression], sawComma: Bool, closeEnd: Int)
        case failed(MathExpression)
    }

    /// Reads the items of a bracket whose opener has been consumed, and its closer.
    private mutating func parseBracketItems(_ delimiter: Delimiter, start: Int, sized: Bool) -> BracketItems {
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
                let item = uninterpretable(MathDiagnostics.expectedExpression, token.start, token.start)
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
                    || token.isPunctuation(">") ? MathDiagnostics.relationInBrackets
                    : MathDiagnostics.unexpected(spelling(token), in: "brackets")
            } ?? MathDiagnostics.missingClosing(closingSpelling(delimiter))
            return .failed(uninterpretable(reason, start, stop))
        }
        let closeEnd = consumeCloser(sized: sized)
        _ = close
        return .items(first: first, rest: items, sawComma: sawComma, closeEnd: closeEnd)
    }

    /// Appends `item` to `items`, moving `first` there before it when it is still held apart.
    private static func add(_ item: MathExpression, to items: inout [MathExpression], after first: inout MathExpression?) {
        if let held = first {
            items.append(held)
            first = nil
        }
        items.append(item)
    }

    private func isBracketClose(_ token: MathToken, sized: Bool) -> Bool {
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
    private mutating func consumeCloser(sized: Bool) -> Int {
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
    private mutating func skipToCloser(sized: Bool) -> Int {
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

    private mutating func skipToRight() -> Int {
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

    private func closingSpelling(_ delimiter: Delimiter) -> String {
        switch delimiter {
        case .bar: "|"
        case .doubleBar: "\\|"
        case .bracket(let bracket): bracket.closing
        }
    }

    // MARK: Functions

    /// `\exp x`, `\tanh^2 z`, `\log_2(x)`, `\max_i x_i`, `\operatorname{softmax}(z)`.
    private mutating func parseCall(name: String, isOperatorName: Bool, start: Int) -> MathExpression {
        // `\tanh'(z)`, `\operatorname{ReLU}'(z)`: the derivative of a named function, applied.
        var primes = 0
        var primeEnd = tokens[position - 1].end
        while let token = current, token.isPunctuation("'") {
            position += 1
            primes += 1
            primeEnd = token.end
        }
        if primes > 0 {
            let written = isOperatorName ? "\\operatorname{\(name)}" : "\\" + name
            let function = node(.prime(node(.symbol(MathSymbol(name: written)), start, tokens[position - primes - 1].end), count: primes),
                                start, primeEnd)
            guard let token = current, token.isPunctuation("(") else {
                return uninterpretable(MathDiagnostics.primeWithoutArgument(name), start, primeEnd)
            }
            let list = parseArgumentList()
            return parsePostfix(node(.application(function: function, arguments: list.items), start, list.end))
        }
        var subscriptExpression: MathExpression?
        var power: MathExpression?
        primes = 0
        var lastEnd = tokens[position - 1].end
        while let token = current, !abandoned {
            if token.isPunctuation("_"), subscriptExpression == nil {
                position += 1
                guard let argument = takeArgument() else { break }
                subscriptExpression = parseOperand(argument.contentStart, argument.contentEnd)
                lastEnd = argument.end
            } else if token.isPunctuation("^"), power == nil {
                position += 1
                guard let argument = takeArgument() else { break }
                if isPrimeSuperscript(argument.contentStart, argument.contentEnd) {
                    primes += argument.contentEnd - argument.contentStart
                } else {
                    power = parseOperand(argument.contentStart, argument.contentEnd)
                }
                lastEnd = argument.end
            } else {
                break
            }
        }
        if name == "lim" || name == "limsup" || name == "liminf" {
            return uninterpretable(MathDiagnostics.unsupportedCommand(name, MathDiagnostics.limit), start, lastEnd)
        }
        var arguments: [MathExpression] = []
        var bracket: MathBracket?
        if let token = current, token.isPunctuation("(")
            || (text.isCommand(token, "left") && position + 1 < end && tokens[position + 1].isPunctuation("(")) {
            let list = parseArgumentList()
            arguments = list.items
            bracket = .parenthesis
            lastEnd = list.end
        } else if let token = current, startsFactor(token), !isBigOperatorOrDerivative(token) {
            let argument = parseFactor()
            arguments = [argument]
            lastEnd = offset(argument.range) + argument.range.byteCount
        }
        if primes > 0 {
            // A primed function is applied like `g'(x)`: the prime of a function named by its letters.
            guard subscriptExpression == nil, power == nil, !arguments.isEmpty else {
                return uninterpretable(MathDiagnostics.unexpected("'"), start, lastEnd)
            }
            // `\tanh^{\prime}(z)`: as `\tanh'(z)` above.
            let written = isOperatorName ? "\\operatorname{\(name)}" : "\\" + name
            let function = node(.symbol(MathSymbol(name: written)), start, start)
            let primed = node(.prime(function, count: primes), start, start)
            let result = node(.application(function: primed, arguments: arguments), start, lastEnd)
            return bracket == nil ? result : parsePostfix(result)
        }
        let call = MathCall(name: name, isOperatorName: isOperatorName, subscriptExpression: subscriptExpression,
                            power: power, arguments: arguments, bracket: bracket)
        let result = node(.call(call), start, lastEnd)
        return bracket == nil ? result : parsePostfix(result)
    }

    private func isBigOperatorOrDerivative(_ token: MathToken) -> Bool {
        token.kind == .command && (text.equals(token, "sum") || text.equals(token, "prod"))
    }

    private mutating func parseRoot(_ token: MathToken) -> MathExpression {
        position += 1
        var index: MathExpression?
        if let open = current, open.isPunctuation("[") {
            var cursor = position + 1
            var level = 0
            while cursor < end {
                if tokens[cursor].isPunctuation("]"), level == 0 { break }
                if tokens[cursor].isOpeningBrace { level += 1 }
                if tokens[cursor].isClosingBrace { level -= 1 }
                cursor += 1
            }
            guard cursor < end else {
                position = end
                return uninterpretable(MathDiagnostics.missingClosing("]"), token.start, tokens[end - 1].end)
            }
            index = parseOperand(position + 1, cursor)
            position = cursor + 1
        }
        guard let argument = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument("sqrt"), token.start, token.end)
        }
        let radicand = parseOperand(argument.contentStart, argument.contentEnd)
        return node(.root(radicand, index: index), token.start, argument.end)
    }

    // MARK: Fractions and derivatives

    private mutating func parseFraction(_ token: MathToken) -> MathExpression {
        position += 1
        let afterCommand = position
        if let derivative = parseLeibniz(token) { return derivative }
        position = afterCommand
        guard let numerator = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument(text.string(token)), token.start, token.end)
        }
        guard let denominator = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument(text.string(token)), token.start, numerator.end)
        }
        // `\frac{\partial C}{w_{jk}}`: ∂ above and none below is a derivative with its ∂ lost.
        // (`\frac{\partial L / \partial w}{N}` has its derivative above, whole.)
        let above = numerator.contentStart..<numerator.contentEnd
        if !above.isEmpty, text.isCommand(tokens[numerator.contentStart], "partial"),
           above.filter({ text.isCommand(tokens[$0], "partial") }).count == 1, !above.contains(where: { tokens[$0].isPunctuation("/") }),
           !(denominator.contentStart..<denominator.contentEnd).contains(where: { text.isCommand(tokens[$0], "partial") }) {
            return uninterpretable(MathDiagnostics.partialOnlyAbove, token.start, denominator.end)
        }
        let top = parseOperand(numerator.contentStart, numerator.contentEnd)
        let bottom = parseOperand(denominator.contentStart, denominator.contentEnd)
        return node(.binary(.fraction, top, bottom), token.start, denominator.end)
    }

    /// A differential marker at `index`: `d`, `\partial`, `\delta`, `\mathrm{d}`, `\text{d}`;
    /// its notation and the index just after it.
    private func differential(at index: Int, limit: Int) -> (MathDerivative.Notation, Int)? {
        guard index < limit else { return nil }
        let token = tokens[index]
        let next = index + 1 < limit ? tokens[index + 1] : nil
        let followedBySubscript = next?.isPunctuation("_") ?? false
        switch token.kind {
        case .letter where text.equals(token, "d") && !followedBySubscript:
            return (.ordinary, index + 1)
        case .command:
            if text.equals(token, "partial") { return (.partial, index + 1) }
            if text.equals(token, "delta") { return followedBySubscript ? nil : (.deltaAsPartial, index + 1) }
            if text.equals(token, "mathrm") || text.equals(token, "operatorname") || text.equals(token, "text")
                || text.equals(token, "textrm") || text.equals(token, "mathit") {
                if let next, next.kind == .raw, text.equals(next, "d") { return (.ordinary, index + 2) }
                if let next, next.kind == .letter, text.equals(next, "d") { return (.ordinary, index + 2) }
                if index + 3 < limit, tokens[index + 1].isOpeningBrace, tokens[index + 2].kind == .letter,
                   text.equals(tokens[index + 2], "d"), tokens[index + 3].isClosingBrace {
                    return (.ordinary, index + 4)
                }
                return nil
            }
            return nil
        default: return nil
        }
    }

    /// `\frac{dE}{dw}`, `\frac{\partial^2 E}{\partial x \partial y}`, `\frac{d}{dz} f(z)`; `nil` when
    /// the fraction is not a derivative (see docs/math-language.md, "Derivatives").
    private mutating func parseLeibniz(_ token: MathToken) -> MathExpression? {
        guard let numerator = braceRange(at: position),
              let (notation, afterMarker) = differential(at: numerator.contentStart, limit: numerator.contentEnd) else {
            return nil
        }
        guard let denominator = braceRange(at: numerator.nextIndex),
              let (denominatorNotation, _) = differential(at: denominator.contentStart, limit: denominator.contentEnd),
              denominatorNotation == notation else { return nil }
        let savedDiagnostics = diagnostics.count
        // Order: `\partial^2`.
        var order = 1
        var operandStart = afterMarker
        if afterMarker < numerator.contentEnd, tokens[afterMarker].isPunctuation("^") {
            guard let (value, next) = smallNumber(at: afterMarker + 1, limit: numerator.contentEnd) else { return nil }
            order = value
            operandStart = next
        }
        // Denominator: one or more `marker variable[^k]`.
        var variables: [MathExpression] = []
        var cursor = denominator.contentStart
        while cursor < denominator.contentEnd {
            guard let (mark, afterMark) = differential(at: cursor, limit: denominator.contentEnd), mark == notation,
                  afterMark < denominator.contentEnd else {
                diagnostics.removeSubrange(savedDiagnostics...)
                return nil
            }
            let savedEnd = end
            end = denominator.contentEnd
            position = afterMark
            guard let first = current, startsFactor(first), first.kind != .number else {
                end = savedEnd
                diagnostics.removeSubrange(savedDiagnostics...)
                return nil
            }
            let variable = parseFactor()
            end = savedEnd
            cursor = position
            switch variable.kind {
            case .powerOrLabel(let base, let superscript):
                if order > 1, case .number(let text) = superscript.kind, let count = Int(text), count >= 1, count <= 16 {
                    variables.append(contentsOf: Array(repeating: base, count: count))
                } else if case .symbol(var symbol) = base.kind {
                    // A superscript on a variable of differentiation names it: a label.
                    symbol.label = superscript
                    variables.append(MathExpression(.symbol(symbol), range: variable.range))
                }
            case .symbol, .elided, .text:
                variables.append(variable)
            case .power(let base, let exponent) where order > 1:
                if case .number(let text) = exponent.kind, let count = Int(text), count >= 1, count <= 16 {
                    variables.append(contentsOf: Array(repeating: base, count: count))
                } else {
                    variables.append(variable)
                }
            default:
                variables.append(variable)
            }
        }
        guard !variables.isEmpty else {
            diagnostics.removeSubrange(savedDiagnostics...)
            return nil
        }
        if variables.count != order {
            diagnose(MathDiagnostics.orderMismatch(numerator: order, denominator: variables.count), token.start, denominator.end)
        }
        let isOperatorForm = operandStart == numerator.contentEnd
        var operand: MathExpression?
        var stop = denominator.end
        position = denominator.nextIndex
        if isOperatorForm {
            if let next = current, startsFactor(next), !abandoned {
                let applied = parseOperatorOperand()
                operand = applied
                stop = offset(applied.range) + applied.range.byteCount
            }
        } else {
            operand = parseOperand(operandStart, numerator.contentEnd)
        }
        let derivative = MathDerivative(notation: notation, operand: operand, variables: variables, order: order,
                                        isOperatorForm: isOperatorForm)
        return node(.derivative(derivative), token.start, stop)
    }

    /// What a derivative operator (`\frac{\partial}{\partial w}`, `\partial_w`) applies to: a
    /// bracketed group right after it and nothing more, as in the chain rule
    /// `\frac{\partial}{\partial h}\left(\log h\right) \frac{\partial h}{\partial \theta}`; else the run
    /// of factors that follows (`\frac{d}{dx} x^2 y`).
    private mutating func parseOperatorOperand() -> MathExpression {
        if let next = current, next.isPunctuation("(") || next.isPunctuation("[") || text.isCommand(next, "left") {
            return parseFactor()
        }
        return parseRun()
    }

    /// `\partial_x f`, `\partial_{w} E`.
    private mutating func parsePartialSubscriptForm(_ token: MathToken) -> MathExpression {
        position += 1
        guard let underscore = current, underscore.isPunctuation("_") else {
            if let slashed = parseSlashedPartial(token) { return slashed }
            return uninterpretable(MathDiagnostics.loneDifferential, token.start, token.end)
        }
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathDiagnostics.missingArgument("partial"), token.start, underscore.end)
        }
        let variable = parseOperand(argument.contentStart, argument.contentEnd)
        var operand: MathExpression?
        var stop = argument.end
        if let next = current, startsFactor(next) {
            let applied = parseOperatorOperand()
            operand = applied
            stop = offset(applied.range) + applied.range.byteCount
        }
        let derivative = MathDerivative(notation: .partial, operand: operand, variables: [variable], order: 1,
                                        isOperatorForm: true, isSubscriptForm: true)
        return node(.derivative(derivative), token.start, stop)
    }

    /// `\partial E / \partial w`, written inline with a slash: the derivative of E with respect to w.
    /// `position` is just past the first `\partial`; left where it was when the form does not follow.
    private mutating func parseSlashedPartial(_ token: MathToken) -> MathExpression? {
        let start = position
        guard let first = current, startsFactor(first), !text.isCommand(first, "partial") else { return nil }
        let operand = parseFactor()
        guard position + 1 < end, tokens[position].isPunctuation("/"), text.isCommand(tokens[position + 1], "partial"),
              position + 2 < end, startsFactor(tokens[position + 2]) else {
            position = start
            return nil
        }
        position += 2
        let variable = parseFactor()
        let derivative = MathDerivative(notation: .partial, operand: operand, variables: [variable], order: 1, isOperatorForm: false)
        return node(.derivative(derivative), token.start, offset(variable.range) + variable.range.byteCount)
    }

    private func smallNumber(at index: Int, limit: Int) -> (Int, Int)? {
        guard index < limit else { return nil }
        if tokens[index].kind == .number, let value = Int(text.string(tokens[index]).prefix(1)) {
            // `\partial^23` would be odd; TeX takes one digit.
            return tokens[index].textLength == 1 ? (value, index + 1) : nil
        }
        if tokens[index].isOpeningBrace, index + 2 < limit, tokens[index + 1].kind == .number,
           tokens[index + 2].isClosingBrace, let value = Int(text.string(tokens[index + 1])), value <= 16 {
            return (value, index + 3)
        }
        return nil
    }

    // MARK: Gradients and big operators

    private mutating func parseNabla(_ token: MathToken) -> MathExpression {
        position += 1
        var subscriptExpression: MathExpression?
        var stop = token.end
        if let underscore = current, underscore.isPunctuation("_") {
            position += 1
            if let argument = takeArgument() {
                subscriptExpression = parseOperand(argument.contentStart, argument.contentEnd)
                position = argument.nextIndex
                stop = argument.end
            }
        }
        var operand: MathExpression?
        // ∇ applies to one factor, as a function name does: `∇_a ℒ(θ) h^T` is `(∇_a ℒ(θ)) h^T`.
        if let next = current, startsFactor(next), !abandoned {
            var applied = parseFactor()
            // `∇_w \tfrac{1}{2}(w x - y)^2`: a constant factor is a coefficient of what follows, not all of it.
            while applied.isArithmeticOfNumbers, let following = current, startsFactor(following), !abandoned {
                let factor = parseFactor()
                applied = node(.binary(.implicitProduct, applied, factor), offset(applied.range), offset(factor.range) + factor.range.byteCount)
            }
            operand = applied
            stop = offset(applied.range) + applied.range.byteCount
        }
        return node(.nabla(subscript: subscriptExpression, operand: operand), token.start, stop)
    }

    private mutating func parseBigOperator(_ token: MathToken, _ operation: MathBigOperator.Operation) -> MathExpression {
        position += 1
        var lower: (Int, Int)?
        var upper: (Int, Int)?
        var stop = token.end
        while let script = current {
            if script.isPunctuation("_"), lower == nil {
                position += 1
                guard let argument = takeArgument() else { break }
                lower = (argument.contentStart, argument.contentEnd)
                stop = argument.end
            } else if script.isPunctuation("^"), upper == nil {
                position += 1
                guard let argument = takeArgument() else { break }
                upper = (argument.contentStart, argument.contentEnd)
                stop = argument.end
            } else {
                break
            }
        }
        let resume = position
        var indices: [MathExpression] = []
        var lowerBound: MathExpression?
        var excluded: MathExpression?
        if let (from, written) = lower {
            var to = written
            // `\sum_{i \neq k}`: every i but k.
            if let sign = (from..<to).first(where: { text.isCommand(tokens[$0], "neq") || text.isCommand(tokens[$0], "ne") }),
               sign > from, sign + 1 < to {
                excluded = parseOperand(sign + 1, to)
                to = sign
            }
            var equals: Int?
            for index in from..<to where tokens[index].isPunctuation("=") {
                equals = index
                break
            }
            let indexEnd = equals ?? to
            var partStart = from
            for index in from...indexEnd where index == indexEnd || tokens[index].isPunctuation(",") {
                let part = parseOperand(partStart, index)
                indices.append(part)
                partStart = index + 1
            }
            if let equals {
                lowerBound = parseOperand(equals + 1, to)
            }
            if indices.contains(where: { if case .symbol = $0.kind { false } else { true } }) {
                // An empty or unclosed subscript (`\sum_{` at the end) has no tokens to span.
                lowerBound = from < to ? uninterpretable(MathDiagnostics.summationRange, tokens[from].start, tokens[to - 1].end)
                                       : uninterpretable(MathDiagnostics.summationRange, token.end, stop)
                indices = []
            }
        }
        let upperBound = upper.map { parseOperand($0.0, $0.1) }
        position = resume
        var body: MathExpression?
        if let next = current, startsFactor(next), !abandoned {
            let term = parseTerm()
            body = term
            stop = offset(term.range) + term.range.byteCount
        } else if let sign = current, sign.isPunctuation("-"), position + 1 < end, startsFactor(tokens[position + 1]), !abandoned {
            // `\sum_j -\frac{y_j}{p_j} p_j`: the term's sign comes first.
            position += 1
            let term = parseTerm()
            body = node(.negation(term), sign.start, term.range)
            stop = offset(term.range) + term.range.byteCount
        }
        let big = MathBigOperator(operation: operation, indices: indices, lowerBound: lowerBound,
                                  upperBound: upperBound, body: body, excluded: excluded)
        return node(.bigOperator(big), token.start, stop)
    }

    // MARK: Environments

    private mutating func parseEnvironment() -> MathExpression {
        let begin = tokens[position]
        let name = text.string(begin)
        guard let close = matchingEnd(position) else {
            position = end
            return uninterpretable(MathDiagnostics.unclosedEnvironment(name), begin.start, tokens[end - 1].end)
        }
        let endToken = tokens[close]
        guard MathVocabulary.matrixEnvironments.contains(name) else {
            position = close + 1
            return uninterpretable(MathDiagnostics.unknownEnvironment(name), begin.start, endToken.end)
        }
        var cursor = position + 1
        if name == "array" || name == "darray", cursor < close, tokens[cursor].isOpeningBrace,
           let columnsEnd = matchingBrace(cursor) {
            cursor = columnsEnd + 1
        }
        let cells = cellRanges(from: cursor, close: close)
        position = close + 1
        if name == "cases" || name == "dcases" {
            return parseCases(cells, from: begin.start, to: endToken.end)
        }
        var rows: [[MathExpression]] = []
        for ranges in cells {
            rows.append(ranges.map { range in
                range.isEmpty ? uninterpretable(MathDiagnostics.emptyEntry, tokens[range.lowerBound].start, tokens[range.lowerBound].start)
                    : parseOperand(range.lowerBound, range.upperBound)
            })
        }
        return node(.matrix(MathMatrix(environment: name, rows: rows)), begin.start, endToken.end)
    }

    /// The token ranges of an environment's cells, row by row, split at `&` and `\\` outside brackets.
    private func cellRanges(from start: Int, close: Int) -> [[Range<Int>]] {
        var rows: [[Range<Int>]] = []
        var row: [Range<Int>] = []
        var cellStart = start
        var level = 0
        var index = start
        while index <= close {
            let token = tokens[index]
            let atEnd = index == close
            if !atEnd {
                if isOpener(token) || token.kind == .begin { level += 1 }
                else if isCloser(token) || token.kind == .end { level = max(0, level - 1) }
            }
            let isCellBreak = level == 0 && token.isPunctuation("&")
            let isRowBreak = level == 0 && (text.isCommand(token, "\\") || text.isCommand(token, "cr"))
            if atEnd || isCellBreak || isRowBreak {
                if cellStart < index {
                    row.append(cellStart..<index)
                } else if !(atEnd && row.isEmpty) {
                    row.append(index..<index)
                }
                if isRowBreak || atEnd {
                    if !row.isEmpty { rows.append(row) }
                    row = []
                }
                cellStart = index + 1
                if isRowBreak { cellStart = skipRowSpacing(cellStart, close) }
            }
            index += 1
        }
        return rows
    }

    /// `\begin{cases} p_i(1 - p_i) & \text{if } i = k \\ -p_i p_k & \text{otherwise} \end{cases}`: the
    /// value of the first row whose condition holds, written as the sum of each value times the
    /// indicator of its condition (`\mathbb{1}`), the rows being exclusive as a definition by cases
    /// is; "otherwise" is 1 minus the other rows' indicators.
    private mutating func parseCases(_ cells: [[Range<Int>]], from start: Int, to end: Int) -> MathExpression {
        var terms: [(value: MathExpression, indicator: MathExpression?)] = []
        for row in cells {
            guard row.count == 2, !row[0].isEmpty, !row[1].isEmpty else {
                return uninterpretable(MathDiagnostics.unreadableCase, start, end)
            }
            let value = parseOperand(row[0].lowerBound, row[0].upperBound)
            switch caseCondition(row[1]) {
            case .otherwise:
                terms.append((value, nil))
            case .comparison(let sign, let left, let right):
                let call = MathCall(name: "1[" + sign + "]", arguments: [left, right], bracket: .parenthesis)
                terms.append((value, node(.call(call), offset(left.range), offset(right.range) + right.range.byteCount)))
            case .unreadable:
                return uninterpretable(MathDiagnostics.unreadableCase, start, end)
            }
        }
        guard !terms.isEmpty, terms.filter({ $0.indicator == nil }).count <= 1 else {
            return uninterpretable(MathDiagnostics.unreadableCase, start, end)
        }
        let indicators = terms.compactMap(\.indicator)
        var sum: MathExpression?
        for term in terms {
            var indicator: MathExpression
            if let written = term.indicator {
                indicator = written
            } else {
                indicator = node(.number("1"), start, start)
                for other in indicators { indicator = node(.binary(.subtract, indicator, other), start, end) }
                indicator = node(.group(indicator, .parenthesis), start, end)
            }
            let product = node(.binary(.implicitProduct, node(.group(term.value, .parenthesis), start, end), indicator), start, end)
            sum = sum.map { node(.binary(.add, $0, product), start, end) } ?? product
        }
        return sum ?? uninterpretable(MathDiagnostics.unreadableCase, start, end)
    }

    enum CaseCondition {
        case otherwise
        case comparison(String, MathExpression, MathExpression)
        case unreadable
    }

    /// A `cases` row's condition: `\text{if } i = k`, `x > 0,`, `i \neq k`, `\text{otherwise}`.
    private mutating func caseCondition(_ range: Range<Int>) -> CaseCondition {
        var first = range.lowerBound
        var last = range.upperBound
        var words: [String] = []
        // Words and spacing before the comparison: `\text{if }\;`, `\mbox{for}`, `,`.
        while first < last {
            let token = tokens[first]
            if token.command == .text, first + 1 < last, tokens[first + 1].kind == .raw {
                words.append(text.string(tokens[first + 1]).trimmingCharacters(in: .whitespaces).lowercased())
                first += 2
            } else if token.flags.contains(.ignored) || token.flags.contains(.wideSpace) || token.isPunctuation(",") {
                first += 1
            } else {
                break
            }
        }
        while last > first, tokens[last - 1].isPunctuation(",") || tokens[last - 1].isPunctuation(".")
            || tokens[last - 1].flags.contains(.ignored) || tokens[last - 1].flags.contains(.wideSpace) {
            last -= 1
        }
        if first == last {
            let word = words.joined(separator: " ")
            return ["otherwise", "else", "o.w.", "elsewhere"].contains(word) ? .otherwise : .unreadable
        }
        var level = 0
        var cursor = first
        while cursor < last {
            let token = tokens[cursor]
            if token.isOpener { level += 1 } else if token.isCloser { level -= 1 }
            if level == 0 {
                let next = cursor + 1 < last ? tokens[cursor + 1] : nil
                var sign: (String, Int)?
                if token.isPunctuation(">") || token.isPunctuation("<") {
                    let orEqual = next?.isPunctuation("=") == true
                    sign = ((token.isPunctuation(">") ? ">" : "<") + (orEqual ? "=" : ""), orEqual ? 2 : 1)
                } else if token.isPunctuation("=") {
                    sign = ("=", 1)
                } else if text.isCommand(token, "neq") || text.isCommand(token, "ne") {
                    sign = ("!=", 1)
                } else if text.isCommand(token, "geq") || text.isCommand(token, "ge") {
                    sign = (">=", 1)
                } else if text.isCommand(token, "leq") || text.isCommand(token, "le") {
                    sign = ("<=", 1)
                } else if text.isCommand(token, "gt") {
                    sign = (">", 1)
                } else if text.isCommand(token, "lt") {
                    sign = ("<", 1)
                }
                if let (name, width) = sign {
                    guard cursor > first, cursor + width < last else { return .unreadable }
                    let left = parseOperand(first, cursor)
                    let right = parseOperand(cursor + width, last)
                    if left.containsUninterpretable || right.containsUninterpretable { return .unreadable }
                    return .comparison(name, left, right)
                }
            }
            cursor += 1
        }
        return .unreadable
    }

    /// `\\[1ex]`: skips the optional space after a row break.
    func skipRowSpacing(_ index: Int, _ limit: Int) -> Int {
        guard index < limit, tokens[index].isPunctuation("[") else { return index }
        var cursor = index + 1
        while cursor < limit, cursor - index < 8 {
            let token = tokens[cursor]
            if token.isPunctuation("]") { return cursor + 1 }
            guard token.kind == .number || token.kind == .letter || token.isPunctuation(".") || token.isPunctuation("-") else {
                return index
            }
            cursor += 1
        }
        return index
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
    private mutating func takeArgument() -> Argument? {
        guard let token = current else { return nil }
        if token.isOpeningBrace {
            guard let close = matchingBrace(position) else {
                let start = position + 1
                position = end
                diagnose(MathDiagnostics.missingClosing("}"), token.start, token.end)
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

    private func braceRange(at index: Int) -> Argument? {
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
    private mutating func skipBalanced() -> Int {
        let start = position
        guard let close = matchingBrace(position) else {
            position = end
            return tokens[end - 1].end
        }
        position = close + 1
        return max(tokens[start].end, tokens[close].end)
    }

    private mutating func skipScripts(_ initialEnd: Int) -> Int {
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
    private mutating func enterChain(_ chain: inout Int) -> Bool {
        chain += 1
        return enter()
    }

    private mutating func enter() -> Bool {
        depth += 1
        if depth > depthLimit || abandoned {
            return false
        }
        return true
    }

    /// Call after a failed `enter()` or `enterChain()`, whose count it gives back.
    private mutating func tooDeep() -> MathExpression {
        depth -= 1
        let start = position < tokens.count ? tokens[position].start : (tokens.last?.end ?? 0)
        let stop = tokens.isEmpty ? 0 : tokens[max(0, end - 1)].end
        if !abandoned {
            abandoned = true
            diagnostics.append(.error(MathDiagnostics.tooDeep(limit: depthLimit), at: locator.range(start, stop)))
        }
        position = end
        return MathExpression(.uninterpretable(reason: MathDiagnostics.tooDeep(limit: depthLimit),
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
        if !abandoned { diagnostics.append(MathDiagnostics.diagnostic(reason, at: range)) }
        return MathExpression(.uninterpretable(reason: reason, tex: source(start, end)), range: range)
    }

    mutating func diagnose(_ reason: String, _ start: Int, _ end: Int) {
        if !abandoned { diagnostics.append(MathDiagnostics.diagnostic(reason, at: locator.range(start, end))) }
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

    private var isNumber: Bool {
        if case .number = kind { return true }
        return false
    }

    var isSymbol: Bool { if case .symbol = kind { true } else { false } }
    /// The symbol when the node is one.
    var symbol: MathSymbol? { if case .symbol(let symbol) = kind { symbol } else { nil } }
}
