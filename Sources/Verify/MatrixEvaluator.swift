import Backprop
import Diagnostics
import MathSyntax

/// Why a matrix expression has no value.
enum MatrixError: Error, Sendable {
    /// The shapes of an operation do not fit: a wrong step, said in the note's terms.
    case shapes(String, SourceRange)
    /// Something the matrix checker does not read; the step stays unchecked with this reason.
    case unsupported(String)
    /// The engine refused (a logarithm of a negative number, …): unchecked.
    case engine(String)
    /// A resource limit (an array too large, the note's time): an error at the step.
    case limit(String)
}

/// Evaluates math whose symbols are whole vectors and matrices, on one draw's tape, with the
/// engine's matrix operations: products, transposes, Hadamard products, `\operatorname{diag}`,
/// traces, norms, element-wise functions, softmax, and derivatives by reverse mode (gradients
/// of scalars, Jacobians of vectors).
///
/// Definitions are followed as written where they are used; a derivative `∂A/∂B` replaces B by
/// a leaf holding its value, as the scalar evaluator does, so what B is computed from stays fixed.
///
/// ```swift
/// let evaluator = MatrixEvaluator(scope: scope, shapes: shapes, draws: draws)
/// let value = try evaluator.evaluate(expression).value   // a Tensor
/// ```
final class MatrixEvaluator {
    let tape: Tape
    let scope: Scope
    let shapes: MatrixShapes
    let draws: Draws
    /// Jacobians as ∂yᵢ/∂xⱼ in row i, column j (numerator layout), or the transpose.
    let denominatorLayout: Bool
    /// Values standing for symbols: a derivative's leaf, a function's parameters.
    private var overrides: [String: Node] = [:]
    private var memo: [String: Node] = [:]
    /// Drawn inputs, kept when `memo` is forgotten: the same values for both sides and every index,
    /// and a 256×784 matrix drawn once per draw rather than once per side.
    private var drawn: [String: Node] = [:]
    private var depth = 0
    private var differentiating = 0
    /// How many `⊙` the expression being evaluated is an operand of: there a square is entry by entry.
    private var insideHadamard = 0
    /// The free inputs drawn, with their values, for the report.
    private(set) var inputs: [(String, Tensor)] = []
    /// Inputs whose shape only their style gave (bold, never declared nor tied to anything), by name.
    private(set) var guessed: Set<String> = []
    /// Derivatives written in the claim with their values, for the report.
    private(set) var computed: [(String, Tensor)] = []
    /// Functions the note never defines that were drawn (`\phi`), by base key.
    var arbitraryFunctions: Set<String> = []

    /// Forgets the values of definitions computed so far, so that what the next side uses is
    /// seen again (a drawn function used through a definition on both sides).
    func forgetValues() {
        memo = [:]
    }

    /// Whether a symbol names a vector, a matrix or a definition: `X(Xw - y)` is then a product.
    private func shapesName(_ symbol: MathSymbol) -> Bool {
        shapes.shape(of: symbol.key) != nil || VerifierRun.literalKey(symbol).map({ scope.symbols[$0] != nil || scope.literals[$0] != nil }) == true
    }

    /// The largest array a drawn input, a constant or a Jacobian may be (`limits.maxArrayElements`).
    var maxElements = 1 << 24
    /// When the note's time runs out; checked before each draw of an input.
    var deadline = ContinuousClock.now + .seconds(30)

    /// `tape` is emptied first: one tape serves the draws of every claim, so the pages of large
    /// matrices are touched once per note rather than once per draw.
    init(scope: Scope, shapes: MatrixShapes, draws: Draws, denominatorLayout: Bool = false, tape: Tape = Tape()) {
        tape.removeAll()
        self.tape = tape
        self.scope = scope
        self.shapes = shapes
        self.draws = draws
        self.denominatorLayout = denominatorLayout
    }

