import Backprop
import Diagnostics
import Foundation
import MathSyntax

/// How far a side may be from the exact value because its author printed its
/// numbers to a number of digits: `0.75136507(1-0.75136507) = 0.186815602` is a
/// claim about numbers rounded (or cut) in their last digit, not about exact ones.
///
/// Each decimal literal of a side (`0.186815602`, its last digit worth `1e-9`) may be
/// a rounded value, half a unit either way, or, written with three decimals or more, a cut
/// one, up to a whole unit further from zero. What that moves the side by is found by evaluating the side again with
/// the literal moved, so a literal inside `1 - x` or `e^{-x}` counts with its real
/// weight. The two sides hold when the ranges they may stand for meet.
struct PrintedPrecision {
    /// One decimal literal: where it is, and one unit of its last written digit.
    struct Literal {
        var range: SourceRange
        var text: String
        var unit: Double

        /// How far from zero the value may lie beyond the literal: a whole unit for one that may be
        /// cut (`0.75136507`, three decimals or more), half a unit for one written rounded (`-1.5`).
        var furthest: Double {
            let decimals = text.split(separator: ".").last?.count ?? 0
            return decimals >= 3 ? unit : unit / 2
        }

        /// The most any of `literals` may be off: 0 without any.
        static func largestAllowance(_ literals: [Literal]) -> Double {
            literals.map(\.furthest).max() ?? 0
        }
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

    /// `expression` with the literal at `range` moved by `amount` (its magnitude: a literal is
    /// written without its sign).
    static func moving(_ literal: Literal, by amount: Double, in expression: MathExpression) -> MathExpression {
        expression.rewritten { node in
            guard node.range == literal.range, case .number(let text) = node.kind, text == literal.text,
                  let value = Double(text) else { return node }
            var moved = node
            moved.kind = .number(String(value + amount))
            return moved
        }
    }

    /// How far below and above its value `exact` the quantity `side` stands for may lie, given
    /// the digits printed: each literal may be a rounded value (half a unit of its last digit
    /// either way) or a cut one (up to a whole unit further from zero), and what that moves the
    /// side by is found by evaluating it again with the literal moved. Nil when the side has no
    /// decimal literal or a moved side cannot be evaluated.
    ///
    /// A literal that is a value the note has exactly (a given input, `w_1 = 0.15`, or a quantity
    /// that comes out exactly at the worked values, `z = -0.01`) is not rounded, and moves nothing:
    /// `isExact` says which.
    static func bounds(for side: MathExpression, value exact: Double, isExact: (Double) -> Bool = { _ in false },
                       evaluate: (MathExpression) -> Double?) -> (below: Double, above: Double)? {
        let all = literals(in: side)
        let literals = all.filter { literal in !(Double(literal.text).map(isExact) ?? false) }
        guard !all.isEmpty, literals.count <= 16 else { return nil }
        var below = 0.0
        var above = 0.0
        for literal in literals {
            guard let up = evaluate(moving(literal, by: literal.furthest, in: side)), up.isFinite,
                  let down = evaluate(moving(literal, by: -literal.unit / 2, in: side)), down.isFinite else { return nil }
            above += Swift.max(0, up - exact, down - exact)
            below += Swift.max(0, exact - up, exact - down)
        }
        return (below, above)
    }
}
