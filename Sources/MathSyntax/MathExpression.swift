import Diagnostics

/// A node of the semantic tree that `MathParser` builds from TeX math, with
/// the bytes of the original file it came from.
///
/// Ambiguities the parser cannot settle alone stay explicit
/// (`applicationOrProduct`, `powerOrLabel`) until `resolved(by:)` settles them.
///
/// ```swift
/// let expr = MathParser.parse(#"\frac{\partial E}{\partial w_1}"#).expression
/// expr?.plain   // "∂E/∂w_1"
/// ```
public struct MathExpression: Sendable, Equatable {
    public var kind: Kind
    /// Where the node is written in the original Markdown file.
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Sendable, Equatable {
        /// A number as written: `2`, `0.5`.
        case number(String)
        /// A variable with its indices and decorations: `w_{11}`, `\hat y`, `\mathcal{L}`.
        case symbol(MathSymbol)
        /// `...`, `\dots`, `\vdots`, `\ddots`: "and so on", a pattern rather than a value.
        case elided(Elision)
        /// `*` as an index, "every value" (`W_{i+1,*,j}`).
        case wildcard
        /// `\text{…}` inside an expression.
        case text(String)
        /// `-x`
        case negation(MathExpression)
        /// `+x` written with a sign.
        case positive(MathExpression)
        case binary(BinaryOperator, MathExpression, MathExpression)
        /// `x^{n}` where the superscript is certainly a power (compound base, `e`, a
        /// function value), or an ambiguous superscript resolved to a power.
        case power(MathExpression, exponent: MathExpression)
        /// A superscript on a symbol that may be a power (`x^2`) or a label naming a
        /// layer (`w^L`, `h_1^2`); `resolved(by:)` decides. `base` is a `.symbol`.
        case powerOrLabel(base: MathExpression, superscript: MathExpression)
        /// A subscript on something that is not a symbol: `(x)_i`, `\|x\|_2`.
        case subscripted(MathExpression, subscript: MathExpression)
        /// `x^T`, `x^\top`, `x^\intercal`.
        case transpose(MathExpression)
        /// `g'`, `\sigma''`: the derivative of a function of one variable.
        case prime(MathExpression, count: Int)
        /// `\sqrt{x}`, `\sqrt[n]{x}`.
        case root(MathExpression, index: MathExpression?)
        /// Brackets written around one expression: `(x + y)`, `\left[ … \right]`.
        case group(MathExpression, MathBracket)
        /// Several comma-separated items in brackets: `[…, g'(a_{ik}), …]`, `(a, b)`.
        case tuple([MathExpression], MathBracket)
        /// `\|x\|`, `\lVert x \rVert`.
        case norm(MathExpression)
        /// `|x|`, `\lvert x \rvert`.
        case absolute(MathExpression)
        /// A function the parser knows (`\exp`, `\tanh^2 z`, `\log_2 x`, `\operatorname{softmax}(z)`).
        case call(MathCall)
        /// A certain application: `g'(a)`, or an `applicationOrProduct` resolved to one.
        case application(function: MathExpression, arguments: [MathExpression])
        /// A symbol followed by parentheses, `g(a_{ij})` or `x(y + z)`:
        /// a function applied or a product; `resolved(by:)` decides.
        case applicationOrProduct(MathExpression, arguments: [MathExpression])
        case derivative(MathDerivative)
        /// `\nabla_{a_i} \mathcal{L}(\theta)`: the gradient of `operand` with respect to `subscript`.
        case nabla(subscript: MathExpression?, operand: MathExpression?)
        /// `\sum_{m=1}^{k} …`, `\prod_i …`.
        case bigOperator(MathBigOperator)
        case matrix(MathMatrix)
        /// Math the parser could not read; the reason says why. Reported as unchecked.
        case uninterpretable(reason: String, tex: String)
    }
}

/// The binary operators, in the spelling they were written with.
///
/// ```swift
/// if case .binary(.hadamard, let a, let b)? = MathParser.parse(#"a \odot b"#).expression?.kind { … }
/// ```
public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case plusMinus = "\\pm"
    /// Juxtaposition: `2x`, `w_2 x_1`, `(t_1-y_1)(0-z)`.
    case implicitProduct = ""
    case cdot = "\\cdot"
    case times = "\\times"
    /// `*` outside an index.
    case asterisk = "*"
    /// `a / b`
    case slash = "/"
    /// `\frac{a}{b}` that is not a derivative.
    case fraction = "\\frac"
    /// `\odot`: element-wise product.
    case hadamard = "\\odot"
    /// `\otimes`: outer (Kronecker) product.
    case outer = "\\otimes"

    /// Binding strength; higher binds tighter.
    var precedence: Int {
        switch self {
        case .add, .subtract, .plusMinus: 1
        case .implicitProduct, .cdot, .times, .asterisk, .slash, .hadamard, .outer: 2
        case .fraction: 4
        }
    }

    public var isProduct: Bool {
        switch self {
        case .implicitProduct, .cdot, .times, .asterisk: true
        default: false
        }
    }
}

/// The kinds of brackets that can stand around an expression.
///
/// ```swift
/// if case .group(let inner, .square)? = MathParser.parse("[x]").expression?.kind { … }
/// ```
public enum MathBracket: String, Sendable, Equatable, CaseIterable {
    case parenthesis = "("
    case square = "["
    case brace = "\\{"
    case angle = "\\langle"

    var closing: String {
        switch self {
        case .parenthesis: ")"
        case .square: "]"
        case .brace: "\\}"
        case .angle: "\\rangle"
        }
    }
}