    func evaluate(_ expression: MathExpression) throws(MatrixError) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw .unsupported("definitions nested too deep") }
        switch expression.kind {
        case .number(let text):
            guard let value = Double(text) else { throw .unsupported("the number \(text)") }
            return try engine { () throws(BackpropError) in try tape.constant(value) }
        case .symbol(let symbol):
            return try evaluate(symbol: symbol, at: expression)
        case .negation(let inner):
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try -value }
        case .positive(let inner), .group(let inner, .parenthesis), .group(let inner, .square):
            return try evaluate(inner)
        case .binary(let op, let a, let b):
            return try binary(op, a, b, at: expression)
        case .transpose(let inner):
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try value.transpose() }
        case .prime(let inner, 1) where inner.symbol.map({ shapes.shape(of: $0.key).map { !$0.isScalar } ?? false }) == true:
            // `\mathbf{X}'`, a prime on a vector or matrix (not applied as a function): its transpose.
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try value.transpose() }
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            return try power(base, exponent)
        case .norm(let inner):
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try value.norm(.l2) }
        case .subscripted(let base, let index):
            guard case .norm(let inner) = base.kind else { throw .unsupported("\(expression.plain)") }
            let value = try evaluate(inner)
            let which = index.plain
            // ‖A‖₂ of a matrix is its largest singular value, not the root of its squared entries.
            guard which == "F" || (which == "2" && value.shape.columns == 1) else { throw .unsupported("the norm \(expression.plain)") }
            return try engine { () throws(BackpropError) in try value.norm(.l2) }
        case .root(let inner, nil):
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try scalarized(value).sqrt() }
        case .absolute(let inner):
            let value = try evaluate(inner)
            return try engine { () throws(BackpropError) in try value.abs() }
        case .call(let call):
            return try evaluate(call: call)
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            return try evaluate(application: function, arguments, at: expression)
        case .derivative(let derivative):
            guard let operand = derivative.operand, derivative.variables.count == 1, derivative.order == 1 else {
                throw .unsupported("a derivative of order above one")
            }
            return try differentiate(operand, by: derivative.variables[0], written: expression)
        case .nabla(let variable, let operand):
            guard let variable, let operand else { throw .unsupported("∇ without a variable") }
            return try differentiate(operand, by: variable, written: expression)
        case .matrix(let matrix):
            return try evaluate(matrix: matrix, at: expression.range)
        case .bigOperator(let sum) where sum.operation == .sum:
            return try evaluate(sum: sum, at: expression)
        default:
            throw .unsupported(expression.plain)
        }
    }

    // MARK: Symbols

    private func evaluate(symbol: MathSymbol, at expression: MathExpression) throws(MatrixError) -> Node {
        if let (whole, letters) = entry(symbol) {
            let value = try evaluate(symbol: whole, at: MathExpression(.symbol(whole), range: expression.range))
            let (row, column) = try position(letters, in: value.shape, of: whole, at: expression)
            return try engine { () throws(BackpropError) in
                try (value.shape.rank == 1 ? value.slice(row..<(row + 1)) : value.slice(rows: row..<(row + 1), columns: column..<(column + 1))).sum()
            }
        }
        guard MatrixShapes.isWhole(symbol), let key = VerifierRun.literalKey(symbol) else {
            throw .unsupported("the entry \(expression.plain)")
        }
        if let node = overrides[key] { return node }
        if let node = memo[key] { return node }
        let node: Node
        if let size = shapes.sizeValue(of: symbol.key) {
            // Before a value the note gives (`nb: let N = 6`): the two agree, and the size is what shapes use.
            node = try engine { () throws(BackpropError) in try tape.constant(Double(size)) }
        } else if let literal = scope.literals[key] {
            node = try engine { () throws(BackpropError) in try tape.constant(literal) }
        } else if let definition = scope.symbols[key] {
            node = try evaluate(definition.body)
        } else if let shape = shapes.shape(of: symbol.key) {
            if let known = drawn[key] { return known }
            try allow(shape)
            var value = draws.tensor(for: key, shape: shape)
            if shapes.symmetric.contains(symbol.key), shape.rank == 2, shape.rows == shape.columns {
                // Symmetric as the prose says: the mean of the draw and its transpose.
                let n = shape.rows, drawn = value.scalars
                let scalars = (0..<(n * n)).map { (drawn[$0] + drawn[($0 % n) * n + $0 / n]) / 2 }
                if let symmetric = try? Tensor(shape: shape, scalars: scalars) { value = symmetric }
            }
            inputs.append((expression.plain, value))
            if shapes.isGuessed(symbol.key) { guessed.insert(expression.plain) }
            node = try engine { () throws(BackpropError) in try tape.constant(value) }
            drawn[key] = node
        } else if MatrixShapes.isIdentity(symbol) || MatrixShapes.isOnes(symbol) || MatrixShapes.isZeros(symbol) {
            guard let shape = shapes.placedShape(at: expression.range.start.offset) else { throw .unsupported("the size of \(expression.plain)") }
            try allow(shape.rank == 2 ? shape : .matrix(rows: shape.rows, columns: 1))
            let n = shape.rows
            let scalars = MatrixShapes.isIdentity(symbol) ? (0..<(n * n)).map { $0 / n == $0 % n ? 1.0 : 0.0 }
                : [Double](repeating: MatrixShapes.isOnes(symbol) ? 1 : 0, count: n)
            return try engine { () throws(BackpropError) in try tape.constant(Tensor(shape: shape, scalars: scalars)) }
        } else if symbol.indices.isEmpty, let function = scope.functions[symbol.baseKey] {
            // `\frac{\partial f}{\partial x_i}` after `f(x) = …`: f at the note's own arguments.
            node = try evaluate(function.body)
        } else if symbol.name == "e", symbol.style == .normal, symbol.decorations.isEmpty {
            node = try engine { () throws(BackpropError) in try tape.constant(M_E_value) }
        } else if scope.network?.role(ofBaseKey: symbol.baseKey) != nil || scope.families[symbol.familyLabelKey] != nil {
            throw .unsupported("\(expression.plain) is a quantity of the network or an indexed family")
        } else {
            let value = draws.scalar(for: key)
            inputs.append((expression.plain, Tensor(value)))
            node = try engine { () throws(BackpropError) in try tape.constant(value) }
        }
        memo[key] = node
        return node
    }

    // MARK: Entries

    /// Values of the free indices of a per-entry claim (`i`, `j` in `∂L/∂W_{ij} = δ_i x_j`), from 0.
    var indexValues: [String: Int] = [:]
    /// How many values each free index takes: the length of what it indexes.
    private(set) var indexSizes: [String: Int] = [:]
    /// Where each free index was first used, for a message when another use disagrees.
    private var indexUses: [String: String] = [:]

    /// `W_{ij}`, `\delta_i`, `x_j`: an entry of a whole vector or matrix the note has (declared or
    /// defined whole), with letters as indices. Only of the same letter: a bold symbol with a letter
    /// (`\mathbf{h}_t`) is a name, and a plain `x_t` beside a bold `\mathbf{x}` is as often a sequence
    /// of numbers (d2l's RNN chapter) as an entry.
    private func entry(_ symbol: MathSymbol) -> (whole: MathSymbol, letters: [String])? {
        Self.entry(symbol, shapes: shapes, scope: scope) { overrides[$0] != nil }
    }

    /// The whole vector or matrix `symbol` is an entry of, and its index letters; `isBound` says
    /// which other keys have a value (a function's parameters).
    static func entry(_ symbol: MathSymbol, shapes: MatrixShapes, scope: Scope,
                      isBound: (String) -> Bool = { _ in false }) -> (whole: MathSymbol, letters: [String])? {
        guard !symbol.indices.isEmpty, symbol.indices.count <= 2, !MatrixNotation.isWrittenWhole(symbol) else { return nil }
        var letters: [String] = []
        for index in symbol.indices {
            guard let letter = index.symbol, letter.indices.isEmpty, letter.style == .normal, letter.decorations.isEmpty,
                  letter.label == nil, shapes.sizeValue(of: letter.key) == nil else { return nil }
            letters.append(letter.key)
        }
        guard Set(letters).count == letters.count else { return nil }   // `A_{ii}`: a diagonal, not read
        var whole = symbol
        whole.indices = []
        guard let key = VerifierRun.literalKey(whole),
              shapes.shape(of: whole.key) != nil || scope.symbols[key] != nil || isBound(key) else { return nil }
        return (whole, letters)
    }

    /// The row and column an entry's letters pick at their current values; each letter's range is
    /// the length it indexes, the same wherever it is used (else the indices do not fit: a failed step).
    private func position(_ letters: [String], in shape: Shape, of whole: MathSymbol, at expression: MathExpression) throws(MatrixError) -> (Int, Int) {
        // `Y_i` of a 1×m row (labels, one per example) or an m×1 column: entry i along its length.
        if letters.count == 1, shape.rank == 2, shape.rows == 1 || shape.columns == 1 {
            let length = max(shape.rows, shape.columns)
            let (index, _) = try position(letters, in: .vector(length), of: whole, at: expression)
            return shape.rows == 1 ? (0, index) : (index, 0)
        }
        guard shape.rank == letters.count else {
            throw .unsupported("\(expression.plain), with \(letters.count) \(letters.count == 1 ? "index" : "indices"), of \(whole.name), which is \(MatrixMessages.shape(shape))")
        }
        let lengths = shape.rank == 1 ? [shape.rows] : [shape.rows, shape.columns]
        for (letter, length) in zip(letters, lengths) {
            if let known = indexSizes[letter], known != length {
                throw .shapes(MatrixMessages.indexRanges(letter, indexUses[letter] ?? letter, known, expression.plain, length), expression.range)
            }
            indexSizes[letter] = length
            if indexUses[letter] == nil { indexUses[letter] = expression.plain }
        }
        let values = letters.map { indexValues[$0] ?? 0 }
        guard zip(values, lengths).allSatisfy({ $0 < $1 }) else { throw .unsupported("an index beyond \(expression.plain)") }
        return (values[0], values.count > 1 ? values[1] : 0)
    }

    /// `\sum_i x_i`, `\sum_{i,j} A_{ij}^2`, `\sum_{j=1}^{n} W_{ij} x_j`: a sum over entries. Without
    /// bounds an index runs over the length it indexes (found by evaluating the body at 0); with
    /// bounds, from 1 to a number or a size the note names, and what it indexes must be that long.
    private func evaluate(sum: MathBigOperator, at expression: MathExpression) throws(MatrixError) -> Node {
        guard let body = sum.body, sum.excluded == nil, !sum.indices.isEmpty else { throw .unsupported(expression.plain) }
        var letters: [String] = []
        for index in sum.indices {
            guard let letter = index.symbol, letter.indices.isEmpty, letter.style == .normal, letter.decorations.isEmpty,
                  letter.label == nil, shapes.sizeValue(of: letter.key) == nil, !letters.contains(letter.key) else {
                throw .unsupported(expression.plain)
            }
            letters.append(letter.key)
        }
        // The sum's letters are its own: an outer index of the same name is put back afterwards.
        let saved = (indexValues, indexSizes, indexUses)
        defer {
            for letter in letters {
                indexValues[letter] = saved.0[letter]
                indexSizes[letter] = saved.1[letter]
                indexUses[letter] = saved.2[letter]
            }
        }
        for letter in letters {
            indexValues[letter] = 0
            indexSizes[letter] = nil
            indexUses[letter] = nil
        }
        if sum.lowerBound != nil || sum.upperBound != nil {
            guard letters.count == 1, let lower = sum.lowerBound, lower.plain == "1", let upper = sum.upperBound,
                  let count = Int(upper.plain) ?? upper.symbol.flatMap({ shapes.sizeValue(of: $0.key) }), count >= 1 else {
                throw .unsupported(expression.plain)
            }
            indexSizes[letters[0]] = count
            indexUses[letters[0]] = "the bounds of " + expression.plain
        }
        let first = try evaluate(body)
        let counts = letters.map { indexSizes[$0] }
        guard counts.allSatisfy({ $0 != nil }) else { throw .unsupported("\(expression.plain), whose index says nothing of how far it runs") }
        let sizes = counts.map { $0 ?? 1 }
        let terms = sizes.reduce(1, *)
        guard terms <= 4096 else { throw .unsupported("a sum of \(terms) terms") }
        var total = first
        for flat in 1..<terms {
            var rest = flat
            for (letter, size) in zip(letters, sizes).reversed() {
                indexValues[letter] = rest % size
                rest /= size
            }
            let term = try evaluate(body)
            let sum = total
            total = try engine { () throws(BackpropError) in
                sum.shape.count == 1 || term.shape.count == 1 ? try scalarized(sum) + scalarized(term) : try sum + term
            }
        }
        return total
    }

    // MARK: Operations

    private func binary(_ op: BinaryOperator, _ a: MathExpression, _ b: MathExpression, at expression: MathExpression) throws(MatrixError) -> Node {
        if op == .hadamard { insideHadamard += 1 }
        defer { if op == .hadamard { insideHadamard -= 1 } }
        let x = try evaluate(a), y = try evaluate(b)
        switch op {
        case .add, .subtract:
            let (p, q) = try broadcast(x, y, a, b, op == .add ? "sum" : "difference", at: expression)
            return try engine { () throws(BackpropError) in op == .add ? try p + q : try p - q }
        case .hadamard:
            guard x.shape.rows == y.shape.rows, x.shape.columns == y.shape.columns || x.shape.count == 1 || y.shape.count == 1 else {
                throw .shapes(MatrixMessages.elementwise(a.plain, x.shape, b.plain, y.shape, "⊙"), expression.range)
            }
            return try engine { () throws(BackpropError) in try scalarized(x) * scalarized(y) }
        case .asterisk where x.shape == y.shape && x.shape.count > 1 && x.shape.columns != y.shape.rows:
            // `W^{[2]T} dz^{[2]} * g'(z^{[1]})`: a star between two vectors (or matrices) of one shape that no
            // matrix product could join is element-wise, as in the course's notation and numpy.
            return try engine { () throws(BackpropError) in try x * y }
        case .implicitProduct, .cdot, .times, .asterisk:
            return try product(x, y, a, b, dot: op == .cdot, at: expression)
        case .outer:
            guard x.shape.rank == 1, y.shape.rank == 1 else { throw .unsupported("⊗ of \(MatrixMessages.shape(x.shape)) and \(MatrixMessages.shape(y.shape))") }
            return try engine { () throws(BackpropError) in try x.outer(y) }
        case .fraction, .slash:
            guard y.shape.count == 1 else { throw .unsupported("a division by \(b.plain), which is not a number") }
            return try engine { () throws(BackpropError) in try scalarized(x) / scalarized(y) }
        case .plusMinus:
            throw .unsupported("±")
        }
    }

    /// One-element values as numbers, so that `(x^T y) z` scales z.
    private func scalarized(_ node: Node) throws(BackpropError) -> Node {
        node.shape.count == 1 && !node.shape.isScalar ? try node.sum() : node
    }

    /// The two sides of a sum with a bias vector broadcast across a matrix: along its columns
    /// when the vector is as long as the matrix is tall, as a row when it is as long as it is wide.
    private func broadcast(_ x: Node, _ y: Node, _ a: MathExpression, _ b: MathExpression, _ what: String,
                           at expression: MathExpression) throws(MatrixError) -> (Node, Node) {
        let sx = x.shape, sy = y.shape
        if sx.count == 1 || sy.count == 1 {
            return try engine { () throws(BackpropError) in (try scalarized(x), try scalarized(y)) }
        }
        if sx.rows == sy.rows, sx.columns == sy.columns { return (x, y) }
        if sx.rank == 2, sy.rank == 1, sy.rows == sx.rows { return (x, y) }
        if sy.rank == 2, sx.rank == 1, sx.rows == sy.rows { return (x, y) }
        // `X W + b`: b added to every row.
        if sx.rank == 2, sy.rank == 1, sy.rows == sx.columns {
            return try engine { () throws(BackpropError) in (x, try ones(sx.rows).outer(y)) }
        }
        if sy.rank == 2, sx.rank == 1, sx.rows == sy.columns {
            return try engine { () throws(BackpropError) in (try ones(sy.rows).outer(x), y) }
        }
        throw .shapes(MatrixMessages.elementwise(a.plain, sx, b.plain, sy, what == "sum" ? "+" : "−"), expression.range)
    }

    private func ones(_ count: Int) throws(BackpropError) -> Node {
        try tape.constant(Tensor(shape: .vector(count), scalars: [Double](repeating: 1, count: count)))
    }

    private func identity(_ count: Int) throws(BackpropError) -> Node {
        try tape.constant(Tensor(shape: .matrix(rows: count, columns: count),
                                 scalars: (0..<(count * count)).map { $0 / count == $0 % count ? 1.0 : 0.0 }))
    }

    private func product(_ x: Node, _ y: Node, _ a: MathExpression, _ b: MathExpression, dot: Bool,
                         at expression: MathExpression) throws(MatrixError) -> Node {
        let sx = x.shape, sy = y.shape
        if sx.count == 1 || sy.count == 1 {
            return try engine { () throws(BackpropError) in try scalarized(x) * scalarized(y) }
        }
        // `u \cdot v` between two vectors is their dot product.
        if dot, sx.rank == 1, sy.rank == 1, sx.rows == sy.rows {
            return try engine { () throws(BackpropError) in try x.dot(y) }
        }
        guard sx.columns == sy.rows else {
            throw .shapes(MatrixMessages.product(a, sx, b, sy), expression.range)
        }
        return try engine { () throws(BackpropError) in
            let result = try x.matmul(y)
            return result.shape.count == 1 ? try result.sum() : result
        }
    }

    private func power(_ base: MathExpression, _ exponent: MathExpression) throws(MatrixError) -> Node {
        let value = try evaluate(base)
        if value.shape.count == 1 {
            let power = try evaluate(exponent)
            guard let p = power.scalar else { throw .unsupported("a power \(exponent.plain)") }
            return try engine { () throws(BackpropError) in
                let number = try scalarized(value)
                if p == p.rounded(), Swift.abs(p) <= 8 { return try number.power(p) }
                return try number.power(power)
            }
        }
        // `\odot (1 - (A^{[1]})^2)` of a matrix that is not square (a layer's activations, examples as
        // columns), beside an element-wise product: no matrix power exists, so it is the square of
        // each entry, as the course's code computes it.
        if exponent.plain == "2", insideHadamard > 0, value.shape.rank == 2, value.shape.rows != value.shape.columns {
            return try engine { () throws(BackpropError) in try value.squared() }
        }
        guard exponent.plain == "-1" else { throw .unsupported("a matrix raised to \(exponent.plain)") }
        // The inverse is computed outside the tape: a derivative through it would be missing a term.
        guard differentiating == 0 else { throw .unsupported("a derivative through a matrix inverse") }
        guard value.shape.rank == 2, value.shape.rows == value.shape.columns,
              let inverse = MatrixInverse.inverse(of: value.value) else {
            throw .unsupported("the inverse of \(base.plain), which is not an invertible square matrix")
        }
        return try engine { () throws(BackpropError) in try tape.constant(inverse) }
    }

    private func evaluate(call: MathCall) throws(MatrixError) -> Node {
        guard call.power == nil, call.subscriptExpression == nil, call.arguments.count == 1 else {
            throw .unsupported("\\\(call.name) as written")
        }
        let x = try evaluate(call.arguments[0])
        return try applyKnown(call.name, to: x)
    }

    /// Functions nbrun knows: element-wise ones, softmax, `\operatorname{diag}`, the trace.
    private func applyKnown(_ rawName: String, to x: Node) throws(MatrixError) -> Node {
        let name = rawName.lowercased().replacingOccurrences(of: "\\", with: "")
        return try engine { () throws(BackpropError) in
            switch name {
            case "exp": return try x.exp()
            case "log", "ln": return try x.log()
            case "tanh": return try x.tanh()
            case "sigma", "sigmoid", "σ": return try x.sigmoid()
            case "relu": return try x.relu()
            case "sqrt": return try x.sqrt()
            case "softmax": return try x.softmax()
            case "diag":
                if x.shape.rank == 1 { return try x.outer(ones(x.shape.rows)) * identity(x.shape.rows) }
                guard x.shape.rows == x.shape.columns else { throw BackpropError.shapeMismatch(operation: "diag", x.shape, x.shape) }
                return try (x * identity(x.shape.rows)).matmul(ones(x.shape.rows))
            case "tr", "trace":
                guard x.shape.rank == 2, x.shape.rows == x.shape.columns else { throw BackpropError.shapeMismatch(operation: "trace", x.shape, x.shape) }
                return try (x * identity(x.shape.rows)).sum()
            case "sum": return try x.sum()
            case "mean": return try x.mean()
            default: throw BackpropError.nonFiniteInput("unknown function \(rawName)")
            }
        }
    }

    private static let elementwise: Set<String> = ["exp", "log", "ln", "tanh", "sigma", "sigmoid", "σ", "relu", "sqrt"]

    private func evaluate(application function: MathExpression, _ arguments: [MathExpression],
                          at expression: MathExpression) throws(MatrixError) -> Node {
        var head = function, primes = 0
        if case .prime(let inner, let count) = function.kind { head = inner; primes = count }
        guard let symbol = head.symbol else { throw .unsupported(expression.plain) }
        // `\mathbf{X}'(\mathbf{X}\mathbf{w} - \mathbf{y})`: a primed matrix before brackets is its transpose times them.
        if primes == 1, arguments.count == 1, scope.functions[symbol.baseKey] == nil,
           shapes.shape(of: symbol.key).map({ !$0.isScalar }) == true {
            let transposed = MathExpression(.transpose(head), range: function.range)
            let operand = MathExpression(.group(arguments[0], .parenthesis), range: arguments[0].range)
            return try evaluate(MathExpression(.binary(.implicitProduct, transposed, operand), range: expression.range))
        }
        if primes == 0, arguments.count == 2, Self.isChainProduct(symbol), scope.functions[symbol.baseKey] == nil {
            return try chainProduct(arguments[0], arguments[1], written: expression)
        }
        if let definition = scope.functions[symbol.baseKey] {
            guard definition.parameters.count == arguments.count else { throw .unsupported(expression.plain) }
            var values: [Node] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            if primes == 0 { return try call(definition, values) }
            guard primes == 1, values.count == 1 else { throw .unsupported(expression.plain) }
            // f'(z) element by element: the gradient of Σ f(z) with z at a leaf.
            let point = try engine { () throws(BackpropError) in try tape.variable(values[0].value) }
            let value = try call(definition, [point])
            return try engine { () throws(BackpropError) in
                let total = value.shape.isScalar ? value : try value.sum()
                return try tape.constant(try tape.gradient(of: total, withRespectTo: [point])[0])
            }
        }
        // `\phi(\mathbf{z})`, `f(\mathbf{z})`: a one-letter function the note never defines is any smooth
        // function, entry by entry, drawn as the scalar checker draws it.
        if arguments.count == 1, primes <= 1, Evaluator.isArbitraryFunctionName(symbol), !shapesName(symbol) {
            arbitraryFunctions.insert(symbol.baseKey)
            let x = try evaluate(arguments[0])
            let function = DrawnFunction(named: symbol.baseKey, draws: draws)
            return try engine { () throws(BackpropError) in
                if primes == 0 { return try function(x) }
                let point = try tape.variable(x.value)
                let value = try function(point)
                return try tape.constant(try tape.gradient(of: try value.sum(), withRespectTo: [point])[0])
            }
        }
        // `l(\mathbf{o}, y)`: a one-letter function of several arguments the note never defines is
        // a number (a loss), any smooth function of all of them, not a sum of one function of each.
        if arguments.count > 1, primes == 0, Evaluator.isArbitraryFunctionName(symbol), !shapesName(symbol) {
            arbitraryFunctions.insert(symbol.baseKey)
            var values: [Node] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            let coupling = draws.scalar(for: "#function e " + symbol.baseKey)
            return try engine { () throws(BackpropError) in
                var total = try tape.constant(0)
                var product = try tape.constant(1)
                for (position, x) in values.enumerated() {
                    let key = "\(position) " + symbol.baseKey
                    let (a, b, c) = (draws.scalar(for: "#function a " + key), draws.scalar(for: "#function b " + key),
                                     draws.scalar(for: "#function c " + key))
                    let squashed = try (try (x * b) + c).tanh()
                    total = try total + (try squashed.sum()) * a
                    product = try product * (try squashed.mean())
                }
                return try total + product * coupling
            }
        }
        let name = symbol.name.replacingOccurrences(of: "\\operatorname{", with: "").replacingOccurrences(of: "}", with: "")
        if arguments.count == 1, Self.elementwise.contains(name.lowercased().replacingOccurrences(of: "\\", with: "")) || name.lowercased().contains("softmax") {
            let x = try evaluate(arguments[0])
            if primes == 0 { return try applyKnown(name, to: x) }
            guard primes == 1 else { throw .unsupported(expression.plain) }
            let lowered = name.lowercased().replacingOccurrences(of: "\\", with: "")
            return try engine { () throws(BackpropError) in
                switch lowered {
                case "sigma", "sigmoid": let s = try x.sigmoid(); return try s * (1 - s)
                case "tanh": let t = try x.tanh(); return try 1 - t * t
                case "exp": return try x.exp()
                default: throw BackpropError.nonFiniteInput("the derivative of \(name)")
                }
            }
        }
        // `X(Xw - y)`: a product with a bracket.
        if primes == 0, arguments.count == 1, shapesName(symbol) {
            let product = MathExpression(.binary(.implicitProduct, function, arguments[0]), range: expression.range)
            return try evaluate(product)
        }
        throw .unsupported(MatrixMessages.unknownFunction(function.plain))
    }

    private func call(_ definition: Scope.Definition, _ values: [Node]) throws(MatrixError) -> Node {
        let saved = (overrides, memo)
        defer { (overrides, memo) = saved }
        memo = [:]
        for (parameter, value) in zip(definition.parameters, values) { overrides[parameter] = value }
        return try evaluate(definition.body)
    }

    private func evaluate(matrix: MathMatrix, at range: SourceRange) throws(MatrixError) -> Node {
        guard !matrix.isPattern, !matrix.rows.isEmpty, matrix.rows.allSatisfy({ $0.count == matrix.columnCount }) else {
            throw .unsupported("a matrix with elided or missing entries")
        }
        var values: [Node] = []
        for entry in matrix.rows.joined() { values.append(try evaluate(entry)) }
        if values.contains(where: { $0.shape.count > 1 }) { return try blocks(values, matrix, at: range) }
        var entries: [Node] = []
        for value in values { entries.append(try engine { () throws(BackpropError) in try scalarized(value) }) }
        let rows = matrix.rows.count, columns = matrix.columnCount
        return try engine { () throws(BackpropError) in
            let stacked = try tape.concatenate(entries)
            if columns == 1 { return stacked }
            // Row-major entries as a vector, then each row picked out and stacked as a matrix.
            var rowNodes: [Node] = []
            for row in 0..<rows {
                let piece = try stacked.slice((row * columns)..<((row + 1) * columns))
                rowNodes.append(try piece.transpose())
            }
            return try tape.concatenate(rowNodes)
        }
    }

    /// `\begin{bmatrix} A & B \\ C & D \end{bmatrix}`, `\begin{bmatrix} x \\ y \end{bmatrix}`: a matrix of
    /// blocks, each a vector (a column) or a matrix; the blocks of a row as tall as each other, the
    /// rows as wide. A block that is a number is not read (which size its neighbours give it is a guess).
    private func blocks(_ values: [Node], _ matrix: MathMatrix, at range: SourceRange) throws(MatrixError) -> Node {
        let columns = matrix.columnCount
        let rows = stride(from: 0, to: values.count, by: columns).map { Array(values[$0..<($0 + columns)]) }
        guard values.allSatisfy({ $0.shape.count > 1 }) else { throw .unsupported("a block matrix with a number as a block") }
        var stacked: [Node] = []
        for row in rows {
            let height = row[0].shape.rows
            guard row.allSatisfy({ $0.shape.rows == height }) else {
                throw .shapes(MatrixMessages.blocksSideBySide(row.map(\.shape)), range)
            }
            if row.count == 1 { stacked.append(row[0]); continue }
            // Side by side: the blocks' transposes stacked, transposed back.
            stacked.append(try engine { () throws(BackpropError) in
                try tape.concatenate(try row.map { (block) throws(BackpropError) in try block.transpose() }).transpose()
            })
        }
        let width = stacked[0].shape.rank == 2 ? stacked[0].shape.columns : 1
        guard stacked.allSatisfy({ ($0.shape.rank == 2 ? $0.shape.columns : 1) == width && $0.shape.rank == stacked[0].shape.rank }) else {
            throw .unsupported("a block matrix whose rows are \(stacked.map { MatrixMessages.shape($0.shape) }.joined(separator: ", "))")
        }
        if stacked.count == 1 { return stacked[0] }
        return try engine { () throws(BackpropError) in try tape.concatenate(stacked) }
    }

    // MARK: Derivatives

    /// `∂A/∂B` or `∇_B A`: the gradient of a scalar A (shaped like B), or the Jacobian of a vector A
    /// by a vector B (numerator layout: row i is ∂Aᵢ/∂B, unless the note asks for denominator layout).
    private func differentiate(_ operand: MathExpression, by variable: MathExpression, written: MathExpression) throws(MatrixError) -> Node {
        // `∂L/∂W_{ij}`: entry (i, j) of the gradient by the whole W.
        var target = variable.symbol, letters: [String] = []
        if let symbol = target, let (whole, entryLetters) = entry(symbol) { (target, letters) = (whole, entryLetters) }
        guard let symbol = target, MatrixShapes.isWhole(symbol), let key = VerifierRun.literalKey(symbol) else {
            throw .unsupported("a derivative by \(variable.plain)")
        }
        let wholeVariable = MathExpression(.symbol(symbol), range: variable.range)
        if !letters.isEmpty {
            let gradient = try gradientOfNumber(operand, by: wholeVariable, key: key)
            let (row, column) = try position(letters, in: gradient.shape, of: symbol, at: variable)
            let value = gradient.scalars[gradient.shape.rank == 1 ? row : row * gradient.shape.columns + column]
            computed.append((written.plain, Tensor(value)))
            return try engine { () throws(BackpropError) in try tape.constant(value) }
        }
        let scalarLosses = shapes.scalarLosses
        let result: Tensor = try atLeaf(operand, wholeVariable, key: key) { (leaf, output) throws(MatrixError) in
            // The course's loss of one example is a number; drawn as a vector, it is the output layer's
            // width the note never said (one unit), not the step, that is off.
            if output.shape.count > 1, let head = Self.head(of: operand), scalarLosses.contains(head) {
                throw .unsupported(MatrixMessages.lossAsVector(head, output.shape))
            }
            return try engine { () throws(BackpropError) in
                output.shape.count == 1 ? try gradient(of: output, by: leaf) : try jacobian(of: output, by: leaf)
            }
        }
        computed.append((written.plain, result))
        return try engine { () throws(BackpropError) in try tape.constant(result) }
    }

    /// The base key of `\mathcal{L}` in `\mathcal{L}`, `\mathcal{L}(a, y)` or `m \mathcal{L}` (the summed loss).
    static func head(of operand: MathExpression) -> String? {
        if case .binary(.implicitProduct, _, let last) = operand.kind { return head(of: last) }
        return operand.headKey
    }

    /// The gradient of a number by a whole vector or matrix, shaped like it.
    private func gradientOfNumber(_ operand: MathExpression, by variable: MathExpression, key: String) throws(MatrixError) -> Tensor {
        try atLeaf(operand, variable, key: key) { (leaf, output) throws(MatrixError) in
            guard output.shape.count == 1 else { throw .unsupported("a derivative of \(operand.plain), which is not a number, by an entry") }
            return try engine { () throws(BackpropError) in try gradient(of: output, by: leaf) }
        }
    }

    /// The gradient of a one-entry `output` by `leaf`; a leaf it never reaches is no derivative.
    private func gradient(of output: Node, by leaf: Node) throws(BackpropError) -> Tensor {
        let gradient = try tape.gradient(of: try scalarized(output), withRespectTo: [leaf])[0]
        guard tape.lastGradientReached(leaf) else { throw BackpropError.nonFiniteInput("#disconnected") }
        return gradient
    }

    /// The Jacobian of a vector `output` by a vector `leaf`, one backward pass per row, in the note's layout.
    private func jacobian(of output: Node, by leaf: Node) throws(BackpropError) -> Tensor {
        guard output.shape.rank == 1, leaf.shape.rank <= 1 else {
            throw BackpropError.nonFiniteInput("the derivative of a matrix, or by a matrix, of something not a number")
        }
        let m = output.shape.rows, n = leaf.shape.count
        guard m.multipliedReportingOverflow(by: n).partialValue <= maxElements, ContinuousClock.now < deadline else {
            throw BackpropError.nonFiniteInput("#limit")
        }
        var rows: [Double] = []
        var reached = false
        for i in 0..<m {
            var seed = [Double](repeating: 0, count: m)
            seed[i] = 1
            let row = try tape.gradient(of: output, withRespectTo: [leaf], seed: Tensor(shape: .vector(m), scalars: seed))[0]
            reached = reached || tape.lastGradientReached(leaf)
            rows += row.scalars
        }
        guard reached else { throw BackpropError.nonFiniteInput("#disconnected") }
        let jacobian = try Tensor(shape: .matrix(rows: m, columns: n), scalars: rows)
        return denominatorLayout ? MatrixInverse.transposed(jacobian) : jacobian
    }

    /// Evaluates `quantity` with `variable` (at `key`) replaced by a leaf holding its value, as a
    /// derivative does (what the variable is computed from stays fixed), and hands both to `body`.
    private func atLeaf<T>(_ quantity: MathExpression, _ variable: MathExpression, key: String,
                           _ body: (Node, Node) throws(MatrixError) -> T) throws(MatrixError) -> T {
        let current = try evaluate(variable)
        let saved = (overrides, memo)
        defer { (overrides, memo) = saved; differentiating -= 1 }
        differentiating += 1
        memo = [:]
        let leaf = try engine { () throws(BackpropError) in try tape.variable(current.value) }
        overrides[key] = leaf
        return try body(leaf, try evaluate(quantity))
    }

    /// `\textrm{prod}` as d2l writes it: the product of its arguments "after the necessary
    /// transpositions", which no shape rule fixes alone.
    static func isChainProduct(_ symbol: MathSymbol) -> Bool {
        symbol.indices.isEmpty && symbol.name.replacingOccurrences(of: "\\operatorname{", with: "")
            .replacingOccurrences(of: "}", with: "") == "prod"
    }

    /// The operand and variable of `∂A/∂B` or `∇_B A`, written with one first-order variable.
    private static func derivativeParts(_ expression: MathExpression) -> (operand: MathExpression, variable: MathExpression)? {
        switch expression.kind {
        case .derivative(let derivative):
            guard let operand = derivative.operand, derivative.variables.count == 1, derivative.order == 1 else { return nil }
            return (operand, derivative.variables[0])
        case .nabla(let variable?, let operand?):
            return (operand, variable)
        case .group(let inner, _):
            return derivativeParts(inner)
        default:
            return nil
        }
    }

    /// `prod(∂A/∂B, ∂B/∂C)`: the chain rule through B. Its meaning is the derivative of A by C along
    /// B alone, so that is what it is computed as: for a number A, the gradient of ⟨∂A/∂B, B⟩ by C
    /// with ∂A/∂B held fixed (a vector–Jacobian product, whatever the shapes of B and C); for a
    /// vector A, the product of the two Jacobians in the note's layout. A factor that is a number
    /// multiplies plainly; two arrays that are not a chain through one quantity say nothing of
    /// which product is meant, and stay unread.
    private func chainProduct(_ a: MathExpression, _ b: MathExpression, written: MathExpression) throws(MatrixError) -> Node {
        guard let (outer, middle) = Self.derivativeParts(a), let (inner, variable) = Self.derivativeParts(b) else {
            let x = try evaluate(a), y = try evaluate(b)
            guard x.shape.count == 1 || y.shape.count == 1 else {
                throw .unsupported("prod of \(a.plain) and \(b.plain), which are not derivatives chained through one quantity")
            }
            return try engine { () throws(BackpropError) in try scalarized(x) * scalarized(y) }
        }
        guard let through = middle.symbol, let same = inner.symbol, MatrixShapes.isWhole(through),
              VerifierRun.literalKey(through) != nil, VerifierRun.literalKey(through) == VerifierRun.literalKey(same) else {
            throw .unsupported("prod of \(a.plain) and \(b.plain), which are not chained through one quantity")
        }
        let outerValue = try evaluate(outer)
        let first = try evaluate(a)
        guard outerValue.shape.count == 1 else {
            // Vector by vector by vector: Jacobians, multiplied in the order the layout writes them.
            let second = try evaluate(b)
            let (left, right) = denominatorLayout ? (second, first) : (first, second)
            guard left.shape.rank == 2, right.shape.rank == 2, left.shape.columns == right.shape.rows else {
                throw .unsupported("prod of \(a.plain) and \(b.plain), whose shapes \(MatrixMessages.shape(first.shape)) and \(MatrixMessages.shape(second.shape)) have no chain product")
            }
            return try engine { () throws(BackpropError) in try left.matmul(right) }
        }
        let outerGradient = first.value
        let gradient = try vectorJacobianProduct(outerGradient, of: inner, by: variable)
        computed.append((written.plain, gradient))
        return try engine { () throws(BackpropError) in try tape.constant(gradient) }
    }

    /// The gradient by `variable` of ⟨`weights`, `quantity`⟩, `quantity` evaluated with `variable` at a leaf.
    private func vectorJacobianProduct(_ weights: Tensor, of quantity: MathExpression, by variable: MathExpression) throws(MatrixError) -> Tensor {
        guard let symbol = variable.symbol, MatrixShapes.isWhole(symbol), let key = VerifierRun.literalKey(symbol) else {
            throw .unsupported("a derivative by \(variable.plain)")
        }
        return try atLeaf(quantity, variable, key: key) { (leaf, output) throws(MatrixError) in
            guard output.shape.count == weights.shape.count, weights.shape.count == 1 || output.shape == weights.shape else {
                throw .unsupported("a chain through \(quantity.plain), which is \(MatrixMessages.shape(output.shape)) while its gradient is \(MatrixMessages.shape(weights.shape))")
            }
            return try engine { () throws(BackpropError) in
                let weighted = weights.shape.count == 1 ? try scalarized(output) * (try tape.constant(weights.scalars[0]))
                    : try output * (try tape.constant(weights))
                return try gradient(of: weighted.shape.isScalar ? weighted : try weighted.sum(), by: leaf)
            }
        }
    }

    // MARK: Limits and engine errors

    /// A drawn array within `maxElements`, and time left to draw it.
    private func allow(_ shape: Shape) throws(MatrixError) {
        guard shape.rows.multipliedReportingOverflow(by: shape.columns).partialValue <= maxElements,
              !shape.rows.multipliedReportingOverflow(by: shape.columns).overflow else {
            throw .limit(VerifyMessages.arrayTooLarge(shape, limit: maxElements))
        }
        guard ContinuousClock.now < deadline else { throw .limit(MatrixMessages.outOfTime) }
    }

    private func engine<T>(_ body: () throws(BackpropError) -> T) throws(MatrixError) -> T {
        do {
            return try body()
        } catch {
            if case .nonFiniteInput(let what) = error {
                if what == "#disconnected" { throw .unsupported(MatrixMessages.disconnected) }
                if what == "#limit" { throw .limit(MatrixMessages.jacobianTooLarge(maxElements)) }
                throw .unsupported(what)
            }
            throw .engine(error.description)
        }
    }
}

