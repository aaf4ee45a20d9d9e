/// A line plot as inline SVG: one or more series over shared axes with nice
/// ticks, axis labels, a legend, optional logarithmic y (for loss curves),
/// and zero lines when zero is inside the range. Series differ by colour
/// *and* by dash pattern and marker shape, so they read in grey too.
/// Non-finite points (and, on a log axis, points ≤ 0) break the line.
///
/// ```swift
/// let plot = LinePlot(series: [.init(name: "loss", values: losses)], xLabel: "step", yLabel: "loss",
///                     yScale: .logarithmic, idPrefix: "cell-7-loss")
/// let sigmoid = LinePlot(series: [.init(name: "\\sigma", from: -6, to: 6) { 1 / (1 + exp(-$0)) },
///                                 .init(name: "\\sigma'", from: -6, to: 6) { let s = 1 / (1 + exp(-$0)); return s * (1 - s) }],
///                        xLabel: "x")
/// page += plot.svg
/// ```
package struct LinePlot: Sendable, Equatable {
    package struct Point: Sendable, Equatable {
        package var x: Double
        package var y: Double
        package init(x: Double, y: Double) { self.x = x; self.y = y }
    }

    package enum Dash: String, Sendable, Equatable, CaseIterable {
        case solid, dashed, dotted, dashDot

        /// The `stroke-dasharray`, or nil for a solid line.
        package var pattern: String? {
            switch self {
            case .solid: nil
            case .dashed: "7 4"
            case .dotted: "2 3"
            case .dashDot: "8 3 2 3"
            }
        }
    }

    package enum Marker: String, Sendable, Equatable, CaseIterable {
        case circle, square, triangle, diamond, none
    }

    package struct Style: Sendable, Equatable {
        package var dash: Dash
        package var marker: Marker
        package init(dash: Dash, marker: Marker) { self.dash = dash; self.marker = marker }

        /// The style of the `index`th series unless told otherwise.
        package static func automatic(_ index: Int) -> Style {
            let dashes: [Dash] = [.solid, .dashed, .dotted, .dashDot]
            let markers: [Marker] = [.circle, .square, .triangle, .diamond]
            return Style(dash: dashes[index % dashes.count], marker: markers[index % markers.count])
        }
    }

    package struct Series: Sendable, Equatable {
        /// In the note's notation: `"\\sigma'"`, `"loss"`.
        package var name: String
        package var points: [Point]
        package var style: Style?

        package init(name: String, points: [Point], style: Style? = nil) {
            self.name = name; self.points = points; self.style = style
        }

        /// `values[i]` at x = `i` (a loss per step).
        package init(name: String, values: [Double], style: Style? = nil) {
            self.init(name: name, points: values.enumerated().map { Point(x: Double($0.offset), y: $0.element) }, style: style)
        }

        /// `function` sampled at `count` evenly spaced x from `low` to `high`.
        package init(name: String, from low: Double, to high: Double, count: Int = 241, style: Style? = nil, _ function: (Double) -> Double) {
            let count = max(2, min(count, 100_000))
            let step = (high - low) / Double(count - 1)
            self.init(name: name, points: (0..<count).map { i in
                let x = low + Double(i) * step
                return Point(x: x, y: function(x))
            }, style: style)
        }
    }

    package enum Scale: Sendable, Equatable { case linear, logarithmic }

    package var series: [Series]
    package var xLabel: String
    package var yLabel: String
    package var yScale: Scale
    /// Accessible name; the default is "Plot of σ and σ′ against x".
    package var title: String?
    package var width: Double
    package var height: Double
    package var idPrefix: String

    package init(series: [Series], xLabel: String = "", yLabel: String = "", yScale: Scale = .linear, title: String? = nil,
                 width: Double = 560, height: Double = 340, idPrefix: String = "plot") {
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yScale = yScale
        self.title = title
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
    }

    private func isDrawable(_ point: Point) -> Bool {
        point.x.isFinite && point.y.isFinite && (yScale == .linear || point.y > 0)
    }

    /// The x and y ticks for the drawable points of all series.
    package var ticks: (x: AxisTicks, y: AxisTicks) {
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for series in series {
            for point in series.points where isDrawable(point) {
                minX = min(minX, point.x); maxX = max(maxX, point.x)
                minY = min(minY, point.y); maxY = max(maxY, point.y)
            }
        }
        let empty = minX > maxX
        let x = empty ? AxisTicks.linear(from: 0, to: 1) : AxisTicks.linear(from: minX, to: maxX, target: 7)
        let y: AxisTicks
        switch yScale {
        case .linear: y = empty ? AxisTicks.linear(from: 0, to: 1) : AxisTicks.linear(from: minY, to: maxY)
        case .logarithmic: y = empty ? AxisTicks.logarithmic(from: 1, to: 10) : AxisTicks.logarithmic(from: minY, to: maxY)
        }
        return (x, y)
    }

    package var svg: String {
        let width = width.isFinite ? min(max(width, 160), 4000) : 560
        let height = height.isFinite ? min(max(height, 120), 4000) : 340
        let (xTicks, yTicks) = ticks
        let names = series.map { MathLabel($0.name) }
        let styles = series.indices.map { series[$0].style ?? .automatic($0) }

        // Legend rows along the top, wrapping when they reach the right edge.
        var legendPlaces: [(x: Double, row: Int)] = []
        var cursor = 0.0, row = 0
        let legendStart = 8.0
        for name in names {
            let itemWidth = 30 + name.estimatedWidth(fontSize: 12) + 20
            if cursor > 0 && legendStart + cursor + itemWidth > width { row += 1; cursor = 0 }
            legendPlaces.append((legendStart + cursor, row))
            cursor += itemWidth
        }
        let legendHeight = names.contains { !$0.isEmpty } ? Double(row + 1) * 20 + 6 : 0

        let widestTick = yTicks.labels.map { Double($0.count) * 6.6 }.max() ?? 0
        let left: Double = widestTick + 14 + (yLabel.isEmpty ? 0 : 20)
        let right = 18.0
        let top = 10 + legendHeight
        let bottom: Double = 30 + (xLabel.isEmpty ? 0 : 18)
        let plotWidth = max(40, width - left - right), plotHeight = max(40, height - top - bottom)

        let xFraction = xTicks.fractionFunction, yFraction = yTicks.fractionFunction
        func sx(_ value: Double) -> Double? { xFraction(value).map { left + $0 * plotWidth } }
        func sy(_ value: Double) -> Double? { yFraction(value).map { top + (1 - $0) * plotHeight } }

        var document = SVGDocument(capacity: 4096 + series.reduce(0) { $0 + $1.points.count * 14 })

        // Grid, zero lines, axes, ticks.
        document.append("<g class=\"nb-grid-lines\" stroke=\"currentColor\" stroke-opacity=\"0.15\">\n")
        for value in yTicks.values { if let y = sy(value) { document.line(x1: left, y1: y, x2: left + plotWidth, y2: y, class: "nb-grid") } }
        for value in xTicks.values { if let x = sx(value) { document.line(x1: x, y1: top, x2: x, y2: top + plotHeight, class: "nb-grid") } }
        document.append("</g>\n")
        document.append("<g class=\"nb-zero-lines\" stroke=\"currentColor\" stroke-opacity=\"0.6\">\n")
        if !yTicks.isLogarithmic, yTicks.lower < 0, yTicks.upper > 0, let y = sy(0) {
            document.line(x1: left, y1: y, x2: left + plotWidth, y2: y, class: "nb-zero")
        }
        if xTicks.lower < 0, xTicks.upper > 0, let x = sx(0) {
            document.line(x1: x, y1: top, x2: x, y2: top + plotHeight, class: "nb-zero")
        }
        document.append("</g>\n")
        document.append("<g class=\"nb-axes\" stroke=\"currentColor\">\n")
        document.line(x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight, class: "nb-axis")
        document.line(x1: left, y1: top, x2: left, y2: top + plotHeight, class: "nb-axis")
        for value in xTicks.values { if let x = sx(value) { document.line(x1: x, y1: top + plotHeight, x2: x, y2: top + plotHeight + 5, class: "nb-axis") } }
        for value in yTicks.values { if let y = sy(value) { document.line(x1: left - 5, y1: y, x2: left, y2: y, class: "nb-axis") } }
        document.append("</g>\n<g class=\"nb-tick-labels\">\n")
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            if let x = sx(value) { document.text(label, x: x, y: top + plotHeight + 18, fontSize: 11, class: "nb-tick-label") }
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            if let y = sy(value) { document.text(label, x: left - 8, y: y + 4, fontSize: 11, anchor: .end, class: "nb-tick-label") }
        }
        document.append("</g>\n")
        if !xLabel.isEmpty {
            document.text(MathLabel(xLabel), x: left + plotWidth / 2, y: height - 8, fontSize: 13, class: "nb-axis-label")
        }
        if !yLabel.isEmpty {
            let cy = top + plotHeight / 2
            var transform = " transform=\"rotate(-90 "
            NumberFormat.appendCoordinate(16, to: &transform); transform += " "
            NumberFormat.appendCoordinate(cy, to: &transform); transform += ")\""
            document.text(MathLabel(yLabel), x: 16, y: cy, fontSize: 13, class: "nb-axis-label", attributes: transform)
        }

        // Series: one path each, broken at points that cannot be drawn; then markers.
        var anyPoint = false
        for (index, series) in series.enumerated() {
            let style = styles[index]
            var d = ""
            d.reserveCapacity(series.points.count * 14)
            var penDown = false
            var drawn: [(Double, Double)] = []
            for point in series.points {
                guard isDrawable(point), let x = sx(point.x), let y = sy(point.y) else { penDown = false; continue }
                d += penDown ? "L" : "M"
                NumberFormat.appendCoordinate(x, to: &d); d += " "
                NumberFormat.appendCoordinate(y, to: &d)
                penDown = true
                drawn.append((x, y))
            }
            guard !drawn.isEmpty else { continue }
            anyPoint = true
            let colour = "nb-series-\(index % 6)"
            let dash = style.dash.pattern.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            document.append("<path class=\"nb-series \(colour)\" d=\"\(d)\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linejoin=\"round\"\(dash)/>\n")
            if style.marker != .none {
                // Every point when there are few; else about ten, staggered between series.
                let every = drawn.count <= 25 ? 1 : max(1, drawn.count / 10)
                let offset = every == 1 ? 0 : (index * every) / max(1, self.series.count) % every
                document.append("<g class=\"nb-marker \(colour)\" fill=\"currentColor\">")
                var place = offset
                while place < drawn.count {
                    Self.drawMarker(style.marker, x: drawn[place].0, y: drawn[place].1, size: 4, into: &document)
                    place += every
                }
                document.append("</g>\n")
            }
        }
        if !anyPoint {
            document.text("no data", x: left + plotWidth / 2, y: top + plotHeight / 2 + 4, fontSize: 13, class: "nb-muted")
        }

        // Legend: a line sample with the series' dash and marker, then its name.
        if legendHeight > 0 {
            document.append("<g class=\"nb-legend\">\n")
            for (index, place) in legendPlaces.enumerated() {
                let y = 14 + Double(place.row) * 20
                let colour = "nb-series-\(index % 6)"
                let dash = styles[index].dash.pattern.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                document.line(x1: place.x, y1: y, x2: place.x + 24, y2: y, class: "nb-series \(colour)", attributes: " stroke=\"currentColor\" stroke-width=\"2\"\(dash)")
                if styles[index].marker != .none {
                    document.append("<g class=\"nb-marker \(colour)\" fill=\"currentColor\">")
                    Self.drawMarker(styles[index].marker, x: place.x + 12, y: y, size: 4, into: &document)
                    document.append("</g>\n")
                }
                document.text(names[index], x: place.x + 30, y: y + 4, fontSize: 12, anchor: .start, class: "nb-legend-label")
            }
            document.append("</g>\n")
        }

        return document.svg(width: width, height: height, idPrefix: idPrefix, title: title ?? defaultTitle,
                            description: description(xTicks: xTicks), className: "nb-plot")
    }

    static func drawMarker(_ marker: Marker, x: Double, y: Double, size: Double, into document: inout SVGDocument) {
        switch marker {
        case .none: return
        case .circle:
            document.circle(cx: x, cy: y, r: size * 0.9, class: "nb-dot")
            return
        case .square:
            document.rect(x: x - size * 0.8, y: y - size * 0.8, width: size * 1.6, height: size * 1.6, class: "nb-dot")
            return
        case .triangle, .diamond:
            let corners: [(Double, Double)] = marker == .triangle
                ? [(0, -1.15), (1, 0.65), (-1, 0.65)]
                : [(0, -1.2), (1, 0), (0, 1.2), (-1, 0)]
            var d = ""
            for (place, corner) in corners.enumerated() {
                d += place == 0 ? "M" : "L"
                NumberFormat.appendCoordinate(x + corner.0 * size, to: &d); d += " "
                NumberFormat.appendCoordinate(y + corner.1 * size, to: &d)
            }
            document.append("<path class=\"nb-dot\" d=\"\(d)z\"/>")
        }
    }

    private var defaultTitle: String {
        let names = series.map { MathLabel($0.name).plainText }.filter { !$0.isEmpty }
        var text = "Plot"
        if !names.isEmpty {
            text += " of " + (names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? ""))
        }
        if !xLabel.isEmpty { text += " against " + MathLabel(xLabel).plainText }
        return text
    }

    /// Each series' extent in words, for screen readers.
    private func description(xTicks: AxisTicks) -> String {
        var parts: [String] = []
        for series in series.prefix(16) {
            let points = series.points.filter(isDrawable)
            let name = MathLabel(series.name).plainText
            guard let first = points.first else { parts.append("\(name): no points"); continue }
            var (minX, maxX, minY, maxY) = (first.x, first.x, first.y, first.y)
            for point in points {
                minX = min(minX, point.x); maxX = max(maxX, point.x)
                minY = min(minY, point.y); maxY = max(maxY, point.y)
            }
            let f = { NumberFormat.significant($0, digits: 3) }
            parts.append("\(name): \(points.count) points, x from \(f(minX)) to \(f(maxX)), y from \(f(minY)) to \(f(maxY))"
                + (series.points.last.map { isDrawable($0) ? ", last y \(f($0.y))" : "" } ?? ""))
        }
        return parts.joined(separator: "; ") + (yScale == .logarithmic ? "; y on a logarithmic scale." : ".")
    }
}
