/// Elementwise functions of one argument.
public enum ElementaryFunction: UInt8, Sendable, CaseIterable {
    case exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu
    /// sign(x) ∈ {−1, 0, 1}; derivative 0. Used when gradients are themselves recorded.
    case sign
    /// 1 where x > 0, else 0; derivative 0. The slope of ReLU.
    case step
}

/// Which norm ``Node/norm(_:)`` takes.
public enum NormKind: UInt8, Sendable {
    /// Σ|xᵢ|
    case l1
    /// √Σxᵢ²
    case l2
    /// Σxᵢ²  (the ½‖y−t‖² loss without the ½, without a square root to differentiate)
    case squaredL2
}

/// What produced a node. Payloads are plain integers so the tape stays trivially
/// copyable: no closures, no references, nothing to retain in the hot loops.
enum Operation: Equatable, Sendable {
    case leaf
    case add(Int32, Int32)
    case subtract(Int32, Int32)
    /// Elementwise (Hadamard) product, scalars and column vectors broadcast.
    case multiply(Int32, Int32)
    case divide(Int32, Int32)
    /// Elementwise xʸ with y a node.
    case power(Int32, Int32)
    /// Elementwise xᶜ with a constant exponent.
    case powerConstant(Int32, Double)
    case negate(Int32)
    case function(ElementaryFunction, Int32)
    case maximum(Int32, Int32)
    case minimum(Int32, Int32)
    /// Softmax over a vector, or over each column of a matrix (each column is a sample).
    case softmax(Int32)
    case logSoftmax(Int32)
    case sum(Int32)
    case mean(Int32)
    case matmul(Int32, Int32)
    case transpose(Int32)
    /// u vᵀ.
    case outer(Int32, Int32)
    case norm(Int32, NormKind)
    /// A rectangular window of the operand; the window is stored in `Tape.windows`.
    case slice(Int32, window: Int32)
    /// Operands listed in `Tape.operandLists[start..<start+count]`, stacked vertically.
    case concatenate(start: Int32, count: Int32)

    var name: String {
        switch self {
        case .leaf: "leaf"
        case .add: "+"
        case .subtract: "−"
        case .multiply: "×"
        case .divide: "÷"
        case .power, .powerConstant: "power"
        case .negate: "negation"
        case let .function(f, _): "\(f)"
        case .maximum: "max"
        case .minimum: "min"
        case .softmax: "softmax"
        case .logSoftmax: "log-softmax"
        case .sum: "sum"
        case .mean: "mean"
        case .matmul: "matmul"
        case .transpose: "transpose"
        case .outer: "outer product"
        case .norm: "norm"
        case .slice: "slice"
        case .concatenate: "concatenation"
        }
    }
}

/// A rectangular region: rows `rowStart..<rowStart+rowCount`, same for columns.
struct Window: Equatable, Sendable {
    var rowStart: Int
    var columnStart: Int
    var rowCount: Int
    var columnCount: Int
    /// rowCount × columnCount elements read row-major; may be a vector (a matrix row).
    var result: Shape
}
