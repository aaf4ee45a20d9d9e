import Backprop
import Diagnostics
import Foundation
import MathSyntax

extension Evaluator {
    // MARK: Symbols

    /// Which part of a quantity an indexed symbol names.
    enum Selector: Equatable {
        case whole
        case element(Int)
        case entry(Int, Int)
        case column(Int)
        case row(Int)
        /// Over a vectorized sum index: a run of a vector's elements.
        case elements(ClosedRange<Int>)
        /// Over a vectorized sum index: part of one column (`W_{m,j}`) or one row (`W_{j,m}`).
        case columnPart(rows: ClosedRange<Int>, column: Int)
        case rowPart(row: Int, columns: ClosedRange<Int>)

        /// The same elements of a vector counted from 0 (`\theta_0, \theta_1, …`): one place on.
        var fromZero: Selector {
            switch self {
            case .element(let index): .element(index + 1)
            case .elements(let run): .elements((run.lowerBound + 1)...(run.upperBound + 1))
            default: self
            }
        }
    }

    struct Located {
        /// The quantity a derivative replaces with a leaf.
        var instance: Instance
        var base: Node
        var selector: Selector
    }

    /// A bare `e` that the note does not define is Euler's number.
    func isEulersNumber(_ expression: MathExpression, _ context: Context) -> Bool {
        guard let symbol = expression.symbol, symbol.name == "e", symbol.indices.isEmpty, symbol.label == nil,
              symbol.decorations.isEmpty, symbol.style == .normal else { return false }
        return context.locals[symbol.key] == nil && !scope.isBound(symbol.key)
    }

    /// What a symbol written at one place always is: its keys and its network role.
    struct SymbolFacts {
        var baseKey: String
        var familyLabelKey: String
        var role: NetworkModel.Role?
    }

    func facts(_ symbol: MathSymbol, _ range: SourceRange) -> SymbolFacts {
        // Symbols of the note are told apart by where they stand; generated ones are not cached.
        let cacheable = range.path != Self.mathText
        let place = range.start.offset &* 1_000_003 &+ range.end.offset
        if cacheable, let known = symbolFacts[place] { return known }
        let base = symbol.baseKey
        let known = SymbolFacts(baseKey: base, familyLabelKey: symbol.label == nil ? base : symbol.familyLabelKey,
                                role: scope.network?.role(ofBaseKey: base))
        if cacheable { symbolFacts[place] = known }
        return known
    }

    func evaluate(symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let vector = context.vector else { return try evaluateOne(symbol: symbol, range: range, context) }
        // The sum's index used as a value (`m`, `m + 1`) is not elementwise work.
        if symbol.indices.isEmpty, symbol.label == nil, symbol.name == vector.name { throw .notVectorizable }
        let value = try evaluateOne(symbol: symbol, range: range, context)
        let indexed = symbol.indices.contains { $0.symbol?.name == vector.name && $0.symbol?.indices.isEmpty == true }
        // Anything not indexed by the sum's index must be a number, or elementwise products would mean something else.
        if !indexed, !value.shape.isScalar { throw .notVectorizable }
        return value
    }

    func evaluateOne(symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        if !context.locals.isEmpty, let local = context.locals[symbol.key] { return local }
        if symbol.name == "e", isEulersNumber(MathExpression(.symbol(symbol), range: range), context) {
            return try engine(range) { () throws(BackpropError) in try tape.constant(M_E) }
        }
        if symbol.indices.isEmpty, symbol.label == nil, let index = context.indices[symbol.name] {
            return try engine(range) { () throws(BackpropError) in try tape.constant(Double(index)) }
        }
        if let integer = try networkInteger(symbol, range: range, context) {
            return try engine(range) { () throws(BackpropError) in try tape.constant(Double(integer)) }
        }
        let located = try locate(symbol, range: range, context)
        return try apply(located.selector, to: located.base, range: range)
    }