private let M_E_value = 2.718281828459045

/// Gauss–Jordan elimination with partial pivoting, for `A^{-1}` in normal equations; small
/// matrices only (the checker's sizes), so plain loops are enough.
enum MatrixInverse {
    static func inverse(of matrix: Tensor) -> Tensor? {
        let n = matrix.shape.rows
        guard matrix.shape.rank == 2, n == matrix.shape.columns, n <= 512 else { return nil }
        var a = matrix.scalars
        var b = (0..<(n * n)).map { $0 / n == $0 % n ? 1.0 : 0.0 }
        for column in 0..<n {
            var pivot = column
            for row in column..<n where Swift.abs(a[row * n + column]) > Swift.abs(a[pivot * n + column]) { pivot = row }
            let value = a[pivot * n + column]
            guard Swift.abs(value) > 1e-12 else { return nil }
            if pivot != column {
                for k in 0..<n {
                    a.swapAt(pivot * n + k, column * n + k)
                    b.swapAt(pivot * n + k, column * n + k)
                }
            }
            for k in 0..<n { a[column * n + k] /= value; b[column * n + k] /= value }
            for row in 0..<n where row != column {
                let factor = a[row * n + column]
                guard factor != 0 else { continue }
                for k in 0..<n {
                    a[row * n + k] -= factor * a[column * n + k]
                    b[row * n + k] -= factor * b[column * n + k]
                }
            }
        }
        return try? Tensor(shape: matrix.shape, scalars: b)
    }

    static func transposed(_ matrix: Tensor) -> Tensor {
        let r = matrix.shape.rows, c = matrix.shape.columns
        let scalars = (0..<(r * c)).map { k in matrix.scalars[(k % r) * c + k / r] }
        return (try? Tensor(shape: .matrix(rows: c, columns: r), scalars: scalars)) ?? matrix
    }
}
