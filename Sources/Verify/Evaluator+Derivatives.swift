import Backprop
import Diagnostics
import Foundation
import MathSyntax

extension Evaluator {
    // MARK: Derivatives

    func evaluate(derivative: MathDerivative, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let value = try evaluateDerivative(derivative, range: range, context)
        if let vector = context.vector, value.shape.rank != 0,
           !(derivative.variables.first.map { indexVariables(ofVariable: $0).contains(vector.name) } ?? false) {
            throw .notVectorizable
        }
        return value
    }

    func evaluateDerivative(_ derivative: MathDerivative, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        guard let operand = derivative.operand else { throw .unsupported(VerifyMessages.derivativeWithoutOperand, range) }
        guard let variable = derivative.variables.first,
              derivative.variables.count == 1 || derivative.variables.allSatisfy({ $0.withoutRanges == variable.withoutRanges }) else {
            throw .unsupported(VerifyMessages.mixedPartials, range)
        }
        return try differentiate(operand, withRespectTo: variable, order: derivative.order, range: range, context,
                                 holdsArgumentsFixed: derivative.notation != .ordinary)
    }

    /// `\frac{\partial \hat{x}_i}{\partial x_i}` with `\hat{x}_i = (x_i - \mu)/\sqrt{\sigma^2 + \epsilon}`: a
    /// partial derivative of a formula with respect to one of its own arguments holds its other
    /// arguments fixed, even when they are computed from the variable too (μ from the x_i): the
    /// note's chain rule adds their paths as terms of their own. The quantities to hold, each
    /// with its value now; empty when the variable is not written in the operand's formula.
    func argumentsToHold(_ operand: MathExpression, besides variable: MathSymbol, range: SourceRange,
                                 _ context: Context) throws(EvaluationError) -> [(Instance, Tensor)] {
        guard let operandSymbol = operand.symbol else { return [] }
        let body: MathExpression
        if let key = try? concreteKey(operandSymbol, family: operandSymbol.familyLabelKey, context), let definition = scope.symbols[key] {
            body = definition.body
        } else if let definition = scope.families[operandSymbol.familyLabelKey] {
            body = definition.body
        } else {
            return []
        }
        var writesVariable = false
        var others: [(MathSymbol, SourceRange)] = []
        var seen: Set<String> = []
        // The name of a function applied in the body (`u` of `u(x, y)`) is not one of its arguments.
        let heads = body.applicationHeads
        body.forEachNode { node in
            guard case .symbol(let symbol) = node.kind, !heads.contains(Place(node.range)) else { return }
            if symbol.familyLabelKey == variable.familyLabelKey { writesVariable = true; return }
            guard symbol.indices.isEmpty, let key = try? concreteKey(symbol, family: symbol.familyLabelKey, context),
                  seen.insert(key).inserted, scope.symbols[key] != nil else { return }
            others.append((symbol, node.range))
        }
        guard writesVariable else { return [] }
        var held: [(Instance, Tensor)] = []
        for (symbol, place) in others {
            // Located at its own place: facts about a symbol are cached by where it is written.
            let located = try locate(symbol, range: place, context)
            held.append((located.instance, located.base.value))
        }
        return held
    }

