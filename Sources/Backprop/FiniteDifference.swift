/// Tape gradients next to central finite differences.
public struct FiniteDifferenceReport: Equatable, Sendable {
    /// Reverse-mode gradient, row-major.
    public var analytic: [Double]
    /// (f(x + ε) − f(x − ε)) / 2ε per element.
    public var numeric: [Double]
    /// max over elements of |analytic − numeric| / max(|analytic|, |numeric|, 1e-8).
    public var maximumRelativeError: Double
}

extension Tape {
    /// Compares ∂output/∂node with central differences by re-evaluating the tape with
    /// `node` nudged by ±ε (a leaf; restored afterwards).
    ///
    /// ```swift
    /// let report = try tape.checkGradient(of: loss, withRespectTo: W)
    /// report.maximumRelativeError < 1e-6
    /// ```
    public func checkGradient(of output: Node, withRespectTo node: Node, step: Double = 1e-6) throws(BackpropError) -> FiniteDifferenceReport {
        guard let analytic = try gradient(of: output, withRespectTo: [node]).first?.scalars else { throw .notALeaf }
        let original = value(of: node)
        var numeric: [Double] = []
        numeric.reserveCapacity(original.scalars.count)
        defer {
            try? setValue(original, for: node)
            try? evaluate()
        }
        for k in original.scalars.indices {
            var nudged = original
            nudged.scalars[k] = original.scalars[k] + step
            try setValue(nudged, for: node)
            try evaluate()
            let up = output.scalar ?? .nan
            nudged.scalars[k] = original.scalars[k] - step
            try setValue(nudged, for: node)
            try evaluate()
            let down = output.scalar ?? .nan
            numeric.append((up - down) / (2 * step))
        }
        let worst = zip(analytic, numeric).map { a, n in Swift.abs(a - n) / Swift.max(Swift.abs(a), Swift.abs(n), 1e-8) }.max() ?? 0
        return FiniteDifferenceReport(analytic: analytic, numeric: numeric, maximumRelativeError: worst)
    }
}

extension MultilayerPerceptron where Scalar == Double {
    /// Compares the gradients of ``backward(_:target:loss:)`` — the backpropagation
    /// the trainer runs — for every weight and bias with central differences of the
    /// loss on the same batch, each parameter nudged by ±`step` in turn. `limit` caps
    /// the parameters compared (an even sample when there are more), since each costs
    /// two passes over the batch.
    ///
    /// ```swift
    /// let check = try net.checkGradients(input: x, target: t, loss: .halfSquaredError)
    /// check.maximumRelativeError < 1e-6
    /// ```
    public func checkGradients(input: Matrix<Double>, target: Matrix<Double>, loss: Loss,
                               step: Double = 1e-6, limit: Int = .max) throws(BackpropError) -> FiniteDifferenceReport {
        let gradients = try backward(forward(input), target: target, loss: loss)
        var nudged = self
        func difference(_ layer: Int, _ index: Int, bias: Bool) throws(BackpropError) -> Double {
            let original = bias ? layers[layer].bias.scalars[index] : layers[layer].weights.scalars[index]
            func set(_ value: Double) {
                if bias { nudged.layers[layer].bias.scalars[index] = value } else { nudged.layers[layer].weights.scalars[index] = value }
            }
            defer { set(original) }
            set(original + step)
            let up = try nudged.loss(input, target: target, loss: loss)
            set(original - step)
            let down = try nudged.loss(input, target: target, loss: loss)
            return (up - down) / (2 * step)
        }
        var parameters: [(layer: Int, index: Int, bias: Bool)] = []
        for layer in layers.indices {
            for index in layers[layer].weights.scalars.indices { parameters.append((layer, index, false)) }
            for index in layers[layer].bias.scalars.indices { parameters.append((layer, index, true)) }
        }
        if parameters.count > Swift.max(1, limit) {
            let stride = Double(parameters.count - 1) / Double(Swift.max(1, limit - 1))
            parameters = (0..<Swift.max(1, limit)).map { parameters[Int((Double($0) * stride).rounded())] }
        }
        var analytic: [Double] = []
        var numeric: [Double] = []
        for (layer, index, bias) in parameters {
            analytic.append(bias ? gradients.biases[layer].scalars[index] : gradients.weights[layer].scalars[index])
            numeric.append(try difference(layer, index, bias: bias))
        }
        let worst = zip(analytic, numeric).map { a, n in Swift.abs(a - n) / Swift.max(Swift.abs(a), Swift.abs(n), 1e-8) }.max() ?? 0
        return FiniteDifferenceReport(analytic: analytic, numeric: numeric, maximumRelativeError: worst)
    }
}
