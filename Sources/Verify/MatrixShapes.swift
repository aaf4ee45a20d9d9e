import Backprop
import Foundation
import MathSyntax

/// The shapes of a note's vectors and matrices, decided once for the whole note.
///
/// A shape is two dimensions, rows and columns; a vector is a column (its columns are 1).
/// Dimensions are unified from what the note says: `W \in \mathbb{R}^{m \times n}` fixes W's
/// dimensions to the sizes m and n, `W x + b` makes x as long as W is wide and b as long as W
/// is tall. Bold lowercase letters are vectors, bold capitals matrices, when nothing else is
/// said. A size the note leaves symbolic (`m`, `n`, `N`) is drawn as a small whole number, a
/// different one per size, so a missing transpose is a shape mismatch rather than a square
/// matrix that happens to fit.
///
/// ```swift
/// let shapes = MatrixShapes(texts: [#"X \in \mathbb{R}^{5 \times 3}"#], maths: parsed, seed: 7)
/// shapes.shape(of: "X")   // .matrix(rows: 5, columns: 3)
/// ```
struct MatrixShapes: Sendable {
    /// A dimension: an index into the union–find arrays.
    typealias Dimension = Int
    /// What a piece of math is: a number, or a matrix with two dimensions (a vector has columns `one`).
    enum Kind: Equatable {
        case scalar
        case matrix(rows: Dimension, columns: Dimension)
        case unknown
    }

    /// The dimension whose size is 1: the columns of every vector.
    static let one: Dimension = 0

    private var parent: [Int] = [0]
    private var fixed: [Int?] = [1]
    private var names: [String?] = [nil]
    /// Kinds of the symbols written as whole vectors or matrices, by base key.
    private(set) var symbols: [String: Kind] = [:]
    /// Symbols whose kind came from how they are written (bold, transposed), not a declaration.
    private var styled: Set<String> = []
    /// Kinds of what functions the note defines return (`L(\mathbf{w}) = …`), by base key.
    private var functions: [String: Kind] = [:]
    /// Dimensions of `I` and `\mathbf{1}`, one per place they are written (file offset).
    private var placed: [Int: Kind] = [:]
    /// Sizes the note names (`n`, `N`): their symbol keys and dimensions.
    private(set) var sizeNames: [String: Dimension] = [:]
    /// Sizes of every dimension class once drawn.
    private var sizes: [Int: Int] = [:]
    /// Places where two uses disagreed on a dimension (a shape error in the note, or a wrong step).
    private(set) var conflicts = 0
    /// Family keys that are never whole matrices here: a network's quantities, families defined entry by entry.
    private var excluded: Set<String> = []
    /// Jacobians in denominator layout (`<!-- nb: layout denominator -->`), else numerator layout.
    var denominatorLayout = false
    /// Base keys of the course's loss (`CourseGradients`): a number, whatever shapes were guessed.
    var scalarLosses: Set<String> = []
    /// Keys of the matrices the prose calls symmetric ("for a symmetric matrix $\mathbf{A}$"): drawn so.
    var symmetric: Set<String> = []

    init() {}

    /// Reads the declarations in `texts`, then every statement of `maths` (definitions first),
    /// and draws the sizes left symbolic with `seed`.
    /// - Parameter written: shapes the prose gives as rows and columns ("$W^{[1]}$ is $(n^{[1]}, n_x)$").
    init(texts: [String], maths: [ParsedMath], seed: UInt64, givenSizes: [String: Int] = [:], excluding excluded: Set<String> = [],
         written: [(name: String, rows: String, columns: String)] = []) {
        self.excluded = excluded
        for tex in texts { declare(in: tex) }
        for shape in written { declare(shape.name, rows: shape.rows, columns: shape.columns) }
        for (key, value) in givenSizes {
            if let dimension = sizeNames[key] { fixed[dimension] = value }
        }
        let statements = maths.flatMap(\.statements)
        for math in maths {
            for operand in math.statements.flatMap(\.operands) { seedStyles(in: operand) }
        }
        seedEntryFamilies(in: maths.flatMap { $0.statements.flatMap(\.operands) })
        guard !symbols.isEmpty else { return }
        // Definitions first: a wrong step later must not decide a shape.
        for statement in statements {
            guard let left = statement.left, let first = statement.steps.first,
                  [.equal, .definition, .equivalent].contains(first.relation) else { continue }
            let right = statement.operands[1]
            define(left, as: right)
        }
        for statement in statements {
            let kinds = statement.operands.map { infer($0) }
            for (left, right) in zip(kinds, kinds.dropFirst()) { unify(left, right) }
        }
        drawSizes(seed: seed)
    }

