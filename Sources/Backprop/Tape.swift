#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record of computations for reverse-mode differentiation.
///
/// Struct-of-arrays: node `i` has `operations[i]`, `shapes[i]` and its elements at
/// `values[offsets[i]..<offsets[i]+shapes[i].count]`. Nodes are only ever appended
/// and operands always precede their results, so creation order is a topological
/// order and the backward sweep is a plain reverse loop. A class because a tape
/// being recorded has identity: every ``Node`` refers to the tape it lives on.
///
/// ```swift
/// let tape = Tape()
/// let x = try tape.variable(3)
/// let y = try x * x + x.sin()
/// let dydx = try tape.gradient(of: y, withRespectTo: [x])[0]   // 6 + cos 3
/// ```
public final class Tape {
    // `@exclusivity(unchecked)`: the tape's own code never overlaps two accesses to one
    // array (kernels get raw pointers to `values`/`adjoints` and read only the others),
    // and without the attribute every access paid a dynamic exclusivity check
    // (swift_beginAccess, a thread-local access set) — half the time of a scalar op.
    // Columns rather than Arrays: an append is a capacity check and a store.
    @exclusivity(unchecked) var operations: Column<Operation>
    @exclusivity(unchecked) var shapes: Column<Shape>
    @exclusivity(unchecked) var offsets: Column<Int>
    @exclusivity(unchecked) var values: Column<Double>
    @exclusivity(unchecked) var windows = Column<Window>()
    @exclusivity(unchecked) var operandLists = Column<Int32>()
    /// Scratch reused between gradient calls so repeated gradients do not reallocate.
    @exclusivity(unchecked) var adjoints = Column<Double>()
    @exclusivity(unchecked) var reached = Column<Bool>()

    /// An empty tape; `reservingCapacity` avoids regrowth when the node count is known.
    public init(reservingCapacity capacity: Int = 0) {
        operations = Column(capacity: capacity)
        shapes = Column(capacity: capacity)
        offsets = Column(capacity: capacity)
        values = Column(capacity: capacity)
    }

    /// Number of nodes recorded so far.
    public var count: Int { operations.count }

    /// About how many bytes the recording holds: each node's operation, shape and
    /// offset, and every number (the gradient's adjoints may double the numbers).
    package var approximateBytes: Int {
        operations.count * (MemoryLayout<Operation>.stride + MemoryLayout<Shape>.stride + MemoryLayout<Int>.stride)
            + values.count * MemoryLayout<Double>.stride
    }

    /// Forgets every node but keeps the storage for the next recording.
    public func removeAll() {
        operations.removeAll()
        shapes.removeAll()
        offsets.removeAll()
        values.removeAll()
        windows.removeAll()
        operandLists.removeAll()
    }

    /// How long the tape is at one moment, to come back to with ``restore(_:)``.
    package struct Checkpoint: Sendable, Equatable {
        /// Nodes before the checkpoint: every node with a smaller index stays.
        package let nodes: Int
        let values: Int
        let windows: Int
        let operandLists: Int
    }

    /// The tape as it is now: `let mark = tape.checkpoint()`.
    package func checkpoint() -> Checkpoint {
        Checkpoint(nodes: operations.count, values: values.count, windows: windows.count, operandLists: operandLists.count)
    }

    /// Forgets every node recorded after `checkpoint`; the nodes before it keep
    /// their values. A caller that checks many cases on one shared graph records
    /// the shared part once and rolls each case back.
    package func restore(_ checkpoint: Checkpoint) {
        guard checkpoint.nodes <= operations.count else { return }
        operations.removeLast(operations.count - checkpoint.nodes)
        shapes.removeLast(shapes.count - checkpoint.nodes)
        offsets.removeLast(offsets.count - checkpoint.nodes)
        values.removeLast(values.count - checkpoint.values)
        windows.removeLast(windows.count - checkpoint.windows)
        operandLists.removeLast(operandLists.count - checkpoint.operandLists)
    }

    // MARK: Leaves

    /// A scalar leaf: `let w = try tape.variable(0.5)`.
    public func variable(_ value: Double) throws(BackpropError) -> Node {
        guard value.isFinite else { throw .nonFiniteInput("leaf value \(value)") }
        return appendScalar(.leaf, value)
    }

