#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tape {
    /// Gradients of a scalar node with respect to any nodes — leaves or intermediates —
    /// each shaped like the node it belongs to.
    ///
    /// The gradient with respect to an intermediate `h` is the adjoint ∂L/∂h: `h` is
    /// perturbed on its own while every node not computed from `h` is held fixed, so
    /// for `y = h * w` the answer is `w` even when `w` and `h` share inputs.
    /// A node created after `output` (or not upstream of it) gets a zero gradient.
    ///
    /// ```swift
    /// let grads = try tape.gradient(of: loss, withRespectTo: [W, h])   // [∂L/∂W, ∂L/∂h]
    /// ```
    public func gradient(of output: Node, withRespectTo nodes: [Node]) throws(BackpropError) -> [Tensor] {
        let o = try check(output)
        let shape = shapes[Int(o)]
        guard shape.count == 1 else { throw .notScalar(operation: "gradient(of:withRespectTo:) — pass a seed for a non-scalar output", shape) }
        return try gradient(of: output, withRespectTo: nodes, seed: Tensor(unchecked: shape, scalars: [1]))
    }

    /// The vector–Jacobian product seedᵀ·∂output/∂node for a non-scalar output;
    /// a seed of ones gives the gradient of the sum of the output's elements.
    ///
    /// ```swift
    /// let g = try tape.gradient(of: h, withRespectTo: [x], seed: Tensor(vector: [1, 0, 0]))
    /// ```
    public func gradient(of output: Node, withRespectTo nodes: [Node], seed: Tensor) throws(BackpropError) -> [Tensor] {
        let o = Int(try check(output))
        for node in nodes { _ = try check(node) }
        guard seed.shape.count == shapes[o].count, seed.shape.rows == shapes[o].rows else {
            throw .shapeMismatch(operation: "gradient seed", shapes[o], seed.shape)
        }
        backpropagate(from: o, seed: seed.scalars)
        var result: [Tensor] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            let i = Int(node.index)
            let shape = shapes[i]
            if i > o {
                result.append(Tensor(unchecked: shape, scalars: Array(repeating: 0, count: shape.count)))
                continue
            }
            let start = offsets[i]
            let scalars = adjoints.array(from: start, count: shape.count)
            guard scalars.allSatisfy(\.isFinite) else { throw .nonFiniteResult(operation: "gradient") }
            result.append(Tensor(unchecked: shape, scalars: scalars))
        }
        return result
    }

    /// Whether the output of the last `gradient` call was computed from `node` at all,
    /// whatever the value of its gradient: a quantity that does not depend on a
    /// variable has a zero derivative that says nothing about the formulas.
    ///
    /// ```swift
    /// _ = try tape.gradient(of: loss, withRespectTo: [w])
    /// tape.lastGradientReached(w)   // false when loss was computed without w
    /// ```
    public func lastGradientReached(_ node: Node) -> Bool {
        let i = Int(node.index)
        return i < reached.count && reached[i]
    }

    /// One reverse sweep from node `o`; leaves every adjoint in `adjoints`.
    func backpropagate(from o: Int, seed: [Double]) {
        let end = offsets[o] + shapes[o].count
        if adjoints.count < end { adjoints.append(repeating: 0, count: end - adjoints.count) }
        if reached.count < o + 1 { reached.append(repeating: false, count: o + 1 - reached.count) }
        let g = adjoints.base, v = values.base, live = reached.base
        g.update(repeating: 0, count: end)
        live.update(repeating: false, count: o + 1)
        for k in seed.indices { g[offsets[o] + k] = seed[k] }
        live[o] = true
        let offset = offsets.base, operation = operations.base, shape = shapes.base
        var i = o
        while i >= 0 {
            defer { i -= 1 }
            guard live[i] else { continue }
            // Scalar lane: a one-element elementwise result has one-element operands (broadcasting
            // never shrinks), so the common scalar ops skip the general kernel's shape lookups.
            // Same arithmetic as the general rules, so the same bits.
            if shape[i].count == 1 {
                let s = g[offset[i]]
                switch operation[i] {
                case .leaf: continue
                case let .add(a, b):
                    live[Int(a)] = true; live[Int(b)] = true
                    g[offset[Int(a)]] += s; g[offset[Int(b)]] += s
                    continue
                case let .subtract(a, b):
                    live[Int(a)] = true; live[Int(b)] = true
                    g[offset[Int(a)]] += s; g[offset[Int(b)]] -= s
                    continue
                case let .multiply(a, b):
                    live[Int(a)] = true; live[Int(b)] = true
                    let x = v[offset[Int(a)]], y = v[offset[Int(b)]]
                    g[offset[Int(a)]] += s * y; g[offset[Int(b)]] += s * x
                    continue
                case let .function(.relu, a):
                    live[Int(a)] = true
                    g[offset[Int(a)]] += s * (v[offset[Int(a)]] > 0 ? 1 : 0)
                    continue
                default: break
                }
            }
            propagate(i, v, g, live)
        }
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    func propagate(_ i: Int, _ v: UnsafeMutablePointer<Double>, _ g: UnsafeMutablePointer<Double>,
                   _ live: UnsafeMutablePointer<Bool>) {
        let shape = shapes[i]
        let n = shape.count
        let out = v + offsets[i], gOut = g + offsets[i]
        @inline(__always) func value(_ a: Int32) -> UnsafeMutablePointer<Double> { v + offsets[Int(a)] }
        @inline(__always) func adjoint(_ a: Int32) -> UnsafeMutablePointer<Double> {
            live[Int(a)] = true
            return g + offsets[Int(a)]
        }
        /// Accumulates ∂/∂a = seed·pa and ∂/∂b = seed·pb, summing over broadcast copies.
        @inline(__always) func elementwise(_ a: Int32, _ b: Int32,
                                           _ partials: (Double, Double, Double) -> (Double, Double)) {
            let x = value(a), y = value(b), ga = adjoint(a), gb = adjoint(b)
            let na = shapes[Int(a)].count, nb = shapes[Int(b)].count
            for k in 0..<n {
                let ia = broadcastIndex(k, operandCount: na, resultCount: n, resultColumns: shape.columns)
                let ib = broadcastIndex(k, operandCount: nb, resultCount: n, resultColumns: shape.columns)
                let (pa, pb) = partials(x[ia], y[ib], out[k])
                ga[ia] += gOut[k] * pa
                gb[ib] += gOut[k] * pb
            }
        }
        switch operations[i] {
        case .leaf:
            break
        case let .add(a, b): elementwise(a, b) { _, _, _ in (1, 1) }
        case let .subtract(a, b): elementwise(a, b) { _, _, _ in (1, -1) }
        case let .multiply(a, b): elementwise(a, b) { x, y, _ in (y, x) }
        case let .divide(a, b): elementwise(a, b) { x, y, _ in (1 / y, -x / (y * y)) }
        case let .power(a, b):
            elementwise(a, b) { x, y, z in
                // d/dy xʸ = xʸ log x is only defined for x > 0; at x = 0 it is the limit 0.
                (y == 0 ? 0 : y * pow(x, y - 1), x > 0 ? z * log(x) : (x == 0 ? 0 : .nan))
            }
        case let .powerConstant(a, c):
            let x = value(a), ga = adjoint(a)
            if c == 2 {
                for k in 0..<n { ga[k] += gOut[k] * 2 * x[k] }
            } else {
                for k in 0..<n { ga[k] += gOut[k] * (c == 0 ? 0 : c * pow(x[k], c - 1)) }
            }
        case let .negate(a):
            let ga = adjoint(a)
            for k in 0..<n { ga[k] -= gOut[k] }
        case let .function(f, a):
            let x = value(a), ga = adjoint(a)
            for k in 0..<n {
                let slope: Double = switch f {
                case .exp: out[k]
                case .log: 1 / x[k]
                case .sqrt: 0.5 / out[k]
                case .abs: x[k] > 0 ? 1 : (x[k] < 0 ? -1 : 0)
                case .sin: cos(x[k])
                case .cos: -sin(x[k])
                case .tanh: 1 - out[k] * out[k]
                case .sigmoid: out[k] * (1 - out[k])
                case .relu: x[k] > 0 ? 1 : 0
                case .sign, .step: 0
                }
                ga[k] += gOut[k] * slope
            }
        case let .maximum(a, b):
            // Ties split the gradient evenly, as PyTorch does for torch.maximum.
            elementwise(a, b) { x, y, _ in x > y ? (1, 0) : (x < y ? (0, 1) : (0.5, 0.5)) }
        case let .minimum(a, b):
            elementwise(a, b) { x, y, _ in x < y ? (1, 0) : (x > y ? (0, 1) : (0.5, 0.5)) }
        case let .softmax(a):
            let ga = adjoint(a), rows = shape.rows, columns = shape.columns
            for c in 0..<columns {
                var dot = 0.0
                for r in 0..<rows { dot += gOut[r * columns + c] * out[r * columns + c] }
                for r in 0..<rows { ga[r * columns + c] += out[r * columns + c] * (gOut[r * columns + c] - dot) }
            }
        case let .logSoftmax(a):
            let ga = adjoint(a), rows = shape.rows, columns = shape.columns
            for c in 0..<columns {
                var total = 0.0
                for r in 0..<rows { total += gOut[r * columns + c] }
                for r in 0..<rows { ga[r * columns + c] += gOut[r * columns + c] - exp(out[r * columns + c]) * total }
            }
        case let .sum(a):
            let ga = adjoint(a)
            for k in 0..<shapes[Int(a)].count { ga[k] += gOut[0] }
        case let .mean(a):
            let ga = adjoint(a), m = shapes[Int(a)].count
            let share = gOut[0] / Double(m)
            for k in 0..<m { ga[k] += share }
        case let .matmul(a, b):
            let (m, k) = dimensions(a), (_, columns) = dimensions(b)
            let x = value(a), y = value(b), ga = adjoint(a), gb = adjoint(b)
            if m * columns * k < 4096 {
                for r in 0..<m {
                    for c in 0..<columns {
                        let s = gOut[r * columns + c]
                        for j in 0..<k {
                            ga[r * k + j] += s * y[j * columns + c]
                            gb[j * columns + c] += s * x[r * k + j]
                        }
                    }
                }
            } else {
                // dA += dC·Bᵀ, dB += Aᵀ·dC
                Double.gemm(transposeA: false, transposeB: true, m: m, n: k, k: columns, alpha: 1,
                            a: gOut, lda: columns, b: y, ldb: columns, beta: 1, c: ga, ldc: k)
                Double.gemm(transposeA: true, transposeB: false, m: k, n: columns, k: m, alpha: 1,
                            a: x, lda: k, b: gOut, ldb: columns, beta: 1, c: gb, ldc: columns)
            }
        case let .transpose(a):
            let ga = adjoint(a), (rows, columns) = dimensions(a)
            for r in 0..<rows {
                for c in 0..<columns { ga[r * columns + c] += gOut[c * rows + r] }
            }
        case let .outer(a, b):
            let x = value(a), y = value(b), ga = adjoint(a), gb = adjoint(b)
            let m = shapes[Int(a)].count, columns = shapes[Int(b)].count
            for r in 0..<m {
                for c in 0..<columns {
                    ga[r] += gOut[r * columns + c] * y[c]
                    gb[c] += gOut[r * columns + c] * x[r]
                }
            }
        case let .norm(a, kind):
            let x = value(a), ga = adjoint(a), m = shapes[Int(a)].count
            for k in 0..<m {
                let slope: Double = switch kind {
                case .l1: x[k] > 0 ? 1 : (x[k] < 0 ? -1 : 0)
                case .l2: out[0] == 0 ? 0 : x[k] / out[0]
                case .squaredL2: 2 * x[k]
                }
                ga[k] += gOut[0] * slope
            }
        case let .slice(a, window: w):
            let window = windows[Int(w)]
            let ga = adjoint(a), sourceColumns = shapes[Int(a)].columns
            for r in 0..<window.rowCount {
                for c in 0..<window.columnCount {
                    ga[(window.rowStart + r) * sourceColumns + window.columnStart + c] += gOut[r * window.columnCount + c]
                }
            }
        case let .concatenate(start, count):
            var position = 0
            for j in Int(start)..<Int(start + count) {
                let a = operandLists[j], m = shapes[Int(a)].count
                let ga = adjoint(a)
                for k in 0..<m { ga[k] += gOut[position + k] }
                position += m
            }
        }
    }
}