    /// `\frac{\partial f(x_t, h_{t-1}, w)}{\partial w}`: the partial derivative of a function in the
    /// argument written as the variable, the other arguments held at their values (h_{t-1} depends
    /// on w too, but that path is the chain rule's next term). Nil when no one argument is the variable.
    func derivativeInSlot(_ operand: MathExpression, variable: MathSymbol, range: SourceRange,
                                  _ context: Context) throws(EvaluationError) -> Node? {
        let function: MathExpression
        let arguments: [MathExpression]
        switch operand.kind {
        case .application(let head, let written), .applicationOrProduct(let head, let written):
            function = head
            arguments = written
        default:
            return nil
        }
        guard arguments.count >= 2, let symbol = function.symbol, !Self.namesBuiltin(symbol),
              scope.functions[symbol.baseKey] != nil || Self.isArbitraryFunctionName(symbol),
              arguments.filter({ $0.symbol?.key == variable.key }).count == 1,
              let slot = arguments.firstIndex(where: { $0.symbol?.key == variable.key }) else { return nil }
        var values: [Tensor] = []
        for argument in arguments { values.append(try evaluate(argument, context).value) }
        let point = try engine(range) { () throws(BackpropError) in try tape.variable(values[slot]) }
        var nodes: [Node] = []
        for (position, value) in values.enumerated() {
            nodes.append(position == slot ? point : try engine(range) { () throws(BackpropError) in try tape.constant(value) })
        }
        let value = try call(symbol, nodes, range: range, context)
        guard value.shape.isScalar else { return nil }
        return try engine(range) { () throws(BackpropError) in try tape.constant(try tape.gradient(of: value, withRespectTo: [point])[0]) }
    }

    /// ∂A/∂B: B is replaced by a leaf holding its current value, A is evaluated
    /// again through the definitions, and reverse mode gives the gradient. What
    /// B is computed from stays fixed: the partial derivative the notes mean.
    func differentiate(_ operand: MathExpression, withRespectTo variable: MathExpression, order: Int,
                       range: SourceRange, _ context: Context, holdsArgumentsFixed: Bool = false) throws(EvaluationError) -> Node {
        // `\partial (a_j^L)`: brackets around the variable.
        var variable = variable
        while case .group(let inner, _) = variable.kind { variable = inner }
        guard let symbol = variable.symbol else { throw .unsupported(VerifyMessages.derivativeVariable(variable.plain), range) }
        guard order <= 2 else { throw .unsupported(VerifyMessages.highOrder(order), range) }
        let facts = operandFacts(operand)
        if facts.containsDerivative {
            throw .unsupported(VerifyMessages.derivativeOfDerivative, range)
        }
        if let vector = context.vector, facts.indexVariables.contains(vector.name) {
            throw .notVectorizable
        }
        if holdsArgumentsFixed, order == 1, context.vector == nil,
           let slot = try derivativeInSlot(operand, variable: symbol, range: range, context) {
            return slot
        }
        let target = try locate(symbol, range: range, context)
        var context = context
        if holdsArgumentsFixed, order == 1 {
            let held = try argumentsToHold(operand, besides: symbol, range: range, context)
            for (instance, value) in held where instance != target.instance {
                let constant = try engine(range) { () throws(BackpropError) in try tape.constant(value) }
                context.overrides[instance] = constant
                context.signature += "|held " + instance.description
            }
        }
        // The gradient is taken with respect to the whole quantity and the variable's
        // indices select from it, so only the operand's own index values matter.
        var relevant: [Int] = []
        for name in facts.indexVariables { relevant.append(context.indices[name] ?? Int.min) }
        // Checked once per index tuple: a key of parts, no string built for the lookup.
        let cacheKey = GradientKey(signature: context.signature, target: target.instance, order: order,
                                   indexValues: relevant, operand: facts.key)
        if order == 1, let cached = gradients[cacheKey] {
            if unreachedGradients.contains(cacheKey) { noteDisconnection(operand, variable) }
            if openGradients.contains(cacheKey) { usedOpenDerivative = true }
            return try select(cached, target.selector, range: range)
        }
        let signature = context.signature + "/" + target.instance.description
        // One leaf per replaced quantity and context: values memoized under this
        // signature were computed from this very leaf.
        let leaf: Node
        if let known = leaves[signature] {
            leaf = known
        } else {
            leaf = try engine(range) { () throws(BackpropError) in try tape.variable(target.base.value) }
            leaves[signature] = leaf
        }
        var inner = context
        inner.overrides[target.instance] = leaf
        inner.signature = signature
        let value = try evaluate(operand, inner)
        guard value.shape.count == 1 else {
            throw .unsupported(VerifyMessages.derivativeOfNonScalar(operand.plain, value.shape), range)
        }
        let scalar = try engine(range) { () throws(BackpropError) in value.shape.isScalar ? value : try value.sum() }
        if order == 1 {
            let gradient: Tensor
            do {
                gradient = try tape.gradient(of: scalar, withRespectTo: [leaf])[0]
            } catch {
                throw .engine(error, range)
            }
            if !tape.lastGradientReached(leaf) {
                if sharedOpenDerivatives.contains(Self.openDerivativeKey(operand, variable)) {
                    // The same unknown on both sides of the claim, named by what is written (each
                    // side writes it at its own place): a drawn number, the same wherever it stands.
                    let name = "∂" + Self.openDerivativeKey(operand, variable) + "/" + target.instance.description
                    let unknown = draws.tensor(for: name, shape: target.base.shape)
                    gradients[cacheKey] = unknown
                    openGradients.insert(cacheKey)
                    usedOpenDerivative = true
                    return try select(unknown, target.selector, range: range)
                }
                // A zero that compares nothing: no definition of the note connects the two.
                unreachedGradients.insert(cacheKey)
                noteDisconnection(operand, variable)
            }
            gradients[cacheKey] = gradient
            return try select(gradient, target.selector, range: range)
        }
        guard target.base.shape.isScalar else { throw .unsupported(VerifyMessages.highOrder(order), range) }
        return try engine(range) { () throws(BackpropError) in
            let first = try tape.gradientNodes(of: scalar, withRespectTo: [leaf])[0]
            return try tape.constant(try tape.gradient(of: first, withRespectTo: [leaf])[0])
        }
    }

