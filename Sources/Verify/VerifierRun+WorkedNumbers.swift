import Backprop
import MathSyntax

/// Worked examples: a note defines `net_{h1} = w_1 * i_1 + w_2 * i_2 + b_1 * 1`,
/// then writes the same formula with numbers, `net_{h1} = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1`.
/// Matched term by term, the numbers are the values of the symbols the note never
/// gave a value otherwise: `w_1 = 0.15`, `i_1 = 0.05`, … From there on the note's
/// definitions compute the author's numbers, and every later step is compared
/// against them instead of against random draws.
extension VerifierRun {
    /// What matching a symbolic side against a side of numbers found.
    struct WorkedNumbers {
        /// Free symbols the numbers give values to, by key, in the order they were met.
        var values: [(key: String, name: String, value: Double)] = []
        /// How many symbols of the symbolic side already had a value (compared by the check).
        var boundLeaves = 0
    }

    /// Matches `symbolic` (or the definition of the symbol it is) against `numbers`, a side of
    /// numbers only, and gives the free symbols their values. Nil when the shapes differ.
    mutating func bindWorkedNumbers(_ symbolic: MathExpression, _ numbers: MathExpression) -> WorkedNumbers? {
        guard Self.isNumbersOnly(numbers), !Self.isNumbersOnly(symbolic) else { return nil }
        var pattern = symbolic
        if case .symbol(let symbol) = symbolic.kind, let key = Self.literalKey(symbol, indexNames: analysis.indexNames),
           let definition = scope.symbols[key] {
            pattern = definition.body
        }
        var found = WorkedNumbers()
        var pairs: [(MathSymbol, Double)] = []
        guard Self.match(pattern, numbers, into: &pairs) else { return nil }
        var seen: Set<String> = []
        for (symbol, value) in pairs {
            guard let key = Self.literalKey(symbol, indexNames: analysis.indexNames) else { return nil }
            if !seen.insert(key).inserted { continue }
            let isNetwork = scope.network?.role(ofBaseKey: symbol.baseKey) != nil
            if scope.isBound(key) || isNetwork || scope.families[symbol.familyLabelKey] != nil
                || analysis.arrayShapes[symbol.familyLabelKey] != nil || analysis.indexNames.contains(symbol.name) && symbol.indices.isEmpty {
                found.boundLeaves += 1
            } else {
                found.values.append((key, MathExpression(.symbol(symbol), range: symbolic.range).plain, value))
            }
        }
        guard !found.values.isEmpty else { return found }
        for entry in found.values {
            scope.literals[entry.key] = Tensor(entry.value)
            workedKeys.insert(entry.key)
        }
        return found
    }

    /// Whether an expression is made of numbers and arithmetic only (`0.15 * 0.05 + 0.35`, `\frac{1}{1+e^{-0.3775}}`).
    static func isNumbersOnly(_ expression: MathExpression) -> Bool {
        var numbersOnly = true
        var sawNumber = false
        // `\sigma(-0.01)`: the name of a function applied is no quantity.
        let heads = expression.applicationHeads
        expression.forEachNode { node in
            switch node.kind {
            case .number: sawNumber = true
            case .binary, .group, .negation, .positive, .power, .root, .norm, .absolute: break
            case .symbol(let symbol) where symbol.name == "e" && symbol.indices.isEmpty && symbol.label == nil: break
            case .symbol where heads.contains(Evaluator.Place(node.range)): break
            case .call, .application: break
            default: numbersOnly = false
            }
        }
        return numbersOnly && sawNumber
    }

