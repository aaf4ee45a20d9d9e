import Backprop
import Diagnostics
import Foundation
import MathSyntax

/// Why an expression has no value.
enum EvaluationError: Error, Sendable {
    /// An index outside its array: the term is not defined for these index values.
    case indexOutOfRange(String)
    /// Something nbrun does not evaluate; the step is reported unchecked with this reason.
    case unsupported(String, SourceRange)
    /// A free symbol where only bound ones are allowed (inline math is checked only when fully bound).
    case unbound(String)
    /// A definition that needs itself.
    case cycle(String, SourceRange)
    /// A resource limit.
    case limit(String, SourceRange)
    /// The note's time budget ran out while this expression was being evaluated.
    case outOfTime(SourceRange)
    /// The engine refused: a shape mismatch, a logarithm of a negative number, …
    case engine(BackpropError, SourceRange)
    /// A sum's body cannot be evaluated over all its index values at once; it is summed term by term.
    case notVectorizable
}

/// Evaluates math on one draw's tape. One instance serves every step of a
/// statement at one draw, so quantities shared by steps and index tuples
/// (the network's forward pass, a gradient vector) are computed once.
final class Evaluator {
    /// Where math made by the checker itself (not read from a note) says it comes from.
    static let mathText = SourcePath("<math>")

    /// A quantity that can be memoized, and replaced by a leaf while a derivative is taken.
    enum Instance: Hashable, CustomStringConvertible {
        /// A network quantity of one layer (`a_3`), or a layerless one (loss, target) with layer 0.
        case network(NetworkModel.Role, Int)
        /// An indexed definition at index values (`p_2` of `p_i = …`).
        case definition(String, [Int])
        /// A symbol the note defines or gives a value.
        case symbol(String)
        /// A free array family or a free scalar, drawn.
        case free(String)

        var description: String {
            switch self {
            case .network(let role, let layer): "\(role.rawValue) \(layer)"
            case .definition(let family, let values): "\(family)[\(values.map(String.init).joined(separator: ","))]"
            case .symbol(let key), .free(let key): key
            }
        }
    }

    struct MemoKey: Hashable {
        var signature: String
        var instance: Instance
    }

    /// A gradient already taken: of an operand (by its key, at the values of its own index
    /// variables) with respect to a quantity, under the overrides of a signature.
    struct GradientKey: Hashable {
        var signature: String
        var target: Instance
        var order: Int
        var indexValues: [Int]
        var operand: String
    }

    struct Context {
        /// Quantities replaced by fresh leaves while a derivative is taken.
        var overrides: [Instance: Node] = [:]
        var signature = ""
        /// Function parameters by symbol key.
        var locals: [String: Node] = [:]
        /// Index variables by name.
        var indices: [String: Int] = [:]
        /// A sum's index evaluated over all its values at once: symbols indexed by it
        /// give vectors, everything else must be a number, operations are elementwise.
        var vector: (name: String, low: Int, high: Int)?
        /// Inside `\sum_k` without bounds, where an undefined member of a family defined
        /// member by member ends the sum rather than being drawn.
        var endsAtUndefinedMembers = false
        /// Terms of the sums and patterns this is inside, multiplied: nested sums of
        /// 2,000 terms each are 4,000,000 terms, each with its own nodes on the tape.
        var enclosingTerms = 1
        /// Inside `\text{softmax}(z)_i`, where a bare `z` of a family drawn as a vector (`z_j`) is that vector.
        var bareFamiliesAreWhole = false
    }

    let tape: Tape
    let scope: Scope
    let draws: Draws
    let analysis: NoteAnalysis
    /// Free symbols may be drawn; inline math is evaluated with this off.
    let allowsFreeSymbols: Bool
    /// Bounded sums are evaluated over all their index values at once where that is elementwise.
    var vectorizesSums = true
    var inputs: [(name: String, value: Tensor)] = []
    var memo: [MemoKey: Node] = [:]
    var gradients: [GradientKey: Tensor] = [:]
    /// Functions the note never defines that were drawn (`arbitraryFunction`), by name.
    var arbitraryFunctionsUsed: Set<String> = []
    /// Derivatives of open quantities the claim writes alike on both sides (`VerifierRun.sharedOpenDerivatives`):
    /// where no definition connects them they are one drawn unknown rather than 0.
    var sharedOpenDerivatives: Set<String> = []
    /// Whether one of them was drawn, and the gradients that were drawn so.
    var usedOpenDerivative = false
    var openGradients: Set<GradientKey> = []