    // MARK: Declarations and styles

    /// `x \in \mathbb{R}^{n}`, `W \in \mathbb{R}^{m \times n}`, `X \in \mathbb{R}^{5 \times 3}`.
    private mutating func declare(in tex: String) {
        guard tex.contains("\\in") else { return }
        let pattern = #"([^\s$,;:()]+)\s*\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*(\{[^}]*\}|\S)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return }
        for match in regex.matches(in: tex, range: NSRange(tex.startIndex..., in: tex)) {
            guard let nameRange = Range(match.range(at: 1), in: tex), let sizeRange = Range(match.range(at: 2), in: tex),
                  let symbol = MathParser.parse(String(tex[nameRange])).expression?.symbol, Self.isWhole(symbol),
                  !excluded.contains(symbol.baseKey) else { continue }
            let size = tex[sizeRange].trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
            let parts = size.components(separatedBy: "\\times").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(parts.count), let rows = dimension(written: parts[0]) else { continue }
            if parts.count == 1 {
                if rows == Self.one { continue }   // `\mathbb{R}^1` is a number
                symbols[symbol.key] = .matrix(rows: rows, columns: Self.one)
            } else if let columns = dimension(written: parts[1]) {
                symbols[symbol.key] = .matrix(rows: rows, columns: columns)
            }
        }
    }

    /// `W \in \mathbb{R}^{m \times n}` given as its three parts.
    private mutating func declare(_ name: String, rows: String, columns: String) {
        guard let symbol = MathParser.parse(name).expression?.symbol, Self.isWhole(symbol), !excluded.contains(symbol.baseKey),
              let rows = dimension(written: rows), let columns = dimension(written: columns) else { return }
        symbols[symbol.key] = .matrix(rows: rows, columns: columns)
    }

    /// A size as written in a declaration: a whole number or one symbol (`n`, `N`, `d_h`).
    private mutating func dimension(written text: String) -> Dimension? {
        // Beyond 2³⁰ a size is not one the checker could draw; the evaluator's limit names it.
        if let value = Int(text), value > 0, value <= 1 << 30 {
            if value == 1 { return Self.one }
            let dimension = fresh()
            fixed[dimension] = value
            return dimension
        }
        guard let symbol = MathParser.parse(text).expression?.symbol else { return nil }
        if let known = sizeNames[symbol.key] { return known }
        let dimension = fresh()
        names[dimension] = symbol.key
        sizeNames[symbol.key] = dimension
        return dimension
    }

    /// `\theta^T x` beside `\theta_j` and `x_j`: a lowercase letter the note also writes with an
    /// index it shares with a vector of the note (θ, a vector by its transpose) is a vector too.
    private mutating func seedEntryFamilies(in expressions: [MathExpression]) {
        var familiesByIndex: [String: Set<String>] = [:]
        var bare: [String: MathSymbol] = [:]
        for expression in expressions {
            expression.forEachNode { node in
                guard case .symbol(let symbol) = node.kind, symbol.label == nil, symbol.style == .normal else { return }
                if symbol.indices.isEmpty {
                    bare[symbol.key] = symbol
                } else if symbol.indices.count == 1, let letter = symbol.indices[0].symbol, letter.indices.isEmpty, letter.name.count == 1 {
                    var whole = symbol
                    whole.indices = []
                    familiesByIndex[letter.name, default: []].insert(whole.key)
                }
            }
        }
        for families in familiesByIndex.values where families.contains(where: { symbols[$0] != nil }) {
            for key in families where symbols[key] == nil {
                guard let symbol = bare[key], !Self.isCapital(symbol.name), !excluded.contains(symbol.baseKey) else { continue }
                styled.insert(key)
                symbols[key] = .matrix(rows: fresh(), columns: Self.one)
            }
        }
    }

