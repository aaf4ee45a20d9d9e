import Benchmark
import Diagnostics
import Foundation
import Notebook
import Render
import Verify

/// A note with `equations` display equations (a mix of single relations,
/// fractions, sums and two-row `align`s with labels) and prose between them.
func fiftyEquationNote(equations: Int = 50) -> String {
    var text = "---\ntitle: Fifty equations\n---\n\n# Fifty equations\n\n"
    for index in 1...equations {
        text += "Step \(index) takes $h_{\(index)}$ and $w_{\(index)}$ from the layer below, as in the output layer.\n\n"
        switch index % 3 {
        case 0:
            text += "$$\n\\frac{\\partial E}{\\partial w_{\(index)}} = -(t_{\(index)} - y_{\(index)}) h_{\(index)}\n$$\n\n"
        case 1:
            text += "$$\n\\frac{\\partial \\mathcal{L}}{\\partial h_{ij}} = \\sum_{m=1}^{n_{\(index)}} \\frac{\\partial \\mathcal{L}}{\\partial a_{m}} W_{m,j}\n\\label{eq:sum\(index)}\n$$\n\n"
        default:
            text += "$$\n\\begin{align}\n\\delta_{\(index)} &= g'(a_{\(index)}) \\sum_k w_{k} \\delta_k \\\\\n  &= (1 - h_{\(index)}^2) \\sum_k w_{k} \\delta_k\n\\end{align}\n$$\n\n"
        }
    }
    return text
}

/// A report for the note as the checker would give it: every relation sign a
/// verified step with a computed value, inputs and the values of `w…`/`h…` symbols.
func handBuiltReport(for notebook: Notebook) -> Report {
    var steps: [StepResult] = []
    let source = notebook.source
    for case .math(let cell) in notebook.cells where cell.display {
        let base = cell.contentRange.start.offset
        let bytes = Array(cell.tex.utf8)
        var symbols: [SymbolValue] = []
        for (index, byte) in bytes.enumerated() where (byte == UInt8(ascii: "w") || byte == UInt8(ascii: "h")) && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "_") {
            var end = index + 2
            if end < bytes.count, bytes[end] == UInt8(ascii: "{"), let close = bytes[end...].firstIndex(of: UInt8(ascii: "}")) { end = close + 1 } else { end += 1 }
            symbols.append(SymbolValue(range: source.range(from: base + index, to: base + end), value: "-0.\(index)17"))
        }
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "=") {
            steps.append(StepResult(
                status: .verified, location: source.range(from: base + index, to: base + index + 1), mathOffset: base,
                left: "∂E/∂w_1", right: "-(t_1 - y_1) * h_1", leftValue: "-0.2315", rightValue: "-0.2315",
                computed: [NamedValue(name: "∂E/∂w_1", value: "-0.2315")],
                inputs: [NamedValue(name: "w_1", value: "0.5"), NamedValue(name: "t_1", value: "1"), NamedValue(name: "h_1", value: "-0.3")],
                symbolValues: symbols
            ))
        }
    }
    return Report(file: notebook.path, seed: 7, steps: steps)
}

let benchmarks: @Sendable () -> Void = {
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let cache = NSTemporaryDirectory() + "nbrun-bench-render-cache"
    // The note in a folder of its own, as in notebooks/: links are resolved by indexing the root folder.
    let folder = NSTemporaryDirectory() + "nbrun-bench-render-notes"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let text = fiftyEquationNote()
    try? text.write(toFile: folder + "/fifty.md", atomically: true, encoding: .utf8)
    let notebook = Notebook(parsing: SourceFile(path: folder + "/fifty.md", text: text))
    let report = handBuiltReport(for: notebook)
    let output = folder + "/fifty.html"

    func renderer() -> PageRenderer? {
        guard let theme = try? Theme(directory: repository + "/site"), let katex = try? KaTeXInstallation.locate() else { return nil }
        return PageRenderer(theme: theme, typesetter: MathTypesetter(katex: katex, cacheDirectory: cache))
    }

    // One `nbrun` run: a new typesetter, so every equation comes from the disk cache.
    Benchmark("Render 50-equation note, warm disk cache, new typesetter",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        guard let first = renderer() else { return }
        _ = try? first.render(notebook, root: folder, outputPath: output)   // warms the disk cache
        let renderers = (0..<benchmark.scaledIterations.count).compactMap { _ in renderer() }
        benchmark.startMeasurement()
        for renderer in renderers {
            blackHole(try? renderer.render(notebook, root: folder, outputPath: output))
        }
    }

    // A process that renders again (build, watch): the typesetter remembers what it read.
    Benchmark("Render 50-equation note, warm math cache",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        guard let renderer = renderer() else { return }
        _ = try? renderer.render(notebook, root: folder, outputPath: output)   // warms the cache
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? renderer.render(notebook, root: folder, outputPath: output))
        }
    }

    Benchmark("Render 50-equation note with check results, warm math cache",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(5))) { benchmark in
        guard let renderer = renderer() else { return }
        _ = try? renderer.render(notebook, root: folder, outputPath: output, report: report)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? renderer.render(notebook, root: folder, outputPath: output, report: report))
        }
    }
}
