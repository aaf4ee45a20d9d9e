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
}
