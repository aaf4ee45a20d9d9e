import Benchmark
import Diagnostics
import Notebook
import Verify

/// The checker's targets (issue: "Verify derivations"):
/// - one identity over every (i, j) of a 784-256-128-10 network at 5 draws: at most 100 ms;
/// - a note of 50 equations: at most 20 ms of checking.
/// And issue 16 ("Matrix calculus"):
/// - a matrix-form note of 50 equations: under 50 ms;
/// - one identity over 256×784 matrices (3 draws, the engine's BLAS): under 100 ms.
/// Parsing happens outside the measured loop; only `Verifier.check` is timed.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 50)

    let identity = Notebook(parsing: SourceFile(path: "identity.md", text: """
        ```nb
        network: 784 -> 256 -> 128 -> 10
        activation: tanh
        output: softmax
        loss: cross-entropy
        ```

        $$
        \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} = \\sum_{m=1}^{n_{i+1}} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} W_{i+1,m,j}
        $$
        """))
    Benchmark("identity over every (i, j) of 784-256-128-10, 5 draws") { benchmark in
        var verifier = Verifier(seed: 7)
        verifier.drawCount = 5
        for _ in benchmark.scaledIterations {
            let report = verifier.check(identity)
            precondition(report.count(.verified) == 1, "the identity must verify")
            blackHole(report)
        }
    }

    let fiftyEquations = Notebook(parsing: SourceFile(path: "fifty.md", text: fiftyEquationNote()))
    Benchmark("a note of 50 equations") { benchmark in
        let verifier = Verifier(seed: 7)
        for _ in benchmark.scaledIterations {
            let report = verifier.check(fiftyEquations)
            precondition(report.count(.failed) == 0 && report.count(.verified) >= 20, "the note must verify")
            blackHole(report)
        }
    }

    let matrixNote = Notebook(parsing: SourceFile(path: "matrix-fifty.md", text: fiftyMatrixEquationNote()))
    Benchmark("a matrix-form note of 50 equations") { benchmark in
        let verifier = Verifier(seed: 7)
        for _ in benchmark.scaledIterations {
            let report = verifier.check(matrixNote)
            precondition(report.count(.failed) == 0 && report.count(.unchecked) == 0 && report.count(.verified) == 20,
                         "the matrix note must verify")
            blackHole(report)
        }
    }

    let largeMatrices = Notebook(parsing: SourceFile(path: "matrix-identity.md", text: """
        $\\mathbf{W} \\in \\mathbb{R}^{256 \\times 784}$, $\\mathbf{x} \\in \\mathbb{R}^{784}$, $\\mathbf{v} \\in \\mathbb{R}^{256}$

        $$ E = \\mathbf{v}^T \\tanh(\\mathbf{W}\\mathbf{x}) $$

        $$ \\frac{\\partial E}{\\partial \\mathbf{W}} = \\left(\\mathbf{v} \\odot (\\mathbf{1} - \\tanh(\\mathbf{W}\\mathbf{x}) \\odot \\tanh(\\mathbf{W}\\mathbf{x}))\\right) \\mathbf{x}^T $$
        """))
    Benchmark("one identity over 256×784 matrices, 3 draws") { benchmark in
        let verifier = Verifier(seed: 7)
        for _ in benchmark.scaledIterations {
            let report = verifier.check(largeMatrices)
            precondition(report.count(.verified) == 1, "the identity must verify")
            blackHole(report)
        }
    }
}

/// Ten one-layer networks in matrix form, each with five displays: the layer, the loss, and
/// the gradients of the weight matrix and the bias (sizes m and n drawn once for the note).
func fiftyMatrixEquationNote() -> String {
    var text = "# Fifty matrix equations\n\n"
    text += "$\\mathbf{W} \\in \\mathbb{R}^{m \\times n}$, $\\mathbf{x} \\in \\mathbb{R}^{n}$, $\\mathbf{y} \\in \\mathbb{R}^{m}$\n\n"
    for _ in 0..<10 {
        text += """
            <!-- nb: fresh -->
            $$ \\mathbf{z} = \\mathbf{W}\\mathbf{x} + \\mathbf{b} $$

            $$ \\mathbf{h} = \\tanh(\\mathbf{z}) $$

            $$ L = \\frac{1}{2}\\|\\mathbf{h} - \\mathbf{y}\\|^2 $$

            $$ \\frac{\\partial L}{\\partial \\mathbf{W}} = ((\\mathbf{h} - \\mathbf{y}) \\odot (\\mathbf{1} - \\mathbf{h} \\odot \\mathbf{h})) \\mathbf{x}^T $$

            $$ \\nabla_{\\mathbf{b}} L = (\\mathbf{h} - \\mathbf{y}) \\odot (\\mathbf{1} - \\mathbf{h} \\odot \\mathbf{h}) $$


            """
    }
    return text
}

/// Ten two-layer scalar networks, each with five displays: definitions, the error,
/// and chain-rule derivatives written out.
func fiftyEquationNote() -> String {
    var text = "# Fifty equations\n\n"
    // One-letter subscripts: `h_10` would be h_1 times 0, as in TeX.
    for n in "abcdefghij" {
        text += """
            <!-- nb: fresh -->
            $$ h_\(n) = w_1 x $$

            $$ y = w_2 h_\(n) $$

            $$ E = \\frac{1}{2} (t - y)^2 $$

            $$ \\frac{\\partial E}{\\partial w_1} = \\frac{\\partial E}{\\partial y} \\frac{\\partial y}{\\partial h_\(n)} \\frac{\\partial h_\(n)}{\\partial w_1} = -(t - y) w_2 x $$

            $$ \\frac{\\partial E}{\\partial w_2} = -(t - y) h_\(n) $$


            """
    }
    return text
}
