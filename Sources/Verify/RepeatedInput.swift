import MathSyntax

/// `y_1 = w_5 h_1 + w_6 h_1 + b_2` where the note also computes `h_2`: a weighted sum that takes
/// one input twice, each time with another weight, and leaves out a sibling input the note has
/// (same letter, another number). That is the slip of a line copied from the one before; the
/// numbers worked from it agree with it, so no other check would see it.
struct RepeatedInput: Equatable {
    /// The input written twice (`h1`), its weights (`w5`, `w6`) and the sibling left out (`h2`).
    var input: String
    var weights: [String]
    var missing: String

    /// Looks in a sum of products of two names. `isBound` says which names the note has given a
    /// value or a formula.
    static func find(in expression: MathExpression, isBound: (MathSymbol) -> Bool) -> RepeatedInput? {
        var pairs: [(MathSymbol, MathSymbol)] = []
        for term in terms(of: expression) {
            guard let factors = twoNames(term) else { continue }
            pairs.append(factors)
        }
        guard pairs.count >= 2 else { return nil }
        var written: Set<String> = []
        expression.forEachNode { node in
            if case .symbol(let symbol) = node.kind { written.insert(symbol.key) }
        }
        for (input, _) in pairs.flatMap({ [($0.0, $0.1), ($0.1, $0.0)] }) {
            let partners = pairs.compactMap { pair -> MathSymbol? in
                if pair.0.key == input.key { return pair.1 }
                if pair.1.key == input.key { return pair.0 }
                return nil
            }
            guard partners.count >= 2, Set(partners.map(\.key)).count == partners.count,
                  !partners.contains(where: { $0.key == input.key }), let (stem, number) = numbered(input) else { continue }
            // The sibling: the same stem with another number, bound in the note and absent here.
            for sibling in [number - 1, number + 1] where sibling >= 0 {
                let candidate = named(stem, sibling, like: input)
                if !written.contains(candidate.key), isBound(candidate) {
                    return RepeatedInput(input: ValueFormat.name(input.key), weights: partners.map { ValueFormat.name($0.key) },
                                         missing: ValueFormat.name(candidate.key))
                }
            }
        }
        return nil
    }

    private static func terms(of expression: MathExpression) -> [MathExpression] {
        switch expression.kind {
        case .group(let inner, _): return terms(of: inner)
        case .binary(.add, let left, let right), .binary(.subtract, let left, let right): return terms(of: left) + terms(of: right)
        default: return [expression]
        }
    }

    private static func twoNames(_ term: MathExpression) -> (MathSymbol, MathSymbol)? {
        guard case .binary(let operation, let left, let right) = term.kind,
              [.implicitProduct, .cdot, .times, .asterisk].contains(operation),
              case .symbol(let first) = left.kind, case .symbol(let second) = right.kind else { return nil }
        return (first, second)
    }

    /// `h1` as (`h`, 1), `h_1` as (`h`, 1).
    private static func numbered(_ symbol: MathSymbol) -> (String, Int)? {
        if symbol.indices.count == 1, case .number(let text) = symbol.indices[0].kind, let number = Int(text) {
            return (symbol.name, number)
        }
        guard symbol.indices.isEmpty else { return nil }
        let digits = symbol.name.reversed().prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count < symbol.name.count, let number = Int(String(digits.reversed())) else { return nil }
        return (String(symbol.name.dropLast(digits.count)), number)
    }

    private static func named(_ stem: String, _ number: Int, like symbol: MathSymbol) -> MathSymbol {
        var sibling = symbol
        if symbol.indices.count == 1, case .number = symbol.indices[0].kind {
            sibling.indices = [MathExpression(.number(String(number)), range: symbol.indices[0].range)]
        } else {
            sibling.name = stem + String(number)
        }
        return sibling
    }
}
