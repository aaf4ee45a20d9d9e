/// A dense row-major matrix of `Float` or `Double` for the multilayer perceptron.
/// A batch is stored one sample per column, as in `a = W h + b`.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 2, columns: 1, scalars: [0.5, -1])
/// ```
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public internal(set) var scalars: [Scalar]

    public init(rows: Int, columns: Int, scalars: [Scalar]) throws(BackpropError) {
        let shape = try Shape.matrix(rows: rows, columns: columns).validated()
        guard scalars.count == shape.count else { throw .wrongElementCount(expected: shape.count, got: scalars.count) }
        guard scalars.allSatisfy(\.isFinite) else { throw .nonFiniteInput("matrix \(rows)×\(columns)") }
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// A zero matrix: `try Matrix<Float>(zeros: 10, 128)`.
    public init(zeros rows: Int, _ columns: Int) throws(BackpropError) {
        _ = try Shape.matrix(rows: rows, columns: columns).validated()
        self.init(unchecked: rows, columns, Array(repeating: 0, count: rows * columns))
    }

    init(unchecked rows: Int, _ columns: Int, _ scalars: [Scalar]) {
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    public subscript(row: Int, column: Int) -> Scalar {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The same numbers as a tape ``Tensor`` (a vector if there is one column).
    public var tensor: Tensor {
        Tensor(unchecked: columns == 1 ? .vector(rows) : .matrix(rows: rows, columns: columns),
               scalars: scalars.map { Double($0) })
    }

    /// Largest |aᵢ − bᵢ| / max(1, |aᵢ|, |bᵢ|); the comparison the checks use.
    public func relativeDistance(to other: Matrix) -> Double {
        guard rows == other.rows, columns == other.columns else { return .infinity }
        var worst = 0.0
        for (a, b) in zip(scalars, other.scalars) {
            let x = Double(a), y = Double(b)
            worst = Swift.max(worst, Swift.abs(x - y) / Swift.max(1, Swift.abs(x), Swift.abs(y)))
        }
        return worst
    }

    /// C = A·B through BLAS.
    func multiplied(by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false) -> Matrix {
        let m = transposingSelf ? columns : rows, k = transposingSelf ? rows : columns
        let n = transposingOther ? other.rows : other.columns
        var result = Matrix(unchecked: m, n, Array(repeating: 0, count: m * n))
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                result.scalars.withUnsafeMutableBufferPointer { c in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
                    Scalar.gemm(transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k,
                                alpha: 1, a: pa, lda: columns, b: pb, ldb: other.columns, beta: 0, c: pc, ldc: n)
                }
            }
        }
        return result
    }
}
