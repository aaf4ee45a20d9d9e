/// The computation graph of a note drawn left to right: quantities as
/// nodes whose shape tells their kind, dependencies as arrows labelled with
/// their weights, and optionally some paths emphasised (thick, dashed, in
/// the highlight colour) with everything else dimmed.
///
/// Shapes: input — pill; parameter — square-cornered box; intermediate —
/// rounded box; output — pill with a double outline; loss — box with a
/// double outline. A legend under the graph names the kinds present.
///
/// ```swift
/// let diagram = ComputationGraphDiagram(graph, highlightedPaths: graph.paths(from: "w_1"), idPrefix: "note-graph")
/// page += diagram.svg
/// ```
package struct ComputationGraphDiagram: Sendable, Equatable {
    package var graph: ComputationGraph
    /// Paths (lists of node ids, each step an edge of the graph) to emphasise.
    package var highlightedPaths: [[String]]
    /// Accessible name; the default is "Computation graph of x, h, y, E".
    package var title: String?
    package var idPrefix: String

    package init(_ graph: ComputationGraph, highlightedPaths: [[String]] = [], title: String? = nil, idPrefix: String = "graph") {
        self.graph = graph
        self.highlightedPaths = highlightedPaths
        self.title = title
        self.idPrefix = idPrefix
    }

    static let nodeHeight = 36.0
    static let nodeGap = 30.0
    static let dummyGap = 22.0
    static let margin = 16.0
    static let labelSize = 15.0
    static let edgeLabelSize = 12.0

    /// The computed geometry, exposed for tests: node centres and sizes, edge paths.
    package struct Geometry: Sendable, Equatable {
        package var width: Double
        package var height: Double
        /// Centre and width of each drawn node, by node index.
        package var nodes: [Int: NodePlace] = [:]
    }

    package struct NodePlace: Sendable, Equatable {
        package var x: Double
        package var y: Double
        package var width: Double
    }

    /// Node positions after layout.
    package var geometry: Geometry { layoutGeometry(LayeredLayout(graph)).0 }

    private func layoutGeometry(_ layout: LayeredLayout) -> (Geometry, [LayeredLayout.Vertex: (x: Double, y: Double)]) {
        let labels = graph.nodes.map { MathLabel($0.label) }
        let nodeWidths = labels.map { max(Self.nodeHeight + 4, $0.estimatedWidth(fontSize: Self.labelSize) + 24) }
        let widestNode = nodeWidths.max() ?? Self.nodeHeight
        let widestEdgeLabel = graph.edges.compactMap { $0.label.map { MathLabel($0).estimatedWidth(fontSize: Self.edgeLabelSize) } }.max() ?? 0
        let layerGap = max(110, widestNode + widestEdgeLabel + 40)

        func extent(_ vertex: LayeredLayout.Vertex) -> Double {
            if case .node = vertex { return Self.nodeHeight + Self.nodeGap }
            return Self.dummyGap
        }
        let layerHeights = layout.layers.map { $0.reduce(0) { $0 + extent($1) } }
        let tallest = layerHeights.max() ?? 0
        let hasBackEdges = !layout.backEdges.isEmpty
        let top = Self.margin - Self.nodeGap / 2 + 4
        var positions: [LayeredLayout.Vertex: (x: Double, y: Double)] = [:]
        var geometry = Geometry(width: 0, height: 0)
        for (layerIndex, vertices) in layout.layers.enumerated() {
            let x = Self.margin + widestNode / 2 + Double(layerIndex) * layerGap
            var y = top + (tallest - layerHeights[layerIndex]) / 2
            for vertex in vertices {
                let size = extent(vertex)
                positions[vertex] = (x, y + size / 2)
                if case .node(let node) = vertex { geometry.nodes[node] = NodePlace(x: x, y: y + size / 2, width: nodeWidths[node]) }
                y += size
            }
        }
        geometry.width = 2 * Self.margin + widestNode + Double(max(0, layout.layers.count - 1)) * layerGap
        geometry.height = top + tallest + (hasBackEdges ? 30 : 0)
        return (geometry, positions)
    }

    package var svg: String {
        let layout = LayeredLayout(graph)
        var (geometry, positions) = layoutGeometry(layout)
        let id = SVGDocument.identifier(idPrefix)
        let labels = graph.nodes.map { MathLabel($0.label) }

        // What to emphasise: consecutive pairs of each path, and their nodes.
        let index = graph.indexByID
        var hotEdges = Set<[Int]>()
        var hotNodes = Set<Int>()
        for path in highlightedPaths {
            let nodes = path.compactMap { index[$0] }
            guard nodes.count == path.count else { continue }
            hotNodes.formUnion(nodes)
            for (a, b) in zip(nodes, nodes.dropFirst()) { hotEdges.insert([a, b]) }
        }
        let highlighting = !hotEdges.isEmpty || !hotNodes.isEmpty

        // Ports: edges leave a node's right side and enter its left side, spread
        // out in the order of the other ends so that arrowheads do not pile up.
        var outgoing: [Int: [Int]] = [:], incoming: [Int: [Int]] = [:]
        for edge in layout.routes.keys.sorted() {
            guard let route = layout.routes[edge], case .node(let from) = route[0], case .node(let to) = route[route.count - 1] else { continue }
            outgoing[from, default: []].append(edge)
            incoming[to, default: []].append(edge)
        }
        func ports(_ edges: [Int], nextY: (Int) -> Double) -> [Int: Double] {
            let sorted = edges.sorted { (nextY($0), $0) < (nextY($1), $1) }
            let step = min(8, (Self.nodeHeight - 8) / Double(max(1, sorted.count - 1)))
            var offsets: [Int: Double] = [:]
            for (place, edge) in sorted.enumerated() { offsets[edge] = (Double(place) - Double(sorted.count - 1) / 2) * step }
            return offsets
        }
        var startOffset: [Int: Double] = [:], endOffset: [Int: Double] = [:]
        func y(ofVertex position: @escaping ([LayeredLayout.Vertex]) -> LayeredLayout.Vertex?) -> (Int) -> Double {
            { edge in layout.routes[edge].flatMap(position).flatMap { positions[$0]?.y } ?? 0 }
        }
        for (_, edges) in outgoing {
            for (edge, offset) in ports(edges, nextY: y(ofVertex: { $0.dropFirst().first })) { startOffset[edge] = offset }
        }
        for (_, edges) in incoming {
            for (edge, offset) in ports(edges, nextY: y(ofVertex: { $0.dropLast().last })) { endOffset[edge] = offset }
        }

        var document = SVGDocument(capacity: 8192)
        var defs = ""
        for (suffix, kind) in [("arrow", "nb-arrowhead"), ("arrow-hi", "nb-arrowhead nb-highlight")] {
            defs += "<marker id=\"\(id)-\(suffix)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
            defs += "<path class=\"\(kind)\" d=\"M0 0L10 5L0 10z\" fill=\"currentColor\"/></marker>\n"
        }

        // Edges, then their labels, then nodes on top.
        var labelPlaces: [(text: String, x: Double, y: Double, hot: Bool)] = []
        var hotPaths: [String] = []
        document.append("<g class=\"nb-edges\(highlighting ? " nb-dim" : "")\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\">\n")
        for edge in layout.routes.keys.sorted() {
            guard let route = layout.routes[edge], case .node(let from) = route[0], case .node(let to) = route[route.count - 1],
                  let start = geometry.nodes[from], let end = geometry.nodes[to] else { continue }
            var points: [(x: Double, y: Double)] = [(start.x + start.width / 2, start.y + (startOffset[edge] ?? 0))]
            for vertex in route.dropFirst().dropLast() { if let point = positions[vertex] { points.append(point) } }
            points.append((end.x - end.width / 2, end.y + (endOffset[edge] ?? 0)))
            let hot = hotEdges.contains([from, to])
            var d = ""
            Self.appendCurve(through: points, to: &d)
            let path = "<path class=\"nb-arrow\(hot ? " nb-highlight" : "")\" d=\"\(d)\" marker-end=\"url(#\(id)-\(hot ? "arrow-hi" : "arrow"))\"\(hot ? " stroke-width=\"2.5\" stroke-dasharray=\"7 3\"" : "")/>\n"
            if hot { hotPaths.append(path) } else { document.append(path) }
            if let text = graph.edges[edge].label, !text.isEmpty {
                let middle = (points.count - 1) / 2
                let a = points[middle], b = points[middle + 1]
                labelPlaces.append((text, (a.x + b.x) / 2, (a.y + b.y) / 2 - 6, hot))
            }
        }
        // Back edges (a cycle in the definitions) arc under the graph, dotted.
        for edge in layout.backEdges {
            guard let from = index[graph.edges[edge].from], let to = index[graph.edges[edge].to],
                  let start = geometry.nodes[from], let end = geometry.nodes[to] else { continue }
            let bottom = geometry.height - 6
            var d = "M"
            for (value, separator) in [(start.x, " "), (start.y + Self.nodeHeight / 2, "C"), (start.x, " "), (bottom, " "), (end.x, " "), (bottom, " "), (end.x, " ")] {
                NumberFormat.appendCoordinate(value, to: &d); d += separator
            }
            NumberFormat.appendCoordinate(end.y + Self.nodeHeight / 2, to: &d)
            document.append("<path class=\"nb-arrow nb-back-edge\" d=\"\(d)\" stroke-dasharray=\"2 3\" marker-end=\"url(#\(id)-arrow)\"/>\n")
            if let text = graph.edges[edge].label, !text.isEmpty {
                labelPlaces.append((text, (start.x + end.x) / 2, bottom - 4, false))
            }
        }
        document.append("</g>\n")
        if !hotPaths.isEmpty {
            document.append("<g class=\"nb-edges nb-highlight\" fill=\"none\" stroke=\"currentColor\">\n")
            for path in hotPaths { document.append(path) }
            document.append("</g>\n")
        }
        if !labelPlaces.isEmpty {
            document.append("<g class=\"nb-edge-labels\">\n")
            for place in labelPlaces {
                let emphasis = place.hot ? " nb-highlight" : (highlighting ? " nb-dim" : "")
                document.text(MathLabel(place.text), x: place.x, y: place.y, fontSize: Self.edgeLabelSize, class: "nb-edge-label nb-halo\(emphasis)")
            }
            document.append("</g>\n")
        }

        document.append("<g class=\"nb-nodes\">\n")
        for node in graph.nodes.indices {
            guard let place = geometry.nodes[node] else { continue }
            let kind = graph.nodes[node].kind
            let hot = hotNodes.contains(node)
            let classes = "nb-\(kind.rawValue)\(hot ? " nb-highlight" : (highlighting ? " nb-dim" : ""))"
            document.append("<g class=\"\(classes)\">")
            Self.drawShape(kind, x: place.x, y: place.y, width: place.width, height: Self.nodeHeight, hot: hot, classes: classes, into: &document)
            document.text(labels[node], x: place.x, y: place.y + 5, fontSize: Self.labelSize, class: "nb-node-label")
            document.append("</g>\n")
        }
        if graph.nodes.isEmpty {
            geometry.width = 160
            geometry.height = 40
            document.text("no quantities", x: 80, y: 24, fontSize: 12, class: "nb-muted")
        }
        document.append("</g>\n")

        // Legend of the kinds present, shapes drawn small.
        let kinds = ComputationGraph.Kind.allCases.filter { kind in graph.nodes.contains { $0.kind == kind } }
        if !kinds.isEmpty {
            let y = geometry.height + 16
            var x = Self.margin
            document.append("<g class=\"nb-legend\">\n")
            for kind in kinds {
                Self.drawShape(kind, x: x + 13, y: y, width: 26, height: 16, hot: false, classes: "nb-\(kind.rawValue)", into: &document)
                document.text(kind.rawValue, x: x + 31, y: y + 4, fontSize: 11, anchor: .start, class: "nb-muted")
                x += 31 + Double(kind.rawValue.count) * 6.6 + 16
            }
            document.append("</g>\n")
            geometry.height = y + 14
            geometry.width = max(geometry.width, x)
        }

        return document.svg(width: geometry.width, height: geometry.height, idPrefix: idPrefix, title: title ?? defaultTitle,
                            description: description(index: index), className: "nb-graph", defs: defs)
    }

    /// A smooth path through `points`, leaving and entering each horizontally.
    static func appendCurve(through points: [(x: Double, y: Double)], to d: inout String) {
        guard let first = points.first else { return }
        d += "M"
        NumberFormat.appendCoordinate(first.x, to: &d); d += " "
        NumberFormat.appendCoordinate(first.y, to: &d)
        for (a, b) in zip(points, points.dropFirst()) {
            let bend = (b.x - a.x) / 2
            d += "C"
            for value in [a.x + bend, a.y, b.x - bend, b.y] {
                NumberFormat.appendCoordinate(value, to: &d); d += " "
            }
            NumberFormat.appendCoordinate(b.x, to: &d); d += " "
            NumberFormat.appendCoordinate(b.y, to: &d)
        }
    }

    static func drawShape(_ kind: ComputationGraph.Kind, x: Double, y: Double, width: Double, height: Double, hot: Bool, classes: String, into document: inout SVGDocument) {
        let stroke = " fill=\"none\" stroke=\"currentColor\" stroke-width=\"\(hot ? 3 : 1.5)\""
        let left = x - width / 2, top = y - height / 2
        switch kind {
        case .input:
            document.rect(x: left, y: top, width: width, height: height, rx: height / 2, class: "nb-node \(classes)", attributes: stroke)
        case .parameter:
            document.rect(x: left, y: top, width: width, height: height, rx: 1, class: "nb-node \(classes)", attributes: stroke)
        case .intermediate:
            document.rect(x: left, y: top, width: width, height: height, rx: height / 4, class: "nb-node \(classes)", attributes: stroke)
        case .output:
            document.rect(x: left, y: top, width: width, height: height, rx: height / 2, class: "nb-node \(classes)", attributes: stroke)
            document.rect(x: left + 3.5, y: top + 3.5, width: width - 7, height: height - 7, rx: height / 2 - 3.5, class: "nb-node-inner \(classes)", attributes: " fill=\"none\" stroke=\"currentColor\"")
        case .loss:
            document.rect(x: left, y: top, width: width, height: height, rx: 1, class: "nb-node \(classes)", attributes: stroke)
            document.rect(x: left + 3.5, y: top + 3.5, width: width - 7, height: height - 7, class: "nb-node-inner \(classes)", attributes: " fill=\"none\" stroke=\"currentColor\"")
        }
    }

    private var defaultTitle: String {
        let names = graph.nodes.prefix(8).map { MathLabel($0.label).plainText }
        guard !names.isEmpty else { return "Empty computation graph" }
        return "Computation graph of " + names.joined(separator: ", ") + (graph.nodes.count > 8 ? ", …" : "")
    }

    /// The edges in words (`x → h (w₁)`), then the highlighted paths.
    private func description(index: [String: Int]) -> String {
        func name(_ id: String) -> String { index[id].map { MathLabel(graph.nodes[$0].label).plainText } ?? id }
        var parts: [String] = []
        for edge in graph.edges.prefix(64) where index[edge.from] != nil && index[edge.to] != nil {
            let label = edge.label.map { " (" + MathLabel($0).plainText + ")" } ?? ""
            parts.append(name(edge.from) + " → " + name(edge.to) + label)
        }
        var text = parts.joined(separator: "; ")
        if graph.edges.count > 64 { text += "; …" }
        let paths = highlightedPaths.prefix(32).map { $0.map(name).joined(separator: " → ") }
        if !paths.isEmpty { text += ". Highlighted: " + paths.joined(separator: "; ") }
        return text + "."
    }
}
