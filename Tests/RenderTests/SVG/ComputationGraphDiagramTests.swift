import Testing
@testable import Render

private func count(_ fragment: String, in text: String) -> Int {
    text.components(separatedBy: fragment).count - 1
}

private let chain = ComputationGraph(
    nodes: [.init(id: "x", label: "x", kind: .input), .init(id: "h", label: "h"), .init(id: "y", label: "y", kind: .output), .init(id: "E", label: "E", kind: .loss)],
    edges: [.init(from: "x", to: "h", label: "w_1"), .init(from: "h", to: "y", label: "w_2"), .init(from: "y", to: "E")]
)

@Test func aChainIsOneRowOfNodesJoinedByArrows() {
    let diagram = ComputationGraphDiagram(chain, idPrefix: "chain")
    let geometry = diagram.geometry
    // Layers 110 + label width apart (here 40 + 13.5 + 40 → 110 minimum), all on one row.
    #expect(geometry.nodes[0] == .init(x: 36, y: 38, width: 40))
    #expect(geometry.nodes[1] == .init(x: 146, y: 38, width: 40))
    #expect(geometry.nodes[3]?.x == 366)
    let svg = diagram.svg
    #expect(count("<path class=\"nb-arrow\" ", in: svg) == 3)
    #expect(svg.contains("<marker id=\"chain-arrow\" ") && svg.contains("<marker id=\"chain-arrow-hi\" "))
    // x's right side to h's left side, a horizontal curve, ending in the arrowhead.
    #expect(svg.contains("<path class=\"nb-arrow\" d=\"M56 38C91 38 91 38 126 38\" marker-end=\"url(#chain-arrow)\"/>"))
    #expect(svg.contains(">w<tspan dy=\"3.6\" font-size=\"9\">1</tspan></text>"))
    #expect(svg.contains("aria-label=\"Computation graph of x, h, y, E\""))
    #expect(svg.contains("x → h (w₁); h → y (w₂); y → E."))
}

@Test func kindsHaveTheirOwnShapesAndALegend() {
    let svg = ComputationGraphDiagram(chain).svg
    #expect(svg.contains("<rect class=\"nb-node nb-input\" x=\"16\" y=\"20\" width=\"40\" height=\"36\" rx=\"18\""))
    #expect(svg.contains("<rect class=\"nb-node nb-intermediate\" x=\"126\" y=\"20\" width=\"40\" height=\"36\" rx=\"9\""))
    #expect(count("class=\"nb-node-inner nb-output\"", in: svg) == 2) // in the graph and in the legend
    #expect(count("class=\"nb-node-inner nb-loss\"", in: svg) == 2)
    #expect(svg.contains(">input</text>") && svg.contains(">loss</text>") && !svg.contains(">parameter</text>"))
}

@Test func highlightedPathsAreDashedThickAndTheRestDimmed() {
    let svg = ComputationGraphDiagram(chain, highlightedPaths: [["x", "h", "y"]], idPrefix: "hi").svg
    #expect(count("<path class=\"nb-arrow nb-highlight\"", in: svg) == 2)
    #expect(count("marker-end=\"url(#hi-arrow-hi)\" stroke-width=\"2.5\" stroke-dasharray=\"7 3\"", in: svg) == 2)
    #expect(count("<path class=\"nb-arrow\" ", in: svg) == 1)
    #expect(svg.contains("<g class=\"nb-edges nb-dim\""))
    #expect(svg.contains("<g class=\"nb-input nb-highlight\"><rect class=\"nb-node nb-input nb-highlight\""))
    #expect(svg.contains("<g class=\"nb-loss nb-dim\">"))
    #expect(svg.contains("Highlighted: x → h → y."))
    // A path naming an unknown node or a missing edge highlights nothing of its own.
    let unknown = ComputationGraphDiagram(chain, highlightedPaths: [["x", "nowhere"]]).svg
    #expect(!unknown.contains("nb-arrow nb-highlight") && !unknown.contains("nb-dim"))
}