    /// Term-by-term match of a formula against the same formula written with numbers.
    /// Products match products however written (`w x`, `w * x`, `w \cdot x`, `w \times x`).
    static func match(_ pattern: MathExpression, _ numbers: MathExpression, into pairs: inout [(MathSymbol, Double)]) -> Bool {
        switch (pattern.kind, numbers.kind) {
        case (.group(let inner, _), _): return match(inner, numbers, into: &pairs)
        case (_, .group(let inner, _)): return match(pattern, inner, into: &pairs)
        case (.symbol(let symbol), .number(let text)):
            guard let value = Double(text) else { return false }
            if symbol.name == "e", symbol.indices.isEmpty { return false }
            pairs.append((symbol, value))
            return true
        case (.symbol(let symbol), .negation(let inner)):
            guard case .number(let text) = inner.kind, let value = Double(text) else { return false }
            pairs.append((symbol, -value))
            return true
        case (.symbol(let a), .symbol(let b)):
            return a.key == b.key
        case (.derivative, .number), (.derivative, .negation):
            // `w_5 - \eta \frac{\partial E}{\partial w_5} = 0.4 - 0.5 * 0.0821`: the derivative's number is
            // compared by the check; the symbols around it take theirs.
            return true
        case (.applicationOrProduct(let function, let arguments), .binary(let op, let b1, let b2)) where isProduct(op) && arguments.count == 1:
            // `out(1 - out)` read as a product: `0.75(1 - 0.75)`.
            return match(function, b1, into: &pairs) && match(arguments[0], b2, into: &pairs)
        case (.number(let a), .number(let b)):
            return Double(a) == Double(b)
        case (.negation(let a), .negation(let b)), (.positive(let a), .positive(let b)),
             (.norm(let a), .norm(let b)), (.absolute(let a), .absolute(let b)), (.norm(let a), .absolute(let b)):
            return match(a, b, into: &pairs)
        case (.binary(let op, let a1, let a2), .negation(let inner)) where isProduct(op):
            // `-0.27 \times 0.1` for `w_1 x_1`: the minus belongs to the first factor (w_1 = -0.27).
            guard case .binary(let other, let b1, let b2) = inner.kind, isProduct(other) else { return false }
            return match(a1, MathExpression(.negation(b1), range: b1.range), into: &pairs) && match(a2, b2, into: &pairs)
        case (.binary(.add, let a1, let a2), .binary(.subtract, let b1, let b2)):
            // `w_1 x_1 + w_2 x_2` as `0.5 \times 0.1 - 0.27 \times 0.6`: the second term's numbers carry the minus.
            return match(a1, b1, into: &pairs) && match(a2, MathExpression(.negation(b2), range: b2.range), into: &pairs)
        case (.binary(let op, let a1, let a2), .binary(let other, let b1, let b2)):
            guard op == other || isProduct(op) && isProduct(other) else { return false }
            return match(a1, b1, into: &pairs) && match(a2, b2, into: &pairs)
        case (.power(let a, let x), .power(let b, let y)):
            return match(a, b, into: &pairs) && match(x, y, into: &pairs)
        case (.powerOrLabel(let a, let x), .power(let b, let y)):
            return match(a, b, into: &pairs) && match(x, y, into: &pairs)
        case (.call(let f), .call(let g)):
            guard f.name == g.name, f.arguments.count == g.arguments.count else { return false }
            for (a, b) in zip(f.arguments, g.arguments) where !match(a, b, into: &pairs) { return false }
            return true
        default:
            return false
        }
    }

    private static func isProduct(_ op: BinaryOperator) -> Bool {
        op == .implicitProduct || op == .cdot || op == .times || op == .asterisk
    }
}

