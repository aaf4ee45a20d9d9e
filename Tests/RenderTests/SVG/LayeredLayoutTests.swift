import Testing
@testable import Render

private func graph(_ nodes: [(String, ComputationGraph.Kind)], _ edges: [(String, String)]) -> ComputationGraph {
    ComputationGraph(nodes: nodes.map { .init(id: $0.0, label: $0.0, kind: $0.1) }, edges: edges.map { .init(from: $0.0, to: $0.1) })
}

@Test func aChainTakesOneLayerPerStep() {
    let layout = LayeredLayout(graph([("x", .input), ("h", .intermediate), ("y", .output), ("E", .loss)], [("x", "h"), ("h", "y"), ("y", "E")]))
    #expect(layout.layerOfNode == [0, 1, 2, 3])
    #expect(layout.layers == [[.node(0)], [.node(1)], [.node(2)], [.node(3)]])
    #expect(layout.backEdges.isEmpty)
}

@Test func parametersSitJustBeforeTheirFirstUseAndInputsStayLeft() {
    let layout = LayeredLayout(graph(
        [("x", .input), ("w", .parameter), ("h", .intermediate), ("t", .input), ("E", .loss)],
        [("x", "h"), ("w", "E"), ("h", "E"), ("t", "E")]
    ))
    #expect(layout.layerOfNode == [0, 1, 1, 0, 2])
    // t → E spans two layers: one dummy in layer 1.
    #expect(layout.routes[3] == [.node(3), .dummy(edge: 3, layer: 1), .node(4)])
}

@Test func cyclesBecomeBackEdgesInsteadOfHanging() {
    let layout = LayeredLayout(graph([("a", .input), ("b", .intermediate), ("c", .intermediate)], [("a", "b"), ("b", "c"), ("c", "b"), ("b", "b")]))
    #expect(layout.layerOfNode == [0, 1, 2])
    #expect(layout.backEdges == [2])
    #expect(layout.routes.keys.sorted() == [0, 1])
}

@Test func unknownIdsRepeatsAndDuplicatesAreIgnored() {
    let layout = LayeredLayout(graph([("a", .input), ("b", .intermediate), ("a", .loss)], [("a", "b"), ("a", "b"), ("a", "nowhere")]))
    #expect(layout.layerOfNode == [0, 1, -1])
    #expect(layout.routes.keys.sorted() == [0])
}

@Test func barycentreOrderingRemovesACrossing() {
    // a → d and b → c cross in the first-come order [c, d]; swapping fixes it.
    let layout = LayeredLayout(graph([("a", .input), ("b", .input), ("c", .intermediate), ("d", .intermediate)], [("a", "d"), ("b", "c")]))
    #expect(layout.layers[1] == [.node(3), .node(2)])
    let successors: [LayeredLayout.Vertex: [LayeredLayout.Vertex]] = [.node(0): [.node(3)], .node(1): [.node(2)]]
    #expect(LayeredLayout.crossings(layout.layers, successors: successors) == 0)
    #expect(LayeredLayout.crossings([[.node(0), .node(1)], [.node(2), .node(3)]], successors: successors) == 1)
}

@Test func pathsRunFromAWeightToEveryOutput() {
    let sample = PreviewFigures.sampleGraph
    #expect(sample.paths(from: "x") == [["x", "z1", "h1", "y", "E"], ["x", "z2", "h2", "y", "E"]])
    #expect(sample.paths(from: "b") == [["b", "y", "E"]])
    #expect(sample.paths(from: "E") == [])
    #expect(sample.paths(from: "nowhere") == [])
    let looped = graph([("a", .input), ("b", .intermediate), ("c", .loss)], [("a", "b"), ("b", "a"), ("b", "c")])
    #expect(looped.paths(from: "a") == [["a", "b", "c"]])
    // A long chain walks without recursion.
    let chain = graph((0..<5_000).map { ("n\($0)", .intermediate) }, (0..<4_999).map { ("n\($0)", "n\($0 + 1)") })
    #expect(chain.paths(from: "n0").first?.count == 5_000)
}