    /// Bold (or arrowed) symbols not declared: lowercase vectors, capitals matrices. A letter
    /// written transposed is a vector (lowercase) or a matrix (capital) too.
    private mutating func seedStyles(in expression: MathExpression) {
        expression.forEachNode { node in
            let candidate: MathSymbol?
            switch node.kind {
            case .symbol(let symbol) where symbol.style == .bold || symbol.decorations.contains(.vector): candidate = symbol
            case .transpose(let inner): candidate = inner.symbol
            // `W^{[1]}`, `A^{[l]}`, `Z^{(2)}`: a capital with a layer label is a layer's matrix (the course's notation).
            case .symbol(let symbol) where Self.isCapital(symbol.name) && symbol.label.map(Self.isLayerLabel) == true:
                candidate = symbol
            default: candidate = nil
            }
            guard let symbol = candidate, Self.isWhole(symbol), symbols[symbol.key] == nil, !excluded.contains(symbol.baseKey),
                  !Self.isIdentity(symbol), !Self.isOnes(symbol), !Self.isZeros(symbol) else { return }
            styled.insert(symbol.key)
            symbols[symbol.key] = Self.isCapital(symbol.name) ? .matrix(rows: fresh(), columns: fresh()) : .matrix(rows: fresh(), columns: Self.one)
        }
    }

    /// A symbol that names a whole vector or matrix: no indices, or numbers only (`\mathbf{W}_1`, a name).
    static func isWhole(_ symbol: MathSymbol) -> Bool {
        symbol.indices.allSatisfy { if case .number = $0.kind { true } else { false } }
    }

    static func isCapital(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        if name.hasPrefix("\\") { return ["\\Sigma", "\\Lambda", "\\Theta", "\\Phi", "\\Psi", "\\Omega", "\\Gamma"].contains(name) }
        return CharacterSet.uppercaseLetters.contains(first)
    }

    /// `I`, `\mathbf{I}`, `I_n`: the identity, unless the note says otherwise.
    static func isIdentity(_ symbol: MathSymbol) -> Bool {
        symbol.name == "I" && (symbol.style == .normal || symbol.style == .bold) && symbol.decorations.isEmpty
    }

    /// `\mathbf{1}`: a vector of ones.
    static func isOnes(_ symbol: MathSymbol) -> Bool {
        symbol.name == "1" && symbol.style == .bold && symbol.indices.isEmpty
    }

    /// `\mathbf{0}`: a vector of zeros.
    static func isZeros(_ symbol: MathSymbol) -> Bool {
        symbol.name == "0" && symbol.style == .bold && symbol.indices.isEmpty
    }

    // MARK: Unification

    private mutating func fresh() -> Dimension {
        parent.append(parent.count)
        fixed.append(nil)
        names.append(nil)
        return parent.count - 1
    }

    func root(_ dimension: Dimension) -> Dimension {
        var d = dimension
        while parent[d] != d { d = parent[d] }
        return d
    }

    /// Whether two dimensions may be the same size: two numbers must be equal, two named
    /// sizes are different sizes (the note named them apart), and only a 1 is 1.
    func canUnify(_ a: Dimension, _ b: Dimension) -> Bool {
        let x = root(a), y = root(b)
        if x == y { return true }
        if x == Self.one || y == Self.one {
            let other = x == Self.one ? y : x
            return fixed[other] == 1
        }
        if let p = fixed[x], let q = fixed[y], p != q { return false }
        if names[x] != nil, names[y] != nil { return false }
        return true
    }

    @discardableResult
    private mutating func unify(_ a: Dimension, _ b: Dimension) -> Bool {
        guard canUnify(a, b) else { conflicts += 1; return false }
        let x = root(a), y = root(b)
        if x == y { return true }
        // Keep `one` a root, and keep what either side knows.
        let (keep, drop) = y == Self.one ? (y, x) : (x, y)
        parent[drop] = keep
        fixed[keep] = fixed[keep] ?? fixed[drop]
        names[keep] = names[keep] ?? names[drop]
        return true
    }