/// How an elided entry was drawn; all mean "the pattern continues".
///
/// ```swift
/// if case .elided(.vertical)? = MathParser.parse(#"\vdots"#).expression?.kind { … }
/// ```
public enum Elision: String, Sendable, Equatable, CaseIterable {
    case horizontal = "\\dots"
    case centered = "\\cdots"
    case vertical = "\\vdots"
    case diagonal = "\\ddots"
}

/// A function applied by name: `\exp(x)`, `\tanh^2 z`, `\log_2 x`, `\max_i x_i`.
///
/// ```swift
/// if case .call(let call)? = MathParser.parse(#"\tanh^2 z"#).expression?.kind { call.power?.plain }   // "2"
/// ```
public struct MathCall: Sendable, Equatable {
    /// The name without backslash: `exp`, `tanh`, or the text of `\operatorname{…}`.
    public var name: String
    /// Written as `\operatorname{name}` rather than `\name`.
    public var isOperatorName: Bool
    /// `\log_2`, `\max_i`.
    public var subscriptExpression: MathExpression?
    /// `\tanh^2 z` means `(\tanh z)^2`.
    public var power: MathExpression?
    public var arguments: [MathExpression]
    /// The brackets around the arguments, `nil` for `\tanh z`.
    public var bracket: MathBracket?

    public init(name: String, isOperatorName: Bool = false, subscriptExpression: MathExpression? = nil,
                power: MathExpression? = nil, arguments: [MathExpression], bracket: MathBracket?) {
        self.name = name
        self.isOperatorName = isOperatorName
        self.subscriptExpression = subscriptExpression
        self.power = power
        self.arguments = arguments
        self.bracket = bracket
    }
}

/// A derivative written in Leibniz form (`\frac{dE}{dw}`, `\frac{\partial E}{\partial w_1}`),
/// as an operator (`\frac{d}{dz} f(z)`), or as `\partial_x f`.
///
/// ```swift
/// if case .derivative(let d)? = MathParser.parse(#"\frac{dE}{dw}"#).expression?.kind { d.variables[0].plain }   // "w"
/// ```
public struct MathDerivative: Sendable, Equatable {
    public enum Notation: String, Sendable, Equatable, CaseIterable {
        /// `d` (or `\mathrm{d}`): an ordinary derivative.
        case ordinary = "d"
        /// `\partial`
        case partial = "\\partial"
        /// `\delta` leading both numerator and denominator, read as `\partial`.
        case deltaAsPartial = "\\delta"
    }

    public var notation: Notation
    /// What is differentiated; `nil` for an operator with nothing after it.
    public var operand: MathExpression?
    /// The variables, one entry per differentiation: `\partial x^2` gives `[x, x]`.
    public var variables: [MathExpression]
    /// The order written in the numerator (`\partial^2` → 2).
    public var order: Int
    /// `\frac{d}{dz} f(z)` rather than `\frac{df(z)}{dz}`.
    public var isOperatorForm: Bool
    /// Written `\partial_x f` (subscript notation).
    public var isSubscriptForm: Bool

    public init(notation: Notation, operand: MathExpression?, variables: [MathExpression], order: Int,
                isOperatorForm: Bool, isSubscriptForm: Bool = false) {
        self.notation = notation
        self.operand = operand
        self.variables = variables
        self.order = order
        self.isOperatorForm = isOperatorForm
        self.isSubscriptForm = isSubscriptForm
    }

    /// Partial whether written `\partial` or `\delta`.
    public var isPartial: Bool { notation != .ordinary }
}

/// `\sum_{m=1}^{k} body` or `\prod_i body`.
///
/// ```swift
/// if case .bigOperator(let sum)? = MathParser.parse(#"\sum_{m=1}^{k} x_m"#).expression?.kind { sum.upperBound?.plain }   // "k"
/// ```
public struct MathBigOperator: Sendable, Equatable {
    public enum Operation: String, Sendable, Equatable, CaseIterable {
        case sum = "\\sum"
        case product = "\\prod"
    }

    public var operation: Operation
    /// The index variables (`m` in `\sum_{m=1}^{k}`, `i, j` in `\sum_{i,j}`); empty if none written.
    public var indices: [MathExpression]
    /// `1` in `\sum_{m=1}^{k}`.
    public var lowerBound: MathExpression?
    /// `k` in `\sum_{m=1}^{k}`.
    public var upperBound: MathExpression?
    /// What is summed: the factors after the operator, up to the next `+`, `-` or relation.
    public var body: MathExpression?
    /// The value the index skips: `k` in `\sum_{i \neq k}`.
    public var excluded: MathExpression?

    public init(operation: Operation, indices: [MathExpression], lowerBound: MathExpression?,
                upperBound: MathExpression?, body: MathExpression?, excluded: MathExpression? = nil) {
        self.operation = operation
        self.indices = indices
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.body = body
        self.excluded = excluded
    }
}

/// `\begin{bmatrix} … \end{bmatrix}` and its kin; entries may be `.elided`.
///
/// ```swift
/// if case .matrix(let m)? = MathParser.parse(#"\begin{bmatrix} a \\ \vdots \end{bmatrix}"#).expression?.kind { m.isPattern }   // true
/// ```
public struct MathMatrix: Sendable, Equatable {
    /// `bmatrix`, `pmatrix`, `vmatrix`, `Vmatrix`, `Bmatrix`, `matrix`, `smallmatrix`, `array`, `cases`.
    public var environment: String
    public var rows: [[MathExpression]]

    public init(environment: String, rows: [[MathExpression]]) {
        self.environment = environment
        self.rows = rows
    }

    /// Whether any entry stands for elided entries: the matrix is a pattern, not a value.
    public var isPattern: Bool {
        rows.contains { row in row.contains { if case .elided = $0.kind { true } else { false } } }
    }

    public var columnCount: Int { rows.map(\.count).max() ?? 0 }
}
