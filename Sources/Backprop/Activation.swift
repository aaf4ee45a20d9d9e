/// The function g in h = g(a).
public enum Activation: String, Sendable, CaseIterable, Equatable {
    case identity, sigmoid, tanh, relu
    /// Softmax over each column; its derivative is a Jacobian, applied in ``backward(_:preactivation:output:)``.
    case softmax

    /// h = g(a), column by column.
    func apply<S: BLASScalar>(_ a: Matrix<S>) -> Matrix<S> {
        var h = a
        switch self {
        case .identity: break
        case .sigmoid: for k in h.scalars.indices { h.scalars[k] = 1 / (1 + S.exponential(-a.scalars[k])) }
        case .tanh: for k in h.scalars.indices { h.scalars[k] = S.hyperbolicTangent(a.scalars[k]) }
        case .relu: for k in h.scalars.indices where a.scalars[k] <= 0 { h.scalars[k] = 0 }
        case .softmax: h = Activation.columnSoftmax(a)
        }
        return h
    }

    static func columnSoftmax<S: BLASScalar>(_ a: Matrix<S>) -> Matrix<S> {
        var h = a
        for c in 0..<a.columns {
            var largest = -S.infinity
            for r in 0..<a.rows { largest = Swift.max(largest, a[r, c]) }
            var total: S = 0
            for r in 0..<a.rows {
                h[r, c] = S.exponential(a[r, c] - largest)
                total += h[r, c]
            }
            for r in 0..<a.rows { h[r, c] /= total }
        }
        return h
    }

    /// g′(a) elementwise (for softmax, use ``backward(_:preactivation:output:)``).
    func slope<S: BLASScalar>(preactivation a: S, output h: S) -> S {
        switch self {
        case .identity: 1
        case .sigmoid: h * (1 - h)
        case .tanh: 1 - h * h
        case .relu: a > 0 ? 1 : 0
        case .softmax: h * (1 - h)   // the diagonal of the Jacobian; path sums along one unit use it
        }
    }

    /// ∇_a L from ∇_h L: ∇_h L ⊙ g′(a), or the softmax Jacobian-vector product.
    func backward<S: BLASScalar>(_ gradient: Matrix<S>, preactivation a: Matrix<S>, output h: Matrix<S>) -> Matrix<S> {
        var result = gradient
        if self == .softmax {
            for c in 0..<h.columns {
                var dot: S = 0
                for r in 0..<h.rows { dot += gradient[r, c] * h[r, c] }
                for r in 0..<h.rows { result[r, c] = h[r, c] * (gradient[r, c] - dot) }
            }
        } else {
            for k in result.scalars.indices {
                result.scalars[k] *= slope(preactivation: a.scalars[k], output: h.scalars[k])
            }
        }
        return result
    }

    /// The same function on a tape node.
    func apply(to node: Node) throws(BackpropError) -> Node {
        switch self {
        case .identity: node
        case .sigmoid: try node.sigmoid()
        case .tanh: try node.tanh()
        case .relu: try node.relu()
        case .softmax: try node.softmax()
        }
    }
}
