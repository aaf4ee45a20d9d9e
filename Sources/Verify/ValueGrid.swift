import Backprop

/// A vector's or matrix's value as the page shows it: a small table of its first entries,
/// rounded, rather than a flattened list.
///
/// ```swift
/// let grid = ValueGrid(tensor)   // nil for a number
/// grid?.rows                     // [["0.41", "-1.2", …], …], at most 4×4 entries
/// ```
public struct ValueGrid: Sendable, Equatable, Codable {
    /// The entries shown, row by row, as `ValueFormat.number` writes them.
    public var rows: [[String]]
    /// The whole value's rows and columns (a vector has one column).
    public var rowCount: Int
    public var columnCount: Int

    /// Four rows and columns at most: enough to see signs and scale, small beside the equation.
    static let shown = 4

    public init(rows: [[String]], rowCount: Int, columnCount: Int) {
        self.rows = rows
        self.rowCount = rowCount
        self.columnCount = columnCount
    }

    init?(_ tensor: Tensor) {
        guard tensor.shape.count > 1 else { return nil }
        let columns = tensor.shape.rank == 2 ? tensor.shape.columns : 1
        rowCount = tensor.shape.rows
        columnCount = columns
        rows = (0..<min(rowCount, Self.shown)).map { row in
            (0..<min(columns, Self.shown)).map { ValueFormat.number(tensor.scalars[row * columns + $0]) }
        }
    }

    /// Whether rows or columns beyond those shown exist.
    public var hasMoreRows: Bool { rowCount > rows.count }
    public var hasMoreColumns: Bool { columnCount > (rows.first?.count ?? 0) }
}
