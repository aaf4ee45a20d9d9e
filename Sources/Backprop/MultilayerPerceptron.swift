/// One layer's parameters: a = W h_prev + b, h = g(a).
public struct DenseLayer<Scalar: BLASScalar>: Equatable, Sendable {
    /// W, fan-out × fan-in.
    public var weights: Matrix<Scalar>
    /// b, a fan-out × 1 column.
    public var bias: Matrix<Scalar>
    public var activation: Activation
}

/// The activations a forward pass keeps: every a_i and h_i, h_0 being the input.
public struct ForwardPass<Scalar: BLASScalar>: Equatable, Sendable {
    /// h_0, …, h_L (index 0 is the input).
    public var activations: [Matrix<Scalar>]
    /// a_1, …, a_L stored at indices 0…L−1.
    public var preactivations: [Matrix<Scalar>]
    public var output: Matrix<Scalar> { activations[activations.count - 1] }
}

/// Every gradient the layer-by-layer derivation names, index i−1 holding layer i's.
public struct LayerGradients<Scalar: BLASScalar>: Equatable, Sendable {
    public var loss: Scalar
    /// ∇_{a_i} L
    public var preactivations: [Matrix<Scalar>]
    /// ∇_{h_i} L for i = 0…L (index 0 is the input's gradient).
    public var activations: [Matrix<Scalar>]
    /// ∇_{W_i} L
    public var weights: [Matrix<Scalar>]
    /// ∇_{b_i} L
    public var biases: [Matrix<Scalar>]

    /// The largest relative distance between corresponding gradients.
    public func relativeDistance(to other: LayerGradients) -> Double {
        let mine = preactivations + activations + weights + biases
        let theirs = other.preactivations + other.activations + other.weights + other.biases
        guard mine.count == theirs.count else { return .infinity }
        return zip(mine, theirs).map { $0.relativeDistance(to: $1) }.max() ?? 0
    }
}

/// A multilayer perceptron in the notes' column convention: a_i = W_i h_{i−1} + b_i,
/// h_i = g_i(a_i), one sample per column.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let net = try MultilayerPerceptron<Double>(sizes: [2, 3, 1], activations: [.tanh, .identity],
///                                            initialization: .xavier, generator: &rng)
/// let pass = try net.forward(x)                                   // keeps a_i, h_i
/// let grads = try net.backward(pass, target: t, loss: .halfSquaredError)
/// ```
public struct MultilayerPerceptron<Scalar: BLASScalar>: Equatable, Sendable {
    public var layers: [DenseLayer<Scalar>]

    /// Widths `sizes[0]` (input) … `sizes[L]` (output), one activation per layer.
    public init(sizes: [Int], activations: [Activation], initialization: Initialization,
                generator: inout SeededGenerator) throws(BackpropError) {
        guard sizes.count >= 2, activations.count == sizes.count - 1 else {
            throw .shapeMismatch(operation: "layer sizes vs activations", .vector(sizes.count), .vector(activations.count))
        }
        var layers: [DenseLayer<Scalar>] = []
        for i in 1..<sizes.count {
            _ = try Shape.matrix(rows: sizes[i], columns: sizes[i - 1]).validated()
            let r = initialization.radius(fanIn: sizes[i - 1], fanOut: sizes[i])
            var w: [Scalar] = []
            w.reserveCapacity(sizes[i] * sizes[i - 1])
            for _ in 0..<sizes[i] * sizes[i - 1] { w.append(Scalar(generator.nextUniform(in: -r...r))) }
            layers.append(DenseLayer(weights: Matrix(unchecked: sizes[i], sizes[i - 1], w),
                                     bias: Matrix(unchecked: sizes[i], 1, Array(repeating: 0, count: sizes[i])),
                                     activation: activations[i - 1]))
        }
        self.layers = layers
    }

    public init(layers: [DenseLayer<Scalar>]) { self.layers = layers }

    /// The widths, input first.
    public var sizes: [Int] { [layers.first?.weights.columns ?? 0] + layers.map(\.weights.rows) }

    /// Runs the network on a batch (one sample per column), keeping every a_i and h_i.
    public func forward(_ input: Matrix<Scalar>) throws(BackpropError) -> ForwardPass<Scalar> {
        var pass = ForwardPass<Scalar>(activations: [input], preactivations: [])
        var h = input
        for layer in layers {
            guard layer.weights.columns == h.rows else {
                throw .shapeMismatch(operation: "W h", .matrix(rows: layer.weights.rows, columns: layer.weights.columns),
                                     .matrix(rows: h.rows, columns: h.columns))
            }
            var a = layer.weights.multiplied(by: h)
            for r in 0..<a.rows {
                for c in 0..<a.columns { a[r, c] += layer.bias.scalars[r] }
            }
            h = layer.activation.apply(a)
            guard h.scalars.allSatisfy(\.isFinite) else { throw .nonFiniteResult(operation: "forward pass") }
            pass.preactivations.append(a)
            pass.activations.append(h)
        }
        return pass
    }

