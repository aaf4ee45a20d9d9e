import Diagnostics

extension MathExpression {
    /// The LaTeX form; parsing it gives this tree again (ranges aside).
    public var latex: String { LaTeXPrinter.print(self) }

    /// A plain form for messages: `dE/dw_1 = -(t_1 - y_1) * h_1`.
    public var plain: String { PlainPrinter.print(self) }

    /// The direct children, in reading order.
    public var children: [MathExpression] {
        switch kind {
        case .number, .elided, .wildcard, .text, .uninterpretable: return []
        case .symbol(let symbol): return symbol.indices + (symbol.label.map { [$0] } ?? [])
        case .negation(let x), .positive(let x), .transpose(let x), .prime(let x, _), .group(let x, _),
             .norm(let x), .absolute(let x):
            return [x]
        case .binary(_, let lhs, let rhs): return [lhs, rhs]
        case .power(let base, let exponent): return [base, exponent]
        case .powerOrLabel(let base, let superscript): return [base, superscript]
        case .subscripted(let base, let sub): return [base, sub]
        case .root(let x, let index): return (index.map { [$0] } ?? []) + [x]
        case .tuple(let items, _): return items
        case .call(let call):
            return (call.subscriptExpression.map { [$0] } ?? []) + (call.power.map { [$0] } ?? []) + call.arguments
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            return [function] + arguments
        case .derivative(let derivative): return (derivative.operand.map { [$0] } ?? []) + derivative.variables
        case .nabla(let sub, let operand): return (sub.map { [$0] } ?? []) + (operand.map { [$0] } ?? [])
        case .bigOperator(let big):
            return big.indices + [big.lowerBound, big.upperBound, big.excluded, big.body].compactMap { $0 }
        case .matrix(let matrix): return matrix.rows.flatMap { $0 }
        }
    }

    /// Whether any part could not be read.
    public var containsUninterpretable: Bool {
        if case .uninterpretable = kind { return true }
        return children.contains { $0.containsUninterpretable }
    }

    /// Every node, depth first, parents before children.
    public func forEachNode(_ body: (MathExpression) -> Void) {
        body(self)
        for child in children { child.forEachNode(body) }
    }

    /// The nodes the binder must settle: `applicationOrProduct` and `powerOrLabel`.
    public var ambiguities: [MathExpression] {
        var out: [MathExpression] = []
        forEachNode { node in
            switch node.kind {
            case .applicationOrProduct, .powerOrLabel: out.append(node)
            default: break
            }
        }
        return out
    }

    /// Every symbol, in reading order (index symbols included).
    public var symbols: [MathSymbol] {
        var out: [MathSymbol] = []
        forEachNode { node in if case .symbol(let symbol) = node.kind { out.append(symbol) } }
        return out
    }

    /// The same tree with each node rebuilt by `transform`, children first.
    public func rewritten(_ transform: (MathExpression) -> MathExpression) -> MathExpression {
        func map(_ x: MathExpression) -> MathExpression { x.rewritten(transform) }
        func mapOptional(_ x: MathExpression?) -> MathExpression? { x.map(map) }
        var copy = self
        switch kind {
        case .number, .elided, .wildcard, .text, .uninterpretable: break
        case .symbol(var symbol):
            symbol.indices = symbol.indices.map(map)
            symbol.label = mapOptional(symbol.label)
            copy.kind = .symbol(symbol)
        case .negation(let x): copy.kind = .negation(map(x))
        case .positive(let x): copy.kind = .positive(map(x))
        case .transpose(let x): copy.kind = .transpose(map(x))
        case .prime(let x, let count): copy.kind = .prime(map(x), count: count)
        case .group(let x, let bracket): copy.kind = .group(map(x), bracket)
        case .norm(let x): copy.kind = .norm(map(x))
        case .absolute(let x): copy.kind = .absolute(map(x))
        case .binary(let op, let lhs, let rhs): copy.kind = .binary(op, map(lhs), map(rhs))
        case .power(let base, let exponent): copy.kind = .power(map(base), exponent: map(exponent))
        case .powerOrLabel(let base, let sup): copy.kind = .powerOrLabel(base: map(base), superscript: map(sup))
        case .subscripted(let base, let sub): copy.kind = .subscripted(map(base), subscript: map(sub))
        case .root(let x, let index): copy.kind = .root(map(x), index: mapOptional(index))
        case .tuple(let items, let bracket): copy.kind = .tuple(items.map(map), bracket)
        case .call(var call):
            call.subscriptExpression = mapOptional(call.subscriptExpression)
            call.power = mapOptional(call.power)
            call.arguments = call.arguments.map(map)
            copy.kind = .call(call)
        case .application(let function, let arguments):
            copy.kind = .application(function: map(function), arguments: arguments.map(map))
        case .applicationOrProduct(let function, let arguments):
            copy.kind = .applicationOrProduct(map(function), arguments: arguments.map(map))
        case .derivative(var derivative):
            derivative.operand = mapOptional(derivative.operand)
            derivative.variables = derivative.variables.map(map)
            copy.kind = .derivative(derivative)
        case .nabla(let sub, let operand): copy.kind = .nabla(subscript: mapOptional(sub), operand: mapOptional(operand))
        case .bigOperator(var big):
            big.indices = big.indices.map(map)
            big.lowerBound = mapOptional(big.lowerBound)
            big.upperBound = mapOptional(big.upperBound)
            big.excluded = mapOptional(big.excluded)
            big.body = mapOptional(big.body)
            copy.kind = .bigOperator(big)
        case .matrix(var matrix):
            matrix.rows = matrix.rows.map { $0.map(map) }
            copy.kind = .matrix(matrix)
        }
        return transform(copy)
    }

    /// The tree with every range set to one empty range, for comparing shapes.
    public var withoutRanges: MathExpression {
        let empty = SourceRange(at: SourceLocation(file: "", line: 0, column: 0, offset: 0))
        return rewritten { node in
            var copy = node
            copy.range = empty
            return copy
        }
    }

    /// Binding strength when printed; higher binds tighter.
    var precedence: Int {
        switch kind {
        case .binary(let op, _, _):
            switch op {
            case .add, .subtract, .plusMinus: return 1
            case .implicitProduct: return 3
            case .fraction: return 6
            default: return 2
            }
        case .negation, .positive: return 1
        // `\sum`, `\nabla`, `\frac{d}{dz}` and `\tanh z` are factors that take what follows;
        // `absorbsRun` and `absorbsTerm` say how far.
        case .bigOperator, .nabla, .derivative, .call: return 6
        case .power, .powerOrLabel, .transpose, .prime, .subscripted: return 5
        case .uninterpretable: return 6
        default: return 6
        }
    }
}
