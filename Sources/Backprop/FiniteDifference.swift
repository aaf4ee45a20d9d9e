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
