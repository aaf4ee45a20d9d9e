import Foundation
import Testing
@testable import Render

private func count(_ fragment: String, in text: String) -> Int {
    text.components(separatedBy: fragment).count - 1
}

private func pathData(_ svg: String, series: Int) -> String? {
    let marker = "<path class=\"nb-series nb-series-\(series)\" d=\""
    guard let start = svg.range(of: marker) else { return nil }
    return svg[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
}

@Test func pointsMapIntoThePlotArea() {
    // y ticks "0.0"…"1.0": 3 × 6.6 + 14 = 33.8 left; 18 right; 10 top; 30 bottom.
    let svg = LinePlot(series: [.init(name: "", points: [.init(x: 0, y: 0), .init(x: 1, y: 1)])], width: 200, height: 150).svg
    #expect(pathData(svg, series: 0) == "M33.8 120L182 10")
    #expect(svg.contains("viewBox=\"0 0 200 150\""))
    #expect(svg.contains("<line class=\"nb-axis\" x1=\"33.8\" y1=\"120\" x2=\"182\" y2=\"120\"/>"))
    #expect(count("<text class=\"nb-tick-label\"", in: svg) == 12)
    #expect(!svg.contains("nb-legend"))
}

@Test func sigmoidBesideItsDerivative() {
    let sigma = { (x: Double) in 1 / (1 + exp(-x)) }
    let svg = LinePlot(series: [
        .init(name: "\\sigma(x)", from: -6, to: 6) { sigma($0) },
        .init(name: "\\sigma'(x)", from: -6, to: 6) { sigma($0) * (1 - sigma($0)) },
    ], xLabel: "x", idPrefix: "sigmoid").svg
    #expect(svg.contains("aria-label=\"Plot of σ(x) and σ′(x) against x\""))
    #expect(svg.contains("σ(x): 241 points, x from −6 to 6, y from 0.00247 to 0.998"))
    #expect(count("<path class=\"nb-series nb-series-0\"", in: svg) == 1)
    // The second series is told apart by dashes and square markers, not only colour.
    #expect(svg.contains("class=\"nb-series nb-series-1\" d=\"") && svg.contains("stroke-width=\"2\" stroke-linejoin=\"round\" stroke-dasharray=\"7 4\"/>"))
    #expect(count("<rect class=\"nb-dot\"", in: svg) == 11) // ten along the line (every 24th of 241) and one in the legend
    #expect(count("class=\"nb-legend-label\"", in: svg) == 2)
    #expect(svg.contains(">−6</text>") && svg.contains(">6</text>"))
    // x = 0 is inside the range, y = 0 is its edge: one zero line, vertical.
    #expect(count("class=\"nb-zero\"", in: svg) == 1)
}

@Test func nonFinitePointsBreakTheLine() {
    let svg = LinePlot(series: [.init(name: "y", values: [1, 2, .nan, 4, 5, .infinity, 7])]).svg
    let d = pathData(svg, series: 0) ?? ""
    #expect(d.filter { $0 == "M" }.count == 3)
    #expect(d.filter { $0 == "L" }.count == 2)
}

@Test func logarithmicLossCurvesSkipNonPositiveValues() {
    let losses = (0..<1000).map { 2.3 * exp(-Double($0) / 150) }
    let svg = LinePlot(series: [.init(name: "loss", values: losses + [0, -1, 0.001])], xLabel: "step", yLabel: "loss", yScale: .logarithmic).svg
    #expect(svg.contains(">0.001</text>") && svg.contains(">10</text>"))
    #expect((pathData(svg, series: 0) ?? "").filter { $0 == "M" }.count == 2)
    #expect(svg.contains("y on a logarithmic scale."))
    #expect(svg.contains("transform=\"rotate(-90 16 "))
    #expect(count("class=\"nb-zero\"", in: svg) == 0)
}

@Test(arguments: [[LinePlot.Series](), [.init(name: "empty", points: [])], [.init(name: "bad", values: [.nan, -.infinity])]])
func plotsWithoutDataSaySo(_ series: [LinePlot.Series]) {
    let svg = LinePlot(series: series, width: .nan, height: -5).svg
    #expect(svg.contains(">no data</text>"))
    #expect(svg.contains("viewBox=\"0 0 560 120\""))
}

@Test func aThousandPointPlotIsQuick() {
    let plot = LinePlot(series: [.init(name: "loss", values: (0..<1000).map { exp(-Double($0) / 200) })], yScale: .logarithmic)
    _ = plot.svg
    let elapsed = ContinuousClock().measure { for _ in 0..<10 { _ = plot.svg } }
    #expect(elapsed < .milliseconds(200), "10 plots took \(elapsed)")
    #expect(plot.svg == plot.svg)
}
