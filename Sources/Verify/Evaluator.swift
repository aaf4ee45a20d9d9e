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
    private var memo: [MemoKey: Node] = [:]
    private var gradients: [GradientKey: Tensor] = [:]
    /// Functions the note never defines that were drawn (`arbitraryFunction`), by name.
    var arbitraryFunctionsUsed: Set<String> = []
    /// Derivatives met so far whose operand does not depend on their variable, in order.
    var disconnections: [Disconnection] = []
    /// Derivatives whose operand was computed without their variable (`lastGradientReached`).
    private var unreachedGradients: Set<GradientKey> = []
    private var leaves: [String: Node] = [:]
    private var symbolFacts: [Int: SymbolFacts] = [:]
    private var templates: [Int: PatternTemplate] = [:]
    private var operandCache: [Place: OperandFacts] = [:]
    /// Whether a family's definition mentions the family itself (`h_t = f(h_{t-1})`), by family key.
    private var recurrences: [String: Bool] = [:]
    private var variableIndexCache: [Place: Set<String>] = [:]
    private var inProgress: Set<MemoKey> = []
    private var depth = 0
    /// Depth, sum length and array size bounds (`Limits`); the time budget ends at `deadline`.
    var limits = Limits()
    var deadline: ContinuousClock.Instant?
    /// Evaluations since the clock was last read (reading it every time costs more than the work).
    private var sinceClock = 0

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

    // MARK: Products and friends

    private func evaluate(binary operation: BinaryOperator, _ left: MathExpression, _ right: MathExpression,
                          range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if context.vector != nil, operation == .outer || operation == .plusMinus { throw .notVectorizable }
        let a = try evaluate(left, context)
        let b = try evaluate(right, context)
        return try engine(range) { () throws(BackpropError) in
            switch operation {
            case .add: return try a + b
            case .subtract: return try a - b
            case .slash, .fraction: return try a / b
            case .hadamard: return try a * b
            case .outer: return try a.outer(b)
            case .cdot where a.shape.rank == 1 && b.shape.rank == 1 && context.vector == nil:
                return try a.dot(b)
            case .implicitProduct, .cdot, .times, .asterisk:
                if a.shape.isScalar || b.shape.isScalar { return try a * b }
                // Over a vectorized sum index every non-number is a vector of terms.
                if context.vector != nil { return try a * b }
                let product = try a.matmul(b)
                // A row times a column is a number.
                if product.shape.count == 1, product.shape.rank != 0 { return try product.sum() }
                return product
            case .plusMinus:
                throw .unsupported("±")
            }
        }
    }

    /// A vector or matrix written entry by entry; a pattern (`\vdots`) is expanded.
    private func evaluate(entries rows: [[MathExpression]], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if rows.contains(where: { $0.contains(where: \.isElided) }) {
            return try evaluate(pattern: rows, range: range, context)
        }
        guard let columnCount = rows.first?.count, columnCount > 0, rows.allSatisfy({ $0.count == columnCount }) else {
            throw .unsupported(VerifyMessages.raggedMatrix, range)
        }
        var values: [Node] = []
        for row in rows {
            for entry in row { values.append(try evaluate(entry, context)) }
        }
        return try stack(values, rows: rows.count, columns: columnCount, range: range)
    }

    func stack(_ values: [Node], rows: Int, columns: Int, range: SourceRange) throws(EvaluationError) -> Node {
        try engine(range) { () throws(BackpropError) in
            if values.allSatisfy({ $0.shape.isScalar }) {
                let column = try tape.concatenate(values)
                guard columns > 1 else { return column }
                // Row-major entries: build each row as a column, stack, then transpose per row.
                var rowNodes: [Node] = []
                for row in 0..<rows {
                    let entries = try tape.concatenate(Array(values[(row * columns)..<((row + 1) * columns)]))
                    rowNodes.append(try entries.transpose())
                }
                return try tape.concatenate(rowNodes)
            }
            // Entries that are vectors (a column of columns) stack into one vector.
            guard columns == 1 else { throw .unsupported("a matrix whose entries are not numbers") }
            return try tape.concatenate(values)
        }
    }

    /// `[e_1, …, e_n]` or a column `e_1 \\ \vdots \\ e_n`: the entries vary in one
    /// place, from the first entry's value to the last's.
    private func evaluate(pattern rows: [[MathExpression]], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let entries = rows.count == 1 ? rows[0] : rows.compactMap { $0.count == 1 ? $0[0] : nil }
        guard entries.count == (rows.count == 1 ? rows[0].count : rows.count) else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        let written = entries.filter { !$0.isElided }
        if written.count == 1, let only = written.first {
            // `[…, g'(a_{ik}), …]`: the one index variable free in the entry runs over its range.
            let free = analysis.indexVariables(in: only).subtracting(context.indices.keys)
            guard free.count == 1, let variable = free.first else {
                throw .unsupported(VerifyMessages.patternShape, range)
            }
            var values: [Node] = []
            var index = 1
            while index <= limits.maxSumTerms {
                var inner = context
                inner.indices[variable] = index
                inner.enclosingTerms = try termsInAll(index, inside: context, range: range)
                do {
                    values.append(try evaluate(only, inner))
                } catch .indexOutOfRange {
                    break
                }
                index += 1
            }
            guard !values.isEmpty else { throw .unsupported(VerifyMessages.patternShape, range) }
            return try stack(values, rows: values.count, columns: 1, range: range)
        }
        guard let first = written.first, let last = written.last, written.count >= 2 else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        let place = range.start.offset &* 1_000_003 &+ range.end.offset
        let cached = range.path == Self.mathText ? nil : templates[place]
        guard let template = cached ?? PatternTemplate(first: first, last: last, avoiding: analysis.allNames) else {
            throw .unsupported(VerifyMessages.patternShape, range)
        }
        if range.path != Self.mathText { templates[place] = template }
        let low = try integer(template.low, context)
        let high = try integer(template.high, context)
        guard high >= low, high - low < limits.maxSumTerms else {
            throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range)
        }
        var values: [Node] = []
        let patternTerms = try termsInAll(high - low + 1, inside: context, range: range)
        for index in low...high {
            var inner = context
            inner.indices[template.variable] = index
            inner.enclosingTerms = patternTerms
            values.append(try evaluate(template.expression, inner))
        }
        return try stack(values, rows: values.count, columns: 1, range: range)
    }

    // MARK: Sums

    private func evaluate(big: MathBigOperator, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let body = big.body else { throw .unsupported(VerifyMessages.emptySum, range) }
        guard big.indices.count == 1, let variable = big.indices[0].symbol?.name else {
            throw .unsupported(VerifyMessages.sumIndex, range)
        }
        let low = try big.lowerBound.map { (bound) throws(EvaluationError) in try integer(bound, context) } ?? 1
        // `\sum_{i \neq k}`: the index value skipped.
        let skipped = try big.excluded.map { (value) throws(EvaluationError) in try integer(value, context) }
        var terms: [Node] = []
        if let upper = big.upperBound {
            let high = try integer(upper, context)
            guard high - low < limits.maxSumTerms else { throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range) }
            let sumTerms = try termsInAll(high - low + 1, inside: context, range: range)
            if vectorizesSums, high > low, big.operation == .sum, context.vector == nil, skipped == nil {
                var inner = context
                inner.vector = (variable, low, high)
                inner.enclosingTerms = sumTerms
                do {
                    let values = try evaluate(body, inner)
                    if values.shape.rank == 1, values.shape.count == high - low + 1 {
                        return try engine(range) { () throws(BackpropError) in try values.sum() }
                    }
                } catch .notVectorizable {
                    // Term by term below.
                }
            }
            if high >= low {
                for index in low...high where index != skipped {
                    var inner = context
                    inner.indices[variable] = index
                    inner.enclosingTerms = sumTerms
                    terms.append(try evaluate(body, inner))
                }
            }
        } else {
            // `\sum_k`: every k for which the term is defined, which only arrays and families
            // defined member by member ever stop; over drawn scalars it would never end.
            let labels = analysis.labelsByLetter[variable] ?? []
            guard sumEnds(body, over: variable) || !labels.isEmpty else {
                throw .unsupported(VerifyMessages.unboundedSumOfScalars(variable), range)
            }
            var index = low
            while sumEnds(body, over: variable) {
                guard index - low < limits.maxSumTerms else { throw .limit(VerifyMessages.sumTooLong(limits.maxSumTerms), range) }
                if index == skipped {
                    index += 1
                    continue
                }
                var inner = context
                inner.indices[variable] = index
                inner.endsAtUndefinedMembers = true
                inner.enclosingTerms = try termsInAll(index - low + 1, inside: context, range: range)
                do {
                    terms.append(try evaluate(body, inner))
                } catch .indexOutOfRange {
                    break
                }
                index += 1
            }
            // `\sum_o` over `out_o` where the note only has `out_{o1}`, `out_{o2}`: a sum over those labels.
            if terms.isEmpty {
                for label in labels {
                    let term = Self.replacingIndex(variable, with: label, in: body)
                    terms.append(try evaluate(term, context))
                }
            }
            guard !terms.isEmpty else { throw .unsupported(VerifyMessages.sumWithoutTerms(variable), range) }
        }
        return try engine(range) { () throws(BackpropError) in
            guard var total = terms.first else { return try tape.constant(big.operation == .sum ? 0 : 1) }
            for term in terms.dropFirst() {
                total = big.operation == .sum ? try total + term : try total * term
            }
            return total
        }
    }

    /// `body` with the index `variable` written as the label `label` wherever it stands alone as an
    /// index: `target_o - out_o` for o = `o1` is `target_{o1} - out_{o1}`.
    static func replacingIndex(_ variable: String, with label: String, in body: MathExpression) -> MathExpression {
        body.rewritten { node in
            guard case .symbol(var symbol) = node.kind, !symbol.indices.isEmpty else { return node }
            var changed = false
            symbol.indices = symbol.indices.map { index in
                guard let name = index.symbol?.name, name == variable, index.symbol?.indices.isEmpty == true else { return index }
                changed = true
                return MathExpression(.symbol(MathSymbol(name: label)), range: index.range)
            }
            return changed ? MathExpression(.symbol(symbol), range: node.range) : node
        }
    }

    /// Whether some symbol of `body` indexed by `variable` has an end: a drawn array, an indexed
    /// or member-by-member definition, or a network quantity.
    private func sumEnds(_ body: MathExpression, over variable: String) -> Bool {
        var ends = false
        body.forEachNode { node in
            guard !ends, case .symbol(let symbol) = node.kind,
                  symbol.indices.contains(where: { NoteAnalysis.bareNames(in: $0).contains(variable) }) else { return }
            let family = symbol.familyLabelKey
            if analysis.arrayShapes[family] != nil || scope.families[family] != nil || scope.memberFamilies.contains(family)
                || scope.network?.role(ofBaseKey: symbol.baseKey) != nil {
                ends = true
            }
        }
        return ends
    }

    /// The terms a sum or pattern of `count` terms makes inside `context`'s, within
    /// `maxSumTerms` for all of them together (memory grows with the product, not the sum).
    private func termsInAll(_ count: Int, inside context: Context, range: SourceRange) throws(EvaluationError) -> Int {
        let (product, overflow) = context.enclosingTerms.multipliedReportingOverflow(by: max(1, count))
        guard !overflow, product <= limits.maxSumTerms else {
            throw .limit(VerifyMessages.nestedSumsTooLong(limits.maxSumTerms), range)
        }
        return product
    }

    /// An index expression's whole-number value (`i+1`, `n_{i+1}`, `L`).
    func integer(_ expression: MathExpression, _ context: Context) throws(EvaluationError) -> Int {
        if let value = try wholeNumber(expression, context) { return value }
        let node = try evaluate(expression, context)
        guard let value = node.value.scalar, value.isFinite, value == value.rounded(), abs(value) < 1e9 else {
            throw .unsupported(VerifyMessages.notAnIndex(expression.plain), expression.range)
        }
        return Int(value)
    }

    /// Index arithmetic without the tape: numbers, index variables, `L`, `n_i`, `+ - ×`.
    private func wholeNumber(_ expression: MathExpression, _ context: Context) throws(EvaluationError) -> Int? {
        switch expression.kind {
        case .number(let text):
            return Int(text)
        case .symbol(let symbol):
            if symbol.indices.isEmpty, symbol.label == nil, let value = context.indices[symbol.name],
               context.locals[symbol.key] == nil {
                return value
            }
            return try networkInteger(symbol, range: expression.range, context)
        case .group(let inner, _), .positive(let inner):
            return try wholeNumber(inner, context)
        case .negation(let inner):
            return try wholeNumber(inner, context).map { -$0 }
        case .binary(let operation, let left, let right):
            guard let a = try wholeNumber(left, context), let b = try wholeNumber(right, context) else { return nil }
            switch operation {
            case .add: return a + b
            case .subtract: return a - b
            case .implicitProduct, .cdot, .times, .asterisk: return a * b
            default: return nil
            }
        default:
            return nil
        }
    }

    // MARK: Functions

    private func evaluate(call: MathCall, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        var arguments: [Node] = []
        for argument in call.arguments { arguments.append(try evaluate(argument, context)) }
        var base: Double?
        if let subscriptExpression = call.subscriptExpression {
            guard call.name == "log" else { throw .unsupported(VerifyMessages.unknownFunction("\\\(call.name)_…"), range) }
            base = try evaluate(subscriptExpression, context).value.scalar
        }
        var result = try apply(builtin: call.name, to: arguments, range: range, vectorized: context.vector != nil)
        if call.subscriptExpression != nil {
            guard let base, base > 0, base != 1 else { throw .unsupported(VerifyMessages.logBase, range) }
            let value = result
            result = try engine(range) { () throws(BackpropError) in try value / Foundation.log(base) }
        }
        if let power = call.power {
            let exponent = try evaluate(power, context)
            let value = result
            result = try engine(range) { () throws(BackpropError) in try value.power(exponent) }
        }
        return result
    }

    /// The one-argument functions `apply(builtin:)` knows, as written without a backslash.
    static let builtinNames: Set<String> = [
        "exp", "log", "ln", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sigmoid", "sigma", "logistic",
        "relu", "softmax", "sqrt", "abs", "max", "min", "prod", "sech", "sign", "sgn", "softplus",
    ]

    /// Whether `symbol` is a function nbrun knows by name (`\sigma`, `\tanh`, `\operatorname{relu}`).
    static func namesBuiltin(_ symbol: MathSymbol) -> Bool {
        guard symbol.indices.isEmpty else { return false }
        var name = symbol.name.lowercased()
        if name.hasPrefix("\\operatorname{"), name.hasSuffix("}") {
            name = String(name.dropFirst("\\operatorname{".count).dropLast())
        } else if name.hasPrefix("\\") {
            name = String(name.dropFirst())
        }
        return builtinNames.contains(name)
    }

    /// Functions nbrun knows by name.
    func apply(builtin name: String, to arguments: [Node], range: SourceRange, vectorized: Bool = false) throws(EvaluationError) -> Node {
        var lowered = name.lowercased()
        // A named function primed (`\tanh'(z)`) arrives as the symbol `\tanh` or `\operatorname{relu}`.
        if lowered.hasPrefix("\\operatorname{"), lowered.hasSuffix("}") {
            lowered = String(lowered.dropFirst("\\operatorname{".count).dropLast())
        } else if lowered.hasPrefix("\\") {
            lowered = String(lowered.dropFirst())
        }
        if vectorized, lowered == "softmax" { throw .notVectorizable }
        if lowered.hasPrefix("1["), arguments.count == 2 {
            // `\mathbb{1}(x \geq y)`: a step, whose derivative is 0 wherever it is defined.
            guard let a = arguments[0].value.scalar, let b = arguments[1].value.scalar else {
                throw .unsupported(VerifyMessages.unknownFunction("\\mathbb{1} of a vector"), range)
            }
            let holds: Bool = switch lowered {
            case "1[>]": a > b
            case "1[>=]": a >= b
            case "1[<]": a < b
            case "1[=]": a == b
            case "1[!=]": a != b
            default: a <= b
            }
            return try engine(range) { () throws(BackpropError) in try tape.constant(holds ? 1 : 0) }
        }
        return try engine(range) { () throws(BackpropError) in
            if arguments.count == 2 {
                switch lowered {
                case "max": return try arguments[0].maximum(arguments[1])
                case "min": return try arguments[0].minimum(arguments[1])
                // d2l's `\text{prod}(A, B)`: the product that fits the shapes; of a number, the plain one.
                case "prod" where arguments[0].shape.isScalar || arguments[1].shape.isScalar: return try arguments[0] * arguments[1]
                default: break
                }
            }
            guard arguments.count == 1, let x = arguments.first else {
                throw .unsupported(VerifyMessages.arity(name, arguments.count))
            }
            switch lowered {
            case "exp": return try x.exp()
            case "log", "ln": return try x.log()
            case "sin": return try x.sin()
            case "cos": return try x.cos()
            case "tan": return try x.sin() / x.cos()
            case "tanh": return try x.tanh()
            case "sinh": return try (x.exp() - (-x).exp()) * 0.5
            case "cosh": return try (x.exp() + (-x).exp()) * 0.5
            case "sech": return try ((x.exp() + (-x).exp()) * 0.5).power(-1)
            // x/|x|: the sign, with the derivative 0 it has wherever it is defined.
            case "sign", "sgn": return try x / x.abs()
            case "softplus": return try (x.exp() + 1).log()
            case "sigmoid", "sigma", "\\sigma", "logistic": return try x.sigmoid()
            case "relu": return try x.relu()
            case "softmax": return try x.softmax()
            case "sqrt": return try x.sqrt()
            case "abs": return try x.abs()
            case "max", "min":
                throw .unsupported(VerifyMessages.unknownFunction("\\\(name) over an index"))
            default: throw .unsupported(VerifyMessages.unknownFunction(name))
            }
        }
    }

    private func evaluate(application function: MathExpression, _ argumentExpressions: [MathExpression],
                          range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        var primes = 0
        var head = function
        if case .prime(let inner, let count) = function.kind {
            primes = count
            head = inner
        }
        guard let symbol = head.symbol else { throw .unsupported(VerifyMessages.unknownFunction(head.plain), range) }
        // The loss written as a function of the parameters: ℒ(θ) is the loss.
        if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) == .loss, primes == 0 {
            return try evaluate(symbol: symbol, range: range, context)
        }
        // `h_\theta(x^{(i)})` after `h_\theta(x^{(i)}) = …` is the quantity `h_\theta` names, so that
        // `\frac{\partial}{\partial h_\theta} \log h_\theta(x^{(i)})` differentiates through it.
        if primes == 0, context.vector == nil, let key = try? concreteKey(symbol, family: symbol.familyLabelKey, context),
           let function = functionAtItsParameters(symbol, key: key, context),
           function.parameters.count == argumentExpressions.count,
           zip(function.parameters, argumentExpressions).allSatisfy({ parameter, argument in
               argument.symbol?.key == parameter && context.locals[parameter] == nil
           }) {
            return try evaluate(symbol: symbol, range: range, context)
        }
        var arguments: [Node] = []
        for argument in argumentExpressions { arguments.append(try evaluate(argument, context)) }
        if primes == 0 { return try call(symbol, arguments, range: range, context) }
        // g'(x): the derivative of a one-variable function, element by element.
        guard arguments.count == 1, let argument = arguments.first, primes <= 2 else {
            throw .unsupported(VerifyMessages.primeArity, range)
        }
        let point = try engine(range) { () throws(BackpropError) in try tape.variable(argument.value) }
        let value = try call(symbol, [point], range: range, context)
        return try engine(range) { () throws(BackpropError) in
            let total = value.shape.isScalar ? value : try value.sum()
            if primes == 1 {
                return try tape.constant(try tape.gradient(of: total, withRespectTo: [point])[0])
            }
            guard point.shape.isScalar else { throw .unsupported("a second derivative of a vector argument") }
            let first = try tape.gradientNodes(of: total, withRespectTo: [point])[0]
            return try tape.constant(try tape.gradient(of: first, withRespectTo: [point])[0])
        }
    }

    private func isRecurrence(_ family: String, _ definition: Scope.Definition) -> Bool {
        if let known = recurrences[family] { return known }
        var found = false
        definition.body.forEachNode { node in
            if case .symbol(let symbol) = node.kind, !symbol.indices.isEmpty, symbol.familyLabelKey == family { found = true }
        }
        recurrences[family] = found
        return found
    }

    /// The definition of the function a bare symbol names when it stands for that function at its
    /// own parameters (`h_\theta` after `h_\theta(x) = …`), or nil.
    private func functionAtItsParameters(_ symbol: MathSymbol, key: String, _ context: Context) -> Scope.Definition? {
        guard scope.symbols[key] == nil, scope.literals[key] == nil, context.locals[symbol.key] == nil,
              analysis.arrayShapes[symbol.familyLabelKey] == nil, let function = scope.functions[symbol.baseKey],
              !function.parameters.isEmpty else { return nil }
        return function
    }

    static let entrywiseFunctionNames: Set<String> = ["sigma", "tanh", "exp", "log", "ln", "relu", "sigmoid", "f", "g", "phi", "varphi", "psi"]

    /// `(s \odot t)_j` as `s_j t_j`: the expression with each vector it names taken at the index,
    /// when every operation in it acts entry by entry (sums, `\odot`, multiples by numbers,
    /// functions of one argument). Nil for anything else (`(W x)_j` sums over a row).
    func entry(of base: MathExpression, at index: MathExpression) -> MathExpression? {
        guard index.symbol != nil || { if case .number = index.kind { true } else { false } }() else { return nil }
        var entrywise = true
        var vectors = 0
        base.forEachNode { node in
            switch node.kind {
            case .symbol(let symbol):
                if analysis.arrayShapes[symbol.familyLabelKey]?.rank == 1, symbol.indices.isEmpty { vectors += 1 }
            case .number, .group, .negation, .positive, .prime: break
            case .application(let function, let arguments):
                // σ, tanh, ReLU and their primes act entry by entry; softmax and the like do not.
                var name = function.symbol?.name.lowercased() ?? ""
                if name.hasPrefix("\\") { name.removeFirst() }
                let isPrime = { if case .prime = function.kind { true } else { false } }()
                if arguments.count != 1 || !(isPrime || Self.entrywiseFunctionNames.contains(name)) { entrywise = false }
            case .binary(let operation, let left, let right):
                switch operation {
                case .add, .subtract, .hadamard: break
                case .implicitProduct, .cdot, .times, .asterisk:
                    let isNumber = { (side: MathExpression) in if case .number = side.kind { true } else { false } }
                    if !isNumber(left) && !isNumber(right) { entrywise = false }
                default: entrywise = false
                }
            case .call(let call):
                if call.arguments.count != 1 || ["softmax", "max", "min", "argmax"].contains(call.name.lowercased()) { entrywise = false }
            default:
                entrywise = false
            }
        }
        guard entrywise, vectors > 0 else { return nil }
        var heads: Set<Place> = []
        base.forEachNode { node in
            if case .application(let function, _) = node.kind { heads.insert(Place(function.range)) }
        }
        var unindexed = false
        let indexed = base.rewritten { node in
            guard case .symbol(var symbol) = node.kind, !heads.contains(Place(node.range)) else { return node }
            guard analysis.arrayShapes[symbol.familyLabelKey]?.rank == 1, symbol.indices.isEmpty else {
                unindexed = true
                return node
            }
            symbol.indices = [index]
            return MathExpression(.symbol(symbol), range: node.range)
        }
        // A symbol that is no vector (`\eta` in `(\eta g)_j`) could be a scalar or not: not guessed.
        return unindexed ? nil : indexed
    }

    /// Applies a function symbol: one the note defined, the network's activation, or a known one.
    func call(_ symbol: MathSymbol, _ arguments: [Node], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let key = symbol.baseKey
        if let definition = scope.functions[key] {
            guard definition.parameters.count == arguments.count else {
                throw .unsupported(VerifyMessages.arity(key, arguments.count), range)
            }
            var inner = Context()
            inner.overrides = context.overrides
            inner.signature = context.signature
            inner.vector = context.vector
            inner.enclosingTerms = context.enclosingTerms
            for (parameter, argument) in zip(definition.parameters, arguments) { inner.locals[parameter] = argument }
            // A function that calls itself stops at the depth limit.
            return try evaluate(definition.body, inner)
        }
        if let network = scope.network, network.role(ofBaseKey: key) == .activation, arguments.count == 1 {
            let argument = arguments[0]
            return try engine(range) { () throws(BackpropError) in try NetworkFunctions.activate(network.activation, argument) }
        }
        // One argument element by element; several only as numbers.
        if Self.isArbitraryFunctionName(symbol), arguments.count == 1 || (2...6).contains(arguments.count) && arguments.allSatisfy(\.shape.isScalar) {
            return try arbitraryFunction(named: key, of: arguments, range: range)
        }
        return try apply(builtin: symbol.name, to: arguments, range: range, vectorized: context.vector != nil)
    }

    /// `f`, `g`, `\phi`: a one-letter function the note applies but never defines stands for any
    /// smooth function, so the identities written about it must hold whatever it is.
    static func isArbitraryFunctionName(_ symbol: MathSymbol) -> Bool {
        guard symbol.indices.isEmpty, symbol.label == nil else { return false }
        let name = symbol.name
        if name.count == 1 { return name != "e" }
        return ["\\phi", "\\varphi", "\\psi", "\\chi"].contains(name)
    }

    /// `DrawnFunction` for a name, the same for the whole note at one draw.
    private func arbitraryFunction(named name: String, of arguments: [Node], range: SourceRange) throws(EvaluationError) -> Node {
        arbitraryFunctionsUsed.insert(name)
        let function = DrawnFunction(named: name, arity: arguments.count, draws: draws)
        return try engine(range) { () throws(BackpropError) in try function(arguments) }
    }

    // MARK: Derivatives

    private func evaluate(derivative: MathDerivative, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let value = try evaluateDerivative(derivative, range: range, context)
        if let vector = context.vector, value.shape.rank != 0,
           !(derivative.variables.first.map { indexVariables(ofVariable: $0).contains(vector.name) } ?? false) {
            throw .notVectorizable
        }
        return value
    }

    private func evaluateDerivative(_ derivative: MathDerivative, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let operand = derivative.operand else { throw .unsupported(VerifyMessages.derivativeWithoutOperand, range) }
        guard let variable = derivative.variables.first,
              derivative.variables.count == 1 || derivative.variables.allSatisfy({ $0.withoutRanges == variable.withoutRanges }) else {
            throw .unsupported(VerifyMessages.mixedPartials, range)
        }
        return try differentiate(operand, withRespectTo: variable, order: derivative.order, range: range, context,
                                 holdsArgumentsFixed: derivative.notation != .ordinary)
    }

    /// `\frac{\partial \hat{x}_i}{\partial x_i}` with `\hat{x}_i = (x_i - \mu)/\sqrt{\sigma^2 + \epsilon}`: a
    /// partial derivative of a formula with respect to one of its own arguments holds its other
    /// arguments fixed, even when they are computed from the variable too (μ from the x_i): the
    /// note's chain rule adds their paths as terms of their own. The quantities to hold, each
    /// with its value now; empty when the variable is not written in the operand's formula.
    private func argumentsToHold(_ operand: MathExpression, besides variable: MathSymbol, range: SourceRange,
                                 _ context: Context) throws(EvaluationError) -> [(Instance, Tensor)] {
        guard let operandSymbol = operand.symbol else { return [] }
        let body: MathExpression
        if let key = try? concreteKey(operandSymbol, family: operandSymbol.familyLabelKey, context), let definition = scope.symbols[key] {
            body = definition.body
        } else if let definition = scope.families[operandSymbol.familyLabelKey] {
            body = definition.body
        } else {
            return []
        }
        var writesVariable = false
        var others: [(MathSymbol, SourceRange)] = []
        var seen: Set<String> = []
        // The name of a function applied in the body (`u` of `u(x, y)`) is not one of its arguments.
        var heads: Set<Place> = []
        body.forEachNode { node in
            if case .application(let function, _) = node.kind { heads.insert(Place(function.range)) }
        }
        body.forEachNode { node in
            guard case .symbol(let symbol) = node.kind, !heads.contains(Place(node.range)) else { return }
            if symbol.familyLabelKey == variable.familyLabelKey { writesVariable = true; return }
            guard symbol.indices.isEmpty, let key = try? concreteKey(symbol, family: symbol.familyLabelKey, context),
                  seen.insert(key).inserted, scope.symbols[key] != nil else { return }
            others.append((symbol, node.range))
        }
        guard writesVariable else { return [] }
        var held: [(Instance, Tensor)] = []
        for (symbol, place) in others {
            // Located at its own place: facts about a symbol are cached by where it is written.
            let located = try locate(symbol, range: place, context)
            held.append((located.instance, located.base.value))
        }
        return held
    }

    /// `\frac{\partial f(x_t, h_{t-1}, w)}{\partial w}`: the partial derivative of a function in the
    /// argument written as the variable, the other arguments held at their values (h_{t-1} depends
    /// on w too, but that path is the chain rule's next term). Nil when no one argument is the variable.
    private func derivativeInSlot(_ operand: MathExpression, variable: MathSymbol, range: SourceRange,
                                  _ context: Context) throws(EvaluationError) -> Node? {
        let function: MathExpression
        let arguments: [MathExpression]
        switch operand.kind {
        case .application(let head, let written), .applicationOrProduct(let head, let written):
            function = head
            arguments = written
        default:
            return nil
        }
        guard arguments.count >= 2, let symbol = function.symbol, !Self.namesBuiltin(symbol),
              scope.functions[symbol.baseKey] != nil || Self.isArbitraryFunctionName(symbol),
              arguments.filter({ $0.symbol?.key == variable.key }).count == 1,
              let slot = arguments.firstIndex(where: { $0.symbol?.key == variable.key }) else { return nil }
        var values: [Tensor] = []
        for argument in arguments { values.append(try evaluate(argument, context).value) }
        let point = try engine(range) { () throws(BackpropError) in try tape.variable(values[slot]) }
        var nodes: [Node] = []
        for (position, value) in values.enumerated() {
            nodes.append(position == slot ? point : try engine(range) { () throws(BackpropError) in try tape.constant(value) })
        }
        let value = try call(symbol, nodes, range: range, context)
        guard value.shape.isScalar else { return nil }
        return try engine(range) { () throws(BackpropError) in try tape.constant(try tape.gradient(of: value, withRespectTo: [point])[0]) }
    }

    /// ∂A/∂B: B is replaced by a leaf holding its current value, A is evaluated
    /// again through the definitions, and reverse mode gives the gradient. What
    /// B is computed from stays fixed: the partial derivative the notes mean.
    func differentiate(_ operand: MathExpression, withRespectTo variable: MathExpression, order: Int,
                       range: SourceRange, _ context: Context, holdsArgumentsFixed: Bool = false) throws(EvaluationError) -> Node {
        // `\partial (a_j^L)`: brackets around the variable.
        var variable = variable
        while case .group(let inner, _) = variable.kind { variable = inner }
        guard let symbol = variable.symbol else { throw .unsupported(VerifyMessages.derivativeVariable(variable.plain), range) }
        guard order <= 2 else { throw .unsupported(VerifyMessages.highOrder(order), range) }
        let facts = operandFacts(operand)
        if facts.containsDerivative {
            throw .unsupported(VerifyMessages.derivativeOfDerivative, range)
        }
        if let vector = context.vector, facts.indexVariables.contains(vector.name) {
            throw .notVectorizable
        }
        if holdsArgumentsFixed, order == 1, context.vector == nil,
           let slot = try derivativeInSlot(operand, variable: symbol, range: range, context) {
            return slot
        }
        let target = try locate(symbol, range: range, context)
        var context = context
        if holdsArgumentsFixed, order == 1 {
            let held = try argumentsToHold(operand, besides: symbol, range: range, context)
            for (instance, value) in held where instance != target.instance {
                let constant = try engine(range) { () throws(BackpropError) in try tape.constant(value) }
                context.overrides[instance] = constant
                context.signature += "|held " + instance.description
            }
        }
        // The gradient is taken with respect to the whole quantity and the variable's
        // indices select from it, so only the operand's own index values matter.
        var relevant: [Int] = []
        for name in facts.indexVariables { relevant.append(context.indices[name] ?? Int.min) }
        // Checked once per index tuple: a key of parts, no string built for the lookup.
        let cacheKey = GradientKey(signature: context.signature, target: target.instance, order: order,
                                   indexValues: relevant, operand: facts.key)
        if order == 1, let cached = gradients[cacheKey] {
            if unreachedGradients.contains(cacheKey) { noteDisconnection(operand, variable) }
            return try select(cached, target.selector, range: range)
        }
        let signature = context.signature + "/" + target.instance.description
        // One leaf per replaced quantity and context: values memoized under this
        // signature were computed from this very leaf.
        let leaf: Node
        if let known = leaves[signature] {
            leaf = known
        } else {
            leaf = try engine(range) { () throws(BackpropError) in try tape.variable(target.base.value) }
            leaves[signature] = leaf
        }
        var inner = context
        inner.overrides[target.instance] = leaf
        inner.signature = signature
        let value = try evaluate(operand, inner)
        guard value.shape.count == 1 else {
            throw .unsupported(VerifyMessages.derivativeOfNonScalar(operand.plain, value.shape), range)
        }
        let scalar = try engine(range) { () throws(BackpropError) in value.shape.isScalar ? value : try value.sum() }
        if order == 1 {
            let gradient: Tensor
            do {
                gradient = try tape.gradient(of: scalar, withRespectTo: [leaf])[0]
            } catch {
                throw .engine(error, range)
            }
            gradients[cacheKey] = gradient
            if !tape.lastGradientReached(leaf) {
                // A zero that compares nothing: no definition of the note connects the two.
                unreachedGradients.insert(cacheKey)
                noteDisconnection(operand, variable)
            }
            return try select(gradient, target.selector, range: range)
        }
        guard target.base.shape.isScalar else { throw .unsupported(VerifyMessages.highOrder(order), range) }
        return try engine(range) { () throws(BackpropError) in
            let first = try tape.gradientNodes(of: scalar, withRespectTo: [leaf])[0]
            return try tape.constant(try tape.gradient(of: first, withRespectTo: [leaf])[0])
        }
    }

    /// A derivative whose operand was computed without its variable: 0, by no formula of the note.
    struct Disconnection: Equatable {
        var operand: String
        var variable: String
        /// The operand is a quantity the note gives only as a number (`E_{o2} = 0.0236`):
        /// how it depends on anything is not in the note.
        var statedAsNumber: Bool
        /// The operand goes through a function the note leaves open (`{\cal C}(\hat{W})`), which
        /// depends on nothing but its drawn argument.
        var throughOpenFunction = false
    }

    private func noteDisconnection(_ operand: MathExpression, _ variable: MathExpression) {
        var statedAsNumber = false
        if let symbol = operand.symbol {
            let family = symbol.familyLabelKey
            let key = try? concreteKey(symbol, family: family, Context())
            let defined = key.map { scope.symbols[$0] != nil || scope.literals[$0] != nil } ?? false
                || scope.families[family] != nil || scope.network?.role(ofBaseKey: symbol.baseKey) != nil
            statedAsNumber = !defined
                || key.map { scope.literals[$0] != nil || scope.symbols[$0].map { VerifierRun.isNumbersOnly($0.body) } == true } == true
        }
        // `{\cal C}(\hat{W})`: a letter the note never defines, written before brackets, reads as a product
        // but is meant as a function of what it depends on.
        var writtenAsFunction = !arbitraryFunctionsUsed.isEmpty
        operand.forEachNode { node in
            let head: MathExpression
            switch node.kind {
            case .applicationOrProduct(let function, _): head = function
            case .binary(.implicitProduct, let function, let argument):
                guard case .group(_, .parenthesis) = argument.kind else { return }
                head = function
            default: return
            }
            guard let symbol = head.symbol,
                  let key = try? concreteKey(symbol, family: symbol.familyLabelKey, Context()),
                  scope.symbols[key] == nil, scope.literals[key] == nil, scope.functions[symbol.baseKey] == nil else { return }
            writtenAsFunction = true
        }
        let found = Disconnection(operand: operand.plain, variable: variable.plain, statedAsNumber: statedAsNumber,
                                  throughOpenFunction: writtenAsFunction)
        if !disconnections.contains(found) { disconnections.append(found) }
    }

    /// One part of a computed gradient, as a constant: copying only that part keeps a
    /// sum over thousands of index values linear.
    /// What the derivative cache needs of an operand, worked out once per operand:
    /// its index variables (sorted) and a key that tells it apart from other operands.
    private func operandFacts(_ operand: MathExpression) -> OperandFacts {
        // Operands read from the note are told apart by where they stand; generated
        // ones (pattern templates) by their text.
        let fromNote = operand.range.path != Self.mathText
        let place = Place(start: operand.range.start.offset, end: operand.range.end.offset)
        if fromNote, let known = operandCache[place] { return known }
        var indexVariables = analysis.indexVariables(in: operand)
        // A bare `h_\theta` standing for `h_\theta(x^{(i)})` depends on i too.
        operand.forEachNode { node in
            guard case .symbol(let symbol) = node.kind, let function = scope.functions[symbol.baseKey] else { return }
            for parameter in function.parameterSymbols where !parameter.indices.isEmpty {
                indexVariables.formUnion(analysis.indexVariables(in: MathExpression(.symbol(parameter), range: operand.range)))
            }
        }
        let facts = OperandFacts(indexVariables: indexVariables.sorted(),
                                 key: fromNote ? "\(place.start):\(place.end)" : operand.latex,
                                 containsDerivative: operand.containsDerivative)
        if fromNote { operandCache[place] = facts }
        return facts
    }

    /// What the derivative cache needs of an operand: its index variables (sorted), a key
    /// that tells it apart from other operands, and whether it holds a derivative itself.
    struct OperandFacts {
        var indexVariables: [String]
        var key: String
        var containsDerivative: Bool
    }

    /// Where an expression of the note stands: what the caches of per-expression facts key on.
    struct Place: Hashable {
        var start: Int
        var end: Int
    }

    /// The index variables of a derivative's variable (`a_{i+1,m}` → i, m), worked out once per place.
    private func indexVariables(ofVariable variable: MathExpression) -> Set<String> {
        guard variable.range.path != Self.mathText else { return analysis.indexVariables(in: variable) }
        let place = Place(start: variable.range.start.offset, end: variable.range.end.offset)
        if let known = variableIndexCache[place] { return known }
        let names = analysis.indexVariables(in: variable)
        variableIndexCache[place] = names
        return names
    }

    private func select(_ tensor: Tensor, _ selector: Selector, range: SourceRange) throws(EvaluationError) -> Node {
        let shape = tensor.shape
        func scalar(_ index: Int) throws(EvaluationError) -> Node {
            try engine(range) { () throws(BackpropError) in try tape.constant(tensor.scalars[index]) }
        }
        switch selector {
        case .whole:
            return try engine(range) { () throws(BackpropError) in try tape.constant(tensor) }
        case .element(let index):
            guard shape.rank <= 1 else { throw .indexOutOfRange("one index into \(shape)") }
            guard index >= 1, index <= shape.count else { throw .indexOutOfRange("\(index) of \(shape)") }
            return try scalar(index - 1)
        case .entry(let row, let column):
            guard shape.rank == 2, (1...shape.rows).contains(row), (1...shape.columns).contains(column) else {
                throw .indexOutOfRange("(\(row), \(column)) of \(shape)")
            }
            return try scalar((row - 1) * shape.columns + column - 1)
        case .column, .row, .elements, .columnPart, .rowPart:
            let whole = try engine(range) { () throws(BackpropError) in try tape.constant(tensor) }
            return try apply(selector, to: whole, range: range)
        }
    }

    // MARK: Symbols

    /// Which part of a quantity an indexed symbol names.
    enum Selector: Equatable {
        case whole
        case element(Int)
        case entry(Int, Int)
        case column(Int)
        case row(Int)
        /// Over a vectorized sum index: a run of a vector's elements.
        case elements(ClosedRange<Int>)
        /// Over a vectorized sum index: part of one column (`W_{m,j}`) or one row (`W_{j,m}`).
        case columnPart(rows: ClosedRange<Int>, column: Int)
        case rowPart(row: Int, columns: ClosedRange<Int>)

        /// The same elements of a vector counted from 0 (`\theta_0, \theta_1, …`): one place on.
        var fromZero: Selector {
            switch self {
            case .element(let index): .element(index + 1)
            case .elements(let run): .elements((run.lowerBound + 1)...(run.upperBound + 1))
            default: self
            }
        }
    }

    struct Located {
        /// The quantity a derivative replaces with a leaf.
        var instance: Instance
        var base: Node
        var selector: Selector
    }

    /// A bare `e` that the note does not define is Euler's number.
    func isEulersNumber(_ expression: MathExpression, _ context: Context) -> Bool {
        guard let symbol = expression.symbol, symbol.name == "e", symbol.indices.isEmpty, symbol.label == nil,
              symbol.decorations.isEmpty, symbol.style == .normal else { return false }
        return context.locals[symbol.key] == nil && !scope.isBound(symbol.key)
    }

    /// What a symbol written at one place always is: its keys and its network role.
    struct SymbolFacts {
        var baseKey: String
        var familyLabelKey: String
        var role: NetworkModel.Role?
    }

    func facts(_ symbol: MathSymbol, _ range: SourceRange) -> SymbolFacts {
        // Symbols of the note are told apart by where they stand; generated ones are not cached.
        let cacheable = range.path != Self.mathText
        let place = range.start.offset &* 1_000_003 &+ range.end.offset
        if cacheable, let known = symbolFacts[place] { return known }
        let base = symbol.baseKey
        let known = SymbolFacts(baseKey: base, familyLabelKey: symbol.label == nil ? base : symbol.familyLabelKey,
                                role: scope.network?.role(ofBaseKey: base))
        if cacheable { symbolFacts[place] = known }
        return known
    }

    func evaluate(symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let vector = context.vector else { return try evaluateOne(symbol: symbol, range: range, context) }
        // The sum's index used as a value (`m`, `m + 1`) is not elementwise work.
        if symbol.indices.isEmpty, symbol.label == nil, symbol.name == vector.name { throw .notVectorizable }
        let value = try evaluateOne(symbol: symbol, range: range, context)
        let indexed = symbol.indices.contains { $0.symbol?.name == vector.name && $0.symbol?.indices.isEmpty == true }
        // Anything not indexed by the sum's index must be a number, or elementwise products would mean something else.
        if !indexed, !value.shape.isScalar { throw .notVectorizable }
        return value
    }

    private func evaluateOne(symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if !context.locals.isEmpty, let local = context.locals[symbol.key] { return local }
        if symbol.name == "e", isEulersNumber(MathExpression(.symbol(symbol), range: range), context) {
            return try engine(range) { () throws(BackpropError) in try tape.constant(M_E) }
        }
        if symbol.indices.isEmpty, symbol.label == nil, let index = context.indices[symbol.name] {
            return try engine(range) { () throws(BackpropError) in try tape.constant(Double(index)) }
        }
        if let integer = try networkInteger(symbol, range: range, context) {
            return try engine(range) { () throws(BackpropError) in try tape.constant(Double(integer)) }
        }
        let located = try locate(symbol, range: range, context)
        return try apply(located.selector, to: located.base, range: range)
    }

    func apply(_ selector: Selector, to node: Node, range: SourceRange) throws(EvaluationError) -> Node {
        try engine(range) { () throws(BackpropError) in
            switch selector {
            case .whole: return node
            case .element(let index):
                guard node.shape.rank == 1 || node.shape.rank == 0 else { throw .indexOutOfRange("one index into \(node.shape)") }
                guard index >= 1, index <= node.shape.count else { throw .indexOutOfRange("\(index) of \(node.shape)") }
                return node.shape.isScalar ? node : try node[index - 1]
            case .entry(let row, let column):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("two indices into \(node.shape)") }
                return try node[row - 1, column - 1]
            case .column(let column):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("a column of \(node.shape)") }
                return try node.column(column - 1)
            case .row(let row):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("a row of \(node.shape)") }
                return try node.row(row - 1)
            case .elements(let run):
                guard node.shape.rank == 1, run.lowerBound >= 1, run.upperBound <= node.shape.count else {
                    throw .indexOutOfRange("\(run) of \(node.shape)")
                }
                return try node.slice((run.lowerBound - 1)..<run.upperBound)
            case .columnPart(let rows, let column):
                guard node.shape.rank == 2, rows.lowerBound >= 1, rows.upperBound <= node.shape.rows else {
                    throw .indexOutOfRange("rows \(rows) of \(node.shape)")
                }
                return try node.column(column - 1).slice((rows.lowerBound - 1)..<rows.upperBound)
            case .rowPart(let row, let columns):
                guard node.shape.rank == 2, columns.lowerBound >= 1, columns.upperBound <= node.shape.columns else {
                    throw .indexOutOfRange("columns \(columns) of \(node.shape)")
                }
                return try node.row(row - 1).slice((columns.lowerBound - 1)..<columns.upperBound)
            }
        }
    }

    /// `L` (the number of layers) and `n_i` (widths) are whole numbers of the network.
    private func networkInteger(_ symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Int? {
        guard let network = scope.network, symbol.label == nil else { return nil }
        switch facts(symbol, range).role {
        case .layers where symbol.indices.isEmpty:
            return network.layerCount
        case .widths where symbol.indices.count == 1:
            let layer = try integer(symbol.indices[0], context)
            guard network.widths.indices.contains(layer) else { throw .indexOutOfRange("width of layer \(layer)") }
            return network.widths[layer]
        default:
            return nil
        }
    }

    /// Finds the quantity a symbol names and the part of it the indices select.
    func locate(_ symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Located {
        let known = facts(symbol, range)
        let family = known.familyLabelKey
        if let network = scope.network, symbol.label == nil, let role = known.role {
            if let located = try locateInNetwork(symbol, role: role, network: network, range: range, context) {
                return located
            }
        }
        // An indexed definition `p_i = …` (as a family) applies to `p_j`, `p_3`, …; further
        // indices select from the member: `δ_{ij}` is entry j of `δ_i`.
        if !symbol.indices.isEmpty, let definition = scope.families[family],
           definition.indexParameters.count <= symbol.indices.count,
           symbol.indices.count <= definition.indexParameters.count + 2 {
            let parameterCount = definition.indexParameters.count
            var values: [Int] = []
            for index in symbol.indices.prefix(parameterCount) { values.append(try integer(index, context)) }
            if parameterCount == 1, isRecurrence(family, definition), values[0] < (analysis.zeroBased.contains(family) ? 0 : 1) {
                // `h_t = f(x_t, h_{t-1})` at t = 1 needs h_0, which the recurrence does not give: the
                // state it starts from, an input like any the note leaves free.
                guard allowsFreeSymbols else { throw .unbound(family) }
                let key = family + "[\(values[0])]"
                let instance = Instance.free(key)
                let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                    try leaf(named: key, shape: .scalar, range: range)
                }
                return Located(instance: instance, base: node, selector: .whole)
            }
            let instance = Instance.definition(family, values)
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                inner.overrides = context.overrides
                inner.signature = context.signature
                // A definition's sums count with the sums it is used in.
                inner.enclosingTerms = context.enclosingTerms
                for (parameter, value) in zip(definition.indexParameters, values) { inner.indices[parameter] = value }
                return try evaluate(definition.body, inner)
            }
            let rest = Array(symbol.indices.dropFirst(parameterCount))
            guard !rest.isEmpty else { return Located(instance: instance, base: node, selector: .whole) }
            guard node.shape.rank >= rest.count, !node.shape.isScalar else {
                throw .indexOutOfRange("\(rest.count) more indices into \(node.shape)")
            }
            return Located(instance: instance, base: node, selector: try selector(rest, context))
        }
        let key = try concreteKey(symbol, family: family, context)
        if let function = functionAtItsParameters(symbol, key: key, context) {
            // `\frac{\partial f}{\partial y}` after `f(x, y) = x y`: f at its own parameters (`h_\theta` too),
            // once for each value of the indices in force (`h_\theta(x^{(i)})` under a sum over i).
            let indexValues = context.indices.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let instance = Instance.symbol(indexValues.isEmpty ? key : key + "@" + indexValues.joined(separator: ","))
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                inner.overrides = context.overrides
                inner.signature = context.signature
                // Parameters with an index (`h_\theta(x^{(i)})`) take the step's value of it; in a
                // step that fixes no such index, `h_\theta` is `h_\theta(x)`, at the plain letter.
                inner.indices = context.indices
                for parameter in function.parameterSymbols where !parameter.indices.isEmpty {
                    let free = analysis.indexVariables(in: MathExpression(.symbol(parameter), range: range))
                    guard !free.isEmpty, free.contains(where: { context.indices[$0] == nil }) else { continue }
                    var plain = parameter
                    plain.indices = []
                    // A place of its own: the facts cached for `range` are those of `h_\theta`.
                    let place = SourceRange(at: SourceLocation(path: Self.mathText, line: 1, column: 1, offset: 0))
                    inner.locals[parameter.key] = try evaluate(symbol: plain, range: place, context)
                }
                return try evaluate(function.body, inner)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        if let definition = scope.symbols[key] {
            let instance = Instance.symbol(key)
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                inner.overrides = context.overrides
                inner.signature = context.signature
                // A definition's sums count with the sums it is used in.
                inner.enclosingTerms = context.enclosingTerms
                return try evaluate(definition.body, inner)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        if let literal = scope.literals[key] {
            let instance = Instance.symbol(key)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try engine(range) { () throws(BackpropError) in try tape.variable(literal) }
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        // A family whose members are defined one by one (`y_1 = …`, `y_2 = …`) has no other
        // members: an unbounded sum over it stops at the first undefined one.
        if context.endsAtUndefinedMembers, !symbol.indices.isEmpty, scope.memberFamilies.contains(family) {
            throw .indexOutOfRange("\(key) is not defined")
        }
        if symbol.name == "\\delta", symbol.indices.count == 2, symbol.label == nil, scope.families[family] == nil,
           !scope.memberFamilies.contains(family) {
            // δ_{ij} that the note never defines: Kronecker's delta.
            let i = try integer(symbol.indices[0], context)
            let j = try integer(symbol.indices[1], context)
            return Located(instance: .symbol(key), base: try engine(range) { () throws(BackpropError) in try tape.constant(i == j ? 1 : 0) },
                           selector: .whole)
        }
        if symbol.indices.isEmpty, context.bareFamiliesAreWhole, let shape = analysis.arrayShapes[family], shape.rank == 1,
           scope.symbols[key] == nil, scope.literals[key] == nil, scope.families[family] == nil, context.locals[symbol.key] == nil {
            guard allowsFreeSymbols else { throw .unbound(family) }
            let instance = Instance.free(family)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: family, shape: shape, range: range)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        // A free array family: one drawn tensor, its elements selected (inline math, which
        // only checks what the note has bound, never draws one).
        if let shape = analysis.arrayShapes[family], !symbol.indices.isEmpty {
            guard allowsFreeSymbols else { throw .unbound(family) }
            let instance = Instance.free(family)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: family, shape: shape, range: range)
            }
            let chosen = try selector(symbol.indices, context)
            return Located(instance: instance, base: node, selector: analysis.zeroBased.contains(family) ? chosen.fromZero : chosen)
        }
        if symbol.indices.isEmpty, analysis.sizeNames.contains(key), context.indices[symbol.name] == nil {
            // A size the note never gives a number: a small whole number, the same all through the note.
            let instance = Instance.free(key)
            let size = Tensor(Double(draws.size(for: key)))
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: key, tensor: size, range: range)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        guard allowsFreeSymbols else { throw .unbound(key) }
        // `W_{i+1,*,j}` of a family nbrun draws no array for: a run of entries, never one number.
        if symbol.indices.contains(where: \.isWildcard) { throw .unsupported(VerifyMessages.wildcardOfNoArray, range) }
        let instance = Instance.free(key)
        let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
            try leaf(named: key, shape: .scalar, range: range)
        }
        return Located(instance: instance, base: node, selector: .whole)
    }

    /// `W_i`, `W_{i,m,j}`, `W_{i,*,j}`, `a_i`, `a_{ij}`, `h_0`, `x`, `y`, `\hat y`, `\mathcal{L}`.
    private func locateInNetwork(_ symbol: MathSymbol, role: NetworkModel.Role, network: NetworkModel,
                                 range: SourceRange, _ context: Context) throws(EvaluationError) -> Located? {
        switch role {
        case .weights, .biases, .preActivations, .activations:
            guard let first = symbol.indices.first, let layers = network.layers(of: role) else { return nil }
            let layer = try integer(first, context)
            guard layers.contains(layer) else { throw .indexOutOfRange("layer \(layer) of \(role.rawValue)") }
            let instance = Instance.network(role, layer)
            let node = try networkQuantity(role, layer: layer, network: network, range: range, context)
            return Located(instance: instance, base: node, selector: try selector(Array(symbol.indices.dropFirst()), context))
        case .input, .target, .prediction, .loss:
            let node = try networkQuantity(role, layer: network.layerCount, network: network, range: range, context)
            let instance: Instance = switch role {
            case .input: .network(.activations, 0)
            case .prediction: .network(.activations, network.layerCount)
            default: .network(role, 0)
            }
            return Located(instance: instance, base: node, selector: try selector(symbol.indices, context))
        case .activation, .layers, .widths:
            return nil
        }
    }

    private func networkQuantity(_ role: NetworkModel.Role, layer: Int, network: NetworkModel,
                                 range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        // x is h_0 and ŷ is h_L: the same quantities, so a derivative through either name sees both.
        if role == .input { return try networkQuantity(.activations, layer: 0, network: network, range: range, context) }
        if role == .prediction {
            return try networkQuantity(.activations, layer: network.layerCount, network: network, range: range, context)
        }
        let instance: Instance = role == .target || role == .loss ? .network(role, 0) : .network(role, layer)

        return try quantity(instance, context, range: range, isLeaf: role.isDrawn(layer: layer)) { () throws(EvaluationError) in
            switch role {
            case .weights:
                let shape = Shape.matrix(rows: network.widths[layer], columns: network.widths[layer - 1])
                let scale = 1 / Double(network.widths[layer - 1]).squareRoot()
                let drawn = draws.tensor(for: "network \(network.seed) W\(layer)", shape: shape, scale: scale)
                return try leaf(named: "W_\(layer)", tensor: drawn, range: range)
            case .biases:
                let drawn = draws.tensor(for: "network \(network.seed) b\(layer)", shape: .vector(network.widths[layer]), scale: 0.5)
                return try leaf(named: "b_\(layer)", tensor: drawn, range: range)
            case .preActivations:
                let weights = try networkQuantity(.weights, layer: layer, network: network, range: range, context)
                let previous = try networkQuantity(.activations, layer: layer - 1, network: network, range: range, context)
                let biases = try networkQuantity(.biases, layer: layer, network: network, range: range, context)
                return try engine(range) { () throws(BackpropError) in try weights.matmul(previous) + biases }
            case .activations:
                if layer == 0 {
                    if let input = network.input {
                        let tensor = (try? Tensor(vector: input)) ?? Tensor(0)
                        return try leaf(named: "x", tensor: tensor, range: range)
                    }
                    let drawn = draws.tensor(for: "network \(network.seed) x", shape: .vector(network.widths[0]))
                    return try leaf(named: "x", tensor: drawn, range: range)
                }
                let pre = try networkQuantity(.preActivations, layer: layer, network: network, range: range, context)
                let name = network.activationName(ofLayer: layer)
                return try engine(range) { () throws(BackpropError) in try NetworkFunctions.activate(name, pre) }
            case .target:
                let count = network.widths[network.layerCount]
                if let target = network.target {
                    return try leaf(named: "y", tensor: (try? Tensor(vector: target)) ?? Tensor(0), range: range)
                }
                let drawn = network.targetIsOneHot
                    ? draws.oneHot(for: "network \(network.seed) y", count: count)
                    : draws.tensor(for: "network \(network.seed) y", shape: .vector(count))
                return try leaf(named: "y", tensor: drawn, range: range)
            case .loss:
                let last = network.layerCount
                let pre = try networkQuantity(.preActivations, layer: last, network: network, range: range, context)
                let output = try networkQuantity(.activations, layer: last, network: network, range: range, context)
                let target = try networkQuantity(.target, layer: last, network: network, range: range, context)
                return try engine(range) { () throws(BackpropError) in
                    try NetworkFunctions.loss(network.loss, outputActivation: network.output, preActivation: pre, output: output, target: target)
                }
            case .activation, .layers, .widths, .input, .prediction:
                throw .unsupported(VerifyMessages.notAQuantity(role.rawValue), range)
            }
        }
    }

    /// The indices after the first, as a selector: `m, j` → entry, `*, j` → column.
    private func selector(_ indices: [MathExpression], _ context: Context) throws(EvaluationError) -> Selector {
        if let vector = context.vector {
            let run = vector.low...vector.high
            let isRun = indices.map { $0.symbol?.name == vector.name && $0.symbol?.indices.isEmpty == true }
            switch (indices.count, isRun) {
            case (1, [true]): return .elements(run)
            case (2, [true, false]) where !indices[1].isWildcard: return .columnPart(rows: run, column: try integer(indices[1], context))
            case (2, [false, true]) where !indices[0].isWildcard: return .rowPart(row: try integer(indices[0], context), columns: run)
            case (_, let flags) where flags.contains(true): throw .notVectorizable
            default: break
            }
        }
        switch indices.count {
        case 0: return .whole
        case 1: return .element(try integer(indices[0], context))
        case 2:
            let rowIsWild = indices[0].isWildcard
            let columnIsWild = indices[1].isWildcard
            if rowIsWild, !columnIsWild { return .column(try integer(indices[1], context)) }
            if columnIsWild, !rowIsWild { return .row(try integer(indices[0], context)) }
            return .entry(try integer(indices[0], context), try integer(indices[1], context))
        default:
            throw .indexOutOfRange("\(indices.count) indices")
        }
    }

    /// `w_{11}^2` with index values substituted: `w^{2}[1,1]`.
    func concreteKey(_ symbol: MathSymbol, family: String, _ context: Context) throws(EvaluationError) -> String {
        guard !symbol.indices.isEmpty else { return family }
        var parts: [String] = []
        for index in symbol.indices {
            if index.isWildcard {
                parts.append("*")
            } else if let name = index.symbol?.name, index.symbol?.indices.isEmpty == true,
                      context.indices[name] == nil, !analysis.indexNames.contains(name), index.symbol?.label == nil {
                // A letter that is part of the name: `h_a`, `x_{out}`.
                parts.append(name)
            } else {
                parts.append(String(try integer(index, context)))
            }
        }
        return family + "[" + parts.joined(separator: ",") + "]"
    }

    /// Memoized evaluation of one quantity, honouring derivative overrides and catching cycles.
    /// A quantity of this draw, computed once per signature (the set of quantities a
    /// derivative replaced by leaves). A leaf — a drawn input, a weight, a literal —
    /// is the same under every signature, so it is drawn and recorded once per draw.
    func quantity(_ instance: Instance, _ context: Context, range: SourceRange, isLeaf: Bool = false,
                  _ compute: () throws(EvaluationError) -> Node) throws(EvaluationError) -> Node {
        if let override = context.overrides[instance] { return override }
        let key = MemoKey(signature: isLeaf ? "" : context.signature, instance: instance)
        if let known = memo[key] { return known }
        guard !inProgress.contains(key) else {
            throw .cycle(VerifyMessages.cycle(instance.description), range)
        }
        inProgress.insert(key)
        defer { inProgress.remove(key) }
        let node = try compute()
        memo[key] = node
        return node
    }

    private func leaf(named name: String, shape: Shape, range: SourceRange) throws(EvaluationError) -> Node {
        // Checked before drawing: a drawn array is allocated whole.
        guard shape.rows.multipliedReportingOverflow(by: shape.columns).partialValue <= limits.maxArrayElements,
              !shape.rows.multipliedReportingOverflow(by: shape.columns).overflow else {
            throw .limit(VerifyMessages.arrayTooLarge(shape, limit: limits.maxArrayElements), range)
        }
        let tensor: Tensor
        if scope.oneHot.contains(name), shape.rank == 1 {
            tensor = draws.oneHot(for: name, count: shape.count)
        } else {
            tensor = shape.isScalar ? Tensor(draws.scalar(for: name)) : draws.tensor(for: name, shape: shape)
        }
        return try leaf(named: name, tensor: tensor, range: range)
    }

    private func leaf(named name: String, tensor: Tensor, range: SourceRange) throws(EvaluationError) -> Node {
        inputs.append((name, tensor))
        return try engine(range) { () throws(BackpropError) in try tape.variable(tensor) }
    }
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
}

extension Evaluator.Place {
    /// Where `range` stands in its file.
    init(_ range: SourceRange) {
        self.init(start: range.start.offset, end: range.end.offset)
    }
}
