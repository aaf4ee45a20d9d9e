#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func sigmoid(_ x: Double) -> Double {
    // Two branches keep exp from overflowing for large |x|.
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

@inline(__always) func apply(_ f: ElementaryFunction, _ x: Double) -> Double {
    switch f {
    case .exp: exp(x)
    case .log: log(x)
    case .sqrt: x.squareRoot()
    case .abs: Swift.abs(x)
    case .sin: sin(x)
    case .cos: cos(x)
    case .tanh: tanh(x)
    case .sigmoid: sigmoid(x)
    case .relu: x > 0 ? x : 0
    case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
    case .step: x > 0 ? 1 : 0
    }
}

@inline(__always) func maximumOf(_ a: Double, _ b: Double) -> Double { a >= b ? a : b }
@inline(__always) func minimumOf(_ a: Double, _ b: Double) -> Double { a <= b ? a : b }

extension Tape {
    /// Computes node `i` from its operands, then refuses a non-finite result with the
    /// most specific error it can name.
    func compute(_ i: Int) throws(BackpropError) {
        computeValues(i, values.base)
        let start = offsets[i], n = shapes[i].count
        var finite = true
        for k in start..<start + n where !values[k].isFinite { finite = false; break }
        if !finite { throw diagnose(i) }
    }

    func diagnose(_ i: Int) -> BackpropError {
        func firstOutside(_ a: Int32, _ bad: (Double) -> Bool) -> Double? {
            let s = offsets[Int(a)]
            return values.buffer[s..<s + shapes[Int(a)].count].first(where: bad)
        }
        switch operations[i] {
        case let .function(.log, a):
            if let x = firstOutside(a, { $0 <= 0 }) { return .outsideDomain(function: "log", argument: x) }
        case let .function(.sqrt, a):
            if let x = firstOutside(a, { $0 < 0 }) { return .outsideDomain(function: "sqrt", argument: x) }
        case let .power(a, _), let .powerConstant(a, _):
            if let x = firstOutside(a, { $0 < 0 }) { return .outsideDomain(function: "power", argument: x) }
        case let .divide(_, b):
            if firstOutside(b, { $0 == 0 }) != nil { return .outsideDomain(function: "division", argument: 0) }
        default: break
        }
        return .nonFiniteResult(operation: operations[i].name)
    }

    // Kernels read operands and write the node's own slice of one buffer, so
    // recording and re-evaluation share them.
    func computeValues(_ i: Int, _ v: UnsafeMutablePointer<Double>) {
        let out = v + offsets[i]
        let shape = shapes[i]
        let n = shape.count
        @inline(__always) func operand(_ a: Int32) -> UnsafeMutablePointer<Double> { v + offsets[Int(a)] }
        @inline(__always) func elementwise(_ a: Int32, _ b: Int32, _ f: (Double, Double) -> Double) {
            let x = operand(a), y = operand(b)
            let na = shapes[Int(a)].count, nb = shapes[Int(b)].count
            if na == n && nb == n {
                for k in 0..<n { out[k] = f(x[k], y[k]) }
            } else {
                for k in 0..<n {
                    out[k] = f(x[broadcastIndex(k, operandCount: na, resultCount: n, resultColumns: shape.columns)],
                               y[broadcastIndex(k, operandCount: nb, resultCount: n, resultColumns: shape.columns)])
                }
            }
        }
        switch operations[i] {
        case .leaf:
            break
        case let .add(a, b): elementwise(a, b, +)
        case let .subtract(a, b): elementwise(a, b, -)
        case let .multiply(a, b): elementwise(a, b, *)
        case let .divide(a, b): elementwise(a, b, /)
        case let .power(a, b): elementwise(a, b) { pow($0, $1) }
        case let .powerConstant(a, c):
            let x = operand(a)
            if c == 2 {
                for k in 0..<n { out[k] = x[k] * x[k] }
            } else {
                for k in 0..<n { out[k] = pow(x[k], c) }
            }
        case let .negate(a):
            let x = operand(a)
            for k in 0..<n { out[k] = -x[k] }
        case let .function(f, a):
            let x = operand(a)
            for k in 0..<n { out[k] = apply(f, x[k]) }
        case let .maximum(a, b): elementwise(a, b, maximumOf)
        case let .minimum(a, b): elementwise(a, b, minimumOf)
        case let .softmax(a), let .logSoftmax(a):
            let x = operand(a)
            let isLog: Bool = if case .logSoftmax = operations[i] { true } else { false }
            let rows = shape.rows, columns = shape.columns
            for c in 0..<columns {
                var largest = -Double.infinity
                for r in 0..<rows { largest = Swift.max(largest, x[r * columns + c]) }
                var total = 0.0
                for r in 0..<rows { total += exp(x[r * columns + c] - largest) }
                let logTotal = log(total)
                for r in 0..<rows {
                    let shifted = x[r * columns + c] - largest
                    out[r * columns + c] = isLog ? shifted - logTotal : exp(shifted - logTotal)
                }
            }
        case let .sum(a), let .mean(a):
            let x = operand(a), m = shapes[Int(a)].count
            var total = 0.0
            for k in 0..<m { total += x[k] }
            if case .mean = operations[i] { total /= Double(m) }
            out[0] = total
        case let .matmul(a, b):
            let (m, k) = dimensions(a), (_, columns) = dimensions(b)
            if m * columns * k < 4096 {
                // Tiny products (the notes' 2×2 examples) are faster without a BLAS call.
                let x = operand(a), y = operand(b)
                for r in 0..<m {
                    for c in 0..<columns {
                        var total = 0.0
                        for j in 0..<k { total += x[r * k + j] * y[j * columns + c] }
                        out[r * columns + c] = total
                    }
                }
            } else {
                Double.gemm(transposeA: false, transposeB: false, m: m, n: columns, k: k,
                            alpha: 1, a: operand(a), lda: k, b: operand(b), ldb: columns,
                            beta: 0, c: out, ldc: columns)
            }
        case let .transpose(a):
            let x = operand(a)
            let (rows, columns) = dimensions(a)
            for r in 0..<rows {
                for c in 0..<columns { out[c * rows + r] = x[r * columns + c] }
            }
        case let .outer(a, b):
            let x = operand(a), y = operand(b)
            let m = shapes[Int(a)].count, columns = shapes[Int(b)].count
            for r in 0..<m {
                for c in 0..<columns { out[r * columns + c] = x[r] * y[c] }
            }
        case let .norm(a, kind):
            let x = operand(a), m = shapes[Int(a)].count
            var total = 0.0
            switch kind {
            case .l1: for k in 0..<m { total += Swift.abs(x[k]) }
            case .l2, .squaredL2: for k in 0..<m { total += x[k] * x[k] }
            }
            out[0] = kind == .l2 ? total.squareRoot() : total
        case let .slice(a, window: w):
            let window = windows[Int(w)]
            let x = operand(a), sourceColumns = shapes[Int(a)].columns
            let rows = window.rowCount, columns = window.columnCount
            for r in 0..<rows {
                for c in 0..<columns {
                    out[r * columns + c] = x[(window.rowStart + r) * sourceColumns + window.columnStart + c]
                }
            }
        case let .concatenate(start, count):
            var position = 0
            for j in Int(start)..<Int(start + count) {
                let a = operandLists[j], m = shapes[Int(a)].count
                (out + position).update(from: operand(a), count: m)
                position += m
            }
        }
    }
}
