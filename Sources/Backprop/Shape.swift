/// The shape of a value on a tape: a scalar, a (column) vector, or a matrix.
///
/// Vectors are columns, as in the notes' convention `a = W h + b`, so a vector of
/// length `n` multiplies like an `n × 1` matrix.
///
/// ```swift
/// let s = Shape.matrix(rows: 3, columns: 2)   // "3×2"
/// ```
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    /// 0 for a scalar, 1 for a vector, 2 for a matrix.
    public let rank: Int
    /// Number of rows (1 for a scalar, the length for a vector).
    public let rows: Int
    /// Number of columns (1 for scalars and vectors).
    public let columns: Int

    /// The shape of a single number.
    public static let scalar = Shape(rank: 0, rows: 1, columns: 1)

    /// A column vector: `Shape.vector(3)`.
    public static func vector(_ count: Int) -> Shape { Shape(rank: 1, rows: count, columns: 1) }

    /// A matrix: `Shape.matrix(rows: 2, columns: 3)`.
    public static func matrix(rows: Int, columns: Int) -> Shape { Shape(rank: 2, rows: rows, columns: columns) }

    /// Number of elements; overflow-safe because ``validated()`` bounds rows × columns first.
    public var count: Int { rows * columns }

    public var isScalar: Bool { rank == 0 }

    /// The largest number of elements one tensor may hold (2²⁸ doubles = 2 GiB);
    /// anything larger is refused before allocation.
    public static let maximumElementCount = 1 << 28

    /// Checks that the shape is non-empty and small enough to allocate.
    public func validated() throws(BackpropError) -> Shape {
        guard rows > 0, columns > 0 else { throw .emptyTensor(self) }
        let (product, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, product <= Shape.maximumElementCount else { throw .tooLarge(self) }
        return self
    }

    public var description: String {
        switch rank {
        case 0: "scalar"
        case 1: "vector(\(rows))"
        default: "\(rows)×\(columns)"
        }
    }
}
