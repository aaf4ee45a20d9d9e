import Benchmark
import Diagnostics
import Notebook

/// A note of about `bytes` bytes mixing every dialect the reader handles:
/// prose with Pandoc `$…$` and prices, Obsidian `$$` blocks, kramdown `$$` in
/// text and `\\(…\\)`, `\[…\]`, align environments with labels and `\eqref`,
/// wiki links and embeds, code spans, fenced code, `nb` cells, annotations,
/// lists, tables and headings.
func generatedNote(bytes: Int) -> String {
    var text = "---\ntitle: Generated benchmark note\ntags: [bench, math]\n---\n"
    var section = 0
    while text.utf8.count < bytes {
        section += 1
        text += """
        ## Section \(section): the output layer

        The loss $\\mathcal{L}(\\theta)$ costs $5 and $10 to compute; with weights $w_{11}^2 x_1 * y_1$ \
        and **bold** text, see [[hidden layers|the hidden layers]] and [output](talking-to-output-layer).
        In kramdown one writes $$a_{ij} = b_{ij}$$ inline or \\\\(z_k\\\\) and \\(q_m\\) too.

        <!-- nb: tol = 1e-6; bind g = tanh -->
        $$
        \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} = \\sum_{m=1}^{k} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} W_{i+1,m,j}
        $$

        \\begin{align}
        \\delta_j &= g'(a_j) \\sum_k w_{kj} \\delta_k \\label{eq:delta\(section)} \\\\
        y &= \\sigma(z) \\tag{\(section)}
        \\end{align}

        By \\eqref{eq:delta\(section)} and \\[ \\nabla_{h_i} = W^T \\nabla_{a_{i+1}} \\] the step holds. Use `echo $PATH` for code.

        - [ ] check $a_i$ against \\\\[ b_i \\\\]
        - item with ![[figure-\(section).png]]

        | symbol | meaning |
        |--------|---------|
        | $w_{ij}$ | weight from *j* to *i* |

        ```nb {#cell\(section) hide timeout=5 title="Step \(section)"}
        let x = [1, 2, 3]   // $ not math $
        ```

        ```python
        print("$$ still not math $$")
        ```


        """
    }
    return text
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(10)

    let oneMegabyte = generatedNote(bytes: 1_000_000)
    Benchmark("Parse and extract cells, 1 MB note",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
                                   maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            let notebook = Notebook(parsing: SourceFile(path: "bench.md", text: oneMegabyte))
            blackHole(notebook.cells.count)
        }
    }

    let tenMegabytes = generatedNote(bytes: 10_000_000)
    Benchmark("Parse and extract cells, 10 MB note",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let notebook = Notebook(parsing: SourceFile(path: "bench.md", text: tenMegabytes))
            blackHole(notebook.cells.count)
        }
    }
}
