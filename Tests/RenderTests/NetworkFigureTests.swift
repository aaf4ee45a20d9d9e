import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Render

@Test func aNetworkCellShowsItsNetwork() throws {
    let text = """
        # A network

        ```nb {#net}
        network: 3 -> 5 -> 2
        activation: tanh
        ```

        ```nb {#hidden hide}
        network: 4 -> 4
        ```
        """
    let notebook = Notebook(parsing: SourceFile(path: "net.md", text: text))
    let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
    let theme = try Theme(directory: Corpus.repository + "/site")
    let page = try PageRenderer(theme: theme, typesetter: typesetter).render(notebook, root: NSTemporaryDirectory(), outputPath: NSTemporaryDirectory() + "net.html")
    #expect(page.html.contains("<figure class=\"nb-figure nb-network\"><svg"))
    #expect(page.html.contains("<figcaption>The network of this note: 3–5–2, with weights W<sub>i</sub> and biases b<sub>i</sub> drawn by nbrun.</figcaption></figure>"))
    // One circle per neuron; the hidden cell shows neither its code nor its network.
    #expect(page.html.components(separatedBy: "<circle class=\"nb-neuron\"").count - 1 == 10)
    #expect(!page.html.contains("network: 4 -&gt; 4"))
    #expect(page.html.contains("<link rel=\"stylesheet\" href=\"diagrams.css\">"))
}

private enum Corpus {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
