import Foundation
import MathSyntax

/// Symbols a note writes as vectors or matrices without indices: bold (`\mathbf{X}`,
/// `\boldsymbol{\theta}`), with an arrow (`\vec{x}`), declared in a real space of more than
/// one dimension (`X \in \mathbb{R}^{5 \times 3}`, `y \in \mathbb{R}^n`) or transposed (`X^T`).
///
/// nbrun draws a symbol without indices as one number, so `X(Xw - y)` and `X^T(Xw - y)` would
/// both hold as scalar identities: a claim about such symbols is reported unchecked, never ✓,
/// until matrix identities are checked as matrices.
struct MatrixNotation: Sendable {
    /// Base keys of the symbols written as whole vectors or matrices.
    private(set) var keys: Set<String> = []

    init() {}

    init(texts: [String], maths: [ParsedMath]) {
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    switch node.kind {
                    case .symbol(let symbol) where Self.isWrittenWhole(symbol):
                        keys.insert(symbol.baseKey)
                    case .transpose(let inner):
                        if let symbol = inner.symbol, symbol.indices.isEmpty { keys.insert(symbol.baseKey) }
                    default:
                        break
                    }
                }
            }
        }
        for tex in texts { keys.formUnion(Self.declared(in: tex)) }
    }

    /// Bold or arrowed: a vector or matrix, with indices too (`\mathbf{h}_t` is the vector at step t,
    /// `\mathbf{W}_\textrm{hx}` a matrix by name; their entries are written plain, `h_{t,i}`).
    static func isWrittenWhole(_ symbol: MathSymbol) -> Bool {
        symbol.style == .bold || symbol.decorations.contains(.vector)
    }

    /// `x \in \mathbb{R}^{n}`, `W \in \mathbb{R}^{m \times n}`: the symbols declared in a space of
    /// more than one dimension (`\mathbb{R}^1` and `\mathbb{R}` alone are numbers).
    static func declared(in tex: String) -> Set<String> {
        guard tex.contains("\\in") else { return [] }
        var found: Set<String> = []
        let pattern = #"([^\s$,;:()]+)\s*\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*(\{[^}]*\}|\S)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let whole = NSRange(tex.startIndex..., in: tex)
        for match in regex.matches(in: tex, range: whole) {
            guard let nameRange = Range(match.range(at: 1), in: tex), let sizeRange = Range(match.range(at: 2), in: tex) else { continue }
            let size = tex[sizeRange].trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
            if size == "1" { continue }
            if let symbol = MathParser.parse(String(tex[nameRange])).expression?.symbol, symbol.indices.isEmpty {
                found.insert(symbol.baseKey)
            }
        }
        return found
    }

    /// The first symbol of `expression` written as a whole vector or matrix, with no indices.
    func firstMatrix(in expression: MathExpression, excluding: (MathSymbol) -> Bool) -> MathExpression? {
        var found: MathExpression?
        expression.forEachNode { node in
            guard found == nil, case .symbol(let symbol) = node.kind, symbol.indices.isEmpty || Self.isWrittenWhole(symbol),
                  keys.contains(symbol.baseKey), !excluding(symbol) else { return }
            found = node
        }
        return found
    }
}
