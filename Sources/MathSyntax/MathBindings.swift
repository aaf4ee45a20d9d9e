/// What the binding stage knows about names, asked when the parser met an
/// ambiguity it cannot settle from the text alone. Answer `nil` for "don't know";
/// the documented default then applies (docs/math-language.md, "Ambiguities").
///
/// ```swift
/// struct Known: MathBindings {
///     func isFunction(_ symbol: MathSymbol) -> Bool? { symbol.name == "g" ? true : nil }
/// }
/// let tree = MathParser.parse("g(a_{ij})").expression?.resolved(by: Known())
/// ```
public protocol MathBindings {
    /// Whether `symbol` names a function, so `symbol(…)` is an application.
    func isFunction(_ symbol: MathSymbol) -> Bool?
    /// Whether `superscript` on `symbol` names a layer (`w^L`) rather than a power (`x^2`).
    func isLabel(_ superscript: MathExpression, on symbol: MathSymbol) -> Bool?
}

extension MathBindings {
    public func isFunction(_ symbol: MathSymbol) -> Bool? { nil }
    public func isLabel(_ superscript: MathExpression, on symbol: MathSymbol) -> Bool? { nil }
}

/// Knows nothing: every ambiguity gets its documented default.
///
/// ```swift
/// MathParser.parse("x(y+z)").expression?.resolved(by: NoBindings())
/// ```
public struct NoBindings: MathBindings {
    public init() {}
}

/// Closures as bindings, for callers that keep their knowledge in tables.
///
/// ```swift
/// let bindings = ClosureBindings(isFunction: { $0.name == "g" }, isLabel: { _, _ in nil })
/// ```
public struct ClosureBindings: MathBindings {
    let function: (MathSymbol) -> Bool?
    let label: (MathExpression, MathSymbol) -> Bool?

    public init(isFunction: @escaping (MathSymbol) -> Bool? = { _ in nil },
                isLabel: @escaping (MathExpression, MathSymbol) -> Bool? = { _, _ in nil }) {
        self.function = isFunction
        self.label = isLabel
    }

    public func isFunction(_ symbol: MathSymbol) -> Bool? { function(symbol) }
    public func isLabel(_ superscript: MathExpression, on symbol: MathSymbol) -> Bool? { label(superscript, symbol) }
}

/// Names conventionally used for functions; `f(x)` defaults to an application.
let conventionalFunctionNames: Set<String> = ["f", "g", "\\sigma", "\\phi", "\\varphi", "\\psi"]

extension MathExpression {
    /// The tree with every `applicationOrProduct` and `powerOrLabel` settled:
    /// by `bindings` where it knows, else by the documented defaults.
    ///
    /// ```swift
    /// MathParser.parse("x(y+z)").expression?.resolved().plain   // "x * (y + z)"
    /// ```
    public func resolved(by bindings: some MathBindings = NoBindings()) -> MathExpression {
        rewritten { node in
            switch node.kind {
            case .applicationOrProduct(let head, let arguments):
                if Self.isApplication(head, arguments, bindings) {
                    return MathExpression(.application(function: head, arguments: arguments), range: node.range)
                }
                let argumentRange = arguments.dropFirst().reduce(arguments.first?.range ?? node.range) { $0.union($1.range) }
                let group: MathExpression
                if arguments.count == 1 {
                    group = MathExpression(.group(arguments[0], .parenthesis), range: argumentRange)
                } else {
                    group = MathExpression(.tuple(arguments, .parenthesis), range: argumentRange)
                }
                return MathExpression(.binary(.implicitProduct, head, group), range: node.range)
            case .powerOrLabel(let base, let superscript):
                guard case .symbol(var symbol) = base.kind else {
                    return MathExpression(.power(base, exponent: superscript), range: node.range)
                }
                if bindings.isLabel(superscript, on: symbol) == true {
                    symbol.label = superscript
                    return MathExpression(.symbol(symbol), range: node.range)
                }
                return MathExpression(.power(base, exponent: superscript), range: node.range)
            default:
                return node
            }
        }
    }

    /// Default for `head(…)`: an application when the head is text (`\text{softmax}`),
    /// calligraphic (`\mathcal{L}(\theta)`), a conventional function name (`f g \sigma \phi \varphi \psi`),
    /// or takes several arguments; otherwise a product.
    static func isApplication(_ head: MathExpression, _ arguments: [MathExpression], _ bindings: some MathBindings) -> Bool {
        switch head.kind {
        case .text: return true
        case .symbol(let symbol):
            if let known = bindings.isFunction(symbol) { return known }
            if symbol.style == .calligraphic || symbol.style == .script { return true }
            if conventionalFunctionNames.contains(symbol.name), symbol.decorations.isEmpty { return true }
            // `\text{ReLU}(z)`, `\mathrm{softmax}(z)`: a word set upright is a function's name.
            if symbol.style == .roman, symbol.name.count > 1, symbol.indices.isEmpty { return true }
            return arguments.count > 1
        default:
            return true
        }
    }
}

extension MathStatement {
    /// The statement with `transform` applied to each of its operands.
    public func rewritingOperands(_ transform: (MathExpression) -> MathExpression) -> MathStatement {
        var copy = self
        copy.left = left.map(transform)
        copy.steps = steps.map { step in
            var step = step
            step.right = transform(step.right)
            return step
        }
        return copy
    }

    /// The statement with its operands resolved.
    public func resolved(by bindings: some MathBindings = NoBindings()) -> MathStatement {
        rewritingOperands { $0.resolved(by: bindings) }
    }
}

extension ParsedMath {
    /// Every statement with `transform` applied to each of its operands.
    public func rewritingOperands(_ transform: (MathExpression) -> MathExpression) -> ParsedMath {
        var copy = self
        copy.statements = statements.map { $0.rewritingOperands(transform) }
        return copy
    }

    /// Every statement resolved.
    public func resolved(by bindings: some MathBindings = NoBindings()) -> ParsedMath {
        rewritingOperands { $0.resolved(by: bindings) }
    }
}
