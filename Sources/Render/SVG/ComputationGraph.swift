/// The computation graph implied by a note's scalar definitions: one node
/// per quantity (inputs, parameters, intermediate values, outputs, the loss)
/// and an edge from each quantity to every definition that uses it, labelled
/// with the weight or the local derivative it carries.
///
/// ```swift
/// let graph = ComputationGraph(
///     nodes: [.init(id: "x", label: "x", kind: .input), .init(id: "h", label: "h"), .init(id: "E", label: "E", kind: .loss)],
///     edges: [.init(from: "x", to: "h", label: "w_1"), .init(from: "h", to: "E")]
/// )
/// graph.paths(from: "x")   // [["x", "h", "E"]]
/// ```
package struct ComputationGraph: Sendable, Equatable {
    package enum Kind: String, Sendable, Equatable, CaseIterable {
        case input, parameter, intermediate, output, loss
    }

    package struct Node: Sendable, Equatable {
        package var id: String
        /// In the note's notation: `"h_1"`, `"\\hat{y}"`.
        package var label: String
        package var kind: Kind
        package init(id: String, label: String, kind: Kind = .intermediate) {
            self.id = id; self.label = label; self.kind = kind
        }
    }

    package struct Edge: Sendable, Equatable {
        package var from: String
        package var to: String
        package var label: String?
        package init(from: String, to: String, label: String? = nil) {
            self.from = from; self.to = to; self.label = label
        }
    }

    package var nodes: [Node]
    package var edges: [Edge]

    package init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes
        self.edges = edges
    }

    /// Node index by id; the first node wins when ids repeat.
    package var indexByID: [String: Int] {
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = position }
        return index
    }

    /// Every path from `start` to a node nothing depends on (an output or
    /// the loss), depth first in edge order, no node twice on a path, at most
    /// `limit` paths. These are the terms of the path-sum form of ∂E/∂start.
    package func paths(from start: String, limit: Int = 256) -> [[String]] {
        let index = indexByID
        guard let first = index[start] else { return [] }
        var successors = Array(repeating: [Int](), count: nodes.count)
        for edge in edges {
            guard let from = index[edge.from], let to = index[edge.to], from != to, !successors[from].contains(to) else { continue }
            successors[from].append(to)
        }
        // Depth first with an explicit stack, so a long chain cannot overflow the call stack.
        var found: [[String]] = []
        var path = [first]
        var nextChild = [0]
        var onPath = Set([first])
        while let node = path.last, found.count < limit {
            let children = successors[node]
            if children.isEmpty {
                if path.count > 1 { found.append(path.map { nodes[$0].id }) }
            }
            var child = nextChild[nextChild.count - 1]
            while child < children.count, onPath.contains(children[child]) { child += 1 }
            if child < children.count {
                nextChild[nextChild.count - 1] = child + 1
                path.append(children[child])
                nextChild.append(0)
                onPath.insert(children[child])
            } else {
                onPath.remove(node)
                path.removeLast()
                nextChild.removeLast()
            }
        }
        return found
    }
}
