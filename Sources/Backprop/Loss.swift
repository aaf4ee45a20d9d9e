/// A loss L(y, t) between the network output y = h_L and a target t, averaged over
/// the batch (one sample per column), so a batch of one gives the notes' formulas.
public enum Loss: String, Sendable, CaseIterable, Equatable {
    /// ½‖y − t‖²
    case halfSquaredError
    /// mean over all elements of (y − t)²
    case meanSquaredError
    /// −Σ t log y, for probabilities y (softmax or sigmoid outputs)
    case crossEntropy
    /// −Σ t log softmax(y), for logits y (the last activation should be identity)
    case softmaxCrossEntropy

    /// L and ∇_y L.
    func evaluate<S: BLASScalar>(output y: Matrix<S>, target t: Matrix<S>) throws(BackpropError) -> (S, Matrix<S>) {
        guard y.rows == t.rows, y.columns == t.columns else {
            throw .shapeMismatch(operation: "loss", .matrix(rows: y.rows, columns: y.columns), .matrix(rows: t.rows, columns: t.columns))
        }
        let batch = S(y.columns)
        var gradient = y
        var total: S = 0
        switch self {
        case .halfSquaredError:
            for k in y.scalars.indices {
                let d = y.scalars[k] - t.scalars[k]
                total += d * d / 2
                gradient.scalars[k] = d / batch
            }
            total /= batch
        case .meanSquaredError:
            let n = S(y.scalars.count)
            for k in y.scalars.indices {
                let d = y.scalars[k] - t.scalars[k]
                total += d * d
                gradient.scalars[k] = 2 * d / n
            }
            total /= n
        case .crossEntropy:
            for k in y.scalars.indices {
                guard y.scalars[k] > 0 || t.scalars[k] == 0 else {
                    throw .outsideDomain(function: "log", argument: Double(y.scalars[k]))
                }
                if t.scalars[k] != 0 { total -= t.scalars[k] * S.logarithm(y.scalars[k]) }
                gradient.scalars[k] = t.scalars[k] == 0 ? 0 : -t.scalars[k] / (y.scalars[k] * batch)
            }
            total /= batch
        case .softmaxCrossEntropy:
            let p = Activation.columnSoftmax(y)
            for k in y.scalars.indices {
                if t.scalars[k] != 0 { total -= t.scalars[k] * S.logarithm(p.scalars[k]) }
            }
            for c in 0..<y.columns {
                var mass: S = 0
                for r in 0..<y.rows { mass += t[r, c] }
                for r in 0..<y.rows { gradient[r, c] = (p[r, c] * mass - t[r, c]) / batch }
            }
            total /= batch
        }
        guard total.isFinite else { throw .nonFiniteResult(operation: "loss") }
        return (total, gradient)
    }

    /// The same loss on a tape.
    func apply(output y: Node, target t: Node, batch: Int) throws(BackpropError) -> Node {
        switch self {
        case .halfSquaredError: return try 0.5 * (y - t).norm(.squaredL2) / Double(batch)
        case .meanSquaredError: return try ((y - t).squared()).mean()
        case .crossEntropy: return try -(t * y.log()).sum() / Double(batch)
        case .softmaxCrossEntropy: return try -(t * y.logSoftmax()).sum() / Double(batch)
        }
    }
}