@Test func longEdgesBendThroughDummiesAndCyclesArcBelow() {
    let sample = ComputationGraphDiagram(PreviewFigures.sampleGraph).svg
    // t → E crosses three layers: three cubic segments.
    let paths = sample.components(separatedBy: "<path class=\"nb-arrow\" d=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
    #expect(paths.last == "M56 148C101 148 101 181 146 181C201 181 201 214 256 214C311 214 311 148 366 148C411 148 411 119 456 119")
    let cycle = ComputationGraphDiagram(ComputationGraph(
        nodes: [.init(id: "a", label: "a", kind: .input), .init(id: "b", label: "b")],
        edges: [.init(from: "a", to: "b"), .init(from: "b", to: "a", label: "back")]
    )).svg
    #expect(count("nb-back-edge", in: cycle) == 1)
    #expect(cycle.contains(">back</text>"))
}

@Test func emptyAndHostileGraphsStillDraw() {
    let empty = ComputationGraphDiagram(ComputationGraph(nodes: [], edges: [])).svg
    #expect(empty.contains(">no quantities</text>") && empty.contains("aria-label=\"Empty computation graph\""))
    let hostile = ComputationGraphDiagram(ComputationGraph(
        nodes: [.init(id: "<a>", label: "<script>", kind: .input)], edges: [.init(from: "<a>", to: "<a>", label: "<b>")]
    ), idPrefix: "\"><x").svg
    #expect(!hostile.contains("<script>") && !hostile.contains("<b>") && hostile.contains("id=\"d---x\""))
}

@Test func sameGraphSameBytes() {
    let graph = PreviewFigures.sampleGraph
    #expect(ComputationGraphDiagram(graph, highlightedPaths: graph.paths(from: "x")).svg
        == ComputationGraphDiagram(graph, highlightedPaths: graph.paths(from: "x")).svg)
}

@Test func pathSumFigureListsEachPathItsProductAndTheTotal() {
    let graph = PreviewFigures.sampleGraph
    let figure = PathSumFigure(
        graph: graph, gradientLabel: "\\partial E/\\partial w_1",
        terms: [
            .init(path: ["x", "z1", "h1", "y", "E"], factors: ["x", "\\sigma'(z_1)", "v_1"], value: 0.0123456789),
            .init(path: ["x", "z2", "h2", "y", "E"], factors: ["x", "\\sigma'(z_2)", "v_2"], value: -0.5),
        ],
        total: -0.4876543211, gradient: -0.48765432, idPrefix: "sum"
    ).html
    #expect(figure.hasPrefix("<figure class=\"nb-figure nb-path-sum\" id=\"sum\">\n<svg "))
    #expect(figure.contains("id=\"sum-graph\""))
    #expect(figure.contains("aria-label=\"Computation graph with the 2 paths of ∂E/∂w₁ highlighted\""))
    #expect(figure.contains("<caption>∂E/∂w<sub>1</sub> as a sum over paths: ∂E/∂w<sub>1</sub> = x · σ′(z<sub>1</sub>) · v<sub>1</sub> + x · σ′(z<sub>2</sub>) · v<sub>2</sub></caption>"))
    #expect(figure.contains("<tr><td>1</td><td>x → z<sub>1</sub> → h<sub>1</sub> → y\u{0302} → E</td><td>x · σ′(z<sub>1</sub>) · v<sub>1</sub></td><td class=\"nb-value\">0.0123457</td></tr>"))
    #expect(figure.contains("<td class=\"nb-value\">−0.5</td>"))
    #expect(figure.contains("<tr class=\"nb-total\"><th scope=\"row\" colspan=\"3\">sum over paths</th><td class=\"nb-value\">−0.487654</td></tr>"))
    #expect(figure.contains("<tr class=\"nb-gradient\"><th scope=\"row\" colspan=\"3\">∂E/∂w<sub>1</sub> by backpropagation</th><td class=\"nb-value\">−0.487654</td></tr>"))
    #expect(figure.components(separatedBy: "<path class=\"nb-arrow nb-highlight\"").count - 1 == 7) // y → E is shared

    let none = PathSumFigure(graph: graph, gradientLabel: "g", terms: [], total: 0).html
    #expect(none.contains("no path leads from this weight to the output") && !none.contains("nb-gradient"))
}