    static func openDerivativeKey(_ operand: MathExpression, _ variable: MathExpression) -> String {
        operand.withoutRanges.latex + "|" + variable.withoutRanges.latex
    }
    /// Derivatives met so far whose operand does not depend on their variable, in order.
    var disconnections: [Disconnection] = []
    /// Derivatives whose operand was computed without their variable (`lastGradientReached`).
    var unreachedGradients: Set<GradientKey> = []
    var leaves: [String: Node] = [:]
    var symbolFacts: [Int: SymbolFacts] = [:]
    var templates: [Int: PatternTemplate?] = [:]
    var operandCache: [Place: OperandFacts] = [:]
    /// Whether a family's definition mentions the family itself (`h_t = f(h_{t-1})`), by family key.
    var recurrences: [String: Bool] = [:]
    var variableIndexCache: [Place: Set<String>] = [:]
    var inProgress: Set<MemoKey> = []
    var depth = 0
    /// Depth, sum length and array size bounds (`Limits`); the time budget ends at `deadline`.
    var limits = Limits()
    var deadline: ContinuousClock.Instant?
    /// Evaluations since the clock was last read (reading it every time costs more than the work).
    var sinceClock = 0

    /// `tape` may be one an earlier evaluator used: it is emptied, and its storage reused
    /// (the pages of a large network's draw are touched once, not once per draw).
    init(scope: Scope, draws: Draws, analysis: NoteAnalysis, allowsFreeSymbols: Bool = true, tape: Tape = Tape()) {
        tape.removeAll()
        self.tape = tape
        self.scope = scope
        self.draws = draws
        self.analysis = analysis
        self.allowsFreeSymbols = allowsFreeSymbols
    }

    // MARK: Checkpoints

    /// What the evaluator holds at one moment: the tape's length and its memo.
    struct Checkpoint {
        var tape: Tape.Checkpoint
        var memoCount: Int
        var leafCount: Int
    }

    /// Marks the quantities every index tuple shares (the forward pass, gradients).
    func checkpoint() -> Checkpoint {
        Checkpoint(tape: tape.checkpoint(), memoCount: memo.count, leafCount: leaves.count)
    }

    /// Forgets what index tuples added since `checkpoint`, so the tape does not grow without bound.
    func restore(_ checkpoint: Checkpoint) {
        let limit = Int32(checkpoint.tape.nodes)
        if memo.count != checkpoint.memoCount { memo = memo.filter { $0.value.index < limit } }
        if leaves.count != checkpoint.leafCount { leaves = leaves.filter { $0.value.index < limit } }
        tape.restore(checkpoint.tape)
    }

    // MARK: Expressions