    func apply(_ selector: Selector, to node: Node, range: SourceRange) throws(EvaluationError) -> Node {
        try engine(range) { () throws(BackpropError) in
            switch selector {
            case .whole: return node
            case .element(let index):
                guard node.shape.rank == 1 || node.shape.rank == 0 else { throw .indexOutOfRange("one index into \(node.shape)") }
                guard index >= 1, index <= node.shape.count else { throw .indexOutOfRange("\(index) of \(node.shape)") }
                return node.shape.isScalar ? node : try node[index - 1]
            case .entry(let row, let column):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("two indices into \(node.shape)") }
                return try node[row - 1, column - 1]
            case .column(let column):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("a column of \(node.shape)") }
                return try node.column(column - 1)
            case .row(let row):
                guard node.shape.rank == 2 else { throw .indexOutOfRange("a row of \(node.shape)") }
                return try node.row(row - 1)
            case .elements(let run):
                guard node.shape.rank == 1, run.lowerBound >= 1, run.upperBound <= node.shape.count else {
                    throw .indexOutOfRange("\(run) of \(node.shape)")
                }
                return try node.slice((run.lowerBound - 1)..<run.upperBound)
            case .columnPart(let rows, let column):
                guard node.shape.rank == 2, rows.lowerBound >= 1, rows.upperBound <= node.shape.rows else {
                    throw .indexOutOfRange("rows \(rows) of \(node.shape)")
                }
                return try node.column(column - 1).slice((rows.lowerBound - 1)..<rows.upperBound)
            case .rowPart(let row, let columns):
                guard node.shape.rank == 2, columns.lowerBound >= 1, columns.upperBound <= node.shape.columns else {
                    throw .indexOutOfRange("columns \(columns) of \(node.shape)")
                }
                return try node.row(row - 1).slice((columns.lowerBound - 1)..<columns.upperBound)
            }
        }
    }

    /// `L` (the number of layers) and `n_i` (widths) are whole numbers of the network.
    func networkInteger(_ symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Int? {
        guard let network = scope.network, symbol.label == nil else { return nil }
        switch facts(symbol, range).role {
        case .layers where symbol.indices.isEmpty:
            return network.layerCount
        case .widths where symbol.indices.count == 1:
            let layer = try integer(symbol.indices[0], context)
            guard network.widths.indices.contains(layer) else { throw .indexOutOfRange("width of layer \(layer)") }
            return network.widths[layer]
        default:
            return nil
        }
    }

    /// The last value of a sum or a pattern over `variable`. A size the note never gives (`k` in
    /// `\sum_{m=1}^{k} \frac{\partial \mathcal{L}}{\partial a_{i+1,m}}`) that bounds neurons of the
    /// network's layers is the width of the layer they are in; any other size is drawn.
    func bound(_ upper: MathExpression, over variable: String, in body: MathExpression,
               _ context: Context) throws(EvaluationError) -> Int {
        if let symbol = upper.symbol, symbol.indices.isEmpty, symbol.label == nil, context.indices[symbol.name] == nil, !scope.isBound(symbol.key),
           let width = networkWidth(over: variable, in: body, context) {
            return width
        }
        return try integer(upper, context)
    }

    /// The width of the layer whose neurons `variable` counts in `body` (`a_{i+1,m}`: layer i + 1;
    /// `W_{i+1,m,j}`: its rows are layer i + 1, its columns layer i), when every use agrees.
    func networkWidth(over variable: String, in body: MathExpression, _ context: Context) -> Int? {
        guard let network = scope.network else { return nil }
        var widths: Set<Int> = []
        var unreadable = false
        body.forEachNode { node in
            guard case .symbol(let symbol) = node.kind, symbol.label == nil, let role = network.role(ofBaseKey: symbol.baseKey),
                  network.layers(of: role) != nil, symbol.indices.count >= 2 else { return }
            for (position, index) in symbol.indices.enumerated().dropFirst() {
                guard let name = index.symbol, name.name == variable, name.indices.isEmpty else { continue }
                let lastPosition = role == .weights ? 2 : 1
                guard position <= lastPosition, let layer = try? integer(symbol.indices[0], context) else {
                    unreadable = true
                    continue
                }
                let widthLayer = role == .weights && position == 2 ? layer - 1 : layer
                guard network.widths.indices.contains(widthLayer) else {
                    unreadable = true
                    continue
                }
                widths.insert(network.widths[widthLayer])
            }
        }
        return !unreadable && widths.count == 1 ? widths.first : nil
    }

    /// Finds the quantity a symbol names and the part of it the indices select.
    func locate(_ symbol: MathSymbol, range: SourceRange, _ context: Context) throws(EvaluationError) -> Located {
        let known = facts(symbol, range)
        let family = known.familyLabelKey
        if let network = scope.network, symbol.label == nil, let role = known.role {
            if let located = try locateInNetwork(symbol, role: role, network: network, range: range, context) {
                return located
            }
        }
        // An indexed definition `p_i = …` (as a family) applies to `p_j`, `p_3`, …; further
        // indices select from the member: `δ_{ij}` is entry j of `δ_i`.
        if !symbol.indices.isEmpty, let definition = scope.families[family],
           definition.indexParameters.count <= symbol.indices.count,
           symbol.indices.count <= definition.indexParameters.count + 2 {
            let parameterCount = definition.indexParameters.count
            var values: [Int] = []
            for index in symbol.indices.prefix(parameterCount) { values.append(try integer(index, context)) }
            if parameterCount == 1, isRecurrence(family, definition), values[0] < 1 {
                // `h_t = f(x_t, h_{t-1})` at t = 1 needs h_0, which the recurrence does not give: the
                // state it starts from, an input like any the note leaves free (and written `h_0` in the
                // prose, "starting from a given $h_0$", it is still that state, not a member to compute).
                guard allowsFreeSymbols else { throw .unbound(family) }
                let key = family + "[\(values[0])]"
                let instance = Instance.free(key)
                let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                    try leaf(named: key, shape: .scalar, range: range)
                }
                return Located(instance: instance, base: node, selector: .whole)
            }
            let instance = Instance.definition(family, values)
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                inner.overrides = context.overrides
                inner.signature = context.signature
                // A definition's sums count with the sums it is used in.
                inner.enclosingTerms = context.enclosingTerms
                for (parameter, value) in zip(definition.indexParameters, values) { inner.indices[parameter] = value }
                return try evaluate(definition.body, inner)
            }
            let rest = Array(symbol.indices.dropFirst(parameterCount))
            guard !rest.isEmpty else { return Located(instance: instance, base: node, selector: .whole) }
            guard node.shape.rank >= rest.count, !node.shape.isScalar else {
                throw .indexOutOfRange("\(rest.count) more indices into \(node.shape)")
            }
            return Located(instance: instance, base: node, selector: try selector(rest, context))
        }
        let key = try concreteKey(symbol, family: family, context)
        // `$f = q z$` after `f(x, y, z) = (x + y) z`: the staged form, written later, is what a bare f is.
        let staged = scope.functions[symbol.baseKey].map { function in
            (scope.symbols[key]?.range.start.offset ?? -1) > function.range.start.offset
        } ?? false
        if !staged, let function = functionAtItsParameters(symbol, key: key, context) {
            // `\frac{\partial f}{\partial y}` after `f(x, y) = x y`: f at its own parameters (`h_\theta` too),
            // once for each value of the indices in force (`h_\theta(x^{(i)})` under a sum over i).
            let indexValues = context.indices.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let instance = Instance.symbol(indexValues.isEmpty ? key : key + "@" + indexValues.joined(separator: ","))
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                inner.overrides = context.overrides
                inner.signature = context.signature
                // Parameters with an index (`h_\theta(x^{(i)})`) take the step's value of it; in a
                // step that fixes no such index, `h_\theta` is `h_\theta(x)`, at the plain letter.
                inner.indices = context.indices
                for parameter in function.parameterSymbols where !parameter.indices.isEmpty {
                    let free = analysis.indexVariables(in: MathExpression(.symbol(parameter), range: range))
                    guard !free.isEmpty, free.contains(where: { context.indices[$0] == nil }) else { continue }
                    var plain = parameter
                    plain.indices = []
                    // A place of its own: the facts cached for `range` are those of `h_\theta`.
                    let place = SourceRange(at: SourceLocation(path: Self.mathText, line: 1, column: 1, offset: 0))
                    inner.locals[parameter.key] = try evaluate(symbol: plain, range: place, context)
                }
                return try evaluate(function.body, inner)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        if let definition = scope.symbols[key] {
            // `L = -\log \hat{y}_\ell` with ℓ the true class: an index the body leaves free takes
            // the step's value of it, and the quantity is one per such value.
            let free = analysis.indexVariables(in: definition.body).filter { context.indices[$0] != nil }.sorted()
            let suffix = free.map { "\($0)=\(context.indices[$0] ?? 0)" }.joined(separator: ",")
            let instance = Instance.symbol(free.isEmpty ? key : key + "@" + suffix)
            let node = try quantity(instance, context, range: range) { () throws(EvaluationError) in
                var inner = Context()
                for name in free { inner.indices[name] = context.indices[name] }
                inner.overrides = context.overrides
                inner.signature = context.signature
                // A definition's sums count with the sums it is used in.
                inner.enclosingTerms = context.enclosingTerms
                return try evaluate(definition.body, inner)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        if let literal = scope.literals[key] {
            let instance = Instance.symbol(key)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try engine(range) { () throws(BackpropError) in try tape.variable(literal) }
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        // A family whose members are defined one by one (`y_1 = …`, `y_2 = …`) has no other
        // members: an unbounded sum over it stops at the first undefined one.
        if context.endsAtUndefinedMembers, !symbol.indices.isEmpty, scope.memberFamilies.contains(family) {
            throw .indexOutOfRange("\(key) is not defined")
        }
        if symbol.name == "\\delta", symbol.indices.count == 2, symbol.label == nil, scope.families[family] == nil,
           !scope.memberFamilies.contains(family) {
            // δ_{ij} that the note never defines: Kronecker's delta.
            let i = try integer(symbol.indices[0], context)
            let j = try integer(symbol.indices[1], context)
            return Located(instance: .symbol(key), base: try engine(range) { () throws(BackpropError) in try tape.constant(i == j ? 1 : 0) },
                           selector: .whole)
        }
        if symbol.indices.isEmpty, context.bareFamiliesAreWhole, let shape = analysis.arrayShapes[family], shape.rank == 1,
           scope.symbols[key] == nil, scope.literals[key] == nil, scope.families[family] == nil, context.locals[symbol.key] == nil {
            guard allowsFreeSymbols else { throw .unbound(family) }
            let instance = Instance.free(family)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: family, shape: shape, range: range)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        // A free array family: one drawn tensor, its elements selected (inline math, which
        // only checks what the note has bound, never draws one).
        if let shape = analysis.arrayShapes[family], !symbol.indices.isEmpty {
            guard allowsFreeSymbols else { throw .unbound(family) }
            let instance = Instance.free(family)
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: family, shape: shape, range: range)
            }
            let chosen = try selector(symbol.indices, context)
            return Located(instance: instance, base: node, selector: analysis.zeroBased.contains(family) ? chosen.fromZero : chosen)
        }
        if symbol.indices.isEmpty, analysis.sizeNames.contains(key), context.indices[symbol.name] == nil {
            // A size the note never gives a number: a small whole number, the same all through the note.
            let instance = Instance.free(key)
            let size = Tensor(Double(draws.size(for: key)))
            let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
                try leaf(named: key, tensor: size, range: range)
            }
            return Located(instance: instance, base: node, selector: .whole)
        }
        guard allowsFreeSymbols else { throw .unbound(key) }
        // `W_{i+1,*,j}` of a family nbrun draws no array for: a run of entries, never one number.
        if symbol.indices.contains(where: \.isWildcard) { throw .unsupported(VerifyMessages.wildcardOfNoArray, range) }
        let instance = Instance.free(key)
        let node = try quantity(instance, context, range: range, isLeaf: true) { () throws(EvaluationError) in
            try leaf(named: key, shape: .scalar, range: range)
        }
        return Located(instance: instance, base: node, selector: .whole)
    }

    /// `W_i`, `W_{i,m,j}`, `W_{i,*,j}`, `a_i`, `a_{ij}`, `h_0`, `x`, `y`, `\hat y`, `\mathcal{L}`.
    func locateInNetwork(_ symbol: MathSymbol, role: NetworkModel.Role, network: NetworkModel,
                                 range: SourceRange, _ context: Context) throws(EvaluationError) -> Located? {
        switch role {
        case .weights, .biases, .preActivations, .activations:
            guard let first = symbol.indices.first, let layers = network.layers(of: role) else { return nil }
            let layer = try integer(first, context)
            guard layers.contains(layer) else { throw .indexOutOfRange("layer \(layer) of \(role.rawValue)") }
            let instance = Instance.network(role, layer)
            let node = try networkQuantity(role, layer: layer, network: network, range: range, context)
            return Located(instance: instance, base: node, selector: try selector(Array(symbol.indices.dropFirst()), context))
        case .input, .target, .prediction, .loss:
            let node = try networkQuantity(role, layer: network.layerCount, network: network, range: range, context)
            let instance: Instance = switch role {
            case .input: .network(.activations, 0)
            case .prediction: .network(.activations, network.layerCount)
            default: .network(role, 0)
            }
            return Located(instance: instance, base: node, selector: try selector(symbol.indices, context))
        case .activation, .layers, .widths:
            return nil
        }
    }

    func networkQuantity(_ role: NetworkModel.Role, layer: Int, network: NetworkModel,
                                 range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        // x is h_0 and ŷ is h_L: the same quantities, so a derivative through either name sees both.
        if role == .input { return try networkQuantity(.activations, layer: 0, network: network, range: range, context) }
        if role == .prediction {
            return try networkQuantity(.activations, layer: network.layerCount, network: network, range: range, context)
        }
        let instance: Instance = role == .target || role == .loss ? .network(role, 0) : .network(role, layer)

        return try quantity(instance, context, range: range, isLeaf: role.isDrawn(layer: layer)) { () throws(EvaluationError) in
            switch role {
            case .weights:
                let shape = Shape.matrix(rows: network.widths[layer], columns: network.widths[layer - 1])
                let scale = 1 / Double(network.widths[layer - 1]).squareRoot()
                let drawn = draws.tensor(for: "network \(network.seed) W\(layer)", shape: shape, scale: scale)
                return try leaf(named: "W_\(layer)", tensor: drawn, range: range)
            case .biases:
                let drawn = draws.tensor(for: "network \(network.seed) b\(layer)", shape: .vector(network.widths[layer]), scale: 0.5)
                return try leaf(named: "b_\(layer)", tensor: drawn, range: range)
            case .preActivations:
                let weights = try networkQuantity(.weights, layer: layer, network: network, range: range, context)
                let previous = try networkQuantity(.activations, layer: layer - 1, network: network, range: range, context)
                let biases = try networkQuantity(.biases, layer: layer, network: network, range: range, context)
                return try engine(range) { () throws(BackpropError) in try weights.matmul(previous) + biases }
            case .activations:
                if layer == 0 {
                    if let input = network.input {
                        let tensor = (try? Tensor(vector: input)) ?? Tensor(0)
                        return try leaf(named: "x", tensor: tensor, range: range)
                    }
                    let drawn = draws.tensor(for: "network \(network.seed) x", shape: .vector(network.widths[0]))
                    return try leaf(named: "x", tensor: drawn, range: range)
                }
                let pre = try networkQuantity(.preActivations, layer: layer, network: network, range: range, context)
                let name = network.activationName(ofLayer: layer)
                return try engine(range) { () throws(BackpropError) in try NetworkFunctions.activate(name, pre) }
            case .target:
                let count = network.widths[network.layerCount]
                if let target = network.target {
                    return try leaf(named: "y", tensor: (try? Tensor(vector: target)) ?? Tensor(0), range: range)
                }
                let drawn = network.targetIsOneHot
                    ? draws.oneHot(for: "network \(network.seed) y", count: count)
                    : draws.tensor(for: "network \(network.seed) y", shape: .vector(count))
                return try leaf(named: "y", tensor: drawn, range: range)
            case .loss:
                let last = network.layerCount
                let pre = try networkQuantity(.preActivations, layer: last, network: network, range: range, context)
                let output = try networkQuantity(.activations, layer: last, network: network, range: range, context)
                let target = try networkQuantity(.target, layer: last, network: network, range: range, context)
                return try engine(range) { () throws(BackpropError) in
                    try NetworkFunctions.loss(network.loss, outputActivation: network.output, preActivation: pre, output: output, target: target)
                }
            case .activation, .layers, .widths, .input, .prediction:
                throw .unsupported(VerifyMessages.notAQuantity(role.rawValue), range)
            }
        }
    }

    /// The indices after the first, as a selector: `m, j` → entry, `*, j` → column.
    func selector(_ indices: [MathExpression], _ context: Context) throws(EvaluationError) -> Selector {
        if let vector = context.vector {
            let run = vector.low...vector.high
            let isRun = indices.map { $0.symbol?.name == vector.name && $0.symbol?.indices.isEmpty == true }
            switch (indices.count, isRun) {
            case (1, [true]): return .elements(run)
            case (2, [true, false]) where !indices[1].isWildcard: return .columnPart(rows: run, column: try integer(indices[1], context))
            case (2, [false, true]) where !indices[0].isWildcard: return .rowPart(row: try integer(indices[0], context), columns: run)
            case (_, let flags) where flags.contains(true): throw .notVectorizable
            default: break
            }
        }
        switch indices.count {
        case 0: return .whole
        case 1: return .element(try integer(indices[0], context))
        case 2:
            let rowIsWild = indices[0].isWildcard
            let columnIsWild = indices[1].isWildcard
            if rowIsWild, !columnIsWild { return .column(try integer(indices[1], context)) }
            if columnIsWild, !rowIsWild { return .row(try integer(indices[0], context)) }
            return .entry(try integer(indices[0], context), try integer(indices[1], context))
        default:
            throw .indexOutOfRange("\(indices.count) indices")
        }
    }

    /// `w_{11}^2` with index values substituted: `w^{2}[1,1]`.
    func concreteKey(_ symbol: MathSymbol, family: String, _ context: Context) throws(EvaluationError) -> String {
        guard !symbol.indices.isEmpty else { return family }
        var parts: [String] = []
        for index in symbol.indices {
            if index.isWildcard {
                parts.append("*")
            } else if let name = index.symbol?.name, index.symbol?.indices.isEmpty == true,
                      context.indices[name] == nil, !analysis.indexNames.contains(name), index.symbol?.label == nil {
                // A letter that is part of the name: `h_a`, `x_{out}`.
                parts.append(name)
            } else {
                parts.append(String(try integer(index, context)))
            }
        }
        return family + "[" + parts.joined(separator: ",") + "]"
    }

    /// Memoized evaluation of one quantity, honouring derivative overrides and catching cycles.
    /// A quantity of this draw, computed once per signature (the set of quantities a
    /// derivative replaced by leaves). A leaf — a drawn input, a weight, a literal —
    /// is the same under every signature, so it is drawn and recorded once per draw.
    func quantity(_ instance: Instance, _ context: Context, range: SourceRange, isLeaf: Bool = false,
                  _ compute: () throws(EvaluationError) -> Node) throws(EvaluationError) -> Node {
        if let override = context.overrides[instance] { return override }
        let key = MemoKey(signature: isLeaf ? "" : context.signature, instance: instance)
        if let known = memo[key] { return known }
        guard !inProgress.contains(key) else {
            throw .cycle(VerifyMessages.cycle(instance.description), range)
        }
        inProgress.insert(key)
        defer { inProgress.remove(key) }
        let node = try compute()
        memo[key] = node
        return node
    }

    func leaf(named name: String, shape: Shape, range: SourceRange) throws(EvaluationError) -> Node {
        // Checked before drawing: a drawn array is allocated whole.
        guard shape.rows.multipliedReportingOverflow(by: shape.columns).partialValue <= limits.maxArrayElements,
              !shape.rows.multipliedReportingOverflow(by: shape.columns).overflow else {
            throw .limit(VerifyMessages.arrayTooLarge(shape, limit: limits.maxArrayElements), range)
        }
        let tensor: Tensor
        if scope.oneHot.contains(name), shape.rank == 1 {
            tensor = draws.oneHot(for: name, count: shape.count)
        } else {
            tensor = shape.isScalar ? Tensor(draws.scalar(for: name)) : draws.tensor(for: name, shape: shape)
        }
        return try leaf(named: name, tensor: tensor, range: range)
    }

    func leaf(named name: String, tensor: Tensor, range: SourceRange) throws(EvaluationError) -> Node {
        inputs.append((name, tensor))
        return try engine(range) { () throws(BackpropError) in try tape.variable(tensor) }
    }
}
