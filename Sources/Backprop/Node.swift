/// A handle to one value on a ``Tape``. Operations on nodes record new nodes on the
/// same tape and compute their values at once; shape errors are thrown, never trapped.
///
/// ```swift
/// let tape = Tape()
/// let h = try tape.variable(Tensor(vector: [1, 2]))
/// let w = try tape.variable(Tensor(vector: [0.5, -1]))
/// let y = try (h * w).sum()          // h·w
/// let e = try 0.5 * (1 - y).squared()
/// ```
public struct Node: Hashable {
    /// The tape this node lives on; nodes keep their tape alive, never the reverse.
    public let tape: Tape
    /// Position on the tape; also its place in topological order.
    public let index: Int32

    public static func == (lhs: Node, rhs: Node) -> Bool { lhs.tape === rhs.tape && lhs.index == rhs.index }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tape))
        hasher.combine(index)
    }

    /// The node's current value.
    public var value: Tensor { tape.value(of: self) }
    /// The node's value if it has a single element.
    public var scalar: Double? {
        let i = Int(index)
        return tape.shapes[i].count == 1 ? tape.values[tape.offsets[i]] : nil
    }
    public var shape: Shape { tape.shapes[Int(index)] }

    // MARK: Binary

    func binary(_ other: Node, _ make: (Int32, Int32) -> Operation, _ name: String) throws(BackpropError) -> Node {
        let b = try tape.check(other)
        if tape.shapes[Int(index)].isScalar && tape.shapes[Int(b)].isScalar {
            // The scalar lane skips broadcasting, validation and the bookkeeping of record().
            let operation = make(index, b)
            let x = tape.values[tape.offsets[Int(index)]], y = tape.values[tape.offsets[Int(b)]]
            let z: Double
            switch operation {
            case .add: z = x + y
            case .subtract: z = x - y
            case .multiply: z = x * y
            default: return try tape.record(operation, shape: .scalar)
            }
            guard z.isFinite else { throw .nonFiniteResult(operation: name) }
            return tape.appendScalar(operation, z)
        }
        let shape = try tape.broadcast(index, b, name)
        return try tape.record(make(index, b), shape: shape)
    }

    func unary(_ operation: Operation, shape: Shape? = nil) throws(BackpropError) -> Node {
        try tape.record(operation, shape: shape ?? self.shape)
    }

    func lift(_ value: Double) throws(BackpropError) -> Node { try tape.constant(value) }

    public static func + (a: Node, b: Node) throws(BackpropError) -> Node { try a.binary(b, Operation.add, "+") }
    public static func - (a: Node, b: Node) throws(BackpropError) -> Node { try a.binary(b, Operation.subtract, "−") }
    /// Elementwise product; a scalar broadcasts. Use ``matmul(_:)`` for matrix products.
    public static func * (a: Node, b: Node) throws(BackpropError) -> Node { try a.binary(b, Operation.multiply, "×") }
    public static func / (a: Node, b: Node) throws(BackpropError) -> Node { try a.binary(b, Operation.divide, "÷") }
    public static prefix func - (a: Node) throws(BackpropError) -> Node { try a.unary(.negate(a.index)) }

    public static func + (a: Node, b: Double) throws(BackpropError) -> Node { try a + a.lift(b) }
    public static func + (a: Double, b: Node) throws(BackpropError) -> Node { try b.lift(a) + b }
    public static func - (a: Node, b: Double) throws(BackpropError) -> Node { try a - a.lift(b) }
    public static func - (a: Double, b: Node) throws(BackpropError) -> Node { try b.lift(a) - b }
    public static func * (a: Node, b: Double) throws(BackpropError) -> Node { try a * a.lift(b) }
    public static func * (a: Double, b: Node) throws(BackpropError) -> Node { try b.lift(a) * b }
    public static func / (a: Node, b: Double) throws(BackpropError) -> Node { try a / a.lift(b) }
    public static func / (a: Double, b: Node) throws(BackpropError) -> Node { try b.lift(a) / b }

    /// The elementwise (Hadamard) product `a ⊙ b`, the same as `*`.
    public func hadamard(_ other: Node) throws(BackpropError) -> Node { try self * other }

    /// Elementwise xʸ: `try x.power(y)`.
    public func power(_ exponent: Node) throws(BackpropError) -> Node {
        try binary(exponent, Operation.power, "power")
    }
    /// xᶜ for a constant c: `try x.power(3)`.
    public func power(_ exponent: Double) throws(BackpropError) -> Node {
        guard exponent.isFinite else { throw .nonFiniteInput("exponent \(exponent)") }
        return try unary(.powerConstant(index, exponent))
    }
    public func squared() throws(BackpropError) -> Node { try power(2) }

    /// Elementwise maximum; at ties the gradient is split evenly.
    public func maximum(_ other: Node) throws(BackpropError) -> Node { try binary(other, Operation.maximum, "max") }
    public func minimum(_ other: Node) throws(BackpropError) -> Node { try binary(other, Operation.minimum, "min") }

    // MARK: Elementwise functions

    public func apply(_ f: ElementaryFunction) throws(BackpropError) -> Node { try unary(.function(f, index)) }
    public func exp() throws(BackpropError) -> Node { try apply(.exp) }
    /// Natural logarithm; a non-positive argument is ``BackpropError/outsideDomain(function:argument:)``.
    public func log() throws(BackpropError) -> Node { try apply(.log) }
    public func sqrt() throws(BackpropError) -> Node { try apply(.sqrt) }
    public func abs() throws(BackpropError) -> Node { try apply(.abs) }
    public func sin() throws(BackpropError) -> Node { try apply(.sin) }
    public func cos() throws(BackpropError) -> Node { try apply(.cos) }
    public func tanh() throws(BackpropError) -> Node { try apply(.tanh) }
    public func sigmoid() throws(BackpropError) -> Node { try apply(.sigmoid) }
    /// max(0, x); the slope at 0 is taken as 0, as micrograd and PyTorch do.
    public func relu() throws(BackpropError) -> Node { try apply(.relu) }

    // MARK: Reductions and normalisations

    /// Softmax of a vector, or of each column of a matrix (one sample per column).
    public func softmax() throws(BackpropError) -> Node {
        guard shape.rank > 0 else { throw .notScalar(operation: "softmax needs a vector, not", shape) }
        return try unary(.softmax(index))
    }
    public func logSoftmax() throws(BackpropError) -> Node {
        guard shape.rank > 0 else { throw .notScalar(operation: "log-softmax needs a vector, not", shape) }
        return try unary(.logSoftmax(index))
    }
    /// Sum of all elements, a scalar.
    public func sum() throws(BackpropError) -> Node { try unary(.sum(index), shape: .scalar) }
    public func mean() throws(BackpropError) -> Node { try unary(.mean(index), shape: .scalar) }
    /// A norm of all elements, a scalar: `try (y - t).norm(.l2)`.
    public func norm(_ kind: NormKind = .l2) throws(BackpropError) -> Node { try unary(.norm(index, kind), shape: .scalar) }
    /// u·v = Σ uᵢvᵢ.
    public func dot(_ other: Node) throws(BackpropError) -> Node {
        guard shape == other.shape else { throw .shapeMismatch(operation: "dot", shape, other.shape) }
        return try (self * other).sum()
    }

    // MARK: Linear algebra

    /// The matrix product; a vector on the right is a column: `try W.matmul(h)`.
    public func matmul(_ other: Node) throws(BackpropError) -> Node {
        let b = try tape.check(other)
        let sa = shape, sb = other.shape
        guard sa.rank > 0, sb.rank > 0, sa.columns == sb.rows else { throw .shapeMismatch(operation: "matmul", sa, sb) }
        let result: Shape = sb.rank == 1 ? .vector(sa.rows) : .matrix(rows: sa.rows, columns: sb.columns)
        return try tape.record(.matmul(index, b), shape: result)
    }
    /// Matrix transpose; a vector becomes a 1×n row, and a 1×n row becomes a vector.
    public func transpose() throws(BackpropError) -> Node {
        let s = shape
        let result: Shape = switch s.rank {
        case 0: .scalar
        case 1: .matrix(rows: 1, columns: s.rows)
        default: s.rows == 1 ? .vector(s.columns) : .matrix(rows: s.columns, columns: s.rows)
        }
        return try unary(.transpose(index), shape: result)
    }
    /// The outer product u vᵀ of two vectors, an m×n matrix.
    public func outer(_ other: Node) throws(BackpropError) -> Node {
        let b = try tape.check(other)
        guard shape.rank == 1, other.shape.rank == 1 else { throw .shapeMismatch(operation: "outer product", shape, other.shape) }
        return try tape.record(.outer(index, b), shape: .matrix(rows: shape.rows, columns: other.shape.rows))
    }

    // MARK: Indexing

    /// Element `i` of a vector (or row-major element of a matrix), a scalar node.
    public subscript(i: Int) -> Node {
        get throws(BackpropError) {
            let s = shape
            guard (0..<s.count).contains(i) else { throw .indexOutOfRange("\(i) in \(s)") }
            return try window(row: i / s.columns, column: i % s.columns, rows: 1, columns: 1, result: .scalar)
        }
    }
    /// Element at `row`, `column` of a matrix.
    public subscript(row: Int, column: Int) -> Node {
        get throws(BackpropError) {
            let s = shape
            guard (0..<s.rows).contains(row), (0..<s.columns).contains(column) else {
                throw .indexOutOfRange("(\(row), \(column)) in \(s)")
            }
            return try window(row: row, column: column, rows: 1, columns: 1, result: .scalar)
        }
    }
    /// A contiguous part of a vector: `try h.slice(1..<3)`.
    public func slice(_ range: Range<Int>) throws(BackpropError) -> Node {
        let s = shape
        guard s.rank == 1, range.lowerBound >= 0, range.upperBound <= s.rows, !range.isEmpty else {
            throw .indexOutOfRange("\(range) in \(s)")
        }
        return try window(row: range.lowerBound, column: 0, rows: range.count, columns: 1, result: .vector(range.count))
    }
    /// A block of a matrix: `try W.slice(rows: 0..<2, columns: 1..<3)`.
    public func slice(rows: Range<Int>, columns: Range<Int>) throws(BackpropError) -> Node {
        let s = shape
        guard s.rank == 2, rows.lowerBound >= 0, rows.upperBound <= s.rows, columns.lowerBound >= 0,
              columns.upperBound <= s.columns, !rows.isEmpty, !columns.isEmpty else {
            throw .indexOutOfRange("rows \(rows), columns \(columns) in \(s)")
        }
        return try window(row: rows.lowerBound, column: columns.lowerBound, rows: rows.count, columns: columns.count,
                          result: .matrix(rows: rows.count, columns: columns.count))
    }
    /// Row `i` of a matrix, as a vector.
    public func row(_ i: Int) throws(BackpropError) -> Node {
        let s = shape
        guard s.rank == 2, (0..<s.rows).contains(i) else { throw .indexOutOfRange("row \(i) in \(s)") }
        return try window(row: i, column: 0, rows: 1, columns: s.columns, result: .vector(s.columns))
    }
    /// Column `j` of a matrix, as a vector.
    public func column(_ j: Int) throws(BackpropError) -> Node {
        let s = shape
        guard s.rank == 2, (0..<s.columns).contains(j) else { throw .indexOutOfRange("column \(j) in \(s)") }
        return try window(row: 0, column: j, rows: s.rows, columns: 1, result: .vector(s.rows))
    }

    func window(row: Int, column: Int, rows: Int, columns: Int, result: Shape) throws(BackpropError) -> Node {
        tape.windows.append(Window(rowStart: row, columnStart: column, rowCount: rows, columnCount: columns, result: result))
        return try unary(.slice(index, window: Int32(tape.windows.count - 1)), shape: result)
    }
}

extension Tape {
    /// Stacks nodes vertically: scalars and vectors into a vector, matrices with equal
    /// column counts into a taller matrix. `try tape.concatenate([h1, h2])`.
    public func concatenate(_ nodes: [Node]) throws(BackpropError) -> Node {
        guard let first = nodes.first else { throw .emptyTensor(.vector(0)) }
        var rows = 0
        let columns = first.shape.columns
        let isMatrix = first.shape.rank == 2
        for node in nodes {
            _ = try check(node)
            guard (node.shape.rank == 2) == isMatrix, node.shape.columns == columns else {
                throw .shapeMismatch(operation: "concatenation", first.shape, node.shape)
            }
            rows += node.shape.rows
        }
        let start = Int32(operandLists.count)
        for node in nodes { operandLists.append(node.index) }
        let shape: Shape = isMatrix ? .matrix(rows: rows, columns: columns) : .vector(rows)
        do {
            return try record(.concatenate(start: start, count: Int32(nodes.count)), shape: shape)
        } catch {
            operandLists.removeLast(nodes.count)
            throw error
        }
    }
}