    /// Backpropagation as the derivation writes it: ∇_{a_L}L first, then for each
    /// layer downwards ∇_{W_i}L = ∇_{a_i}L h_{i−1}ᵀ, ∇_{b_i}L = Σ_columns ∇_{a_i}L,
    /// ∇_{h_{i−1}}L = W_iᵀ ∇_{a_i}L and ∇_{a_{i−1}}L = ∇_{h_{i−1}}L ⊙ g′(a_{i−1}).
    public func backward(_ pass: ForwardPass<Scalar>, target: Matrix<Scalar>, loss: Loss) throws(BackpropError) -> LayerGradients<Scalar> {
        let count = layers.count
        let (value, outputGradient) = try loss.evaluate(output: pass.output, target: target)
        var gradA = [Matrix<Scalar>](repeating: outputGradient, count: count)
        var gradH = [Matrix<Scalar>](repeating: outputGradient, count: count + 1)
        var gradW = layers.map(\.weights)
        var gradB = layers.map(\.bias)
        gradH[count] = outputGradient
        for i in stride(from: count - 1, through: 0, by: -1) {
            let layer = layers[i]
            gradA[i] = layer.activation.backward(gradH[i + 1], preactivation: pass.preactivations[i], output: pass.activations[i + 1])
            gradW[i] = gradA[i].multiplied(by: pass.activations[i], transposingOther: true)
            var b = layer.bias
            for r in 0..<b.rows {
                var total: Scalar = 0
                for c in 0..<gradA[i].columns { total += gradA[i][r, c] }
                b.scalars[r] = total
            }
            gradB[i] = b
            gradH[i] = layer.weights.multiplied(by: gradA[i], transposingSelf: true)
        }
        return LayerGradients(loss: value, preactivations: gradA, activations: gradH, weights: gradW, biases: gradB)
    }

    /// The loss of the network on a batch.
    public func loss(_ input: Matrix<Scalar>, target: Matrix<Scalar>, loss: Loss) throws(BackpropError) -> Scalar {
        try loss.evaluate(output: forward(input).output, target: target).0
    }
}

/// The nodes of one MLP recorded on a tape, for checks and for derivations that name them.
public struct RecordedNetwork {
    public var weights: [Node]
    public var biases: [Node]
    /// h_0 … h_L
    public var activations: [Node]
    /// a_1 … a_L
    public var preactivations: [Node]
    public var loss: Node
}

extension MultilayerPerceptron where Scalar == Double {
    /// Records the forward pass and loss on `tape`: `W_i`, `b_i`, `a_i`, `h_i` all become nodes.
    public func record(on tape: Tape, input: Matrix<Double>, target: Matrix<Double>, loss: Loss) throws(BackpropError) -> RecordedNetwork {
        let asMatrix = { (m: Matrix<Double>) in Tensor(unchecked: .matrix(rows: m.rows, columns: m.columns), scalars: m.scalars) }
        let h0 = try tape.variable(asMatrix(input))
        var recorded = RecordedNetwork(weights: [], biases: [], activations: [h0], preactivations: [], loss: h0)
        var h = h0
        for layer in layers {
            let w = try tape.variable(asMatrix(layer.weights))
            let b = try tape.variable(layer.bias.tensor)
            let a = try w.matmul(h) + b
            h = try layer.activation.apply(to: a)
            recorded.weights.append(w)
            recorded.biases.append(b)
            recorded.preactivations.append(a)
            recorded.activations.append(h)
        }
        let t = try tape.constant(asMatrix(target))
        recorded.loss = try loss.apply(output: h, target: t, batch: input.columns)
        return recorded
    }

    /// The same gradients as ``backward(_:target:loss:)``, from the generic tape, so each checks the other.
    public func tapeGradients(input: Matrix<Double>, target: Matrix<Double>, loss: Loss) throws(BackpropError) -> LayerGradients<Double> {
        let tape = Tape()
        let net = try record(on: tape, input: input, target: target, loss: loss)
        let nodes = net.preactivations + net.activations + net.weights + net.biases
        let grads = try tape.gradient(of: net.loss, withRespectTo: nodes)
        let matrices = zip(nodes, grads).map { node, g in
            Matrix<Double>(unchecked: node.shape.rows, node.shape.columns, g.scalars)
        }
        let l = layers.count
        return LayerGradients(loss: net.loss.scalar ?? .nan,
                              preactivations: Array(matrices[0..<l]),
                              activations: Array(matrices[l..<2 * l + 1]),
                              weights: Array(matrices[2 * l + 1..<3 * l + 1]),
                              biases: Array(matrices[3 * l + 1..<4 * l + 1]))
    }
}
