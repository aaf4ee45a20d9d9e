import Testing
@testable import MathSyntax

/// Printing to LaTeX and parsing again gives the same tree, ranges aside.
struct RoundTripTests {
    static let equations: [String] = SeedNote.displays + SeedNote.inline + [
        #"\frac{\partial E}{\partial w_1} = -(t_1 - y_1) h_1"#,
        #"\frac{dE}{dw} = \frac{d}{dz} f(z) \cdot 2"#,
        #"\frac{\partial^2 E}{\partial w_{11}^2}"#,
        #"\frac{\partial^2 f}{\partial x \partial y}"#,
        #"\frac{\delta E}{\delta w_1} = \frac{\delta}{\delta w_1}(t - y)^2"#,
        #"\partial_x f(x)"#,
        #"w_{11}^2x_1 + w_{12}^2 x_2 + b^2"#,
        #"y = \sigma(W^{(l)} x + b^{(l)})"#,
        #"\hat y = \operatorname{softmax}(z)"#,
        #"\mathcal{L} = -\sum_k y_k \log \hat y_k"#,
        #"\tanh^2 z + \exp(-x) e^{x} \ln x"#,
        #"\|x - y\|^2 = |a| \sqrt[3]{x}"#,
        #"\begin{bmatrix} a & \cdots & b \\ \vdots & \ddots & \vdots \end{bmatrix}^T"#,
        #"\delta^L = \nabla_a C \odot \sigma'(z^L)"#,
        #"a \times b \cdot c / d * e"#,
        #"x_{(10)} = x_{i-1,j}"#,
        #"i^{th} \quad x^* \quad \mathbf{W}_2 \quad \bar{x}"#,
        #"\max(0, x) = \min_i x_i"#,
        #"\prod_{i=1}^{n} (1 + x_i)"#,
        #"a \approx b \leq c := d"#,
        #"\left( \frac{a}{b} \right) \left[ c \right] \{ d \}"#,
        #"[..., g'(a_{ik}), ...]"#,
    ]

    @Test(arguments: equations)
    func latexPrintsBackToTheSameTree(_ tex: String) throws {
        let first = MathParser.parse(tex)
        for statement in first.statements {
            let printed = LaTeXPrinter.print(statement)
            let again = MathParser.parse(printed)
            #expect(again.statements.count == 1, "\(printed)")
            guard let reparsed = again.statements.first else { continue }
            #expect(reparsed.left?.withoutRanges == statement.left?.withoutRanges, "\(printed)")
            #expect(reparsed.steps.map(\.right.withoutRanges) == statement.steps.map(\.right.withoutRanges), "\(printed)")
            #expect(reparsed.steps.map(\.relation) == statement.steps.map(\.relation))
        }
    }

    @Test(arguments: [
        ("w_{11}^2x_1", "w_{11}^{2} x_{1}"),
        (#"\frac{\partial E}{\partial w_1}"#, #"\frac{\partial E}{\partial w_{1}}"#),
        (#"\frac{d}{dz} f(z)"#, #"\frac{d}{d z} f(z)"#),
        ("W_{i+1,m,j}", "W_{i+1,m,j}"),
        (#"\sum_{m=1}^{k} a_m"#, #"\sum_{m=1}^{k} a_{m}"#),
        (#"x^\intercal"#, #"x^{\top}"#),
    ])
    func printsCanonicalLaTeX(_ tex: String, _ expected: String) throws {
        let expression = try #require(MathParser.parse(tex).expression)
        #expect(expression.latex == expected)
    }
}