    /// Unifies two kinds of the same value (the two sides of a relation); a number equals a 1×1.
    @discardableResult
    private mutating func unify(_ a: Kind, _ b: Kind) -> Bool {
        guard case .matrix(let r1, let c1) = a, case .matrix(let r2, let c2) = b else { return true }
        guard canUnify(r1, r2), canUnify(c1, c2) else { conflicts += 1; return false }
        unify(r1, r2)
        unify(c1, c2)
        return true
    }

    private mutating func define(_ left: MathExpression, as right: MathExpression) {
        switch left.kind {
        case .symbol(let symbol) where Self.isWhole(symbol) && !excluded.contains(symbol.baseKey):
            let kind = infer(right)
            if let known = symbols[symbol.key] { unify(known, kind) } else if case .matrix = kind { symbols[symbol.key] = kind }
        case .application(let function, _), .applicationOrProduct(let function, _):
            guard let symbol = function.symbol else { return }
            let kind = infer(right)
            if case .matrix = kind, functions[symbol.baseKey] == nil { functions[symbol.baseKey] = kind }
        default:
            break
        }
    }

    // MARK: Inference

    /// What `expression` is, unifying the dimensions its operations tie together.
    mutating func infer(_ expression: MathExpression) -> Kind {
        switch expression.kind {
        case .number:
            return .scalar
        case .symbol(let symbol):
            if let kind = symbols[symbol.key] { return kind }
            guard symbol.indices.isEmpty else { return .scalar }
            if Self.isIdentity(symbol) { return place(expression) { m in let d = m.fresh(); return .matrix(rows: d, columns: d) } }
            if Self.isOnes(symbol) || Self.isZeros(symbol) { return place(expression) { m in .matrix(rows: m.fresh(), columns: Self.one) } }
            return .scalar
        case .negation(let inner), .positive(let inner), .group(let inner, _):
            return infer(inner)
        case .root(let inner, _):
            return infer(inner)
        case .binary(let op, let a, let b):
            var (left, right) = (infer(a), infer(b))
            // `W^{[1]} x + b^{[1]}`: a layer's bias added to a vector is a vector as tall, not a number.
            if op == .add || op == .subtract {
                if case .matrix(let rows, _) = left, let bias = layerBias(b) { right = .matrix(rows: rows, columns: Self.one); symbols[bias] = right }
                if case .matrix(let rows, _) = right, let bias = layerBias(a) { left = .matrix(rows: rows, columns: Self.one); symbols[bias] = left }
            }
            // `W^{[1]} x`: a plain lowercase letter a matrix multiplies is the vector it takes, as long as it is wide.
            if op == .implicitProduct, case .matrix(_, let columns) = left, root(columns) != Self.one, let input = plainVector(b) {
                right = .matrix(rows: columns, columns: Self.one)
                symbols[input] = right
                styled.insert(input)
            }
            return inferBinary(op, left, right)
        case .transpose(let inner):
            guard case .matrix(let r, let c) = infer(inner) else { return infer(inner) }
            return .matrix(rows: c, columns: r)
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            let kind = infer(base)
            guard case .matrix(let r, let c) = kind else { return kind == .scalar ? .scalar : .unknown }
            if exponent.plain == "-1" || exponent.plain == "-(1)" {
                unify(r, c)
                return kind
            }
            return .unknown
        case .norm, .absolute:
            _ = expression.children.map { infer($0) }
            return .scalar
        case .subscripted(let base, _):
            if case .norm = base.kind { _ = infer(base); return .scalar }
            return .unknown
        case .call(let call):
            let arguments = call.arguments.map { infer($0) }
            switch call.name {
            case "diag":
                guard arguments.count == 1, case .matrix(let r, let c) = arguments[0] else { return .unknown }
                if root(c) == Self.one { return .matrix(rows: r, columns: r) }
                unify(r, c)
                return .matrix(rows: r, columns: Self.one)
            case "tr", "trace", "det", "sum":
                return .scalar
            default:
                return arguments.count == 1 ? arguments[0] : .unknown
            }
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            let kinds = arguments.map { infer($0) }
            if let symbol = function.symbol, let kind = functions[symbol.baseKey] { return kind }
            if case .prime = function.kind { return kinds.count == 1 ? kinds[0] : .unknown }
            if let symbol = function.symbol, symbols[symbol.key] == nil {
                // `\sigma(\mathbf{z})`, `f(\mathbf{z})`: element by element, unless the note defined it;
                // `l(\mathbf{o}, y)` of several arguments: a number.
                return kinds.count == 1 ? kinds[0] : .scalar
            }
            // `X(Xw - y)`: a product.
            guard kinds.count == 1 else { return .unknown }
            return inferBinary(.implicitProduct, infer(function), kinds[0])
        case .derivative(let derivative):
            guard let operand = derivative.operand, derivative.variables.count == 1 else { return .unknown }
            return derivativeKind(infer(operand), infer(derivative.variables[0]))
        case .nabla(let variable, let operand):
            guard let variable, let operand else { return .unknown }
            _ = infer(operand)
            return infer(variable)
        case .matrix(let matrix):
            guard !matrix.isPattern, !matrix.rows.isEmpty else { return .unknown }
            let kinds = matrix.rows.joined().map { infer($0) }
            // A matrix of blocks is as tall as its blocks together: a sum of sizes, which one dimension cannot say.
            if kinds.contains(where: { if case .matrix = $0 { true } else { false } }) { return .unknown }
            let rows = sized(matrix.rows.count), columns = sized(matrix.columnCount)
            return .matrix(rows: rows, columns: columns)
        default:
            for child in expression.children { _ = infer(child) }
            return .unknown
        }
    }

