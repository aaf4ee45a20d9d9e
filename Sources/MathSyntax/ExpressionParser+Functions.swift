import Diagnostics

extension ExpressionParser {
    // MARK: Functions

    /// `\exp x`, `\tanh^2 z`, `\log_2(x)`, `\max_i x_i`, `\operatorname{softmax}(z)`.
    mutating func parseCall(name: String, isOperatorName: Bool, start: Int) -> MathExpression {
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
                return uninterpretable(MathSyntaxMessages.primeWithoutArgument(name), start, primeEnd)
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
            return uninterpretable(MathSyntaxMessages.unsupportedCommand(name, MathSyntaxMessages.limit), start, lastEnd)
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
                return uninterpretable(MathSyntaxMessages.unexpected("'"), start, lastEnd)
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

    func isBigOperatorOrDerivative(_ token: MathToken) -> Bool {
        token.kind == .command && (text.equals(token, "sum") || text.equals(token, "prod"))
    }

    mutating func parseRoot(_ token: MathToken) -> MathExpression {
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
                return uninterpretable(MathSyntaxMessages.missingClosing("]"), token.start, tokens[end - 1].end)
            }
            index = parseOperand(position + 1, cursor)
            position = cursor + 1
        }
        guard let argument = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument("sqrt"), token.start, token.end)
        }
        let radicand = parseOperand(argument.contentStart, argument.contentEnd)
        return node(.root(radicand, index: index), token.start, argument.end)
    }

    // MARK: Fractions and derivatives

    mutating func parseFraction(_ token: MathToken) -> MathExpression {
        position += 1
        let afterCommand = position
        if let derivative = parseLeibniz(token) { return derivative }
        position = afterCommand
        guard let numerator = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument(text.string(token)), token.start, token.end)
        }
        guard let denominator = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument(text.string(token)), token.start, numerator.end)
        }
        // `\frac{\partial C}{w_{jk}}`: ∂ above and none below is a derivative with its ∂ lost.
        // (`\frac{\partial L / \partial w}{N}` has its derivative above, whole.)
        let above = numerator.contentStart..<numerator.contentEnd
        if !above.isEmpty, text.isCommand(tokens[numerator.contentStart], "partial"),
           above.filter({ text.isCommand(tokens[$0], "partial") }).count == 1, !above.contains(where: { tokens[$0].isPunctuation("/") }),
           !(denominator.contentStart..<denominator.contentEnd).contains(where: { text.isCommand(tokens[$0], "partial") }) {
            return uninterpretable(MathSyntaxMessages.partialOnlyAbove, token.start, denominator.end)
        }
        let top = parseOperand(numerator.contentStart, numerator.contentEnd)
        let bottom = parseOperand(denominator.contentStart, denominator.contentEnd)
        return node(.binary(.fraction, top, bottom), token.start, denominator.end)
    }

    /// A differential marker at `index`: `d`, `\partial`, `\delta`, `\mathrm{d}`, `\text{d}`;
    /// its notation and the index just after it.
    func differential(at index: Int, limit: Int) -> (MathDerivative.Notation, Int)? {
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
    mutating func parseLeibniz(_ token: MathToken) -> MathExpression? {
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
            diagnose(MathSyntaxMessages.orderMismatch(numerator: order, denominator: variables.count), token.start, denominator.end)
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
    mutating func parseOperatorOperand() -> MathExpression {
        if let next = current, next.isPunctuation("(") || next.isPunctuation("[") || text.isCommand(next, "left") {
            return parseFactor()
        }
        return parseRun()
    }

    /// `\partial_x f`, `\partial_{w} E`.
    mutating func parsePartialSubscriptForm(_ token: MathToken) -> MathExpression {
        position += 1
        guard let underscore = current, underscore.isPunctuation("_") else {
            if let slashed = parseSlashedPartial(token) { return slashed }
            return uninterpretable(MathSyntaxMessages.loneDifferential, token.start, token.end)
        }
        position += 1
        guard let argument = takeArgument() else {
            return uninterpretable(MathSyntaxMessages.missingArgument("partial"), token.start, underscore.end)
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
    mutating func parseSlashedPartial(_ token: MathToken) -> MathExpression? {
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

    func smallNumber(at index: Int, limit: Int) -> (Int, Int)? {
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
}
