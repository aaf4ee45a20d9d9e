/// The picture of a network cell: layers as columns from left to right,
/// neurons as circles, weights as lines, labelled in the note's notation.
/// Wide layers are elided (the first and last few neurons, "⋮" between,
/// highlighted neurons kept), as are middle layers of very deep networks
/// ("⋯"), so that any size draws quickly and stays readable.
///
/// Layers, neurons and edges are counted from 0: `Edge(layer: 2, to: 0,
/// from: 1)` is the weight into neuron 0 of layer 2 from neuron 1 of
/// layer 1 — what a note may write `w_{12}^{3}` or `W^{[2]}_{11}`; use
/// `weightNotation` to label edges in the note's own convention.
///
/// ```swift
/// let diagram = NetworkDiagram(layers: [3, 5, 4, 6, 2], layerNames: ["x", "h_1", "h_2", "h_3", "\\hat{y}"],
///                              highlightedEdges: [.init(layer: 1, to: 0, from: 0)], idPrefix: "cell-2")
/// page += diagram.svg
/// ```
package struct NetworkDiagram: Sendable, Equatable {
    package struct Neuron: Hashable, Sendable {
        package var layer: Int
        package var index: Int
        package init(layer: Int, index: Int) { self.layer = layer; self.index = index }
    }

    /// The edge into neuron `to` of `layer` from neuron `from` of `layer - 1`.
    package struct Edge: Hashable, Sendable {
        package var layer: Int
        package var to: Int
        package var from: Int
        package init(layer: Int, to: Int, from: Int) { self.layer = layer; self.to = to; self.from = from }
    }

    /// How a note names its weights: `symbol^{layer}_{to from}` with the
    /// layer and neuron numbers starting at the given bases.
    /// `WeightNotation(symbol: "w", layerBase: 1, indexBase: 1)` labels
    /// `Edge(layer: 1, to: 0, from: 0)` as `w^{2}_{11}` (Nielsen's convention).
    package struct WeightNotation: Sendable, Equatable {
        package var symbol: String
        package var layerBase: Int
        package var indexBase: Int
        package init(symbol: String = "w", layerBase: Int = 0, indexBase: Int = 1) {
            self.symbol = symbol; self.layerBase = layerBase; self.indexBase = indexBase
        }

        package func label(for edge: Edge) -> String {
            let to = edge.to + indexBase, from = edge.from + indexBase
            let separator = to >= 10 || from >= 10 ? "," : ""
            return "\(symbol)^{\(edge.layer + layerBase)}_{\(to)\(separator)\(from)}"
        }
    }

    package var layers: [Int]
    /// One name per layer in the note's notation (`"x"`, `"h_1"`, `"\\hat{y}"`); missing names are left blank.
    package var layerNames: [String]
    package var neuronLabels: [Neuron: String]
    package var edgeLabels: [Edge: String]
    /// Labels every drawn edge that has no entry in `edgeLabels`.
    package var weightNotation: WeightNotation?
    package var highlightedEdges: Set<Edge>
    package var highlightedNeurons: Set<Neuron>
    /// Accessible name; the default is "Network 3–5–4–6–2".
    package var title: String?
    /// Prefix of every id in the SVG; unique per page.
    package var idPrefix: String
    /// Layers wider than this show their first and last few neurons only (at least 3).
    package var maxShownNeurons: Int
    /// Networks deeper than this show their first and last few layers only (at least 3).
    package var maxShownLayers: Int

    package init(
        layers: [Int], layerNames: [String] = [], neuronLabels: [Neuron: String] = [:], edgeLabels: [Edge: String] = [:],
        weightNotation: WeightNotation? = nil, highlightedEdges: Set<Edge> = [], highlightedNeurons: Set<Neuron> = [],
        title: String? = nil, idPrefix: String = "network", maxShownNeurons: Int = 12, maxShownLayers: Int = 12
    ) {
        self.layers = layers
        self.layerNames = layerNames
        self.neuronLabels = neuronLabels
        self.edgeLabels = edgeLabels
        self.weightNotation = weightNotation
        self.highlightedEdges = highlightedEdges
        self.highlightedNeurons = highlightedNeurons
        self.title = title
        self.idPrefix = idPrefix
        self.maxShownNeurons = maxShownNeurons
        self.maxShownLayers = maxShownLayers
    }

    /// A place in a column: a neuron, or an elision marker standing for `hidden` neurons.
    package enum Slot: Equatable, Sendable {
        case neuron(Int)
        case gap(hidden: Int)
    }

    /// A place in the row of columns: a layer, or an elision marker for `hidden` layers.
    package enum Column: Equatable, Sendable {
        case layer(Int)
        case gap(hidden: Int)
    }

    // Layout constants, in user units.
    static let rowGap = 36.0
    static let marginX = 44.0
    static let top = 20.0

    /// The columns drawn: every layer, or the first and last few with one gap.
    package var columns: [Column] {
        let cap = max(3, maxShownLayers)
        guard layers.count > cap else { return layers.indices.map { .layer($0) } }
        let keep = (cap - 1) / 2
        return (0..<keep).map { .layer($0) } + [.gap(hidden: layers.count - 2 * keep)]
            + (layers.count - keep..<layers.count).map { .layer($0) }
    }

    /// The places drawn in a layer: all neurons up to `maxShownNeurons`, else
    /// the first and last few, highlighted neurons between, and gaps.
    package func slots(ofLayer layer: Int) -> [Slot] {
        let width = layers.indices.contains(layer) ? max(0, layers[layer]) : 0
        let cap = max(3, maxShownNeurons)
        guard width > cap else { return (0..<width).map { .neuron($0) } }
        let keep = (cap - 1) / 2
        var shown = Array(0..<keep)
        // Highlighted neurons in the elided middle stay visible (a few at most).
        var middle = Set<Int>()
        for neuron in highlightedNeurons where neuron.layer == layer { middle.insert(neuron.index) }
        for edge in highlightedEdges {
            if edge.layer == layer { middle.insert(edge.to) }
            if edge.layer == layer + 1 { middle.insert(edge.from) }
        }
        shown += middle.filter { $0 >= keep && $0 < width - keep }.sorted().prefix(3)
        shown += Array(width - keep..<width)
        var slots: [Slot] = []
        var previous = -1
        for index in shown {
            if index > previous + 1 { slots.append(.gap(hidden: index - previous - 1)) }
            slots.append(.neuron(index))
            previous = index
        }
        return slots
    }

    /// The label of an edge: explicit, else from the notation, else none.
    package func label(for edge: Edge) -> String? {
        if let label = edgeLabels[edge] { return label }
        return weightNotation?.label(for: edge)
    }

    package var svg: String {
        let columns = self.columns
        let columnSlots: [[Slot]] = columns.map { column in
            if case .layer(let layer) = column { return slots(ofLayer: layer) }
            return []
        }
        let names = columns.map { column -> MathLabel in
            guard case .layer(let layer) = column, layerNames.indices.contains(layer) else { return MathLabel("") }
            return MathLabel(layerNames[layer])
        }

        // Neuron radius grows to fit the widest neuron label (within limits).
        var widestNeuronLabel = 0.0
        for (neuron, text) in neuronLabels where layers.indices.contains(neuron.layer) {
            widestNeuronLabel = max(widestNeuronLabel, MathLabel(text).estimatedWidth(fontSize: 11))
        }
        let radius = min(22, max(13, widestNeuronLabel / 2 + 4))
        let drawsEdgeLabels = weightNotation != nil || !edgeLabels.isEmpty
        let columnGap = drawsEdgeLabels ? 150.0 : 110.0
        let rowGap = max(Self.rowGap, 2 * radius + 10)

        let tallest = max(1, columnSlots.map(\.count).max() ?? 1)
        let columnHeight = Double(tallest - 1) * rowGap
        let widestName = names.map { $0.estimatedWidth(fontSize: 13) }.max() ?? 0
        let marginX = max(Self.marginX, widestName / 2 + 12, radius + 12)
        let width = 2 * marginX + Double(max(0, columns.count - 1)) * columnGap
        let firstRow = Self.top + radius
        let namesBaseline = firstRow + columnHeight + radius + 22
        let hasCounts = columnSlots.contains { $0.contains { if case .gap = $0 { true } else { false } } }
        let height = namesBaseline + (hasCounts ? 22 : 8)

        func x(_ column: Int) -> Double { marginX + Double(column) * columnGap }
        func y(_ slot: Int, of count: Int) -> Double {
            firstRow + (Double(tallest - count) / 2 + Double(slot)) * rowGap
        }

        var document = SVGDocument(capacity: 16384)
        let highlighting = !highlightedEdges.isEmpty || !highlightedNeurons.isEmpty

        // Edges between neighbouring columns that are both layers; highlighted ones last, on top.
        var labelled: [(Edge, Double, Double)] = []
        var highlightedLines: [(Double, Double, Double, Double)] = []
        document.append("<g class=\"nb-edges\(highlighting ? " nb-dim" : "")\" stroke=\"currentColor\" stroke-opacity=\"0.6\">\n")
        for column in columns.indices.dropFirst() {
            guard case .layer(let layer) = columns[column], case .layer(let previous) = columns[column - 1], previous == layer - 1 else { continue }
            let targets = columnSlots[column], sources = columnSlots[column - 1]
            for (toSlot, target) in targets.enumerated() {
                guard case .neuron(let to) = target else { continue }
                for (fromSlot, source) in sources.enumerated() {
                    guard case .neuron(let from) = source else { continue }
                    let edge = Edge(layer: layer, to: to, from: from)
                    let x1 = x(column - 1) + radius, y1 = y(fromSlot, of: sources.count)
                    let x2 = x(column) - radius, y2 = y(toSlot, of: targets.count)
                    if highlightedEdges.contains(edge) {
                        highlightedLines.append((x1, y1, x2, y2))
                    } else {
                        document.line(x1: x1, y1: y1, x2: x2, y2: y2, class: "nb-edge")
                    }
                    if drawsEdgeLabels {
                        // 65 % of the way along: labels into one neuron fan apart
                        // (unlike midpoints, where w₁₂ and w₂₁ would coincide).
                        labelled.append((edge, x1 + 0.65 * (x2 - x1), y1 + 0.65 * (y2 - y1)))
                    }
                }
            }
        }
        document.append("</g>\n")
        if !highlightedLines.isEmpty {
            document.append("<g class=\"nb-edges nb-highlight\" stroke=\"currentColor\" stroke-width=\"2.5\">\n")
            for (x1, y1, x2, y2) in highlightedLines {
                document.line(x1: x1, y1: y1, x2: x2, y2: y2, class: "nb-edge")
            }
            document.append("</g>\n")
        }
        if !labelled.isEmpty {
            document.append("<g class=\"nb-edge-labels\">\n")
            for (edge, lx, ly) in labelled {
                guard let text = label(for: edge) else { continue }
                let emphasis = highlightedEdges.contains(edge) ? " nb-highlight" : (highlighting ? " nb-dim" : "")
                document.text(MathLabel(text), x: lx, y: ly + 3.5, fontSize: 10, class: "nb-edge-label nb-halo\(emphasis)")
            }
            document.append("</g>\n")
        }

        // Neurons, elision markers, layer names.
        document.append("<g class=\"nb-neurons\">\n")
        for (column, slots) in columnSlots.enumerated() {
            guard case .layer(let layer) = columns[column] else { continue }
            for (slot, place) in slots.enumerated() {
                let cx = x(column), cy = y(slot, of: slots.count)
                switch place {
                case .neuron(let index):
                    let neuron = Neuron(layer: layer, index: index)
                    let hot = highlightedNeurons.contains(neuron)
                    document.circle(cx: cx, cy: cy, r: radius, class: hot ? "nb-neuron nb-highlight" : "nb-neuron",
                                    attributes: hot ? " fill=\"none\" stroke=\"currentColor\" stroke-width=\"3\"" : " fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"")
                    if let text = neuronLabels[neuron] {
                        document.text(MathLabel(text), x: cx, y: cy + 4, fontSize: 11, class: "nb-neuron-label")
                    }
                case .gap:
                    document.text("⋮", x: cx, y: cy + 6, fontSize: 18, class: "nb-elision")
                }
            }
        }
        for (column, place) in columns.enumerated() {
            switch place {
            case .layer(let layer):
                document.text(names[column], x: x(column), y: namesBaseline, fontSize: 13, class: "nb-layer-name")
                let slots = columnSlots[column]
                if slots.contains(where: { if case .gap = $0 { true } else { false } }) {
                    let shown = slots.filter { if case .neuron = $0 { true } else { false } }.count
                    document.text("\(shown) of \(max(0, layers[layer]))", x: x(column), y: namesBaseline + 16, fontSize: 10, class: "nb-muted")
                }
            case .gap(let hidden):
                document.text("⋯", x: x(column), y: firstRow + columnHeight / 2 + 6, fontSize: 22, class: "nb-elision")
                document.text("\(hidden) more", x: x(column), y: namesBaseline, fontSize: 10, class: "nb-muted")
            }
        }
        if layers.isEmpty {
            document.text("no layers", x: width / 2, y: firstRow + 4, fontSize: 12, class: "nb-muted")
        }
        document.append("</g>\n")

        return document.svg(width: width, height: height, idPrefix: idPrefix, title: title ?? defaultTitle,
                            description: description, className: "nb-network")
    }

    private var defaultTitle: String {
        layers.isEmpty ? "Network with no layers" : "Network " + layers.map { String(max(0, $0)) }.joined(separator: "–")
    }

    /// What a screen reader hears after the title: each layer's name and width, and what is highlighted.
    private var description: String {
        var parts: [String] = []
        for column in columns {
            guard case .layer(let layer) = column else {
                if case .gap(let hidden) = column { parts.append("\(hidden) more layers") }
                continue
            }
            let width = layers[layer]
            let name = layerNames.indices.contains(layer) ? MathLabel(layerNames[layer]).plainText : ""
            let neurons = max(0, width) == 1 ? "1 neuron" : "\(max(0, width)) neurons"
            parts.append(name.isEmpty ? "layer \(layer): \(neurons)" : "layer \(layer) \(name): \(neurons)")
        }
        var text = parts.joined(separator: "; ")
        let edges = highlightedEdges.sorted { ($0.layer, $0.to, $0.from) < ($1.layer, $1.to, $1.from) }
        if !edges.isEmpty {
            let names = edges.map { edge in label(for: edge).map { MathLabel($0).plainText } ?? "layer \(edge.layer) \(edge.from)→\(edge.to)" }
            text += ". Highlighted: " + names.joined(separator: ", ")
        }
        return text + "."
    }
}
