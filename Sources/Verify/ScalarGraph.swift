import Backprop
import Diagnostics
import MathSyntax

/// The computation graph of the scalar definitions in force at one point of a
/// note: a node per defined name and per input the definitions use, an edge
/// from each name to every definition it appears in. It is what `show: graph`
/// draws, what `show: paths` sums over, and what a note gets without asking.
struct ScalarGraph {
    struct Node {
        /// The checker's key: `w[1]`, `E`.
        var key: String
        /// As the note writes it: `w_1`.
        var tex: String
        /// The symbol as an expression, to evaluate and differentiate.
        var expression: MathExpression
        var isDefined: Bool
        var value = 0.0
    }

    /// In order of first appearance: a definition's inputs before it.
    var nodes: [Node]
    /// Direct parents of each node, by key, in the order its definition mentions them.
    var parents: [String: [String]]

    /// The most nodes the automatic graph is drawn for.
    static let automaticLimit = 30
    /// The most paths a path sum lists.
    static let pathLimit = 64

    enum Problem: Error {
        /// A definition uses something that is not a scalar symbol (an index variable, a network quantity, an array).
        case notScalar(String)
        case noDefinitions
        case evaluation(String)
    }

    var keys: [String] { nodes.map(\.key) }

    func node(_ key: String) -> Node? { nodes.first { $0.key == key } }

    /// Keys with no children: nothing defined uses them.
    var sinks: [String] {
        let used = Set(parents.values.flatMap { $0 })
        return nodes.filter { $0.isDefined && !used.contains($0.key) }.map(\.key)
    }

    /// The graph of every scalar definition in `scope` (or only those `target` depends on).
    /// Definitions that hold a derivative are not part of the forward computation and are left out.
    static func build(scope: Scope, analysis: NoteAnalysis, source: SourceFile, bindings: ClosureBindings,
                      target: String? = nil) -> Result<ScalarGraph, Problem> {
        if scope.network != nil { return .failure(.notScalar("the network's quantities")) }
        var definitions = scope.symbols.filter { !$0.value.body.containsDerivative }
        if let target {
            // Only the target and what it depends on.
            var wanted: Set<String> = []
            var queue = [target]
            while let key = queue.popLast() {
                guard wanted.insert(key).inserted, let definition = definitions[key] else { continue }
                for mention in mentions(in: definition.body, scope: scope, indexNames: analysis.indexNames) { queue.append(mention.key) }
            }
            definitions = definitions.filter { wanted.contains($0.key) }
        }
        guard !definitions.isEmpty else { return .failure(.noDefinitions) }
        let ordered = definitions.sorted { $0.value.range.start.offset < $1.value.range.start.offset }

        var nodes: [Node] = []
        var index: [String: Int] = [:]
        var parents: [String: [String]] = [:]
        for (key, definition) in ordered {
            var mine: [String] = []
            for mention in mentions(in: definition.body, scope: scope, indexNames: analysis.indexNames) {
                guard let mentionKey = mention.key.isEmpty ? nil : Optional(mention.key) else {
                    return .failure(.notScalar(mention.expression.plain))
                }
                if !mine.contains(mentionKey) { mine.append(mentionKey) }
                if index[mentionKey] == nil, definitions[mentionKey] == nil {
                    index[mentionKey] = nodes.count
                    nodes.append(Node(key: mentionKey, tex: text(of: mention.expression, in: source), expression: mention.expression, isDefined: false))
                }
            }
            parents[key] = mine
            let tex = source.text(from: definition.range.start.offset, to: definition.range.end.offset)
            let parsed = MathParser.parse(tex, in: source, at: definition.range.start.offset).expression?.resolved(by: bindings)
            guard let expression = parsed, expression.symbol != nil else { return .failure(.notScalar(tex)) }
            if let known = index[key] {
                nodes[known].isDefined = true
                nodes[known].tex = tex
                nodes[known].expression = expression
            } else {
                index[key] = nodes.count
                nodes.append(Node(key: key, tex: tex, expression: expression, isDefined: true))
            }
        }
        return .success(ScalarGraph(nodes: nodes, parents: parents))
    }

    /// Every symbol a definition's body uses, in reading order, as (key, expression);
    /// an empty key for a symbol that is not a single scalar (indexed by a variable).
    static func mentions(in body: MathExpression, scope: Scope, indexNames: Set<String>) -> [(key: String, expression: MathExpression)] {
        var found: [(key: String, expression: MathExpression)] = []
        func walk(_ expression: MathExpression) {
            switch expression.kind {
            case .symbol(let symbol):
                // A bare `e` the note does not define is Euler's number.
                if symbol.name == "e", symbol.indices.isEmpty, symbol.label == nil, !scope.isBound(symbol.key) { return }
                found.append((VerifierRun.literalKey(symbol, indexNames: indexNames) ?? "", expression))
            case .application(let function, let arguments):
                var head = function
                if case .prime(let inner, _) = function.kind { head = inner }
                if head.symbol == nil { walk(function) }
                for argument in arguments { walk(argument) }
            default:
                for child in expression.children { walk(child) }
            }
        }
        walk(body)
        return found
    }

    static func text(of expression: MathExpression, in source: SourceFile) -> String {
        guard expression.range.file == source.path, expression.range.end.offset > expression.range.start.offset else { return expression.latex }
        return source.text(from: expression.range.start.offset, to: expression.range.end.offset)
    }

    /// Works out every node's value at the first draw; each must be a number.
    mutating func evaluate(with evaluator: Evaluator) -> Result<Void, Problem> {
        for position in nodes.indices {
            do {
                let value = try evaluator.evaluate(nodes[position].expression, Evaluator.Context()).value
                guard value.shape.count == 1, let scalar = value.scalar else { return .failure(.notScalar(nodes[position].tex)) }
                nodes[position].value = scalar
            } catch {
                return .failure(.evaluation("\(nodes[position].tex): \(error)"))
            }
        }
        return .success(())
    }

    /// Every path from `start` to `target` along the edges, at most `limit + 1` (so that too many can be told).
    func paths(from start: String, to target: String, limit: Int) -> [[String]] {
        var children: [String: [String]] = [:]
        for node in nodes {
            for parent in parents[node.key] ?? [] { children[parent, default: []].append(node.key) }
        }
        var found: [[String]] = []
        var path = [start]
        func walk(_ key: String) {
            guard found.count <= limit else { return }
            if key == target { found.append(path); return }
            for child in children[key] ?? [] where !path.contains(child) {
                path.append(child)
                walk(child)
                path.removeLast()
            }
        }
        walk(start)
        return found
    }

    /// The public picture: nodes with kinds and values, edges.
    func picture(parameters: Set<String>) -> DefinitionGraph {
        let sinkKeys = Set(sinks)
        let outputs = Set(sinkKeys.flatMap { parents[$0] ?? [] })
        let drawn = nodes.map { node -> DefinitionGraph.Node in
            let kind: DefinitionGraph.Kind
            if !node.isDefined {
                kind = parameters.contains(node.key) ? .parameter : .input
            } else if sinkKeys.contains(node.key) {
                kind = .loss
            } else if outputs.contains(node.key) {
                kind = .output
            } else {
                kind = .intermediate
            }
            return DefinitionGraph.Node(id: node.key, tex: node.tex, kind: kind, value: node.value)
        }
        var edges: [DefinitionGraph.Edge] = []
        for node in nodes {
            for parent in parents[node.key] ?? [] { edges.append(DefinitionGraph.Edge(from: parent, to: node.key)) }
        }
        return DefinitionGraph(nodes: drawn, edges: edges)
    }
}
