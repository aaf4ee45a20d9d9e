import Testing
import Diagnostics
@testable import MathSyntax

/// What each piece of notation means, checked through the plain printer.
struct ExpressionTests {
    @Test(arguments: [
        ("x^2", "pow(x, 2)"),
        (#"\frac{a}{b}"#, "a / b"),
        ("2x", "2 * x"),
        ("w_2 x_1", "w_2 * x_1"),
        ("(t_1-y_1)(0-z)", "(t_1 - y_1) * (0 - z)"),
        ("w_{11}^2x_1", "pow(w_11, 2) * x_1"),
        (#"-(t_1 - y_1) h_1"#, "-(t_1 - y_1) * h_1"),
        (#"a \cdot b"#, "a * b"),
        (#"a \times b"#, "a × b"),
        ("a / b c", "a / (b * c)"),
        (#"\frac{a+b}{c}"#, "(a + b) / c"),
        ("a - b - c", "a - b - c"),
        ("a - (b - c)", "a - (b - c)"),
        (#"\sqrt{x}"#, "sqrt(x)"),
        (#"\sqrt[3]{x}"#, "root(3, x)"),
        (#"e^{x}"#, "exp(x)"),
        (#"e^{-x}"#, "exp(-x)"),
        (#"\exp(x)"#, "exp(x)"),
        (#"\log x"#, "log(x)"),
        (#"\ln(1 + x)"#, "ln(1 + x)"),
        (#"\tanh z"#, "tanh(z)"),
        (#"\tanh^2 z"#, "pow(tanh(z), 2)"),
        (#"1 - \tanh^2(z)"#, "1 - pow(tanh(z), 2)"),
        (#"\max(0, x)"#, "max(0, x)"),
        (#"\min_i x_i"#, "min_i(x_i)"),
        (#"\log_2 x"#, "log_2(x)"),
        (#"\operatorname{softmax}(z)"#, "softmax(z)"),
        (#"\operatorname{ReLU}(x)"#, "ReLU(x)"),
        (#"\sigma(z)"#, "σ(z)"),
        (#"\sigma'(z)"#, "σ'(z)"),
        (#"\tanh'(z)"#, "tanh'(z)"),
        (#"\tanh''(0)"#, "tanh''(0)"),
        (#"\tanh^{\prime}(z)"#, "tanh'(z)"),
        (#"\operatorname{ReLU}'(z)"#, "ReLU'(z)"),
        (#"g'(a_{ij})"#, "g'(a_ij)"),
        ("g(a_{ij})", "g(a_ij)"),
        ("x(y+z)", "x(y + z)"),
        (#"\delta_k"#, "δ_k"),
        (#"\mathcal{L}"#, "ℒ"),
        (#"\hat y"#, "ŷ"),
        (#"\hat{y}_i"#, "ŷ_i"),
        (#"\mathbf{x}"#, "x"),
        (#"\theta"#, "θ"),
        (#"W_{i+1,m,j}"#, "W_{i+1,m,j}"),
        (#"W_{i+1, *, j}"#, "W_{i+1,*,j}"),
        (#"a_{i+1,m}"#, "a_{i+1,m}"),
        (#"h_{ij}"#, "h_ij"),
        (#"x_12"#, "x_1 * 2"),
        (#"W^{(l)}"#, "W^(l)"),
        (#"i^{th}"#, "i^th"),
        (#"x^*"#, "x^*"),
        (#"x^T"#, "x^T"),
        (#"W^\top x"#, "W^T * x"),
        (#"(W_{i+1, *,j})^{T}"#, "(W_{i+1,*,j})^T"),
        (#"x^\intercal"#, "x^T"),
        (#"a \odot b"#, "a ⊙ b"),
        (#"\|x\|"#, "‖x‖"),
        (#"\lVert x - y \rVert"#, "‖x - y‖"),
        (#"|x|"#, "|x|"),
        (#"\left| x \right|"#, "|x|"),
        (#"\left( a + b \right)"#, "(a + b)"),
        (#"\left[ a \right]"#, "[a]"),
        (#"\{ a \}"#, "{a}"),
        (#"[...,g'(a_{ik}),...]"#, "[…, g'(a_ik), …]"),
        (#"\frac{\partial E}{\partial w_1}"#, "∂E/∂w_1"),
        (#"\frac{dE}{dw}"#, "dE/dw"),
        (#"\frac{d}{dz} f(z)"#, "d/dz f(z)"),
        (#"\frac{\partial}{\partial w}(a + b)"#, "∂/∂w (a + b)"),
        (#"\frac{\partial^2 E}{\partial w^2}"#, "∂^2E/∂w ∂w"),
        (#"\frac{\partial^2 f}{\partial x \partial y}"#, "∂^2f/∂x ∂y"),
        (#"\frac{\delta E}{\delta w_1}"#, "∂E/∂w_1"),
        (#"\frac{\delta}{\delta w_1}(t - y)"#, "∂/∂w_1 (t - y)"),
        (#"\frac{\delta_k}{\delta_j}"#, "δ_k / δ_j"),
        (#"\frac{\mathrm{d}y}{\mathrm{d}x}"#, "dy/dx"),
        (#"\frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}}"#, "∂ℒ(θ)/∂h_ij"),
        (#"\frac{\partial E}{\partial w^L}"#, "∂E/∂w^(L)"),
        (#"\partial_x f"#, "∂/∂x f"),
        (#"\nabla_{a_i} \mathcal{L}(\theta)"#, "∇_a_i ℒ(θ)"),
        (#"\nabla_{a_i+1} \mathcal{L}(\theta)"#, "∇_{a_i + 1} ℒ(θ)"),
        (#"\sum_{m=1}^{k} a_m b_m"#, "Σ_{m=1..k} a_m * b_m"),
        (#"\sum_k w_k x_k + b"#, "Σ_{k} w_k * x_k + b"),
        (#"\prod_{i=1}^{n} x_i"#, "Π_{i=1..n} x_i"),
        (#"\sum_{i,j} w_{ij}"#, "Σ_{i,j} w_ij"),
        (#"\begin{bmatrix} a & b \\ c & d \end{bmatrix}"#, "[[a, b], [c, d]]"),
        (#"\begin{pmatrix} x_1 \\ \vdots \\ x_n \end{pmatrix}"#, "[[x_1], [⋮], [x_n]]"),
        (#"\begin{bmatrix} a_1 & \cdots & a_n \end{bmatrix}"#, "[[a_1, ⋯, a_n]]"),
        (#"\begin{vmatrix} a & b \\ c & d \end{vmatrix}"#, "[[a, b], [c, d]]"),
        (#"\begin{matrix} 1 & 0 \end{matrix}"#, "[[1, 0]]"),
        (#"\text{loss}"#, "loss"),
        (#"a \, b"#, "a * b"),
        ("αβ", "α * β"),
        ("x−y", "x - y"),
        (#"-x^2"#, "-pow(x, 2)"),
        (#"2^{10}"#, "pow(2, 10)"),
        (#"x'"#, "x'"),
        (#"\bar{x}"#, "x̄"),
        (#"\mathbb{1}(x \geq y)"#, "1[x ≥ y]"),
        (#"\mathbf{1}_{z > 0}"#, "1[z > 0]"),
        (#"\text{softmax}(z)_i"#, "softmax(z)_i"),
    ])
    func readsNotation(_ tex: String, _ expected: String) throws {
        let math = MathParser.parse(tex)
        let expression = try #require(math.expression, "\(tex) is not one expression")
        #expect(expression.plain == expected)
        #expect(math.diagnostics.isEmpty, "\(math.diagnostics)")
    }

    @Test func derivativeIsAnExplicitNode() throws {
        let expression = try #require(MathParser.parse(#"\frac{\partial^2 E}{\partial x_1^2}"#).expression)
        guard case .derivative(let derivative) = expression.kind else {
            Issue.record("not a derivative: \(expression.kind)")
            return
        }
        #expect(derivative.notation == .partial)
        #expect(derivative.order == 2)
        #expect(derivative.variables.map(\.plain) == ["x_1", "x_1"])
        #expect(derivative.operand?.plain == "E")
        #expect(!derivative.isOperatorForm)
    }

    @Test func deltaLeadingBothPartsIsAPartialDerivative() throws {
        let expression = try #require(MathParser.parse(#"\frac{\delta E}{\delta w_1}"#).expression)
        guard case .derivative(let derivative) = expression.kind else {
            Issue.record("not a derivative")
            return
        }
        #expect(derivative.notation == .deltaAsPartial)
        #expect(derivative.isPartial)
    }

    @Test func operatorDerivativeAppliesToTheFactorsAfterIt() throws {
        let expression = try #require(MathParser.parse(#"\frac{d}{dz} f(z) g(z) + 1"#).expression)
        guard case .binary(.add, let lhs, _) = expression.kind, case .derivative(let derivative) = lhs.kind else {
            Issue.record("unexpected shape \(expression.plain)")
            return
        }
        #expect(derivative.isOperatorForm)
        #expect(derivative.operand?.plain == "f(z) * g(z)")
    }

    @Test func sumTakesIndexBoundsAndBody() throws {
        let expression = try #require(MathParser.parse(#"\sum_{m=1}^{k} a_m \cdot b_m + c"#).expression)
        guard case .binary(.add, let lhs, _) = expression.kind, case .bigOperator(let sum) = lhs.kind else {
            Issue.record("unexpected shape \(expression.plain)")
            return
        }
        #expect(sum.operation == .sum)
        #expect(sum.indices.map(\.plain) == ["m"])
        #expect(sum.lowerBound?.plain == "1")
        #expect(sum.upperBound?.plain == "k")
        #expect(sum.body?.plain == "a_m * b_m")
    }

    @Test func matrixWithElidedEntriesIsAPattern() throws {
        let expression = try #require(MathParser.parse(#"\begin{bmatrix} a_1 \\ ... \\ a_k \end{bmatrix}"#).expression)
        guard case .matrix(let matrix) = expression.kind else {
            Issue.record("not a matrix")
            return
        }
        #expect(matrix.environment == "bmatrix")
        #expect(matrix.rows.count == 3)
        #expect(matrix.isPattern)
    }

    @Test(arguments: [
        ("w_{11}", "w_{1,1}", ["1", "1"]),
        ("h_{ij}", "h_{i,j}", ["i", "j"]),
        ("h_{in}", "h_{i,n}", ["i", "n"]),
        ("W_{i+1,m,j}", "W_{i+1,m,j}", ["i + 1", "m", "j"]),
        ("W_{i+1, *,j}", "W_{i+1,*,j}", ["i + 1", "*", "j"]),
        ("x_{(10)}", "x_{10}", ["10"]),
        (#"\delta_k"#, #"\delta_{k}"#, ["k"]),
        (#"\hat{y}_{1}"#, #"\hat{y}_{1}"#, ["1"]),
        (#"\mathbf{W}_{2}"#, #"\hat{y}_{1}"#, ["2"]),
    ])
    func splitsIndicesByTheDocumentedRule(_ tex: String, _ key: String, _ indices: [String]) throws {
        let expression = try #require(MathParser.parse(tex).expression)
        guard case .symbol(let symbol) = expression.kind else {
            Issue.record("not a symbol: \(expression.plain)")
            return
        }
        #expect(symbol.indices.map(\.plain) == indices)
        if !tex.hasPrefix(#"\mathbf"#) { #expect(symbol.key == key) }
    }

    @Test func sameSymbolInTwoPlacesHasTheSameKey() throws {
        let math = MathParser.parse(#"w_{11}^{(2)} x_1 = w_{1,1}^{(2)}"#)
        let left = try #require(math.statements.first?.left)
        let right = try #require(math.statements.first?.steps.first?.right)
        guard case .binary(_, let first, _) = left.kind, case .symbol(let a) = first.kind,
              case .symbol(let b) = right.kind else {
            Issue.record("unexpected shapes")
            return
        }
        #expect(a.key == b.key)
        #expect(a.key == "w_{1,1}^{(2)}")
        #expect(a.familyKey == "w")
    }

    /// Equations in the style of Jekyll backprop posts (Matt Mazur's step-by-step example,
    /// Michael Nielsen's chapter 2), written here from their well-known formulas.
    @Test(arguments: [
        #"net_{h1} = w_1 * i_1 + w_2 * i_2 + b_1 * 1"#,
        #"out_{h1} = \frac{1}{1+e^{-net_{h1}}}"#,
        #"E_{total} = \sum \frac{1}{2}(target - output)^{2}"#,
        #"\frac{\partial E_{total}}{\partial w_{5}} = \frac{\partial E_{total}}{\partial out_{o1}} * \frac{\partial out_{o1}}{\partial net_{o1}} * \frac{\partial net_{o1}}{\partial w_{5}}"#,
        #"w_5^{+} = w_5 - \eta * \frac{\partial E_{total}}{\partial w_{5}}"#,
        #"\delta^L = \nabla_a C \odot \sigma'(z^L)"#,
        #"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)"#,
        #"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j"#,
        #"\sigma'(x) = \sigma(x)(1-\sigma(x))"#,
    ])
    func readsBlogStyleBackprop(_ tex: String) {
        let math = MathParser.parse(tex, in: SourceFile(path: "<post>", text: tex), at: 0, names: ["net", "out", "total", "target", "output"])
        #expect(math.diagnostics.isEmpty, "\(math.diagnostics)")
        #expect(math.isFullyInterpreted)
        #expect(math.relations.count == 1)
    }
}
