/// One path from a weight to an output unit, for display.
public struct WeightPath: Equatable, Sendable {
    /// Unit visited in each layer from the weight's layer to the output layer.
    public var units: [Int]
    /// h_{j} (the weight's input) × the slopes g′(a) and weights along the path.
    public var product: Double
}

/// ∂y_k/∂w as an explicit sum over paths, with the paths.
public struct PathSum: Equatable, Sendable {
    public var value: Double
    public var paths: [WeightPath]
}

extension MultilayerPerceptron where Scalar == Double {
    /// The most paths ``pathSum(output:layer:row:column:input:)`` will list.
    public static var maximumPathCount: Int { 100_000 }

    /// ∂y_k/∂W^{(layer)}_{row,column} for one input column, as the sum over every path
    /// from that weight to output k of the product of the weights on the path times
    /// the activation slopes on the way. Layers are numbered from 1, as in the notes.
    ///
    /// ```swift
    /// let s = try net.pathSum(output: 0, layer: 1, row: 2, column: 0, input: x)
    /// s.value        // equals the tape's ∂y_0/∂W_1[2,0]
    /// s.paths.count  // product of the widths of the layers in between
    /// ```
    public func pathSum(output k: Int, layer: Int, row i: Int, column j: Int, input: Matrix<Double>) throws(BackpropError) -> PathSum {
        guard (1...layers.count).contains(layer) else { throw .indexOutOfRange("layer \(layer) of \(layers.count)") }
        let w = layers[layer - 1].weights
        guard (0..<w.rows).contains(i), (0..<w.columns).contains(j), (0..<(sizes.last ?? 0)).contains(k) else {
            throw .indexOutOfRange("weight (\(i), \(j)) or output \(k)")
        }
        guard input.columns == 1 else { throw .unsupported("path sums take one input column, got \(input.columns)") }
        guard !layers.contains(where: { $0.activation == .softmax }) else {
            throw .unsupported("softmax couples units, so its slope is not a single number along a path")
        }
        let between = sizes[layer..<(sizes.count - 1)].dropFirst()
        let count = between.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= Self.maximumPathCount else { throw .unsupported("\(count) paths exceed the limit of \(Self.maximumPathCount)") }

        let pass = try forward(input)
        func slope(_ l: Int, _ unit: Int) -> Double {
            layers[l - 1].activation.slope(preactivation: pass.preactivations[l - 1][unit, 0],
                                           output: pass.activations[l][unit, 0])
        }
        var paths: [WeightPath] = []
        func walk(_ l: Int, _ unit: Int, _ units: [Int], _ product: Double) {
            if l == layers.count {
                if unit == k { paths.append(WeightPath(units: units, product: product)) }
                return
            }
            for next in 0..<sizes[l + 1] {
                walk(l + 1, next, units + [next], product * layers[l].weights[next, unit] * slope(l + 1, next))
            }
        }
        walk(layer, i, [i], pass.activations[layer - 1][j, 0] * slope(layer, i))
        return PathSum(value: paths.reduce(0) { $0 + $1.product }, paths: paths)
    }
}
