import Backprop
import Diagnostics
import Foundation
import MathSyntax

extension Evaluator {
    // MARK: Functions

    func evaluate(call: MathCall, range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        var arguments: [Node] = []
        for argument in call.arguments { arguments.append(try evaluate(argument, context)) }
        var base: Double?
        if let subscriptExpression = call.subscriptExpression {
            guard call.name == "log" else { throw .unsupported(VerifyMessages.unknownFunction("\\\(call.name)_…"), range) }
            base = try evaluate(subscriptExpression, context).value.scalar
        }
        var result = try apply(builtin: call.name, to: arguments, range: range, vectorized: context.vector != nil)
        if call.subscriptExpression != nil {
            guard let base, base > 0, base != 1 else { throw .unsupported(VerifyMessages.logBase, range) }
            let value = result
            result = try engine(range) { () throws(BackpropError) in try value / Foundation.log(base) }
        }
        if let power = call.power {
            let exponent = try evaluate(power, context)
            let value = result
            result = try engine(range) { () throws(BackpropError) in try value.power(exponent) }
        }
        return result
    }

    /// The one-argument functions `apply(builtin:)` knows, as written without a backslash.
    static let builtinNames: Set<String> = [
        "exp", "log", "ln", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sigmoid", "sigma", "logistic",
        "relu", "softmax", "sqrt", "abs", "max", "min", "prod", "sech", "sign", "sgn", "softplus",
    ]

    /// Whether `symbol` is a function nbrun knows by name (`\sigma`, `\tanh`, `\operatorname{relu}`).
    static func namesBuiltin(_ symbol: MathSymbol) -> Bool {
        guard symbol.indices.isEmpty else { return false }
        var name = symbol.name.lowercased()
        if name.hasPrefix("\\operatorname{"), name.hasSuffix("}") {
            name = String(name.dropFirst("\\operatorname{".count).dropLast())
        } else if name.hasPrefix("\\") {
            name = String(name.dropFirst())
        }
        return builtinNames.contains(name)
    }

    /// Functions nbrun knows by name.
    func apply(builtin name: String, to arguments: [Node], range: SourceRange, vectorized: Bool = false) throws(EvaluationError) -> Node {
        var lowered = name.lowercased()
        // A named function primed (`\tanh'(z)`) arrives as the symbol `\tanh` or `\operatorname{relu}`.
        if lowered.hasPrefix("\\operatorname{"), lowered.hasSuffix("}") {
            lowered = String(lowered.dropFirst("\\operatorname{".count).dropLast())
        } else if lowered.hasPrefix("\\") {
            lowered = String(lowered.dropFirst())
        }
        if vectorized, lowered == "softmax" { throw .notVectorizable }
        if lowered.hasPrefix("1["), arguments.count == 2 {
            // `\mathbb{1}(x \geq y)`: a step, whose derivative is 0 wherever it is defined.
            guard let a = arguments[0].value.scalar, let b = arguments[1].value.scalar else {
                throw .unsupported(VerifyMessages.unknownFunction("\\mathbb{1} of a vector"), range)
            }
            let holds: Bool = switch lowered {
            case "1[>]": a > b
            case "1[>=]": a >= b
            case "1[<]": a < b
            case "1[=]": a == b
            case "1[!=]": a != b
            default: a <= b
            }
            return try engine(range) { () throws(BackpropError) in try tape.constant(holds ? 1 : 0) }
        }
        return try engine(range) { () throws(BackpropError) in
            if arguments.count == 2 {
                switch lowered {
                case "max": return try arguments[0].maximum(arguments[1])
                case "min": return try arguments[0].minimum(arguments[1])
                // d2l's `\text{prod}(A, B)`: the product that fits the shapes; of a number, the plain one.
                case "prod" where arguments[0].shape.isScalar || arguments[1].shape.isScalar: return try arguments[0] * arguments[1]
                default: break
                }
            }
            guard arguments.count == 1, let x = arguments.first else {
                throw .unsupported(VerifyMessages.arity(name, arguments.count))
            }
            switch lowered {
            case "exp": return try x.exp()
            case "log", "ln": return try x.log()
            case "sin": return try x.sin()
            case "cos": return try x.cos()
            case "tan": return try x.sin() / x.cos()
            case "tanh": return try x.tanh()
            case "sinh": return try (x.exp() - (-x).exp()) * 0.5
            case "cosh": return try (x.exp() + (-x).exp()) * 0.5
            case "sech": return try ((x.exp() + (-x).exp()) * 0.5).power(-1)
            // x/|x|: the sign, with the derivative 0 it has wherever it is defined.
            case "sign", "sgn": return try x / x.abs()
            case "softplus": return try (x.exp() + 1).log()
            case "sigmoid", "sigma", "\\sigma", "logistic": return try x.sigmoid()
            case "relu": return try x.relu()
            case "softmax": return try x.softmax()
            case "sqrt": return try x.sqrt()
            case "abs": return try x.abs()
            case "max", "min":
                throw .unsupported(VerifyMessages.unknownFunction("\\\(name) over an index"))
            default: throw .unsupported(VerifyMessages.unknownFunction(name))
            }
        }
    }

