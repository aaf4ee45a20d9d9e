import Benchmark
import Diagnostics
import Notebook
import Verify

/// The checker's targets (issue: "Verify derivations"):
/// - one identity over every (i, j) of a 784-256-128-10 network at 5 draws: at most 100 ms;
/// - a note of 50 equations: at most 20 ms of checking.
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
