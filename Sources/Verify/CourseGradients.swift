import Diagnostics
import MathSyntax

/// `da = \frac{d\mathcal{L}}{da}`, `dz = a - y`, `dW^{[2]} = dz^{[2]} a^{[1]T}`: the deep-learning
/// course's names for gradients, `d` before a quantity meaning the loss's derivative with respect
/// to it. Decided once per note, and only on the note's word:
/// - a statement that names one (`da = \frac{d\mathcal{L}}{da}`) says which loss, or
/// - a layer written in square brackets (`dZ^{[2]}`, the course's own mark) with a loss the note
///   defines (`\mathcal{L}`, `L`, `J`, …).
/// Elsewhere `d\sigma = \sigma(1 - \sigma)\, dz` stays a differential.
struct CourseGradients {
    /// The loss each `dX` is the derivative of.
    let loss: MathExpression
    /// The number of examples m when the note follows the course in full: its cost is a mean
    /// (`J = \frac{1}{m} \sum_{i=1}^{m} …`) and its parameters' gradients carry the `\frac{1}{m}`
    /// (`dW = \frac{1}{m} dZ A^T`), so `dZ`, `dA` — of quantities computed per example — are
    /// derivatives of the summed loss m J, and only `dW`, `db` are derivatives of J.
    private(set) var examples: MathExpression?
    /// Base keys of the quantities the note computes (defines), per example.
    private var computed: Set<String> = []

    /// Loss names in the order a per-example derivation prefers them.
    static let lossNames = ["\\mathcal{L}", "L", "\\ell", "J", "\\mathcal{J}", "E", "C"]

    init?(maths: [ParsedMath], texts: [String], definedNames: Set<String>) {
        if let named = Self.namedLoss(in: maths) {
            loss = named
            return
        }
        guard Self.writesBracketLayerGradient(in: texts),
              let written = Self.lossNames.lazy.compactMap({ MathParser.parse($0).expression })
                .first(where: { definedNames.contains($0.symbol?.baseKey ?? "") }) else { return nil }
        loss = written
        if let m = Self.meanSize(of: written, in: maths), Self.parameterGradientsCarry(m, in: maths, definedNames: definedNames) {
            examples = m
            computed = definedNames
        }
    }

    /// What the report says of the summed loss, when the note reads so.
    var examplesReading: String? {
        examples.map { m in
            "read `dZ`, `dA` (quantities computed per example) as derivatives of \(m.plain) \(loss.plain), the summed loss, "
                + "and `dW`, `db` as derivatives of \(loss.plain): the note's parameter gradients carry the 1/\(m.plain)"
        }
    }

    /// m in `J = -\frac{1}{m} \sum_{i=1}^{m} …`: the cost is the mean over m examples.
    private static func meanSize(of loss: MathExpression, in maths: [ParsedMath]) -> MathExpression? {
        for statement in maths.flatMap(\.statements) {
            guard let left = statement.left, left.symbol?.baseKey == loss.symbol?.baseKey, let step = statement.steps.first,
                  step.relation == .equal else { continue }
            var reciprocal: String?, bound: String?
            step.right.forEachNode { node in
                if let m = reciprocalSize(node) { reciprocal = reciprocal ?? m.plain }
                if case .bigOperator(let sum) = node.kind, let upper = sum.upperBound, upper.symbol != nil { bound = bound ?? upper.plain }
            }
            if let reciprocal, reciprocal == bound { return MathParser.parse(reciprocal).expression }
        }
        return nil
    }

    /// `\frac{1}{m}` (or `1/m`) with m one symbol.
    private static func reciprocalSize(_ node: MathExpression) -> MathExpression? {
        guard case .binary(let operation, let one, let m) = node.kind, operation == .fraction || operation == .slash,
              case .number(let text) = one.kind, text == "1", let symbol = m.symbol, symbol.indices.isEmpty else { return nil }
        return m
    }

    /// `dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}`: a gradient of a parameter (a quantity the note
    /// never defines) written with 1/m.
    private static func parameterGradientsCarry(_ m: MathExpression, in maths: [ParsedMath], definedNames: Set<String>) -> Bool {
        maths.flatMap(\.statements).contains { statement in
            guard let left = statement.left, case .binary(.implicitProduct, let d, let written) = left.kind, isD(d),
                  let parameter = quantity(written)?.symbol.symbol, !definedNames.contains(parameter.baseKey),
                  let right = statement.steps.first?.right else { return false }
            var carries = false
            right.forEachNode { node in if reciprocalSize(node)?.plain == m.plain { carries = true } }
            return carries
        }
    }