    func evaluate(application function: MathExpression, _ argumentExpressions: [MathExpression],
                          range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        var primes = 0
        var head = function
        if case .prime(let inner, let count) = function.kind {
            primes = count
            head = inner
        }
        guard let symbol = head.symbol else { throw .unsupported(VerifyMessages.unknownFunction(head.plain), range) }
        // The loss written as a function of the parameters: ℒ(θ) is the loss.
        if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) == .loss, primes == 0 {
            return try evaluate(symbol: symbol, range: range, context)
        }
        // `h_\theta(x^{(i)})` after `h_\theta(x^{(i)}) = …` is the quantity `h_\theta` names, so that
        // `\frac{\partial}{\partial h_\theta} \log h_\theta(x^{(i)})` differentiates through it.
        if primes == 0, context.vector == nil, let key = try? concreteKey(symbol, family: symbol.familyLabelKey, context),
           let function = functionAtItsParameters(symbol, key: key, context),
           function.parameters.count == argumentExpressions.count,
           zip(function.parameters, argumentExpressions).allSatisfy({ parameter, argument in
               argument.symbol?.key == parameter && context.locals[parameter] == nil
           }) {
            return try evaluate(symbol: symbol, range: range, context)
        }
        var arguments: [Node] = []
        for argument in argumentExpressions { arguments.append(try evaluate(argument, context)) }
        if primes == 0 { return try call(symbol, arguments, range: range, context) }
        // g'(x): the derivative of a one-variable function, element by element.
        guard arguments.count == 1, let argument = arguments.first, primes <= 2 else {
            throw .unsupported(VerifyMessages.primeArity, range)
        }
        let point = try engine(range) { () throws(BackpropError) in try tape.variable(argument.value) }
        let value = try call(symbol, [point], range: range, context)
        return try engine(range) { () throws(BackpropError) in
            let total = value.shape.isScalar ? value : try value.sum()
            if primes == 1 {
                return try tape.constant(try tape.gradient(of: total, withRespectTo: [point])[0])
            }
            guard point.shape.isScalar else { throw .unsupported("a second derivative of a vector argument") }
            let first = try tape.gradientNodes(of: total, withRespectTo: [point])[0]
            return try tape.constant(try tape.gradient(of: first, withRespectTo: [point])[0])
        }
    }

    func isRecurrence(_ family: String, _ definition: Scope.Definition) -> Bool {
        if let known = recurrences[family] { return known }
        var found = false
        definition.body.forEachNode { node in
            if case .symbol(let symbol) = node.kind, !symbol.indices.isEmpty, symbol.familyLabelKey == family { found = true }
        }
        recurrences[family] = found
        return found
    }

    /// The definition of the function a bare symbol names when it stands for that function at its
    /// own parameters (`h_\theta` after `h_\theta(x) = …`), or nil.
    func functionAtItsParameters(_ symbol: MathSymbol, key: String, _ context: Context) -> Scope.Definition? {
        guard scope.symbols[key] == nil, scope.literals[key] == nil, context.locals[symbol.key] == nil,
              analysis.arrayShapes[symbol.familyLabelKey] == nil, let function = scope.functions[symbol.baseKey],
              !function.parameters.isEmpty else { return nil }
        return function
    }

    static let entrywiseFunctionNames: Set<String> = ["sigma", "tanh", "exp", "log", "ln", "relu", "sigmoid", "f", "g", "phi", "varphi", "psi"]

    /// `(s \odot t)_j` as `s_j t_j`: the expression with each vector it names taken at the index,
    /// when every operation in it acts entry by entry (sums, `\odot`, multiples by numbers,
    /// functions of one argument). Nil for anything else (`(W x)_j` sums over a row).
    func entry(of base: MathExpression, at index: MathExpression) -> MathExpression? {
        guard index.symbol != nil || { if case .number = index.kind { true } else { false } }() else { return nil }
        var entrywise = true
        var vectors = 0
        base.forEachNode { node in
            switch node.kind {
            case .symbol(let symbol):
                if analysis.arrayShapes[symbol.familyLabelKey]?.rank == 1, symbol.indices.isEmpty { vectors += 1 }
            case .number, .group, .negation, .positive, .prime: break
            case .application(let function, let arguments):
                // σ, tanh, ReLU and their primes act entry by entry; softmax and the like do not.
                var name = function.symbol?.name.lowercased() ?? ""
                if name.hasPrefix("\\") { name.removeFirst() }
                let isPrime = { if case .prime = function.kind { true } else { false } }()
                if arguments.count != 1 || !(isPrime || Self.entrywiseFunctionNames.contains(name)) { entrywise = false }
            case .binary(let operation, let left, let right):
                switch operation {
                case .add, .subtract, .hadamard: break
                case .implicitProduct, .cdot, .times, .asterisk:
                    let isNumber = { (side: MathExpression) in if case .number = side.kind { true } else { false } }
                    if !isNumber(left) && !isNumber(right) { entrywise = false }
                default: entrywise = false
                }
            case .call(let call):
                if call.arguments.count != 1 || ["softmax", "max", "min", "argmax"].contains(call.name.lowercased()) { entrywise = false }
            default:
                entrywise = false
            }
        }
        guard entrywise, vectors > 0 else { return nil }
        let heads = base.applicationHeads
        var unindexed = false
        let indexed = base.rewritten { node in
            guard case .symbol(var symbol) = node.kind, !heads.contains(Place(node.range)) else { return node }
            guard analysis.arrayShapes[symbol.familyLabelKey]?.rank == 1, symbol.indices.isEmpty else {
                unindexed = true
                return node
            }
            symbol.indices = [index]
            return MathExpression(.symbol(symbol), range: node.range)
        }
        // A symbol that is no vector (`\eta` in `(\eta g)_j`) could be a scalar or not: not guessed.
        return unindexed ? nil : indexed
    }

    /// Applies a function symbol: one the note defined, the network's activation, or a known one.
    func call(_ symbol: MathSymbol, _ arguments: [Node], range: SourceRange, _ context: Context) throws(EvaluationError) -> Node {
        let key = symbol.baseKey
        if let definition = scope.functions[key] {
            guard definition.parameters.count == arguments.count else {
                throw .unsupported(VerifyMessages.arity(key, arguments.count), range)
            }
            var inner = Context()
            inner.overrides = context.overrides
            inner.signature = context.signature
            inner.vector = context.vector
            inner.enclosingTerms = context.enclosingTerms
            // `\mathcal{L}(\theta) = -\log \hat{y}_\ell`: an index the body leaves free (ℓ, the true class)
            // takes the step's value of it.
            for name in analysis.indexVariables(in: definition.body) where !definition.parameters.contains(name) {
                inner.indices[name] = context.indices[name]
            }
            for (parameter, argument) in zip(definition.parameters, arguments) { inner.locals[parameter] = argument }
            // A function that calls itself stops at the depth limit.
            return try evaluate(definition.body, inner)
        }
        if let network = scope.network, network.role(ofBaseKey: key) == .activation, arguments.count == 1 {
            let argument = arguments[0]
            return try engine(range) { () throws(BackpropError) in try NetworkFunctions.activate(network.activation, argument) }
        }
        // One argument element by element; several only as numbers.
        if Self.isArbitraryFunctionName(symbol), arguments.count == 1 || (2...6).contains(arguments.count) && arguments.allSatisfy(\.shape.isScalar) {
            return try arbitraryFunction(named: key, of: arguments, range: range)
        }
        return try apply(builtin: symbol.name, to: arguments, range: range, vectorized: context.vector != nil)
    }

    /// `f`, `g`, `\phi`: a one-letter function the note applies but never defines stands for any
    /// smooth function, so the identities written about it must hold whatever it is.
    static func isArbitraryFunctionName(_ symbol: MathSymbol) -> Bool {
        guard symbol.indices.isEmpty, symbol.label == nil else { return false }
        let name = symbol.name
        if name.count == 1 { return name != "e" }
        return ["\\phi", "\\varphi", "\\psi", "\\chi"].contains(name)
    }

    /// `DrawnFunction` for a name, the same for the whole note at one draw.
    func arbitraryFunction(named name: String, of arguments: [Node], range: SourceRange) throws(EvaluationError) -> Node {
        arbitraryFunctionsUsed.insert(name)
        let function = DrawnFunction(named: name, arity: arguments.count, draws: draws)
        return try engine(range) { () throws(BackpropError) in try function(arguments) }
    }
}
