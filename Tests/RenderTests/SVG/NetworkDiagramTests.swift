import Testing
@testable import Render

private func count(_ fragment: String, in text: String) -> Int {
    text.components(separatedBy: fragment).count - 1
}

@Test func smallNetworkDrawsEveryNeuronAndEdge() {
    let svg = NetworkDiagram(layers: [3, 5, 4, 6, 2], layerNames: ["x", "h_1", "h_2", "h_3", "\\hat{y}"], idPrefix: "net").svg
    #expect(count("<circle class=\"nb-neuron\"", in: svg) == 3 + 5 + 4 + 6 + 2)
    #expect(count("<line class=\"nb-edge\"", in: svg) == 3 * 5 + 5 * 4 + 4 * 6 + 6 * 2)
    // 2 × 44 margin + 4 × 110 between columns; 6 rows of 36 under a 20 top margin, names below.
    #expect(svg.contains("id=\"net\" viewBox=\"0 0 528 256\""))
    // The 3-neuron column is centred against the 6-neuron one: 33 + 1.5 × 36.
    #expect(svg.contains("<circle class=\"nb-neuron\" cx=\"44\" cy=\"87\" r=\"13\""))
    #expect(svg.contains("<line class=\"nb-edge\" x1=\"57\" y1=\"87\" x2=\"141\" y2=\"51\"/>"))
    #expect(svg.contains(">h<tspan dy=\"3.9\" font-size=\"9.8\">1</tspan></text>"))
    #expect(svg.contains("aria-label=\"Network 3–5–4–6–2\""))
    #expect(svg.contains("<desc id=\"net-desc\">layer 0 x: 3 neurons; layer 1 h₁: 5 neurons;"))
    #expect(svg == NetworkDiagram(layers: [3, 5, 4, 6, 2], layerNames: ["x", "h_1", "h_2", "h_3", "\\hat{y}"], idPrefix: "net").svg)
}

@Test func wideLayersAreElidedButKeepHighlightedNeurons() {
    let diagram = NetworkDiagram(layers: [784, 256, 10], highlightedNeurons: [.init(layer: 1, index: 100)])
    #expect(diagram.slots(ofLayer: 0) == (0..<5).map { .neuron($0) } + [.gap(hidden: 774)] + (779..<784).map { .neuron($0) })
    #expect(diagram.slots(ofLayer: 1) == (0..<5).map { .neuron($0) } + [.gap(hidden: 95), .neuron(100), .gap(hidden: 150)] + (251..<256).map { .neuron($0) })
    #expect(diagram.slots(ofLayer: 2) == (0..<10).map { .neuron($0) })
    let svg = diagram.svg
    #expect(count("<line class=\"nb-edge\"", in: svg) == 10 * 11 + 11 * 10)
    #expect(count(">⋮</text>", in: svg) == 3)
    #expect(svg.contains(">10 of 784</text>") && svg.contains(">11 of 256</text>"))
    #expect(count("class=\"nb-neuron nb-highlight\"", in: svg) == 1)
}

@Test func deepNetworksElideMiddleLayers() {
    let diagram = NetworkDiagram(layers: Array(repeating: 2, count: 10_000))
    #expect(diagram.columns == (0..<5).map { .layer($0) } + [.gap(hidden: 9_990)] + (9_995..<10_000).map { .layer($0) })
    let svg = diagram.svg
    #expect(count("<circle class=\"nb-neuron\"", in: svg) == 20)
    #expect(count("<line class=\"nb-edge\"", in: svg) == 8 * 4) // no edges into or out of the gap
    #expect(svg.contains(">9990 more</text>"))
}

@Test(arguments: [[], [0], [0, -3, 10_000], [1], [Int.max, 1]])
func degenerateSizesDrawSomethingAndDoNotTrap(_ layers: [Int]) {
    let svg = NetworkDiagram(layers: layers, layerNames: ["a"]).svg
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    if layers.isEmpty { #expect(svg.contains(">no layers</text>") && svg.contains("aria-label=\"Network with no layers\"")) }
}

@Test func highlightedEdgesAreThickOnTopAndTheRestDimmed() {
    let edge = NetworkDiagram.Edge(layer: 1, to: 0, from: 0)
    let svg = NetworkDiagram(layers: [2, 2], edgeLabels: [edge: "w_{11}^1"], highlightedEdges: [edge]).svg
    #expect(svg.contains("<g class=\"nb-edges nb-dim\""))
    let hot = svg.components(separatedBy: "<g class=\"nb-edges nb-highlight\" stroke=\"currentColor\" stroke-width=\"2.5\">\n")
    #expect(hot.count == 2)
    #expect(hot.last?.hasPrefix("<line class=\"nb-edge\" x1=\"57\" y1=\"33\" x2=\"181\" y2=\"33\"/>\n</g>") == true)
    #expect(svg.contains("class=\"nb-edge-label nb-halo nb-highlight\""))
    #expect(svg.contains("Highlighted: w₁₁¹."))
}

@Test func weightNotationLabelsEdgesInTheNotesConvention() {
    let nielsen = NetworkDiagram.WeightNotation(symbol: "w", layerBase: 1, indexBase: 1)
    #expect(nielsen.label(for: .init(layer: 1, to: 0, from: 0)) == "w^{2}_{11}")
    #expect(nielsen.label(for: .init(layer: 1, to: 9, from: 10)) == "w^{2}_{10,11}")
    let svg = NetworkDiagram(layers: [2, 3], weightNotation: .init(symbol: "W")).svg
    #expect(count("class=\"nb-edge-label nb-halo\"", in: svg) == 6)
    #expect(svg.contains(">W<tspan dy=\"-4\" font-size=\"7.5\">1</tspan><tspan dx=\"-4.5\" dy=\"7\" font-size=\"7.5\">12</tspan></text>"))
}

@Test func userTextIsEscaped() {
    let svg = NetworkDiagram(layers: [1, 1], layerNames: ["<script>alert(1)</script>"], neuronLabels: [.init(layer: 0, index: 0): "a&b"],
                             title: "\"><svg onload=x>").svg
    #expect(!svg.contains("<script>") && !svg.contains("<svg onload"))
    #expect(svg.contains("&lt;script&gt;") && svg.contains(">a&amp;b</text>"))
}

@Test func aMNISTSizedNetworkIsQuick() {
    let diagram = NetworkDiagram(layers: [784, 256, 10], layerNames: ["x", "h", "\\hat{y}"])
    _ = diagram.svg
    let clock = ContinuousClock()
    let elapsed = clock.measure { for _ in 0..<10 { _ = diagram.svg } }
    // Well under a millisecond each when optimised; generous for debug builds on a busy machine.
    #expect(elapsed < .milliseconds(200), "10 diagrams took \(elapsed)")
}
