import Diagnostics
import Foundation
import Notebook
import Testing
import Verify
@testable import Render

/// Figures the checker computed, placed in the page after their cell or math.
private func page(_ text: String) throws -> String {
    let notebook = Notebook(parsing: SourceFile(path: "figures.md", text: text))
    let report = Verifier(seed: 7).check(notebook)
    let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
    let theme = try Theme(directory: Place.repository + "/site")
    return try PageRenderer(theme: theme, typesetter: typesetter)
        .render(notebook, root: NSTemporaryDirectory(), outputPath: NSTemporaryDirectory() + "figures.html", report: report).html
}

private enum Place {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

@Test func aPlotFollowsItsCellWithACaption() throws {
    let html = try page("""
        # Plot

        $$
        \\sigma(z) = \\frac{1}{1 + e^{-z}}
        $$

        ```nb
        show: plot \\sigma(z), \\sigma'(z) for z from -6 to 6
        ```

        After.
        """)
    #expect(html.contains("""
        <figure class="nb-cell"><pre><code class="language-nb">show: plot \\sigma(z), \\sigma&#39;(z) for z from -6 to 6
        </code></pre></figure>
        <figure class="nb-figure nb-plot"><svg
        """))
    #expect(html.contains("<figcaption>σ(z) and σ′(z) for z from −6 to 6, computed by nbrun from the definitions above.</figcaption></figure>\n<p>After.</p>"))
    // Two series, 241 points each, one path per series.
    #expect(html.components(separatedBy: "<path class=\"nb-series nb-series-").count - 1 == 2)
}

@Test func aHiddenCellShowsOnlyItsFigure() throws {
    let html = try page("""
        # Hidden

        ```nb {hide}
        show: plot \\tanh(x) for x from -3 to 3
        ```
        """)
    #expect(!html.contains("language-nb"))
    #expect(html.contains("<figure class=\"nb-figure nb-plot\"><svg"))
    #expect(html.contains("<figcaption>tanh(x) for x from −3 to 3, computed by nbrun from the definitions above.</figcaption></figure>"))
}

@Test func aTrainingCellShowsItsLossCurve() throws {
    let html = try page("""
        # XOR

        ```nb
        network: 2 -> 4 -> 1
        activation: tanh
        output: sigmoid
        seed: 3
        train: data=xor steps=2000 rate=0.5 optimizer=adam batch=4 seed=3
        ```
        """)
    #expect(html.contains("<figcaption>The network of this note: 2–4–1, with weights W<sub>i</sub> and biases b<sub>i</sub> drawn by nbrun.</figcaption></figure>\n<figure class=\"nb-figure nb-training\"><svg"))
    #expect(html.contains("<figcaption>Training the 2–4–1 network on xor (4 points) for 2000 steps with Adam (rate 0.5, batch 4, seed 3). Gradient check: backpropagation matches central differences to 1.14e−8. Final loss 3.69e−7, accuracy 100 %.</figcaption></figure>"))
    // The loss falls over more than two decades: a logarithmic axis.
    #expect(html.contains("y on a logarithmic scale."))
}

@Test func aPathSumShowsTheGraphTheTableAndTheCheck() throws {
    let html = try page("""
        # Paths

        $$
        h = w_1 x \\qquad y = w_2 h
        $$

        $$
        E = \\frac{1}{2} (t - y)^2
        $$

        ```nb
        show: paths w_1 -> E
        ```
        """)
    #expect(html.contains("<figure class=\"nb-figure nb-paths\" id=\"nb-figure-12-1\">\n<svg"))
    #expect(html.contains("<figcaption>∂E/∂w<sub>1</sub> as the sum over its path through the computation graph: "))
    #expect(html.contains(", the same as backpropagation (verified).</figcaption>\n</figure>\n"))
    #expect(html.contains("<tr><td>1</td><td>w<sub>1</sub> → h → y → E</td><td>∂h/∂w<sub>1</sub> · ∂y/∂h · ∂E/∂y</td>"))
    // Asked for, so no second graph without asking.
    #expect(!html.contains("nb-figure nb-graph"))
}

@Test func aScalarNoteGetsItsGraphAfterTheMathOfItsLastQuantity() throws {
    let text = """
        # Chain

        $$
        h = w_1 x
        $$

        $$
        y = w_2 h
        $$

        $$
        E = \\frac{1}{2} (t - y)^2
        $$

        $$
        \\frac{\\partial E}{\\partial w_1} = -(t - y) w_2 x
        $$
        """
    let html = try page(text)
    let graph = try #require(html.range(of: "<figure class=\"nb-figure nb-graph\"><svg"))
    let last = try #require(html.range(of: "data-line=\"11\""))
    let after = try #require(html.range(of: "data-line=\"15\""))
    #expect(last.upperBound < graph.lowerBound && graph.upperBound < after.lowerBound)
    #expect(html.contains("<figcaption>The computation graph of the definitions above: 3 defined quantities and 4 inputs, an arrow from each quantity to each definition that uses it.</figcaption></figure>\n<div class=\"math display\" data-line=\"15\">"))
    #expect(try !page(text + "\n\n<!-- nb: no-graph -->\n").contains("nb-graph"))
}