    /// The note's math with every `dX` made `\frac{\partial loss}{\partial X}`.
    func rewriting(_ math: ParsedMath) -> ParsedMath {
        math.rewritingOperands { rewriting($0) }
    }

    func rewriting(_ expression: MathExpression) -> MathExpression {
        expression.rewritten { node in
            guard case .binary(.implicitProduct, let first, let second) = node.kind else { return node }
            // `dz (1 - a)` groups as `d (z (1 - a))`: the gradient is of the first factor.
            var rest: MathExpression?
            var written = second
            if case .binary(.implicitProduct, let leading, let after) = second.kind, Self.quantity(leading) != nil {
                written = leading
                rest = after
            }
            guard let variable = Self.quantity(written) else { return node }
            let gradient: MathExpression
            let before: MathExpression?
            if Self.isD(first) {
                gradient = derivative(at: variable, d: first.range, range: first.range.union(written.range))
                before = nil
            } else if case .binary(.implicitProduct, let leading, let last) = first.kind, Self.isD(last) {
                // `x_1 dz` groups as `(x_1 d) z`.
                gradient = derivative(at: variable, d: last.range, range: last.range.union(written.range))
                before = leading
            } else {
                return node
            }
            var product = rest.map { MathExpression(.binary(.implicitProduct, gradient, $0), range: gradient.range.union($0.range)) } ?? gradient
            if let before { product = MathExpression(.binary(.implicitProduct, before, product), range: node.range) }
            return product
        }
    }

    /// The loss stands where the `d` is written: the checker knows each quantity by its place.
    private func derivative(at variable: (symbol: MathExpression, transposed: Bool), d: SourceRange, range: SourceRange) -> MathExpression {
        var operand = MathExpression(loss.kind, range: d)
        if let examples, let symbol = variable.symbol.symbol, computed.contains(symbol.baseKey) {
            operand = MathExpression(.binary(.implicitProduct, MathExpression(examples.kind, range: d), operand), range: d)
        }
        let derivative = MathDerivative(notation: .partial, operand: operand,
                                        variables: [variable.symbol], order: 1, isOperatorForm: false)
        let node = MathExpression(.derivative(derivative), range: range)
        return variable.transposed ? MathExpression(.transpose(node), range: range) : node
    }

    /// `z`, `W^{[2]}`, or `Z^{[2]T}` (the gradient transposed).
    private static func quantity(_ expression: MathExpression) -> (symbol: MathExpression, transposed: Bool)? {
        switch expression.kind {
        case .symbol(let symbol) where symbol.name != "d": return (expression, false)
        case .transpose(let inner): return inner.symbol.map { _ in (inner, true) }
        default: return nil
        }
    }

    private static func isD(_ expression: MathExpression) -> Bool {
        guard case .symbol(let symbol) = expression.kind else { return false }
        return symbol.name == "d" && symbol.indices.isEmpty && symbol.label == nil && symbol.style == .normal
    }

    /// `da = \frac{d\mathcal{L}}{da}`: a `dX` and a derivative of one symbol in X, side by side.
    private static func namedLoss(in maths: [ParsedMath]) -> MathExpression? {
        for math in maths {
            for statement in math.statements {
                let operands = statement.operands
                for (left, right) in zip(operands, operands.dropFirst()) {
                    for (name, derivative) in [(left, right), (right, left)] {
                        guard case .binary(.implicitProduct, let d, let written) = name.kind, isD(d), let symbol = written.symbol,
                              case .derivative(let found) = derivative.kind, found.order == 1, found.variables.count == 1,
                              found.variables[0].symbol == symbol, let operand = found.operand, operand.symbol != nil else { continue }
                        return operand
                    }
                }
            }
        }
        return nil
    }

    /// `dZ^{[2]}`, `dW^{[l]T}`: a `d` before a letter whose layer is written in square brackets,
    /// found in the TeX as written (the parsed label keeps the layer, not its brackets).
    static func writesBracketLayerGradient(in texts: [String]) -> Bool {
        texts.contains { tex in
            let bytes = Array(tex.utf8)
            for index in bytes.indices where bytes[index] == UInt8(ascii: "d") {
                let before = index > 0 ? bytes[index - 1] : UInt8(ascii: " ")
                guard !isLetter(before), before != UInt8(ascii: "\\"), index + 3 < bytes.count, isLetter(bytes[index + 1]),
                      bytes[index + 2] == UInt8(ascii: "^") else { continue }
                let next = bytes[index + 3] == UInt8(ascii: "{") && index + 4 < bytes.count ? bytes[index + 4] : bytes[index + 3]
                if next == UInt8(ascii: "[") { return true }
            }
            return false
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
