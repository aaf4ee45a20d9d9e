import Backprop
import MathSyntax

/// The network a cell declares, and which letters the note uses for its
/// quantities. Layer `i` runs from 1 to `L`: `a_i = W_i h_{i-1} + b_i`,
/// `h_i = g(a_i)` for hidden layers, `h_L` the output activation of `a_L`,
/// and `h_0 = x`.
struct NetworkModel: Sendable {
    enum Role: String, Sendable, CaseIterable {
        case weights, biases, preActivations = "pre-activations", activations, activation, loss
        case input, target, prediction, layers, widths

        /// Whether the quantity at this layer is drawn (or given) rather than computed:
        /// weights, biases, the input `h_0` and the target.
        func isDrawn(layer: Int) -> Bool {
            switch self {
            case .weights, .biases, .target, .input: true
            case .activations: layer == 0
            default: false
            }
        }
    }

    var widths: [Int]
    var activation = "tanh"
    var output = "identity"
    var loss = "squared-error"
    /// `init:` — how `train:` draws the first weights.
    var initialization = "xavier"
    var seed: UInt64 = 0
    var input: [Double]?
    var target: [Double]?
    /// The base key of the symbol the note uses for each role.
    var names: [Role: String] = [
        .weights: "W", .biases: "b", .preActivations: "a", .activations: "h", .activation: "g",
        .loss: "\\mathcal{L}", .input: "x", .target: "y", .prediction: "\\hat{y}", .layers: "L", .widths: "n",
    ]

    var layerCount: Int { widths.count - 1 }
    /// Weights and biases of every layer (saturating: widths are bounded, their products need not be).
    var parameterCount: Int {
        var total = 0
        for layer in 1..<max(1, widths.count) {
            let (weights, overflow) = widths[layer].multipliedReportingOverflow(by: widths[layer - 1])
            guard !overflow, total <= Int.max - weights - widths[layer] else { return Int.max }
            total += weights + widths[layer]
        }
        return total
    }

    func role(ofBaseKey key: String) -> Role? {
        names.first { $0.value == key }?.key
    }

    /// The valid layer numbers of a layered family.
    func layers(of role: Role) -> ClosedRange<Int>? {
        switch role {
        case .weights, .biases, .preActivations: 1...layerCount
        case .activations: 0...layerCount
        default: nil
        }
    }

    /// Whether the target is a class (one-hot) rather than a vector of values.
    var targetIsOneHot: Bool {
        loss.contains("cross-entropy")
    }

    /// The activation function of layer `layer`.
    func activationName(ofLayer layer: Int) -> String {
        layer == layerCount ? output : activation
    }
}

/// Applies the named activations and losses to nodes.
enum NetworkFunctions {
    static func activate(_ name: String, _ node: Node) throws(BackpropError) -> Node {
        switch name {
        case "identity": node
        case "sigmoid": try node.sigmoid()
        case "tanh": try node.tanh()
        case "relu": try node.relu()
        case "softmax": try node.softmax()
        default: throw .unsupported("activation \(name)")
        }
    }

    /// The loss of the output layer: `preActivation` is a_L, `output` is h_L.
    static func loss(_ name: String, outputActivation: String, preActivation: Node, output: Node, target: Node) throws(BackpropError) -> Node {
        switch name {
        case "squared-error":
            return try 0.5 * (output - target).squared().sum()
        case "mse":
            return try (output - target).squared().mean()
        case "cross-entropy":
            // Computed from h_L, so that ∂ℒ/∂h_L and ∂ℒ/∂ŷ are what the notes mean.
            return try -(target * output.log()).sum()
        case "softmax-cross-entropy":
            // The fused form: softmax of a_L inside the loss, whatever h_L is.
            return try -(target * preActivation.logSoftmax()).sum()
        default:
            throw .unsupported("loss \(name)")
        }
    }
}