    /// A derivative whose operand was computed without its variable: 0, by no formula of the note.
    struct Disconnection: Equatable {
        var operand: String
        var variable: String
        /// The operand is a quantity the note gives only as a number (`E_{o2} = 0.0236`):
        /// how it depends on anything is not in the note.
        var statedAsNumber: Bool
        /// The operand goes through a function the note leaves open (`{\cal C}(\hat{W})`), which
        /// depends on nothing but its drawn argument.
        var throughOpenFunction = false
    }

    func noteDisconnection(_ operand: MathExpression, _ variable: MathExpression) {
        var statedAsNumber = false
        if let symbol = operand.symbol {
            let family = symbol.familyLabelKey
            let key = try? concreteKey(symbol, family: family, Context())
            let defined = key.map { scope.symbols[$0] != nil || scope.literals[$0] != nil } ?? false
                || scope.families[family] != nil || scope.network?.role(ofBaseKey: symbol.baseKey) != nil
            statedAsNumber = !defined
                || key.map { scope.literals[$0] != nil || scope.symbols[$0].map { VerifierRun.isNumbersOnly($0.body) } == true } == true
        }
        // `{\cal C}(\hat{W})`: a letter the note never defines, written before brackets, reads as a product
        // but is meant as a function of what it depends on.
        var writtenAsFunction = !arbitraryFunctionsUsed.isEmpty
        operand.forEachNode { node in
            let head: MathExpression
            switch node.kind {
            case .applicationOrProduct(let function, _): head = function
            case .binary(.implicitProduct, let function, let argument):
                guard case .group(_, .parenthesis) = argument.kind else { return }
                head = function
            default: return
            }
            guard let symbol = head.symbol,
                  let key = try? concreteKey(symbol, family: symbol.familyLabelKey, Context()),
                  scope.symbols[key] == nil, scope.literals[key] == nil, scope.functions[symbol.baseKey] == nil else { return }
            writtenAsFunction = true
        }
        let found = Disconnection(operand: operand.plain, variable: variable.plain, statedAsNumber: statedAsNumber,
                                  throughOpenFunction: writtenAsFunction)
        if !disconnections.contains(found) { disconnections.append(found) }
    }

