/// Everything that can go wrong in the engine, as values rather than traps.
///
/// ```swift
/// do { _ = try a + b } catch { print(error) }   // "shape mismatch in +: vector(3) and vector(2)"
/// ```
public enum BackpropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two operands whose shapes do not fit together.
    case shapeMismatch(operation: String, Shape, Shape)
    /// A tensor with a zero dimension.
    case emptyTensor(Shape)
    /// A shape beyond ``Shape/maximumElementCount`` elements; refused before allocating.
    case tooLarge(Shape)
    /// The number of scalars given does not fill the shape.
    case wrongElementCount(expected: Int, got: Int)
    /// A NaN or infinity given as input.
    case nonFiniteInput(String)
    /// An operation whose result is NaN or infinite (overflow, division by zero).
    case nonFiniteResult(operation: String)
    /// A function evaluated outside its domain, e.g. log of a negative number.
    case outsideDomain(function: String, argument: Double)
    /// An index or slice outside the tensor.
    case indexOutOfRange(String)
    /// An operation that needs a scalar got something else.
    case notScalar(operation: String, Shape)
    /// Nodes from two different tapes were mixed.
    case foreignNode
    /// A value can only be replaced on a leaf.
    case notALeaf
    /// A request the engine cannot serve, with the reason.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, a, b): "shape mismatch in \(operation): \(a) and \(b)"
        case let .emptyTensor(shape): "empty tensor of shape \(shape.rows)×\(shape.columns)"
        case let .tooLarge(shape): "a \(shape.rows)×\(shape.columns) tensor is too large (limit \(Shape.maximumElementCount) elements)"
        case let .wrongElementCount(expected, got): "expected \(expected) elements, got \(got)"
        case let .nonFiniteInput(what): "non-finite input: \(what)"
        case let .nonFiniteResult(operation): "\(operation) produced NaN or infinity"
        case let .outsideDomain(function, argument): "\(function) is undefined at \(argument)"
        case let .indexOutOfRange(what): "index out of range: \(what)"
        case let .notScalar(operation, shape): "\(operation) needs a scalar, got \(shape)"
        case .foreignNode: "nodes from different tapes were combined"
        case .notALeaf: "only a leaf's value can be replaced"
        case let .unsupported(reason): "unsupported: \(reason)"
        }
    }
}