    /// `l`, `2`: a layer's label (`(l)`, `[2]` keep only what is inside), not a word (`\text{out}`).
    static func isLayerLabel(_ label: MathExpression) -> Bool {
        switch label.kind {
        case .symbol, .number: true
        default: false
        }
    }

    /// The key of a plain lowercase letter (`x`) nothing has given a shape, that is no size (`n`).
    private func plainVector(_ expression: MathExpression) -> String? {
        guard let symbol = expression.symbol, symbol.label == nil, symbol.indices.isEmpty, symbol.style == .normal,
              symbol.decorations.isEmpty, symbol.name.count == 1, symbol.name.first?.isLowercase == true,
              symbols[symbol.key] == nil, sizeNames[symbol.key] == nil, !excluded.contains(symbol.baseKey) else { return nil }
        return symbol.key
    }

    /// The key of a lowercase symbol with a layer label (`b^{[1]}`) that nothing else has given a shape.
    private func layerBias(_ expression: MathExpression) -> String? {
        guard let symbol = expression.symbol, symbol.label != nil, symbol.indices.isEmpty, !Self.isCapital(symbol.name),
              symbols[symbol.key] == nil, !excluded.contains(symbol.baseKey) else { return nil }
        return symbol.key
    }

    /// The kind of `∂A/∂B` in numerator layout (the Jacobian of a vector by a vector is m×n);
    /// a scalar's gradient has the variable's shape.
    func derivativeKind(_ operand: Kind, _ variable: Kind) -> Kind {
        switch (operand, variable) {
        case (.scalar, let kind): return kind
        case (.matrix(let r, let c), .matrix(let vr, let vc)) where root(c) == Self.one && root(vc) == Self.one:
            return .matrix(rows: r, columns: vr)
        case (.matrix, .scalar): return operand
        default: return .unknown
        }
    }

    private mutating func sized(_ count: Int) -> Dimension {
        if count == 1 { return Self.one }
        let dimension = fresh()
        fixed[dimension] = count
        return dimension
    }

    private mutating func place(_ expression: MathExpression, _ make: (inout MatrixShapes) -> Kind) -> Kind {
        let offset = expression.range.start.offset
        if let kind = placed[offset] { return kind }
        let kind = make(&self)
        placed[offset] = kind
        return kind
    }