/// Naming by equality: `L = -\sum_j y_j \log p_j = -\sum_j \ell_j` introduces `\ell_j` as the
/// term it stands for. When a side holds a family the note has not used before this
/// step and never defines, and the two sides are the same formula but for it, the step
/// defines that family (`\ell_j := y_j \log p_j`) instead of comparing a drawn value.
extension VerifierRun {
    /// Where each family (with its label) and each symbol (with its indices) is first written,
    /// by file offset, for `nameByEquality` and for names first written in a step.
    static func firstUses(in maths: [ParsedMath]) -> (families: [String: Int], symbols: [String: Int]) {
        var families: [String: Int] = [:]
        var symbols: [String: Int] = [:]
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    guard case .symbol(let symbol) = node.kind else { return }
                    let offset = node.range.start.offset
                    if families[symbol.familyLabelKey].map({ offset < $0 }) ?? true { families[symbol.familyLabelKey] = offset }
                    if symbols[symbol.key].map({ offset < $0 }) ?? true { symbols[symbol.key] = offset }
                }
            }
        }
        return (families, symbols)
    }

    /// Defines the new family of `left = right` from the other side; returns the name given, or nil.
    mutating func nameByEquality(_ left: MathExpression, _ right: MathExpression) -> String? {
        guard !left.containsUninterpretable, !right.containsUninterpretable else { return nil }
        for (named, other) in [(right, left), (left, right)] {
            // A name the other side also writes (indexed or not) is compared, never named by itself.
            var writtenInOther: Set<String> = []
            other.forEachNode { node in
                if case .symbol(let symbol) = node.kind { writtenInOther.insert(symbol.familyLabelKey) }
            }
            var fresh: Set<String> = []
            named.forEachNode { node in
                guard case .symbol(let symbol) = node.kind else { return }
                let family = symbol.familyLabelKey
                // `g = \sigma` says which function g is: σ, a function nbrun knows, is not a new quantity.
                // `\mathbf{1}` and `\mathbf{0}` are the ones and zeros of matrix notes, never names, and
                // in a note with matrices `I` is the identity (`\mathbf{A}^{-1}\mathbf{A} = I`).
                guard !Evaluator.namesBuiltin(symbol), scope.functions[symbol.baseKey] == nil,
                      !MatrixShapes.isOnes(symbol), !MatrixShapes.isZeros(symbol),
                      !(MatrixShapes.isIdentity(symbol) && !matrixShapes.isEmpty),
                      let first = firstUse[family], first >= named.range.start.offset, first < named.range.end.offset,
                      scope.families[family] == nil, !scope.memberFamilies.contains(family),
                      scope.network?.role(ofBaseKey: symbol.baseKey) == nil,
                      !writtenInOther.contains(family),
                      Self.literalKey(symbol, indexNames: analysis.indexNames).map({ !scope.isBound($0) }) ?? true else { return }
                fresh.insert(family)
            }
            guard fresh.count == 1, let family = fresh.first else { continue }
            var bound: (MathSymbol, MathExpression)?
            guard Self.structurallyEqual(named, other, naming: family, bound: &bound), let (symbol, body) = bound else { continue }
            let parameters = symbol.indices.compactMap { index -> String? in
                guard let name = index.symbol?.name, index.symbol?.indices.isEmpty == true, analysis.indexNames.contains(name) else { return nil }
                return name
            }
            let definition = Scope.Definition(body: body, range: symbol.indices.first?.range ?? body.range, mentions: body.mentionedKeys)
            if !symbol.indices.isEmpty, parameters.count == symbol.indices.count {
                var familyDefinition = definition
                familyDefinition.indexParameters = parameters
                scope.families[family] = familyDefinition
            } else if symbol.indices.isEmpty, let key = Self.literalKey(symbol, indexNames: analysis.indexNames) {
                scope.symbols[key] = definition
            } else {
                continue
            }
            return MathExpression(.symbol(symbol), range: body.range).plain + " = " + body.plain
        }
        return nil
    }

    /// Whether two formulas are the same, except that symbols of `family` in `named` stand for
    /// one subformula of `other` (the same one each time they occur).
    static func structurallyEqual(_ named: MathExpression, _ other: MathExpression, naming family: String,
                                  bound: inout (MathSymbol, MathExpression)?) -> Bool {
        if case .symbol(let symbol) = named.kind, symbol.familyLabelKey == family {
            if let (known, body) = bound { return known.key == symbol.key && body.withoutRanges == other.withoutRanges }
            bound = (symbol, other)
            return true
        }
        switch (named.kind, other.kind) {
        case (.group(let inner, _), _): return structurallyEqual(inner, other, naming: family, bound: &bound)
        case (_, .group(let inner, _)): return structurallyEqual(named, inner, naming: family, bound: &bound)
        case (.binary(let op, let a1, let a2), .binary(let other, let b1, let b2)):
            return op == other && structurallyEqual(a1, b1, naming: family, bound: &bound) && structurallyEqual(a2, b2, naming: family, bound: &bound)
        case (.negation(let a), .negation(let b)), (.positive(let a), .positive(let b)):
            return structurallyEqual(a, b, naming: family, bound: &bound)
        case (.bigOperator(let a), .bigOperator(let b)):
            guard a.operation == b.operation, a.indices.map(\.withoutRanges) == b.indices.map(\.withoutRanges),
                  a.lowerBound?.withoutRanges == b.lowerBound?.withoutRanges, a.upperBound?.withoutRanges == b.upperBound?.withoutRanges,
                  let x = a.body, let y = b.body else { return false }
            return structurallyEqual(x, y, naming: family, bound: &bound)
        default:
            return named.withoutRanges == other.withoutRanges
        }
    }
}
