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
        let derivative = MathDerivative(notation: .partial, operand: MathExpression(loss.kind, range: d),
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