    func evaluate(_ expression: MathExpression, _ context: Context) throws(EvaluationError) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth < limits.maxDefinitionDepth else {
            throw .limit(VerifyMessages.tooDeep(limits.maxDefinitionDepth), expression.range)
        }
        sinceClock += 1
        if sinceClock >= 256, let deadline {
            sinceClock = 0
            if ContinuousClock.now > deadline { throw .outOfTime(expression.range) }
        }
        let range = expression.range
        if context.vector != nil {
            // Only elementwise work is the same over a vector of terms as term by term.
            switch expression.kind {
            case .transpose, .tuple, .matrix, .norm, .nabla, .subscripted: throw .notVectorizable
            default: break
            }
        }
        switch expression.kind {
        case .number(let text):
            guard let value = Double(text) else { throw .unsupported(VerifyMessages.notANumber(text), range) }
            return try engine(range) { () throws(BackpropError) in try tape.constant(value) }
        case .symbol(let symbol):
            return try evaluate(symbol: symbol, range: range, context)
        case .elided:
            throw .unsupported(VerifyMessages.elidedOutsideMatrix, range)
        case .wildcard:
            throw .unsupported(VerifyMessages.wildcardOutsideIndex, range)
        case .text(let text):
            throw .unsupported(VerifyMessages.prose(text), range)
        case .negation(let operand):
            let value = try evaluate(operand, context)
            return try engine(range) { () throws(BackpropError) in try -value }
        case .positive(let operand), .group(let operand, _):
            return try evaluate(operand, context)
        case .binary(let operation, let left, let right):
            return try evaluate(binary: operation, left, right, range: range, context)
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            if isEulersNumber(base, context) {
                let power = try evaluate(exponent, context)
                return try engine(range) { () throws(BackpropError) in try power.exp() }
            }
            let value = try evaluate(base, context)
            if case .number(let text) = exponent.kind, let constant = Double(text) {
                return try engine(range) { () throws(BackpropError) in try value.power(constant) }
            }
            let power = try evaluate(exponent, context)
            return try engine(range) { () throws(BackpropError) in try value.power(power) }
        case .subscripted(let base, let index):
            // `(s \odot t)_j`, `(\sigma(z) - y)_j`: an entry of an entry-wise expression of vectors.
            if let entry = entry(of: base, at: index) { return try evaluate(entry, context) }
            // `\text{softmax}(z)_i`: an entry of a function's value.
            switch base.kind {
            case .application, .applicationOrProduct, .call:
                var whole = context
                whole.bareFamiliesAreWhole = true
                let value = try evaluate(base, whole)
                guard value.shape.rank == 1 else { throw .unsupported(VerifyMessages.subscriptedExpression, range) }
                return try apply(.element(try integer(index, context)), to: value, range: range)
            default: break
            }
            // `\|W\|_F`, `\|x\|_2` of a vector: the root of the squared entries (‖A‖₂ of a matrix is its
            // largest singular value, which this is not).
            guard case .norm(let inner) = base.kind else { throw .unsupported(VerifyMessages.subscriptedExpression, range) }
            let value = try evaluate(inner, context)
            guard index.plain == "F" || index.plain == "2" && value.shape.rank <= 1 else {
                throw .unsupported(VerifyMessages.subscriptedExpression, range)
            }
            return try engine(range) { () throws(BackpropError) in try value.norm(.l2) }
        case .transpose(let operand):
            let value = try evaluate(operand, context)
            return try engine(range) { () throws(BackpropError) in try value.transpose() }
        case .prime:
            throw .unsupported(VerifyMessages.primeWithoutArgument, range)
        case .root(let operand, let index):
            let value = try evaluate(operand, context)
            guard let index else { return try engine(range) { () throws(BackpropError) in try value.sqrt() } }
            let degree = try evaluate(index, context)
            return try engine(range) { () throws(BackpropError) in try value.power(1.0 / degree) }
        case .tuple(let items, _):
            return try evaluate(entries: items.map { [$0] }, range: range, context)
        case .norm(let operand):
            let value = try evaluate(operand, context)
            return try engine(range) { () throws(BackpropError) in try value.norm(.l2) }
        case .absolute(let operand):
            let value = try evaluate(operand, context)
            return try engine(range) { () throws(BackpropError) in try value.abs() }
        case .call(let call):
            return try evaluate(call: call, range: range, context)
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            return try evaluate(application: function, arguments, range: range, context)
        case .derivative(let derivative):
            return try evaluate(derivative: derivative, range: range, context)
        case .nabla(let subscriptExpression, let operand):
            guard let subscriptExpression, let operand else {
                throw .unsupported(VerifyMessages.nablaWithoutParts, range)
            }
            return try differentiate(operand, withRespectTo: subscriptExpression, order: 1, range: range, context)
        case .bigOperator(let big):
            return try evaluate(big: big, range: range, context)
        case .matrix(let matrix):
            return try evaluate(entries: matrix.rows, range: range, context)
        case .uninterpretable(let reason, _):
            throw .unsupported(reason, range)
        }
    }

    /// Runs an engine operation, turning its error into ours at `range`.
    func engine(_ range: SourceRange, _ body: () throws(BackpropError) -> Node) throws(EvaluationError) -> Node {
        let node: Node
        do {
            node = try body()
        } catch {
            if case .indexOutOfRange(let what) = error { throw .indexOutOfRange(what) }
            if case .unsupported(let what) = error { throw .unsupported(what, range) }
            throw .engine(error, range)
        }
        guard node.shape.count <= limits.maxArrayElements else {
            throw .limit(VerifyMessages.arrayTooLarge(node.shape, limit: limits.maxArrayElements), range)
        }
        // Each sum and array is bounded; this bounds what they add up to in one step.
        guard tape.approximateBytes <= Self.maxTapeBytes else {
            throw .limit(VerifyMessages.tapeTooLarge(Self.maxTapeBytes), range)
        }
        return node
    }

    /// The most one step's recording may hold: a note's peak stays well under 1 GB.
    static let maxTapeBytes = 384 << 20

}

extension MathExpression {
    var isElided: Bool {
        if case .elided = kind { return true }
        return false
    }

    var isWildcard: Bool {
        if case .wildcard = kind { return true }
        return false
    }

    /// Where the names of the functions applied in this expression stand (`u` of `u(x, y)`,
    /// `\sigma` of `\sigma(-0.01)`): symbols that are no quantity of their own.
    var applicationHeads: Set<Evaluator.Place> {
        var heads: Set<Evaluator.Place> = []
        forEachNode { node in
            switch node.kind {
            case .application(let function, _), .applicationOrProduct(let function, _):
                heads.insert(Evaluator.Place(function.range))
            default: break
            }
        }
        return heads
    }
}

extension Evaluator.Place {
    /// Where `range` stands in its file.
    init(_ range: SourceRange) {
        self.init(start: range.start.offset, end: range.end.offset)
    }
}
