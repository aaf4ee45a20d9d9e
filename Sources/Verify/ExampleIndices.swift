import MathSyntax

/// Per-example superscripts: `x^{(i)}`, `y^{(i)}` under `\sum_{i=1}^{m}` number the
/// training examples, so they index the family (`x^{(i)}` is `x_i`, `x^{(i)}_j` is
/// `x_{i,j}`) rather than label a layer. Decided for the whole note: a family is read
/// so when one of its superscripts is a letter that some sum of the note runs over.
///
/// A family written both without subscripts (`x^{(i)}`, one number per example) and with
/// them (`x_j^{(i)}`, feature j of an example, often in a closing generalisation) names two
/// things: only the first is indexed, so `x_0^{(i)} = 1` does not turn `x_i` into a row.
enum ExampleIndices {
    /// Letters that some sum or product of the note runs over.
    static func sumVariables(in maths: [ParsedMath]) -> Set<String> {
        var names: Set<String> = []
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    guard case .bigOperator(let big) = node.kind else { return }
                    for index in big.indices { if let name = index.symbol?.name { names.insert(name) } }
                }
            }
        }
        return names
    }

    /// Families (base keys) with a superscript that is one of `variables`.
    static func families(in maths: [ParsedMath], variables: Set<String>) -> Set<String> {
        var families: Set<String> = []
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    guard case .symbol(let symbol) = node.kind, let label = symbol.label, let name = label.symbol?.name,
                          label.symbol?.indices.isEmpty == true, variables.contains(name) else { return }
                    families.insert(symbol.baseKey)
                }
            }
        }
        return families
    }

    /// Of `families`, those written with an example superscript both with and without subscripts.
    static func featureFamilies(in maths: [ParsedMath], among families: Set<String>) -> Set<String> {
        var bare: Set<String> = []
        var subscripted: Set<String> = []
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    guard case .symbol(let symbol) = node.kind, symbol.label != nil, families.contains(symbol.baseKey) else { return }
                    if symbol.indices.isEmpty { bare.insert(symbol.baseKey) } else { subscripted.insert(symbol.baseKey) }
                }
            }
        }
        return bare.intersection(subscripted)
    }

    /// `math` with the superscripts of `families` moved in front of their indices; in
    /// `featureFamilies`, only where the symbol has no subscript.
    static func indexing(_ math: ParsedMath, families: Set<String>, featureFamilies: Set<String> = []) -> ParsedMath {
        math.rewritingOperands { indexing($0, families: families, featureFamilies: featureFamilies) }
    }

    static func indexing(_ expression: MathExpression, families: Set<String>, featureFamilies: Set<String> = []) -> MathExpression {
        expression.rewritten { node in
            guard case .symbol(var symbol) = node.kind, let label = symbol.label, families.contains(symbol.baseKey),
                  symbol.indices.isEmpty || !featureFamilies.contains(symbol.baseKey),
                  label.symbol != nil || isWholeNumber(label) else { return node }
            symbol.label = nil
            symbol.indices = [label] + symbol.indices
            return MathExpression(.symbol(symbol), range: node.range)
        }
    }

    private static func isWholeNumber(_ expression: MathExpression) -> Bool {
        if case .number(let text) = expression.kind { return Int(text) != nil }
        return false
    }
}