    /// One part of a computed gradient, as a constant: copying only that part keeps a
    /// sum over thousands of index values linear.
    /// What the derivative cache needs of an operand, worked out once per operand:
    /// its index variables (sorted) and a key that tells it apart from other operands.
    func operandFacts(_ operand: MathExpression) -> OperandFacts {
        // Operands read from the note are told apart by where they stand; generated
        // ones (pattern templates) by their text.
        let fromNote = operand.range.path != Self.mathText
        let place = Place(start: operand.range.start.offset, end: operand.range.end.offset)
        if fromNote, let known = operandCache[place] { return known }
        var indexVariables = analysis.indexVariables(in: operand)
        // A bare `h_\theta` standing for `h_\theta(x^{(i)})` depends on i too.
        operand.forEachNode { node in
            guard case .symbol(let symbol) = node.kind else { return }
            // `L = -\log \hat{y}_\ell` (ℓ, the true class): the index its definition leaves free.
            if let definition = scope.symbols[symbol.key] ?? scope.symbols[symbol.baseKey] {
                indexVariables.formUnion(analysis.indexVariables(in: definition.body))
            }
            guard let function = scope.functions[symbol.baseKey] else { return }
            indexVariables.formUnion(analysis.indexVariables(in: function.body).subtracting(function.parameters))
            for parameter in function.parameterSymbols where !parameter.indices.isEmpty {
                indexVariables.formUnion(analysis.indexVariables(in: MathExpression(.symbol(parameter), range: operand.range)))
            }
        }
        let facts = OperandFacts(indexVariables: indexVariables.sorted(),
                                 key: fromNote ? "\(place.start):\(place.end)" : operand.latex,
                                 containsDerivative: operand.containsDerivative)
        if fromNote { operandCache[place] = facts }
        return facts
    }

    /// What the derivative cache needs of an operand: its index variables (sorted), a key
    /// that tells it apart from other operands, and whether it holds a derivative itself.
    struct OperandFacts {
        var indexVariables: [String]
        var key: String
        var containsDerivative: Bool
    }

    /// Where an expression of the note stands: what the caches of per-expression facts key on.
    struct Place: Hashable {
        var start: Int
        var end: Int
    }

    /// The index variables of a derivative's variable (`a_{i+1,m}` → i, m), worked out once per place.
    func indexVariables(ofVariable variable: MathExpression) -> Set<String> {
        guard variable.range.path != Self.mathText else { return analysis.indexVariables(in: variable) }
        let place = Place(start: variable.range.start.offset, end: variable.range.end.offset)
        if let known = variableIndexCache[place] { return known }
        let names = analysis.indexVariables(in: variable)
        variableIndexCache[place] = names
        return names
    }

    func select(_ tensor: Tensor, _ selector: Selector, range: SourceRange) throws(EvaluationError) -> Node {
        let shape = tensor.shape
        func scalar(_ index: Int) throws(EvaluationError) -> Node {
            try engine(range) { () throws(BackpropError) in try tape.constant(tensor.scalars[index]) }
        }
        switch selector {
        case .whole:
            return try engine(range) { () throws(BackpropError) in try tape.constant(tensor) }
        case .element(let index):
            guard shape.rank <= 1 else { throw .indexOutOfRange("one index into \(shape)") }
            guard index >= 1, index <= shape.count else { throw .indexOutOfRange("\(index) of \(shape)") }
            return try scalar(index - 1)
        case .entry(let row, let column):
            guard shape.rank == 2, (1...shape.rows).contains(row), (1...shape.columns).contains(column) else {
                throw .indexOutOfRange("(\(row), \(column)) of \(shape)")
            }
            return try scalar((row - 1) * shape.columns + column - 1)
        case .column, .row, .elements, .columnPart, .rowPart:
            let whole = try engine(range) { () throws(BackpropError) in try tape.constant(tensor) }
            return try apply(selector, to: whole, range: range)
        }
    }
}
