/// A dense Double tensor of rank 0, 1 or 2, stored row-major, with a checked shape.
///
/// ```swift
/// let w = try Tensor(shape: .matrix(rows: 2, columns: 2), scalars: [1, 2, 3, 4])
/// w[1, 0]   // 3
/// ```
public struct Tensor: Equatable, Sendable, CustomStringConvertible {
    public let shape: Shape
    /// Row-major elements.
    public internal(set) var scalars: [Double]

    /// A tensor from its elements; refuses empty, oversized, short or non-finite input.
    public init(shape: Shape, scalars: [Double]) throws(BackpropError) {
        _ = try shape.validated()
        guard scalars.count == shape.count else { throw .wrongElementCount(expected: shape.count, got: scalars.count) }
        guard scalars.allSatisfy(\.isFinite) else { throw .nonFiniteInput("tensor of shape \(shape)") }
        self.shape = shape
        self.scalars = scalars
    }

    /// Skips validation; for results the engine computed itself.
    init(unchecked shape: Shape, scalars: [Double]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A scalar tensor: `Tensor(2.5)`.
    public init(_ value: Double) {
        self.init(unchecked: .scalar, scalars: [value])
    }

    /// A column vector: `try Tensor(vector: [1, 2, 3])`.
    public init(vector: [Double]) throws(BackpropError) {
        try self.init(shape: .vector(vector.count), scalars: vector)
    }

    /// A matrix from its rows: `try Tensor(rows: [[1, 2], [3, 4]])`.
    public init(rows: [[Double]]) throws(BackpropError) {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            throw .shapeMismatch(operation: "matrix rows", .vector(columns), .vector(rows.first { $0.count != columns }?.count ?? 0))
        }
        try self.init(shape: .matrix(rows: rows.count, columns: columns), scalars: rows.flatMap { $0 })
    }

    /// A tensor of one repeated value: `try Tensor(repeating: 0, shape: .vector(4))`.
    public init(repeating value: Double, shape: Shape) throws(BackpropError) {
        _ = try shape.validated()
        guard value.isFinite else { throw .nonFiniteInput("fill value \(value)") }
        self.init(unchecked: shape, scalars: Array(repeating: value, count: shape.count))
    }

    /// The single element of a scalar (or any one-element) tensor, otherwise nil.
    public var scalar: Double? { scalars.count == 1 ? scalars[0] : nil }

    /// Element `i` of a vector (row-major index for a matrix); nil outside.
    public subscript(index: Int) -> Double? {
        scalars.indices.contains(index) ? scalars[index] : nil
    }

    /// Element at `row`, `column`; nil outside.
    public subscript(row: Int, column: Int) -> Double? {
        guard (0..<shape.rows).contains(row), (0..<shape.columns).contains(column) else { return nil }
        return scalars[row * shape.columns + column]
    }

    public var description: String {
        switch shape.rank {
        case 0: "\(scalars[0])"
        case 1: "\(scalars)"
        default: (0..<shape.rows).map { r in "\(Array(scalars[r * shape.columns..<(r + 1) * shape.columns]))" }.joined(separator: "\n")
        }
    }
}
