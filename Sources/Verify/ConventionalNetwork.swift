import MathSyntax

/// A note that derives backpropagation in the feed-forward notation `NetworkModel` follows
/// (`a_i = W_i h_{i-1} + b_i`, `h_i = g(a_i)`, loss `\mathcal{L}(\theta)`) but declares no
/// `network:` cell — it defines those quantities in an earlier note or only in a figure — is
/// read as that network, drawn as a small one, so that its steps are compared instead of left
/// unchecked as quantities no definition connects.
///
/// The reading is decided once for the whole note and only on firm evidence: the note
/// differentiates the loss, which it never defines, by a layer of pre-activations or
/// activations, writes both of those families with a layer index (`a_{i+1,m}`, `h_{ij}`),
/// and defines none of the network's names itself. The report says so.
enum ConventionalNetwork {
    /// Widths of the drawn network, input first: all different, so that a layer confused with
    /// its neighbour is a shape or index error rather than a coincidence.
    static let widths = [3, 5, 4, 6, 2]

    static func model(for maths: [ParsedMath]) -> NetworkModel? {
        var network = NetworkModel(widths: widths)
        // The output layer is the identity with the squared error: a note that leaves its
        // output to the figure makes no claim that depends on it at a hidden layer.
        network.output = "identity"
        network.loss = "squared-error"
        let names = network.names
        let roles: [NetworkModel.Role] = [.loss, .preActivations, .activations, .weights, .activation]
        guard roles.allSatisfy({ names[$0] != nil }), let loss = names[.loss], let preActivations = names[.preActivations],
              let activations = names[.activations], let activation = names[.activation],
              let weights = names[.weights], let biases = names[.biases]
        else { return nil }
        // The note may restate the convention (`h_{ij} = g(a_{ij})`, `a_k = b_k + W_k h_{k-1}`) or name a part of a family by its
        // entries (`W_{i+1,*,j} = [W_{i+1,1,j} … ]`); any other definition of these names is its own notation.
        for statement in maths.flatMap(\.statements) {
            guard let left = statement.left, let step = statement.steps.first,
                  [.equal, .definition, .equivalent].contains(step.relation),
                  let name = left.headKey, roles.contains(where: { names[$0] == name }) else { continue }
            let right = step.right
            let restatesActivation = name == activations && right.headKey == activation && right.symbol == nil
            var written: Set<String> = [], inIndices: Set<String> = []
            right.forEachNode { node in
                guard let symbol = node.symbol else { return }
                written.insert(symbol.baseKey)
                for index in symbol.indices { index.forEachNode { if let letter = $0.symbol { inIndices.insert(letter.baseKey) } } }
            }
            written.subtract(inIndices)
            // `a_k = b_k + W_k h_{k-1}`: the pre-activations as the convention has them.
            let restatesPreActivation = name == preActivations && written.contains(weights) && written.contains(activations)
                && written.isSubset(of: [weights, activations, biases])
            guard restatesActivation || restatesPreActivation || written.contains(name) else { return nil }
        }
        var differentiatesLoss = false
        var layered: Set<String> = []
        for math in maths {
            for expression in math.statements.flatMap(\.operands) {
                expression.forEachNode { node in
                    switch node.kind {
                    case .symbol(let symbol):
                        if let first = symbol.indices.first, symbol.label == nil, VerifierRun.variablePlusOffset(first) != nil {
                            layered.insert(symbol.baseKey)
                        }
                    case .derivative(let derivative):
                        guard let operand = derivative.operand, operand.headKey == loss else { return }
                        if derivative.variables.contains(where: { isLayer($0, of: [preActivations, activations]) }) {
                            differentiatesLoss = true
                        }
                    case .nabla(let variable?, let operand?):
                        if operand.headKey == loss, isLayer(variable, of: [preActivations, activations]) { differentiatesLoss = true }
                    default:
                        break
                    }
                }
            }
        }
        guard differentiatesLoss, layered.contains(preActivations), layered.contains(activations) else { return nil }
        return network
    }

    /// What the report says the note was read as.
    static func reading(of network: NetworkModel) -> String {
        let widths = network.widths.map(String.init).joined(separator: " → ")
        return "read ℒ, a, h, W and g as a feed-forward network's loss, pre-activations, activations, weights and "
            + "activation (a_i = W_i h_{i-1} + b_i, h_i = g(a_i)); the note declares no network, so its steps are "
            + "checked on a drawn one, \(widths) with g = \(network.activation) (declare yours in a `network:` cell)"
    }

    /// `a_{i+1,m}`, `h_{ij}`, `h_i`: a member of a layered family at a layer written with a variable.
    private static func isLayer(_ expression: MathExpression, of families: [String]) -> Bool {
        guard let symbol = expression.symbol, families.contains(symbol.baseKey), let first = symbol.indices.first else { return false }
        return VerifierRun.variablePlusOffset(first) != nil
    }
}