    private mutating func inferBinary(_ op: BinaryOperator, _ a: Kind, _ b: Kind) -> Kind {
        if a == .unknown || b == .unknown { return .unknown }
        if a == .scalar { return b }
        if b == .scalar { return a }
        guard case .matrix(let r1, let c1) = a, case .matrix(let r2, let c2) = b else { return .unknown }
        switch op {
        case .add, .subtract, .hadamard:
            if canUnify(r1, r2), canUnify(c1, c2) {
                unify(r1, r2); unify(c1, c2)
                return a
            }
            // Bias broadcasting: a vector added to every column, or (as a row) to every row.
            if root(c2) == Self.one, canUnify(r2, r1) { unify(r2, r1); return a }
            if root(c1) == Self.one, canUnify(r1, r2) { unify(r1, r2); return b }
            if root(c2) == Self.one, canUnify(r2, c1) { unify(r2, c1); return a }
            if root(c1) == Self.one, canUnify(r1, c2) { unify(r1, c2); return b }
            conflicts += 1
            return .unknown
        case .implicitProduct, .cdot, .times, .asterisk:
            if op == .cdot, root(c1) == Self.one, root(c2) == Self.one {
                unify(r1, r2)
                return .scalar
            }
            guard canUnify(c1, r2) else { conflicts += 1; return .unknown }
            unify(c1, r2)
            if root(r1) == Self.one && root(c2) == Self.one { return .scalar }
            return .matrix(rows: r1, columns: c2)
        case .outer:
            return .matrix(rows: r1, columns: r2)
        case .fraction, .slash:
            return .unknown
        case .plusMinus:
            return .unknown
        }
    }

    // MARK: Sizes

    /// Gives every dimension class a size: its number, else a drawn one, distinct across classes.
    private mutating func drawSizes(seed: UInt64) {
        let roots = Set(parent.indices.map(root))
        let taken = Set(roots.compactMap { fixed[$0] })
        var pool = Self.sizePool.filter { !taken.contains($0) }
        var generator = Draws(seed: seed, draw: 0, positive: []).generator(for: "#matrix sizes")
        pool.shuffle(using: &generator)
        // Named sizes first, in name order, so a note's `n` does not depend on how many anonymous ones it has.
        let ordered = roots.sorted { a, b in
            switch (names[a], names[b]) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        var next = 0
        for dimension in ordered {
            if let value = fixed[dimension] { sizes[dimension] = value; continue }
            sizes[dimension] = next < pool.count ? pool[next] : Self.sizePool.count + next
            next += 1
        }
    }

    /// Small sizes, each used once: 3 to 8 entries check fast, tell shapes apart, and are more
    /// than 2 (with two entries a softmax or a normalised vector has coincidences that hide errors).
    static let sizePool = [3, 4, 5, 6, 7, 8]

    /// The size of a dimension once drawn.
    func size(_ dimension: Dimension) -> Int {
        sizes[root(dimension)] ?? 1
    }

    /// The engine shape of a kind: a vector when its columns are 1.
    func shape(of kind: Kind) -> Shape? {
        guard case .matrix(let r, let c) = kind else { return kind == .scalar ? .scalar : nil }
        if root(c) == Self.one { return .vector(size(r)) }
        return .matrix(rows: size(r), columns: size(c))
    }

    /// Whether a symbol's shape is only the guess of its style: bold, never declared, and no
    /// operation or relation tied any of its dimensions to anything else.
    func isGuessed(_ key: String) -> Bool {
        guard styled.contains(key), case .matrix(let r, let c)? = symbols[key] else { return false }
        return [r, c].allSatisfy { dimension in
            let base = root(dimension)
            return base == Self.one || (fixed[base] == nil && names[base] == nil && parent.indices.filter { root($0) == base }.count == 1)
        }
    }

    /// The shape of a symbol written as a whole vector or matrix, by key (`\mathbf{W}_{1}`).
    func shape(of key: String) -> Shape? {
        symbols[key].flatMap { shape(of: $0) }
    }

    /// The shape of an `I` or `\mathbf{1}` written at `offset`.
    func placedShape(at offset: Int) -> Shape? {
        placed[offset].flatMap { shape(of: $0) }
    }

    /// The value of a size the note names (`N` in `\frac{1}{N}` after `X \in \mathbb{R}^{N \times D}`).
    func sizeValue(of key: String) -> Int? {
        sizeNames[key].map(size)
    }

    /// The sizes drawn for the note's named sizes, for the report: `n = 3, m = 4`.
    var drawnSizes: [(String, Int)] {
        sizeNames.keys.sorted().compactMap { key in sizeValue(of: key).map { (key, $0) } }
    }

    var isEmpty: Bool { symbols.isEmpty }
}
