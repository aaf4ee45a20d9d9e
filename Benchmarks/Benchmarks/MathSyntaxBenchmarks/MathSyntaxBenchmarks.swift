import Benchmark
import Diagnostics
import MathSyntax

/// Typical derivation equations, as notes write them (the seed note's and a backprop post's).
let equations: [String] = [
    #"\frac{\partial E}{\partial w_1} = -(t_1 - y_1) h_1"#,
    #"\frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} = \sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} \frac{\partial a_{i+1,m}}{\partial h_{ij}}"#,
    #"= \sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} W_{i+1,m,j}"#,
    #"\nabla_{a_{i}} \mathcal{L}(\theta) = \nabla_{h_i} \mathcal{L}(\theta)  \odot [...,g'(a_{ik}),...]"#,
    #"y_1 = w_{11}^2 x_1 + w_{12}^2 x_2 + b_1"#,
    #"h_1 = \sigma(z_1) = \frac{1}{1 + e^{-z_1}}"#,
    #"\frac{d}{dz} \tanh z = 1 - \tanh^2 z"#,
    #"E = \frac{1}{2} \sum_k (t_k - y_k)^2"#,
    #"\delta_k = (y_k - t_k) g'(a_k)"#,
    #"\frac{\delta E}{\delta w_{jk}} = \delta_k h_j"#,
    #"(W_{i+1, *,j})^{T} \nabla_{a_{i+1}} \mathcal{L}(\theta)"#,
    #"\hat y = \operatorname{softmax}(W^{(L)} h + b^{(L)})"#,
    #"\frac{\partial \mathcal{L}(\theta)}{\partial a_{ij}} = \frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} g'(a_{ij})"#,
    #"z = w_2 x_1 + 2x"#,
]

let benchmarks: @Sendable () -> Void = {
    // One source file holding every equation, parsed cell by cell as nbrun does.
    let text = equations.map { "$$\($0)$$\n" }.joined()
    let source = SourceFile(path: "notes/backprop-derivation.md", text: text)
    var cells: [(String, Int)] = []
    var offset = 0
    for equation in equations {
        cells.append((equation, offset + 2))
        offset += equation.utf8.count + 5
    }
    let fixedCells = cells

    // Each iteration parses one equation, so throughput is equations per second.
    let parseEach: @Sendable (Benchmark) -> Void = { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            let (tex, start) = fixedCells[index]
            blackHole(MathParser.parse(tex, in: source, at: start))
            index = index + 1 == fixedCells.count ? 0 : index + 1
        }
    }
    Benchmark(
        "Parse typical equations",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                             scalingFactor: .kilo, maxDuration: .seconds(5)),
        closure: parseEach
    )
    // The same work timed without counting mallocs, whose bookkeeping would be timed too.
    Benchmark(
        "Parse typical equations, time only",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(5)),
        closure: parseEach
    )
}
