import Backprop
import Diagnostics
import Foundation
import MathSyntax

/// How far a side may be from the exact value because its author printed its
/// numbers to a number of digits: `0.75136507(1-0.75136507) = 0.186815602` is a
/// claim about numbers rounded (or cut) in their last digit, not about exact ones.
///
/// Each decimal literal of a side (`0.186815602`) carries one unit of its last
/// digit written (`1e-9`): half a unit for rounding, the whole unit so that a cut
/// last digit is accepted too. What that unit moves the side by is found by
/// evaluating the side again with the literal moved by it, so a literal inside
/// `1 - x` or `e^{-x}` counts with its real weight. The sides of a claim may differ
/// by the sum over both sides' literals.
struct PrintedPrecision {
    /// One decimal literal: where it is, and one unit of its last written digit.
    struct Literal {
        var range: SourceRange
        var text: String
        var unit: Double
    }

    /// The decimal literals of an expression (`0.05`, not `2` or `10`). An exponent is exact,
    /// not a printed value (`(\sigma^2 + \epsilon)^{-0.5}`), except over Euler's number (`e^{-0.3775}`).
    static func literals(in expression: MathExpression) -> [Literal] {
        var exponents: Set<Int> = []
        expression.forEachNode { node in
            guard case .power(let base, let exponent) = node.kind else { return }
            if case .symbol(let symbol) = base.kind, symbol.name == "e", symbol.indices.isEmpty { return }
            exponent.forEachNode { inner in exponents.insert(inner.range.start.offset) }
        }
        var found: [Literal] = []
        expression.forEachNode { node in
            guard case .number(let text) = node.kind, let dot = text.firstIndex(of: "."),
                  !exponents.contains(node.range.start.offset) else { return }
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            guard decimals > 0, decimals < 17 else { return }
            found.append(Literal(range: node.range, text: text, unit: pow(10, Double(-decimals))))
        }
        return found
    }

    /// `expression` with the literal at `range` moved up by `unit`.
    static func moving(_ literal: Literal, in expression: MathExpression) -> MathExpression {
        expression.rewritten { node in
            guard node.range == literal.range, case .number(let text) = node.kind, text == literal.text,
                  let value = Double(text) else { return node }
            var moved = node
            moved.kind = .number(String(value + literal.unit))
            return moved
        }
    }

    /// What the printed digits of `side` allow it to be off by, given its value `exact`:
    /// the sum over its literals of how far one unit of each moves it. Nil when the
    /// side has no decimal literal or a moved side cannot be evaluated.
    ///
    /// A literal that is a value the note has exactly (a given input, `w_1 = 0.15`, or a quantity
    /// that comes out exactly at the worked values, `z = -0.01`) is not rounded, and moves nothing:
    /// `isExact` says which.
    static func allowance(for side: MathExpression, value exact: Double, isExact: (Double) -> Bool = { _ in false },
                          evaluate: (MathExpression) -> Double?) -> Double? {
        let literals = literals(in: side).filter { literal in !(Double(literal.text).map(isExact) ?? false) }
        guard !literals.isEmpty, literals.count <= 16 else { return literals.isEmpty && !Self.literals(in: side).isEmpty ? 0 : nil }
        var total = 0.0
        for literal in literals {
            guard let moved = evaluate(moving(literal, in: side)), moved.isFinite else { return nil }
            total += Swift.abs(moved - exact)
        }
        return total
    }
}
