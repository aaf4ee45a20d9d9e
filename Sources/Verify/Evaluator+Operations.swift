import Backprop
import Diagnostics
import Foundation
import MathSyntax

extension Evaluator {
    // MARK: Products and friends

    func evaluate(binary operation: BinaryOperator, _ left: MathExpression, _ right: MathExpression,
                          range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if context.vector != nil, operation == .outer || operation == .plusMinus { throw .notVectorizable }
        let a = try evaluate(left, context)
        let b = try evaluate(right, context)
        return try engine(range) { () throws(BackpropError) in
            switch operation {
            case .add: return try a + b
            case .subtract: return try a - b
            case .slash, .fraction: return try a / b
            case .hadamard: return try a * b
            case .outer: return try a.outer(b)
            case .cdot where a.shape.rank == 1 && b.shape.rank == 1 && context.vector == nil:
                return try a.dot(b)
            case .implicitProduct, .cdot, .times, .asterisk:
                if a.shape.isScalar || b.shape.isScalar { return try a * b }
                // Over a vectorized sum index every non-number is a vector of terms.
                if context.vector != nil { return try a * b }
                let product = try a.matmul(b)
                // A row times a column is a number.
                if product.shape.count == 1, product.shape.rank != 0 { return try product.sum() }
                return product
            case .plusMinus:
                throw .unsupported("±")
            }
        }
    }

    /// A vector or matrix written entry by entry; a pattern (`\vdots`) is expanded.
    func evaluate(entries rows: [[MathExpression]], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if rows.contains(where: { $0.contains(where: \.isElided) }) || isPatternWithoutDots(rows, range: range, context) {
            return try evaluate(pattern: rows, range: range, context)
        }
        guard let columnCount = rows.first?.count, columnCount > 0, rows.allSatisfy({ $0.count == columnCount }) else {
            throw .unsupported(VerifyMessages.raggedMatrix, range)
        }
        var values: [Node] = []
        for row in rows {
            for entry in row { values.append(try evaluate(entry, context)) }
        }
        return try stack(values, rows: rows.count, columns: columnCount, range: range)
    }

    /// A column of two entries alike but for 1 in the first where the second has a size the note
    /// never gives (`x_{i1} \\ x_{in}`): the first and the last entries, the `\vdots` between them left out.
    func isPatternWithoutDots(_ rows: [[MathExpression]], range: SourceRange, _ context: Context) -> Bool {
        guard rows.count == 2, rows.allSatisfy({ $0.count == 1 }),
              let template = patternTemplate(first: rows[0][0], last: rows[1][0], range: range), template.runsToALetter,
              let size = template.high.symbol else { return false }
        return context.indices[size.name] == nil && !scope.isBound(size.key)
    }

    /// The template of the pattern written at `range`, worked out once per place (a template is
    /// tokens compared, and a matrix is evaluated at every draw and index value).
    func patternTemplate(first: MathExpression, last: MathExpression, range: SourceRange) -> PatternTemplate? {
        guard range.path != Self.mathText else { return PatternTemplate(first: first, last: last, avoiding: analysis.allNames) }
        let place = range.start.offset &* 1_000_003 &+ range.end.offset
        if let known = templates[place] { return known }
        let template = PatternTemplate(first: first, last: last, avoiding: analysis.allNames)
        templates[place] = .some(template)
        return template
    }

    func stack(_ values: [Node], rows: Int, columns: Int, range: SourceRange) throws(EvaluationError) -> Node {
        try engine(range) { () throws(BackpropError) in
            if values.allSatisfy({ $0.shape.isScalar }) {
                let column = try tape.concatenate(values)
                guard columns > 1 else { return column }
                // Row-major entries: build each row as a column, stack, then transpose per row.
                var rowNodes: [Node] = []
                for row in 0..<rows {
                    let entries = try tape.concatenate(Array(values[(row * columns)..<((row + 1) * columns)]))
                    rowNodes.append(try entries.transpose())
                }
                return try tape.concatenate(rowNodes)
            }
            // Entries that are vectors (a column of columns) stack into one vector.
            guard columns == 1 else { throw .unsupported("a matrix whose entries are not numbers") }
            return try tape.concatenate(values)
        }
    }

