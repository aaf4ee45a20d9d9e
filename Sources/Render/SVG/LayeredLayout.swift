/// Where the nodes of a computation graph go, left to right (a small
/// Sugiyama layout):
///
/// 1. Layers by longest path from the sources: a node sits one layer right
///    of its furthest predecessor. Parameters (sources that are not inputs)
///    move right to just before their first use. Edges that close a cycle
///    are set aside as back edges instead of looping forever.
/// 2. An edge spanning several layers passes through one dummy point per
///    layer between, so that it can bend around nodes.
/// 3. Within each layer the order follows the barycentre (mean position) of
///    the neighbours, sweeping right then left, and the order with the
///    fewest crossings is kept.
///
/// ```swift
/// let layout = LayeredLayout(graph)
/// layout.layers   // [[.node(0), .node(3)], [.node(1), .dummy(edge: 2, layer: 1)], …]
/// ```
package struct LayeredLayout: Sendable, Equatable {
    package enum Vertex: Hashable, Sendable {
        case node(Int)
        /// The point where edge `edge` (an index into `graph.edges`) crosses `layer`.
        case dummy(edge: Int, layer: Int)
    }

    /// Layer of each node, by node index (duplicate-id nodes get -1: not drawn).
    package let layerOfNode: [Int]
    /// The vertices of each layer, top to bottom.
    package let layers: [[Vertex]]
    /// For each drawn forward edge (index into `graph.edges`): its vertices from source to target.
    package let routes: [Int: [Vertex]]
    /// Edges that close a cycle, drawn apart.
    package let backEdges: [Int]

    package init(_ graph: ComputationGraph) {
        let index = graph.indexByID
        let count = graph.nodes.count
        var drawn = Array(repeating: false, count: count)
        for position in index.values { drawn[position] = true }

        // Usable edges: both ends known, no self-loops, no repeats.
        var usable: [(edge: Int, from: Int, to: Int)] = []
        var seen = Set<[Int]>()
        for (position, edge) in graph.edges.enumerated() {
            guard let from = index[edge.from], let to = index[edge.to], from != to, seen.insert([from, to]).inserted else { continue }
            usable.append((position, from, to))
        }
        var outgoing = Array(repeating: [Int](), count: count)
        var incomingCount = Array(repeating: 0, count: count)
        for (slot, edge) in usable.enumerated() {
            outgoing[edge.from].append(slot)
            incomingCount[edge.to] += 1
        }

        // 1. Longest-path layering (Kahn's order; a cycle is broken at its first node).
        var layer = Array(repeating: 0, count: count)
        var done = Array(repeating: false, count: count)
        var isForward = Array(repeating: false, count: usable.count)
        var remaining = incomingCount
        var queue: [Int] = (0..<count).filter { drawn[$0] && remaining[$0] == 0 }
        var head = 0
        var nextUnfinished = 0
        while true {
            if head == queue.count {
                while nextUnfinished < count && (done[nextUnfinished] || !drawn[nextUnfinished]) { nextUnfinished += 1 }
                guard nextUnfinished < count else { break }
                queue.append(nextUnfinished)
                remaining[nextUnfinished] = 0
            }
            let node = queue[head]
            head += 1
            if done[node] { continue }
            done[node] = true
            for slot in outgoing[node] {
                let target = usable[slot].to
                guard !done[target] else { continue } // closes a cycle
                isForward[slot] = true
                layer[target] = max(layer[target], layer[node] + 1)
                remaining[target] -= 1
                if remaining[target] == 0 { queue.append(target) }
            }
        }
        var hasForwardInput = Array(repeating: false, count: count)
        for (slot, edge) in usable.enumerated() where isForward[slot] { hasForwardInput[edge.to] = true }
        for node in 0..<count where drawn[node] && !hasForwardInput[node] && graph.nodes[node].kind != .input {
            let uses = outgoing[node].filter { isForward[$0] }.map { layer[usable[$0].to] }
            if let first = uses.min() { layer[node] = max(0, first - 1) }
        }
        layerOfNode = (0..<count).map { drawn[$0] ? layer[$0] : -1 }

        // 2. Dummy vertices on long edges.
        let depth = (layerOfNode.max() ?? -1) + 1
        var layers = Array(repeating: [Vertex](), count: max(0, depth))
        for node in 0..<count where drawn[node] { layers[layer[node]].append(.node(node)) }
        var routes: [Int: [Vertex]] = [:]
        var backEdges: [Int] = []
        for (slot, edge) in usable.enumerated() {
            guard isForward[slot], layer[edge.to] > layer[edge.from] else { backEdges.append(edge.edge); continue }
            var route: [Vertex] = [.node(edge.from)]
            for between in (layer[edge.from] + 1)..<max(layer[edge.from] + 1, layer[edge.to]) {
                let dummy = Vertex.dummy(edge: edge.edge, layer: between)
                layers[between].append(dummy)
                route.append(dummy)
            }
            route.append(.node(edge.to))
            routes[edge.edge] = route
        }

        // 3. Barycentre ordering.
        var predecessors: [Vertex: [Vertex]] = [:]
        var successors: [Vertex: [Vertex]] = [:]
        for edge in routes.keys.sorted() {
            guard let route = routes[edge] else { continue }
            for (a, b) in zip(route, route.dropFirst()) {
                successors[a, default: []].append(b)
                predecessors[b, default: []].append(a)
            }
        }
        var best = layers
        var bestCrossings = Self.crossings(layers, successors: successors)
        let sweeps = routes.count > 2000 ? 1 : 8
        var current = layers
        for sweep in 0..<sweeps where bestCrossings > 0 {
            let downward = sweep % 2 == 0
            let order = downward ? Array(current.indices.dropFirst()) : Array(current.indices.dropLast().reversed())
            for layerIndex in order {
                let neighbourLayer = current[downward ? layerIndex - 1 : layerIndex + 1]
                var position: [Vertex: Int] = [:]
                for (place, vertex) in neighbourLayer.enumerated() { position[vertex] = place }
                let keyed = current[layerIndex].enumerated().map { place, vertex -> (Double, Int, Vertex) in
                    let neighbours = (downward ? predecessors[vertex] : successors[vertex]) ?? []
                    let places = neighbours.compactMap { position[$0] }
                    // No neighbours there: keep the vertex where it is, scaled to the other layer.
                    let scaled = Double(place) * Double(max(1, neighbourLayer.count)) / Double(max(1, current[layerIndex].count))
                    let key = places.isEmpty ? scaled : Double(places.reduce(0, +)) / Double(places.count)
                    return (key, place, vertex)
                }
                current[layerIndex] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
            }
            let crossings = Self.crossings(current, successors: successors)
            if crossings < bestCrossings {
                best = current
                bestCrossings = crossings
            }
        }
        self.layers = best
        self.routes = routes
        self.backEdges = backEdges
    }

    /// Edge crossings between neighbouring layers (pairs of edges whose ends are in opposite orders).
    package static func crossings(_ layers: [[Vertex]], successors: [Vertex: [Vertex]]) -> Int {
        var total = 0
        for (upper, lower) in zip(layers, layers.dropFirst()) {
            var position: [Vertex: Int] = [:]
            for (place, vertex) in lower.enumerated() { position[vertex] = place }
            var ends: [(Int, Int)] = []
            for (place, vertex) in upper.enumerated() {
                for successor in successors[vertex] ?? [] {
                    if let target = position[successor] { ends.append((place, target)) }
                }
            }
            guard ends.count <= 4000 else { continue }
            for i in ends.indices {
                for j in ends.indices where j > i {
                    let (a, b) = (ends[i], ends[j])
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) { total += 1 }
                }
            }
        }
        return total
    }
}
