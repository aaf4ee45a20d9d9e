import Foundation
import Testing
@testable import Render

/// Not a check: with `NBRUN_SVG_PREVIEW=/some/folder` set, writes HTML pages
/// of sample figures there (light and dark) to look at in a browser.
/// `swift test --filter DiagramPreview` then e.g.
/// `chromium --headless --screenshot=/tmp/x.png file:///tmp/nbrun-svg/network-light.html`.
@Test func writePreviewPages() throws {
    guard let folder = ProcessInfo.processInfo.environment["NBRUN_SVG_PREVIEW"], !folder.isEmpty else { return }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("site/assets").path
    for (name, body) in PreviewFigures.pages {
        for scheme in ["light", "dark"] {
            let page = """
            <!doctype html><html><head><meta charset="utf-8">
            <link rel="stylesheet" href="file://\(assets)/nbrun.css">
            <link rel="stylesheet" href="file://\(assets)/diagrams.css">
            <meta name="color-scheme" content="\(scheme)">
            </head><body><main class="note">
            \(body)
            </main></body></html>
            """
            try page.write(toFile: "\(folder)/\(name)-\(scheme).html", atomically: true, encoding: .utf8)
        }
    }
}

enum PreviewFigures {
    static var pages: [(String, String)] {
        [
            ("network", network),
            ("graph", graph),
            ("plot", plot),
        ]
    }

    static var network: String {
        let small = NetworkDiagram(
            layers: [3, 5, 4, 6, 2], layerNames: ["x", "h_1", "h_2", "h_3", "\\hat{y}"],
            neuronLabels: [.init(layer: 0, index: 0): "x_1", .init(layer: 0, index: 1): "x_2", .init(layer: 0, index: 2): "x_3"],
            edgeLabels: [.init(layer: 1, to: 0, from: 0): "w_{11}^1", .init(layer: 2, to: 1, from: 0): "w_{21}^2"],
            highlightedEdges: [.init(layer: 1, to: 0, from: 0), .init(layer: 2, to: 1, from: 0)],
            highlightedNeurons: [.init(layer: 1, index: 0)], idPrefix: "small"
        ).svg
        let tiny = NetworkDiagram(layers: [2, 3, 2], layerNames: ["x", "h", "y"],
                                  weightNotation: .init(symbol: "w", layerBase: 1, indexBase: 1), idPrefix: "tiny").svg
        let mnist = NetworkDiagram(layers: [784, 256, 10], layerNames: ["x", "h", "\\hat{y}"],
                                   highlightedNeurons: [.init(layer: 1, index: 100)], idPrefix: "mnist").svg
        let deep = NetworkDiagram(layers: Array(repeating: 4, count: 30), idPrefix: "deep").svg
        return small + tiny + mnist + deep
    }

    /// x → z₁ → h₁ → y → E and x → z₂ → h₂ → y, weights on the edges, target t.
    static var sampleGraph: ComputationGraph {
        ComputationGraph(
            nodes: [
                .init(id: "x", label: "x", kind: .input), .init(id: "t", label: "t", kind: .input),
                .init(id: "z1", label: "z_1"), .init(id: "z2", label: "z_2"),
                .init(id: "h1", label: "h_1"), .init(id: "h2", label: "h_2"),
                .init(id: "y", label: "\\hat{y}", kind: .output), .init(id: "E", label: "E", kind: .loss),
                .init(id: "b", label: "b", kind: .parameter),
            ],
            edges: [
                .init(from: "x", to: "z1", label: "w_1"), .init(from: "x", to: "z2", label: "w_2"),
                .init(from: "z1", to: "h1", label: "\\sigma"), .init(from: "z2", to: "h2", label: "\\sigma"),
                .init(from: "h1", to: "y", label: "v_1"), .init(from: "h2", to: "y", label: "v_2"),
                .init(from: "b", to: "y"), .init(from: "y", to: "E"), .init(from: "t", to: "E"),
            ]
        )
    }

    static var graph: String {
        let graph = sampleGraph
        let plain = ComputationGraphDiagram(graph, idPrefix: "plain").svg
        let chain = ComputationGraphDiagram(ComputationGraph(
            nodes: [.init(id: "x", label: "x", kind: .input), .init(id: "h", label: "h"), .init(id: "y", label: "y", kind: .output), .init(id: "E", label: "E", kind: .loss)],
            edges: [.init(from: "x", to: "h", label: "w_1"), .init(from: "h", to: "y", label: "w_2"), .init(from: "y", to: "E")]
        ), idPrefix: "chain").svg
        let figure = PathSumFigure(
            graph: graph, gradientLabel: "\\partial E/\\partial w_1",
            terms: [.init(path: ["x", "z1", "h1", "y", "E"], factors: ["x", "\\sigma'(z_1)", "v_1", "(\\hat{y} - t)"], value: 0.0123456789)],
            total: 0.0123456789, gradient: 0.0123456788, idPrefix: "sum"
        ).html
        let both = ComputationGraphDiagram(graph, highlightedPaths: [["x", "z1", "h1", "y", "E"], ["x", "z2", "h2", "y", "E"]], idPrefix: "both").svg
        let cycle = ComputationGraphDiagram(ComputationGraph(
            nodes: [.init(id: "a", label: "a", kind: .input), .init(id: "b", label: "b"), .init(id: "c", label: "c")],
            edges: [.init(from: "a", to: "b"), .init(from: "b", to: "c"), .init(from: "c", to: "b", label: "loop")]
        ), idPrefix: "cycle").svg
        return plain + chain + figure + both + cycle
    }

    static var plot: String {
        let sigma = { (x: Double) in 1 / (1 + exp(-x)) }
        let functions = LinePlot(series: [
            .init(name: "\\sigma(x)", from: -6, to: 6) { sigma($0) },
            .init(name: "\\sigma'(x)", from: -6, to: 6) { sigma($0) * (1 - sigma($0)) },
        ], xLabel: "x", idPrefix: "sigmoid").svg
        let losses = (0..<1000).map { step in 2.3 * exp(-Double(step) / 150) + 0.002 + 0.01 * sin(Double(step)) * exp(-Double(step) / 300) }
        let loss = LinePlot(series: [.init(name: "training loss", values: losses),
                                     .init(name: "validation loss", points: stride(from: 0, to: 1000, by: 50).map { .init(x: Double($0), y: 2.4 * exp(-Double($0) / 160) + 0.02) })],
                            xLabel: "step", yLabel: "loss", yScale: .logarithmic, idPrefix: "loss").svg
        let linear = LinePlot(series: [.init(name: "loss", values: losses)], xLabel: "step", yLabel: "E", idPrefix: "loss-linear").svg
        let gaps = LinePlot(series: [.init(name: "\\tanh x / x", from: -3, to: 3, count: 61) { tanh($0) / $0 * ($0 > 1 && $0 < 1.5 ? .nan : 1) },
                                     .init(name: "x^2 - 1", from: -3, to: 3, count: 61) { $0 * $0 - 1 }],
                            xLabel: "x", idPrefix: "gaps").svg
        let empty = LinePlot(series: [.init(name: "nothing", values: [.nan, .infinity])], xLabel: "step", idPrefix: "empty", ).svg
        return functions + loss + linear + gaps + empty
    }
}
