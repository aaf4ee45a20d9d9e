import Diagnostics

extension ExpressionParser {
    // MARK: Gradients and big operators

    mutating func parseNabla(_ token: MathToken) -> MathExpression {
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
            // So is a fraction without the variable in it (`∇_w \frac{\lambda}{2} w^2`).
            while applied.isArithmeticOfNumbers || Self.isCoefficientFraction(applied, by: subscriptExpression),
                  let following = current, startsFactor(following), !abandoned {
                let factor = parseFactor()
                applied = node(.binary(.implicitProduct, applied, factor), offset(applied.range), offset(factor.range) + factor.range.byteCount)
            }
            operand = applied
            stop = offset(applied.range) + applied.range.byteCount
        }
        return node(.nabla(subscript: subscriptExpression, operand: operand), token.start, stop)
    }

    /// `\frac{\lambda}{2}` after `∇_w`: a fraction that does not write the variable (`w`).
    static func isCoefficientFraction(_ expression: MathExpression, by variable: MathExpression?) -> Bool {
        guard case .binary(.fraction, _, _) = expression.kind, let name = variable?.symbol?.name else { return false }
        var writesVariable = false
        expression.forEachNode { node in if node.symbol?.name == name { writesVariable = true } }
        return !writesVariable
    }

    mutating func parseBigOperator(_ token: MathToken, _ operation: MathBigOperator.Operation) -> MathExpression {
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
                lowerBound = from < to ? uninterpretable(MathSyntaxMessages.summationRange, tokens[from].start, tokens[to - 1].end)
                                       : uninterpretable(MathSyntaxMessages.summationRange, token.end, stop)
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

    mutating func parseEnvironment() -> MathExpression {
        let begin = tokens[position]
        let name = text.string(begin)
        guard let close = matchingEnd(position) else {
            position = end
            return uninterpretable(MathSyntaxMessages.unclosedEnvironment(name), begin.start, tokens[end - 1].end)
        }
        let endToken = tokens[close]
        guard MathVocabulary.matrixEnvironments.contains(name) else {
            position = close + 1
            return uninterpretable(MathSyntaxMessages.unknownEnvironment(name), begin.start, endToken.end)
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
                range.isEmpty ? uninterpretable(MathSyntaxMessages.emptyEntry, tokens[range.lowerBound].start, tokens[range.lowerBound].start)
                    : parseOperand(range.lowerBound, range.upperBound)
            })
        }
        return node(.matrix(MathMatrix(environment: name, rows: rows)), begin.start, endToken.end)
    }

    /// The token ranges of an environment's cells, row by row, split at `&` and `\\` outside brackets.
    func cellRanges(from start: Int, close: Int) -> [[Range<Int>]] {
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
    mutating func parseCases(_ cells: [[Range<Int>]], from start: Int, to end: Int) -> MathExpression {
        var terms: [(value: MathExpression, indicator: MathExpression?)] = []
        for row in cells {
            guard row.count == 2, !row[0].isEmpty, !row[1].isEmpty else {
                return uninterpretable(MathSyntaxMessages.unreadableCase, start, end)
            }
            let value = parseOperand(row[0].lowerBound, row[0].upperBound)
            switch caseCondition(row[1]) {
            case .otherwise:
                terms.append((value, nil))
            case .comparison(let sign, let left, let right):
                let call = MathCall(name: "1[" + sign + "]", arguments: [left, right], bracket: .parenthesis)
                terms.append((value, node(.call(call), offset(left.range), offset(right.range) + right.range.byteCount)))
            case .unreadable:
                return uninterpretable(MathSyntaxMessages.unreadableCase, start, end)
            }
        }
        guard !terms.isEmpty, terms.filter({ $0.indicator == nil }).count <= 1 else {
            return uninterpretable(MathSyntaxMessages.unreadableCase, start, end)
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
        return sum ?? uninterpretable(MathSyntaxMessages.unreadableCase, start, end)
    }

    enum CaseCondition {
        case otherwise
        case comparison(String, MathExpression, MathExpression)
        case unreadable
    }

    /// A `cases` row's condition: `\text{if } i = k`, `x > 0,`, `i \neq k`, `\text{otherwise}`.
    mutating func caseCondition(_ range: Range<Int>) -> CaseCondition {
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
}
