import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

extension VerifierRun {
    // MARK: Inline math

    mutating func checkInline(_ math: MathCell, _ tree: ParsedMath, skipping commands: [InsertedValueCommand]) {
        for statement in tree.statements where !Self.touches(statement, commands) {
            guard let first = statement.left else { continue }
            if statement.steps.isEmpty {
                declareOpenFunction(first)
                continue
            }
            let operands = [first] + statement.steps.map(\.right)
            for (index, step) in statement.steps.enumerated() {
                let left = operands[index]
                let right = operands[index + 1]
                // `(i + 1 = L)`, `j = 1, …, n`: conditions on indices, not claims about values.
                // "If $i = j$," just before a display restricts that display to those indices.
                if isIndexOnly(left) && isIndexOnly(right) && !(Self.isNumbersOnly(left) && Self.isNumbersOnly(right)) {
                    if step.relation == .equal || step.relation == .notEqual, let a = left.symbol, let b = right.symbol,
                       a.indices.isEmpty, b.indices.isEmpty, a.name != b.name {
                        indexCondition = IndexCondition(left: a.name, right: b.name, equal: step.relation == .equal)
                    }
                    continue
                }
                if left.containsUninterpretable || right.containsUninterpretable { continue }
                // "for $m = 1$", "undefined at $x = 0$": a number for an input, a size or a value already
                // given is a case the prose picks, not a claim; only a computed quantity's number is one.
                if index == 0, step.relation == .equal, Self.isNumbersOnly(right), let symbol = left.symbol,
                   let key = Self.literalKey(symbol, indexNames: analysis.indexNames), scope.symbols[key] == nil,
                   scope.families[symbol.familyLabelKey] == nil, scope.literals[key] != nil || analysis.sizeNames.contains(key) {
                    continue
                }
                // "where $z = w x + b$", "With $L = -\sum_k y_k \log p_k$": a name not yet bound, given
                // a formula in running text, is defined there as a display would define it.
                if index == 0, definesInRunningText(left, right, relation: step.relation),
                   define(left, right, relation: step.relation, forced: false, sign: step.signRange, math: math) {
                    continue
                }
                check(left, right, relation: step.relation, sign: step.signRange, math: math, expectFailure: false, inline: true)
            }
        }
    }

    /// "a function $u(x, y)$ where $x(r, t)$ and $y(r, t)$": a letter the note never defines,
    /// written in running text applied to two or more symbols, is that quantity as an open function
    /// of them (drawn, as `f` in `h = f(x, w)` is), so the chain rules written about it are checked.
    mutating func declareOpenFunction(_ expression: MathExpression) {
        guard case .application(let function, let arguments) = expression.kind, let name = function.symbol,
              Evaluator.isArbitraryFunctionName(name), arguments.count >= 2, !namesDefinedAnywhere.contains(name.baseKey),
              scope.functions[name.baseKey] == nil, !scope.isBound(name.key), scope.network?.role(ofBaseKey: name.baseKey) == nil
        else { return }
        let keys = arguments.compactMap { $0.symbol?.key }
        guard keys.count == arguments.count, Set(keys).count == keys.count, !keys.contains(name.key) else { return }
        scope.symbols[name.key] = Scope.Definition(body: expression, range: expression.range, mentions: Set(keys))
        let reading = "read `\(expression.plain)` as \(function.plain), a function of \(keys.count) arguments the note leaves open"
        if !report.readings.contains(reading) { report.readings.append(reading) }
    }

    /// A definition in running text: a name (or `f(x)`) the note has not bound yet, on the left of
    /// `=`, `:=` or `\equiv`, and a formula on the right. A number (`$y = 1$`, which prose uses
    /// for conditions), a bare symbol (`$i = j$`) or a family (`$y_c = 1$`) defines nothing here.
    func definesInRunningText(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind) -> Bool {
        guard [.equal, .definition, .equivalent].contains(relation) else { return false }
        switch right.kind {
        case .number, .symbol: return false
        case .negation(let inner), .positive(let inner):
            if case .number = inner.kind { return false }
            if case .symbol = inner.kind { return false }
        default: break
        }
        var writesSymbol = false
        right.forEachNode { node in if case .symbol = node.kind { writesSymbol = true } }
        guard writesSymbol, !Self.hasDifferential(right) else { return false }
        let name: MathSymbol
        switch left.kind {
        case .symbol(let symbol):
            // A name the note has made a function (`f(x, y) = x y`) stays one: `$f = q z$` is a remark,
            // unless it stages the function through an intermediate the note has defined (`$q = x + y$`
            // and `$f = q z$`, as backprop by hand breaks `f(x, y, z) = (x + y) z` up).
            guard scope.families[symbol.familyLabelKey] == nil else { return false }
            if scope.functions[symbol.baseKey] != nil,
               !right.mentionedKeys.contains(where: { scope.symbols[$0] != nil }) { return false }
            if let key = Self.literalKey(symbol, indexNames: analysis.indexNames) {
                guard !scope.isBound(key) else { return false }
            } else {
                // `$p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$`: a family, over index variables only.
                guard symbol.indices.allSatisfy({ $0.symbol.map { analysis.indexNames.contains($0.name) && $0.indices.isEmpty } ?? false })
                else { return false }
            }
            name = symbol
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            guard let symbol = function.symbol, symbol.indices.isEmpty, arguments.allSatisfy({ $0.symbol != nil }),
                  scope.functions[symbol.baseKey] == nil, !scope.isBound(symbol.baseKey) else { return false }
            name = symbol
        default:
            return false
        }
        guard !analysis.indexNames.contains(name.name) || !name.indices.isEmpty,
              scope.network?.role(ofBaseKey: name.baseKey) == nil else { return false }
        return true
    }

    func isIndexOnly(_ expression: MathExpression) -> Bool {
        var onlyIndices = true
        expression.forEachNode { node in
            switch node.kind {
            case .symbol(let symbol):
                let isLayers = scope.network?.role(ofBaseKey: symbol.baseKey) == .layers
                let isWidth = scope.network?.role(ofBaseKey: symbol.baseKey) == .widths
                if !(analysis.indexNames.contains(symbol.name) && symbol.indices.isEmpty) && !isLayers && !isWidth {
                    onlyIndices = false
                }
            case .number, .binary, .group, .negation: break
            default: onlyIndices = false
            }
        }
        return onlyIndices
    }
}