    /// `[e_1, …, e_n]` or a column `e_1 \\ \vdots \\ e_n`: the entries vary in one
    /// place, from the first entry's value to the last's.
    func evaluate(pattern rows: [[MathExpression]], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let entries = rows.count == 1 ? rows[0] : rows.compactMap { $0.count == 1 ? $0[0] : nil }
        guard entries.count == (rows.count == 1 ? rows[0].count : rows.count) else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        let written = entries.filter { !$0.isElided }
        if written.count == 1, let only = written.first {
            // `[…, g'(a_{ik}), …]`: the one index variable free in the entry runs over its range
            // (or the one letter in its indices with no value, where the note uses k nowhere else as an index).
            var free = analysis.indexVariables(in: only).subtracting(context.indices.keys)
            if free.isEmpty {
                free = analysis.indexLetters(in: only).subtracting(context.indices.keys).filter { !scope.isBound($0) }
            }
            guard free.count == 1, let variable = free.first else {
                throw .unsupported(VerifyMessages.patternShape, range)
            }
            var values: [Node] = []
            var index = 1
            while index <= limits.maxSumTerms {
                var inner = context
                inner.indices[variable] = index
                inner.enclosingTerms = try termsInAll(index, inside: context, range: range)
                do {
                    values.append(try evaluate(only, inner))
                } catch .indexOutOfRange {
                    break
                }
                index += 1
            }
            // An entry that never runs out (a drawn scalar for every k) gives the pattern no length.
            guard !values.isEmpty, index <= limits.maxSumTerms else { throw .unsupported(VerifyMessages.patternShape, range) }
            return try stack(values, rows: values.count, columns: 1, range: range)
        }
        guard let first = written.first, let last = written.last, written.count >= 2 else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        guard let template = patternTemplate(first: first, last: last, range: range) else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        let low = try integer(template.low, context)
        let high = try bound(template.high, over: template.variable, in: template.expression, context)
        guard high >= low, high - low < limits.maxSumTerms else {
            throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range)
        }
        var values: [Node] = []
        let patternTerms = try termsInAll(high - low + 1, inside: context, range: range)
        for index in low...high {
            var inner = context
            inner.indices[template.variable] = index
            inner.enclosingTerms = patternTerms
            values.append(try evaluate(template.expression, inner))
        }
        return try stack(values, rows: values.count, columns: 1, range: range)
    }

    // MARK: Sums

    func evaluate(big: MathBigOperator, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let body = big.body else { throw .unsupported(VerifyMessages.emptySum, range) }
        guard big.indices.count == 1, let variable = big.indices[0].symbol?.name else {
            throw .unsupported(VerifyMessages.sumIndex, range)
        }
        let low = try big.lowerBound.map { (bound) throws(EvaluationError) in try integer(bound, context) } ?? 1
        // `\sum_{i \neq k}`: the index value skipped.
        let skipped = try big.excluded.map { (value) throws(EvaluationError) in try integer(value, context) }
        var terms: [Node] = []
        if let upper = big.upperBound {
            let high = try bound(upper, over: variable, in: body, context)
            guard high - low < limits.maxSumTerms else { throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range) }
            let sumTerms = try termsInAll(high - low + 1, inside: context, range: range)
            if vectorizesSums, high > low, big.operation == .sum, context.vector == nil, skipped == nil {
                var inner = context
                inner.vector = (variable, low, high)
                inner.enclosingTerms = sumTerms
                do {
                    let values = try evaluate(body, inner)
                    if values.shape.rank == 1, values.shape.count == high - low + 1 {
                        return try engine(range) { () throws(BackpropError) in try values.sum() }
                    }
                } catch .notVectorizable {
                    // Term by term below.
                }
            }
            if high >= low {
                for index in low...high where index != skipped {
                    var inner = context
                    inner.indices[variable] = index
                    inner.enclosingTerms = sumTerms
                    terms.append(try evaluate(body, inner))
                }
            }
        } else {
            // `\sum_k`: every k for which the term is defined, which only arrays and families
            // defined member by member ever stop; over drawn scalars it would never end.
            let labels = analysis.labelsByLetter[variable] ?? []
            guard sumEnds(body, over: variable) || !labels.isEmpty else {
                throw .unsupported(VerifyMessages.unboundedSumOfScalars(variable), range)
            }
            var index = low
            while sumEnds(body, over: variable) {
                guard index - low < limits.maxSumTerms else { throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range) }
                if index == skipped {
                    index += 1
                    continue
                }
                var inner = context
                inner.indices[variable] = index
                inner.endsAtUndefinedMembers = true
                inner.enclosingTerms = try termsInAll(index - low + 1, inside: context, range: range)
                do {
                    terms.append(try evaluate(body, inner))
                } catch .indexOutOfRange {
                    break
                }
                index += 1
            }
            // `\sum_o` over `out_o` where the note only has `out_{o1}`, `out_{o2}`: a sum over those labels.
            if terms.isEmpty {
                for label in labels {
                    let term = Self.replacingIndex(variable, with: label, in: body)
                    terms.append(try evaluate(term, context))
                }
            }
            guard !terms.isEmpty else { throw .unsupported(VerifyMessages.sumWithoutTerms(variable), range) }
        }
        return try engine(range) { () throws(BackpropError) in
            guard var total = terms.first else { return try tape.constant(big.operation == .sum ? 0 : 1) }
            for term in terms.dropFirst() {
                total = big.operation == .sum ? try total + term : try total * term
            }
            return total
        }
    }

    /// `body` with the index `variable` written as the label `label` wherever it stands alone as an
    /// index: `target_o - out_o` for o = `o1` is `target_{o1} - out_{o1}`.
    static func replacingIndex(_ variable: String, with label: String, in body: MathExpression) -> MathExpression {
        body.rewritten { node in
            guard case .symbol(var symbol) = node.kind, !symbol.indices.isEmpty else { return node }
            var changed = false
            symbol.indices = symbol.indices.map { index in
                guard let name = index.symbol?.name, name == variable, index.symbol?.indices.isEmpty == true else { return index }
                changed = true
                return MathExpression(.symbol(MathSymbol(name: label)), range: index.range)
            }
            return changed ? MathExpression(.symbol(symbol), range: node.range) : node
        }
    }

    /// Whether some symbol of `body` indexed by `variable` has an end: a drawn array, an indexed
    /// or member-by-member definition, or a network quantity.
    func sumEnds(_ body: MathExpression, over variable: String) -> Bool {
        var ends = false
        body.forEachNode { node in
            guard !ends, case .symbol(let symbol) = node.kind,
                  symbol.indices.contains(where: { NoteAnalysis.bareNames(in: $0).contains(variable) }) else { return }
            let family = symbol.familyLabelKey
            if analysis.arrayShapes[family] != nil || scope.families[family] != nil || scope.memberFamilies.contains(family)
                || scope.network?.role(ofBaseKey: symbol.baseKey) != nil {
                ends = true
            }
        }
        return ends
    }

    /// The terms a sum or pattern of `count` terms makes inside `context`'s, within
    /// `maxSumTerms` for all of them together (memory grows with the product, not the sum).
    func termsInAll(_ count: Int, inside context: Context, range: SourceRange) throws(EvaluationError) -> Int {
        let (product, overflow) = context.enclosingTerms.multipliedReportingOverflow(by: max(1, count))
        guard !overflow, product <= limits.maxSumTerms else {
            throw .limit(VerifyMessages.nestedSumsTooLong(limits.maxSumTerms), range)
        }
        return product
    }

    /// An index expression's whole-number value (`i+1`, `n_{i+1}`, `L`).
    func integer(_ expression: MathExpression, _ context: Context) throws(EvaluationError) -> Int {
        if let value = try wholeNumber(expression, context) { return value }
        let node = try evaluate(expression, context)
        guard let value = node.value.scalar, value.isFinite, value == value.rounded(), abs(value) < 1e9 else {
            throw .unsupported(VerifyMessages.notAnIndex(expression.plain), expression.range)
        }
        return Int(value)
    }

    /// Index arithmetic without the tape: numbers, index variables, `L`, `n_i`, `+ - ×`.
    func wholeNumber(_ expression: MathExpression, _ context: Context) throws(EvaluationError) -> Int? {
        switch expression.kind {
        case .number(let text):
            return Int(text)
        case .symbol(let symbol):
            if symbol.indices.isEmpty, symbol.label == nil, let value = context.indices[symbol.name],
               context.locals[symbol.key] == nil {
                return value
            }
            return try networkInteger(symbol, range: expression.range, context)
        case .group(let inner, _), .positive(let inner):
            return try wholeNumber(inner, context)
        case .negation(let inner):
            return try wholeNumber(inner, context).map { -$0 }
        case .binary(let operation, let left, let right):
            guard let a = try wholeNumber(left, context), let b = try wholeNumber(right, context) else { return nil }
            switch operation {
            case .add: return a + b
            case .subtract: return a - b
            case .implicitProduct, .cdot, .times, .asterisk: return a * b
            default: return nil
            }
        default:
            return nil
        }
    }
}
