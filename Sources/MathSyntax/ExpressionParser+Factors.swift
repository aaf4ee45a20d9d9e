import Diagnostics

extension ExpressionParser {
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
            return uninterpretable(MathSyntaxMessages.expectedExpression, location, location)
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
                return uninterpretable(MathSyntaxMessages.unexpected(text.string(token)), token.start, token.end)
            }
        case .command:
            return parseCommand(token)
        case .end, .raw:
            position += 1
            return uninterpretable(MathSyntaxMessages.unexpected(spelling(token)), token.start, token.end)
        }
    }

    mutating func parseCommand(_ token: MathToken) -> MathExpression {
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
                return uninterpretable(MathSyntaxMessages.missingArgument(name), token.start, token.end)
            }
            position += 1
            return parseCall(name: text.string(raw).trimmingCharacters(in: " "), isOperatorName: true, start: token.start)
        case .text:
            position += 1
            guard let raw = current, raw.kind == .raw else {
                return uninterpretable(MathSyntaxMessages.missingArgument(name), token.start, token.end)
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
                    return uninterpretable(MathSyntaxMessages.unexpected("'"), token.start, primeEnd)
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
            guard let next = current else { return uninterpretable(MathSyntaxMessages.missingArgument(name), token.start, token.end) }
            return parseFactor(startingAt: next, sizedFrom: token.start)
        case .integral:
            position += 1
            let end = skipScripts(token.end)
            return uninterpretable(MathSyntaxMessages.unsupportedCommand(name, MathSyntaxMessages.integral), token.start, end)
        case .prime:
            position += 1
            return uninterpretable(MathSyntaxMessages.unexpected("\\prime"), token.start, token.end)
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
            return uninterpretable(MathSyntaxMessages.unknownCommand(name), token.start, end)
        }
    }

    /// After a sizing command (`\bigl`): the delimiter that follows.
    mutating func parseFactor(startingAt token: MathToken, sizedFrom start: Int) -> MathExpression {
        if token.isPunctuation("(") { return parsePostfix(parseBracketed(.bracket(.parenthesis), start: start)) }
        if token.isPunctuation("[") { return parsePostfix(parseBracketed(.bracket(.square), start: start)) }
        if token.isPunctuation("|") { return parsePostfix(parseBracketed(.bar, start: start)) }
        if token.kind == .command, let opening = token.vocabulary?.opening {
            return parsePostfix(parseBracketed(opening, start: start))
        }
        return uninterpretable(MathSyntaxMessages.unexpected(spelling(token)), start, token.end)
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
    mutating func parsePostfix(base: MathExpression?, name: String?, start symbolStart: Int,
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
                guard let argument = takeArgument() else { trouble = MathSyntaxMessages.missingArgument("_"); break }
                if subscriptRange != nil || superscript != nil && baseIsSymbol == false { trouble = MathSyntaxMessages.doubleSubscript }
                if subscriptRange != nil { trouble = MathSyntaxMessages.doubleSubscript }
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
                guard let argument = signed ?? takeArgument() else { trouble = MathSyntaxMessages.missingArgument("^"); break }
                if isPrimeSuperscript(argument.contentStart, argument.contentEnd) {
                    primes += argument.contentEnd - argument.contentStart
                } else {
                    if superscript != nil { trouble = MathSyntaxMessages.doubleSuperscript }
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
            return uninterpretable(MathSyntaxMessages.expectedExpression(after: "a script"), start, start)
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
    mutating func parseApplicationIfAny(_ base: MathExpression) -> MathExpression {
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
    mutating func parseEntrySubscript(of applied: MathExpression) -> MathExpression {
        guard let token = current, token.isPunctuation("_") else { return applied }
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument("_"), offset(applied.range), token.end)
        }
        let index = parseOperand(argument.contentStart, argument.contentEnd)
        return node(.subscripted(applied, subscript: index), offset(applied.range), argument.end)
    }

    /// `( a, b )` as a list of arguments.
    mutating func parseArgumentList() -> (items: [MathExpression], end: Int) {
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

    mutating func parseBracketedOrLeftRight(start: Int) -> MathExpression {
        if let token = current, text.isCommand(token, "left") { return parseLeftRight(token) }
        return parseBracketed(.bracket(.parenthesis), start: start)
    }

    func isPrimeSuperscript(_ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        return tokens[from..<to].allSatisfy { text.isCommand($0, "prime") }
    }

    /// Decides what a superscript means; see docs/math-language.md, "Superscripts".
    mutating func classifySuperscript(_ base: MathExpression, _ exponent: MathExpression, start: Int, end: Int,
                                              contentStart: Int, contentEnd: Int) -> MathExpression {
        if isTransposeMark(exponent) {
            return node(.transpose(base), start, end)
        }
        guard case .symbol(var symbol) = base.kind else {
            return node(.power(base, exponent: exponent), start, end)
        }
        // `W^{[2]T}`, `A^{(l)\top}`: a layer label, then the transpose mark.
        if case .binary(.implicitProduct, let label, let mark) = exponent.kind, isTransposeMark(mark),
           case .group(let inner, let bracket) = label.kind, bracket == .parenthesis || bracket == .square,
           symbol.label == nil, !inner.isArithmeticOfNumbers {
            symbol.label = inner
            let labelled = node(.symbol(symbol), start, end)
            return node(.transpose(labelled), start, end)
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

    func isTransposeMark(_ exponent: MathExpression) -> Bool {
        guard case .symbol(let symbol) = exponent.kind, symbol.indices.isEmpty, symbol.label == nil,
              symbol.decorations.isEmpty else { return false }
        return symbol.name == "T" || symbol.name == "\\top" || symbol.name == "\\intercal" || symbol.name == "\\mathsf{T}"
    }

    func textLabel(_ from: Int, _ to: Int) -> String? {
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
    mutating func parseIndices(_ from: Int, _ to: Int) -> [MathExpression] {
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
    mutating func parseIndex(_ from: Int, _ to: Int) -> MathExpression {
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
    func declaredName(at index: Int, limit: Int) -> (String, Int)? {
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
    func gluedDigits(_ token: MathToken) -> [MathExpression]? {
        let digits = text.string(token)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var offset = token.start
        return digits.utf8.map { byte in
            defer { offset += 1 }
            return node(.number(oneCharacterStrings[Int(byte & 0x7f)]), offset, offset + 1)
        }
    }

    func closingBraceWidth(_ index: Int) -> Int {
        index < tokens.count && tokens[index].isClosingBrace ? 1 : 0
    }
}