    /// A tensor leaf: `let W = try tape.variable(Tensor(rows: [[1, 2], [3, 4]]))`.
    public func variable(_ tensor: Tensor) throws(BackpropError) -> Node {
        // Tensor's initialisers already validated shape and finiteness.
        let index = Int32(operations.count)
        operations.append(.leaf)
        shapes.append(tensor.shape)
        offsets.append(values.count)
        values.append(contentsOf: tensor.scalars)
        return Node(tape: self, index: index)
    }

    /// A constant is just a leaf nobody asks the gradient of; the name documents intent.
    public func constant(_ value: Double) throws(BackpropError) -> Node { try variable(value) }

    /// See ``constant(_:)-...``: `let t = try tape.constant(Tensor(vector: [0, 1]))`.
    public func constant(_ tensor: Tensor) throws(BackpropError) -> Node { try variable(tensor) }

    // MARK: Values

    /// The forward value of any node: `tape.value(of: h)`.
    public func value(of node: Node) -> Tensor {
        let i = Int(node.index)
        let start = offsets[i]
        return Tensor(unchecked: shapes[i], scalars: values.array(from: start, count: shapes[i].count))
    }

    /// Replaces a leaf's value; call ``evaluate()`` afterwards to refresh everything downstream.
    ///
    /// ```swift
    /// try tape.setValue(Tensor(0.25), for: w); try tape.evaluate()
    /// ```
    public func setValue(_ tensor: Tensor, for node: Node) throws(BackpropError) {
        guard node.tape === self else { throw .foreignNode }
        let i = Int(node.index)
        guard operations[i] == .leaf else { throw .notALeaf }
        guard tensor.shape.count == shapes[i].count, tensor.shape.rows == shapes[i].rows else {
            throw .shapeMismatch(operation: "setValue", shapes[i], tensor.shape)
        }
        let start = offsets[i]
        values.overwrite(from: start, with: tensor.scalars)
    }

    /// Recomputes every non-leaf node in creation order: a re-draw of the same graph
    /// with new leaf values costs one forward sweep and no allocation.
    public func evaluate() throws(BackpropError) {
        for i in operations.indices where operations[i] != .leaf {
            try compute(i)
        }
    }

    // MARK: Recording

    @inline(__always)
    func appendScalar(_ operation: Operation, _ value: Double) -> Node {
        let index = Int32(operations.count)
        operations.append(operation)
        shapes.append(.scalar)
        offsets.append(values.count)
        values.append(value)
        return Node(tape: self, index: index)
    }

    /// Appends a node of the given shape and computes its value, undoing the append if
    /// the value is not finite so a failed operation leaves the tape as it was.
    func record(_ operation: Operation, shape: Shape) throws(BackpropError) -> Node {
        let shape = try shape.validated()
        let index = operations.count
        operations.append(operation)
        shapes.append(shape)
        offsets.append(values.count)
        if shape.count == 1 {
            values.append(0)
        } else {
            values.append(repeating: 0, count: shape.count)
        }
        do {
            try compute(index)
        } catch {
            operations.removeLast()
            shapes.removeLast()
            values.removeLast(shape.count)
            offsets.removeLast()
            throw error
        }
        return Node(tape: self, index: Int32(index))
    }

    func check(_ node: Node) throws(BackpropError) -> Int32 {
        guard node.tape === self else { throw .foreignNode }
        return node.index
    }

    /// The result shape of an elementwise binary operation with broadcasting of
    /// scalars, and of a vector across the columns of a matrix (a bias added to a batch).
    func broadcast(_ a: Int32, _ b: Int32, _ name: String) throws(BackpropError) -> Shape {
        let sa = shapes[Int(a)], sb = shapes[Int(b)]
        if sa == sb { return sa }
        if sa.isScalar { return sb }
        if sb.isScalar { return sa }
        if sa.rank == 2, sb.rank == 1, sb.rows == sa.rows { return sa }
        if sb.rank == 2, sa.rank == 1, sa.rows == sb.rows { return sb }
        if sa.count == sb.count, sa.rows == sb.rows, sa.columns == sb.columns { return sa }
        throw .shapeMismatch(operation: name, sa, sb)
    }

    /// Rows and columns of a node seen as a matrix (a vector is a column).
    @inline(__always) func dimensions(_ i: Int32) -> (rows: Int, columns: Int) {
        let s = shapes[Int(i)]
        return (s.rows, s.columns)
    }
}

/// Maps an index of a broadcast result to the index of one operand.
@inline(__always)
func broadcastIndex(_ i: Int, operandCount: Int, resultCount: Int, resultColumns: Int) -> Int {
    if operandCount == resultCount { return i }
    if operandCount == 1 { return 0 }
    return i / resultColumns
}
