import Backprop
import Diagnostics
import MathSyntax
import Notebook

/// `show:` and `train:` statements, and the graph a note gets without asking:
/// each computes the data of a figure (`Report.figures`); the checks among them
/// (a gradient check, a path sum) are steps of the report like any other.
extension VerifierRun {
    // MARK: show

    mutating func show(_ statement: CellStatement, in cell: CodeCell) {
        let command: ShowCommand
        switch ShowCommand.parse(statement, source: notebook.source) {
        case .success(let parsed): command = parsed
        case .failure(let problem): report.diagnostics.append(problem); return
        }
        let offset = cell.contentRange.start.offset
        switch command.kind {
        case .plot(let expressions, let variable, let low, let high, let yLimits):
            plot(expressions, variable: variable, from: low, to: high, yLimits: yLimits, statement: statement, offset: offset)
        case .graph(let target):
            graphShown = true
            showGraph(target: target, whole: command.whole, statement: statement, offset: offset)
        case .paths(let from, let to):
            graphShown = true
            showPaths(from: from, to: to, whole: command.whole, statement: statement, offset: offset)
        }
    }

    private func firstDraws() -> Draws {
        Draws(seed: seed, draw: 0, positive: analysis.positive, probabilities: analysis.probabilities)
    }

    /// The piece's TeX read as math and resolved as the note's math is.
    private func expression(_ piece: ShowCommand.Piece) -> Result<MathExpression, Diagnostic> {
        let parsed = MathParser.parse(piece.text, in: notebook.source, at: piece.offset).resolved(by: bindings)
        var reason: String?
        parsed.expression?.forEachNode { node in
            if reason == nil, case .uninterpretable(let why, _) = node.kind { reason = why }
        }
        if let reason = reason ?? parsed.diagnostics.first(where: { $0.severity == .error })?.message {
            return .failure(.error(VerifyMessages.unreadableMath(piece.text, reason), at: piece.range))
        }
        guard let expression = parsed.expression, parsed.statements.count <= 1, parsed.statements.first?.steps.isEmpty ?? true else {
            return .failure(.error(VerifyMessages.unreadableMath(piece.text, "it is not one expression"), at: piece.range))
        }
        return .success(expression)
    }

    /// The piece as one symbol with its key.
    private func symbol(_ piece: ShowCommand.Piece, problem: (String) -> Message) -> Result<(MathExpression, String), Diagnostic> {
        switch expression(piece) {
        case .failure(let diagnostic): return .failure(diagnostic)
        case .success(let expression):
            guard let symbol = expression.symbol, let key = Self.literalKey(symbol, indexNames: analysis.indexNames) else {
                return .failure(.error(problem(piece.text), at: piece.range))
            }
            return .success((expression, key))
        }
    }

    // MARK: plot

    private mutating func plot(_ pieces: [ShowCommand.Piece], variable: ShowCommand.Piece, from low: Double, to high: Double,
                               yLimits: ClosedRange<Double>?, statement: CellStatement, offset: Int) {
        let variableExpression: MathExpression
        let variableKey: String
        switch symbol(variable, problem: VerifyMessages.notAVariable) {
        case .failure(let problem): report.diagnostics.append(problem); return
        case .success(let (expression, key)): (variableExpression, variableKey) = (expression, key)
        }
        guard let variableSymbol = variableExpression.symbol else { return }
        let count = ShowCommand.plotPoints
        let xs = (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
        var series: [FunctionPlot.Series] = []
        for piece in pieces {
            let expression: MathExpression
            switch self.expression(piece) {
            case .failure(let problem): report.diagnostics.append(problem); return
            case .success(let parsed): expression = parsed
            }
            let evaluator = Evaluator(scope: scope, draws: firstDraws(), analysis: analysis, allowsFreeSymbols: false)
            evaluator.limits = verifier.limits
            evaluator.deadline = deadline
            var values: [Double] = []
            values.reserveCapacity(count)
            for (place, x) in xs.enumerated() {
                var context = Evaluator.Context()
                context.signature = "plot \(place)"
                do {
                    let point = try evaluator.engine(piece.range) { () throws(BackpropError) in try evaluator.tape.constant(x) }
                    context.locals[variableSymbol.key] = point
                    context.overrides[.symbol(variableKey)] = point
                    context.overrides[.free(variableKey)] = point
                    let value = try evaluator.evaluate(expression, context).value
                    guard value.shape.count == 1, let y = value.scalar else {
                        report.diagnostics.append(.error(VerifyMessages.notAScalar(piece.text, value.shape.rows, value.shape.columns), at: piece.range))
                        return
                    }
                    values.append(y.isFinite && (yLimits?.contains(y) ?? true) ? y : .nan)
                } catch {
                    switch error {
                    case .unbound(let key):
                        report.diagnostics.append(.error(VerifyMessages.freeSymbol(ValueFormat.name(key), in: piece.text, variable: variable.text), at: piece.range))
                        return
                    case .outOfTime:
                        report.diagnostics.append(.error(VerifyMessages.stepError(VerifyMessages.timeBudget(Int(verifier.limits.timePerNote.components.seconds))), at: piece.range))
                        return
                    case .unsupported(let reason, _), .cycle(let reason, _), .limit(let reason, _):
                        report.diagnostics.append(.error(VerifyMessages.cannotPlot(piece.text, reason), at: piece.range))
                        return
                    case .engine, .indexOutOfRange, .notVectorizable:
                        // No value here (log of a negative number, …): a gap in the curve.
                        values.append(.nan)
                    }
                }
            }
            guard values.contains(where: \.isFinite) else {
                report.diagnostics.append(.error(VerifyMessages.noFiniteValue(piece.text, variable.text, ValueFormat.number(low), ValueFormat.number(high)), at: piece.range))
                return
            }
            series.append(FunctionPlot.Series(tex: piece.text, values: values))
        }
        report.figures.append(CellFigure(offset: offset, location: statement.range,
                                         content: .plot(FunctionPlot(variable: variable.text, xs: xs, series: series))))
    }

    // MARK: graph and paths

    private func graph(target: String?, at range: SourceRange) -> Result<ScalarGraph, Diagnostic> {
        switch ScalarGraph.build(scope: scope, analysis: analysis, source: notebook.source, bindings: bindings, target: target) {
        case .success(var graph):
            let evaluator = Evaluator(scope: scope, draws: firstDraws(), analysis: analysis)
            evaluator.limits = verifier.limits
            evaluator.deadline = deadline
            if case .failure(let problem) = graph.evaluate(with: evaluator) {
                return .failure(.error(VerifyMessages.pathSumNotComputed(Self.describe(problem)), at: range))
            }
            return .success(graph)
        case .failure(.noDefinitions):
            return .failure(.error(VerifyMessages.noGraph, at: range))
        case .failure(let problem):
            return .failure(.error(VerifyMessages.pathSumNotComputed(Self.describe(problem)), at: range))
        }
    }

    private static func describe(_ problem: ScalarGraph.Problem) -> String {
        switch problem {
        case .notScalar(let what): "\(what) is not a single number (path sums and graphs are for scalar definitions)"
        case .noDefinitions: VerifyMessages.noGraph.text
        case .evaluation(let what): what
        }
    }

    private var parameterKeys: Set<String> { differentiatedKeys }

    private mutating func showGraph(target: ShowCommand.Piece?, whole: ShowCommand.Piece, statement: CellStatement, offset: Int) {
        var targetKey: String?
        if let target {
            switch symbol(target, problem: { VerifyMessages.notInGraph($0, "no such name") }) {
            case .failure(let problem): report.diagnostics.append(problem); return
            case .success(let (_, key)):
                guard scope.symbols[key] != nil else {
                    report.diagnostics.append(.error(VerifyMessages.notInGraph(target.text, definedNames()), at: target.range))
                    return
                }
                targetKey = key
            }
        }
        switch graph(target: targetKey, at: target?.range ?? whole.range) {
        case .failure(let problem): report.diagnostics.append(problem)
        case .success(let graph):
            report.figures.append(CellFigure(offset: offset, location: statement.range, content: .graph(graph.picture(parameters: parameterKeys))))
        }
    }

    /// The names defined so far, for messages.
    private func definedNames() -> String {
        let names = scope.symbols.filter { !$0.value.body.containsDerivative }
            .sorted { $0.value.range.start.offset < $1.value.range.start.offset }
            .map { notebook.source.text(from: $0.value.range.start.offset, to: $0.value.range.end.offset) }
        return names.isEmpty ? "no defined names" : names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
    }

    private mutating func showPaths(from start: ShowCommand.Piece, to target: ShowCommand.Piece, whole: ShowCommand.Piece,
                                    statement: CellStatement, offset: Int) {
        let targetKey: String, startKey: String
        switch symbol(target, problem: { VerifyMessages.notInGraph($0, self.definedNames()) }) {
        case .failure(let problem): report.diagnostics.append(problem); return
        case .success(let (_, key)): targetKey = key
        }
        switch symbol(start, problem: { VerifyMessages.notInGraph($0, self.definedNames()) }) {
        case .failure(let problem): report.diagnostics.append(problem); return
        case .success(let (_, key)): startKey = key
        }
        guard scope.symbols[targetKey] != nil else {
            report.diagnostics.append(.error(VerifyMessages.notInGraph(target.text, definedNames()), at: target.range))
            return
        }
        let graph: ScalarGraph
        switch self.graph(target: targetKey, at: whole.range) {
        case .failure(let problem): report.diagnostics.append(problem); return
        case .success(let built): graph = built
        }
        guard let startNode = graph.node(startKey), let targetNode = graph.node(targetKey) else {
            let names = graph.nodes.map(\.tex).joined(separator: ", ")
            report.diagnostics.append(.error(VerifyMessages.notInGraph(start.text, names), at: start.range))
            return
        }
        let paths = graph.paths(from: startKey, to: targetKey, limit: ScalarGraph.pathLimit)
        guard paths.count <= ScalarGraph.pathLimit else {
            report.diagnostics.append(.error(VerifyMessages.tooManyPaths(paths.count, limit: ScalarGraph.pathLimit), at: whole.range))
            return
        }
        guard !paths.isEmpty else {
            report.diagnostics.append(.error(VerifyMessages.noPath(start.text, target.text), at: whole.range))
            return
        }
        let evaluator = Evaluator(scope: scope, draws: firstDraws(), analysis: analysis)
        evaluator.limits = verifier.limits
        evaluator.deadline = deadline
        var local: [String: Double] = [:]
        var terms: [GradientPaths.Term] = []
        let gradient: Double
        do {
            for path in paths {
                var factors: [String] = []
                var values: [Double] = []
                for (parent, child) in zip(path, path.dropFirst()) {
                    let edge = parent + "→" + child
                    if local[edge] == nil { local[edge] = try partial(of: child, withRespectTo: parent, in: graph, evaluator) }
                    factors.append("\\partial \(graph.node(child)?.tex ?? child)/\\partial \(graph.node(parent)?.tex ?? parent)")
                    values.append(local[edge] ?? .nan)
                }
                terms.append(GradientPaths.Term(path: path, factors: factors, factorValues: values, value: values.reduce(1, *)))
            }
            let whole = try evaluator.differentiate(targetNode.expression, withRespectTo: startNode.expression, order: 1,
                                                    range: startNode.expression.range, Evaluator.Context())
            gradient = whole.value.scalar ?? .nan
        } catch {
            report.diagnostics.append(.error(VerifyMessages.pathSumNotComputed(String(describing: error)), at: whole.range))
            return
        }
        let total = terms.reduce(0) { $0 + $1.value }
        let holds = total.isFinite && gradient.isFinite && Comparison(Tensor(total), Tensor(gradient), relativeTolerance: 1e-9).holds
        let sum = GradientPaths(graph: graph.picture(parameters: parameterKeys.union([startKey])), start: start.text, target: target.text,
                                terms: terms, total: total, gradient: gradient, holds: holds)
        report.figures.append(CellFigure(offset: offset, location: statement.range, content: .paths(sum)))
        report.steps.append(StepResult(
            status: holds ? .verified : .failed, location: statement.valueRange, mathOffset: offset,
            message: holds ? VerifyMessages.pathSumHolds(terms.count, ValueFormat.number(gradient)).text
                : VerifyMessages.pathSumDiffers(ValueFormat.number(total), ValueFormat.number(gradient)).text,
            left: "Σ over paths", right: "∂\(target.text)/∂\(start.text)",
            leftValue: ValueFormat.number(total), rightValue: ValueFormat.number(gradient)
        ))
    }

    /// ∂child/∂parent along one edge: every other direct input of the child held at its value.
    private func partial(of child: String, withRespectTo parent: String, in graph: ScalarGraph,
                         _ evaluator: Evaluator) throws(EvaluationError) -> Double {
        guard let childNode = graph.node(child), let parentNode = graph.node(parent) else { return .nan }
        var context = Evaluator.Context()
        context.signature = "edge \(parent)→\(child)"
        guard let parentSymbol = parentNode.expression.symbol else { return .nan }
        let varied = try evaluator.locate(parentSymbol, range: parentNode.expression.range, Evaluator.Context()).instance
        for other in graph.parents[child] ?? [] where other != parent {
            guard let otherNode = graph.node(other), let symbol = otherNode.expression.symbol else { continue }
            let located = try evaluator.locate(symbol, range: otherNode.expression.range, Evaluator.Context())
            // Members of one drawn family (`w_1`, `w_2`) are one quantity: the derivative
            // picks the parent's element, so the others stay as they are anyway.
            guard located.instance != varied else { continue }
            let value = located.base.value
            context.overrides[located.instance] = try evaluator.engine(otherNode.expression.range) { () throws(BackpropError) in
                try evaluator.tape.constant(value)
            }
        }
        // The range names the variable: the evaluator keeps what it learns about a symbol by where it stands.
        let derivative = try evaluator.differentiate(childNode.expression, withRespectTo: parentNode.expression, order: 1,
                                                     range: parentNode.expression.range, context)
        return derivative.value.scalar ?? .nan
    }

    // MARK: train

    mutating func train(_ statement: CellStatement, in cell: CodeCell) {
        guard let network = scope.network else {
            report.diagnostics.append(.error(VerifyMessages.trainWithoutNetwork, at: statement.range))
            return
        }
        let request: TrainingRequest
        switch TrainingRequest.parse(statement, source: notebook.source) {
        case .success(let parsed): request = parsed
        case .failure(let problem): report.diagnostics.append(problem); return
        }
        switch NetworkTraining.run(request, network: network, statement: statement, deadline: started + verifier.timeBudget) {
        case .failure(let problem):
            report.diagnostics.append(problem)
        case .success(let outcome):
            let offset = cell.contentRange.start.offset
            report.figures.append(CellFigure(offset: offset, location: statement.range, content: .training(outcome.run)))
            // What the run measured, for `\nbvalue{\mathrm{accuracy}}` in the prose after it.
            for (tex, value) in [("\\mathrm{accuracy}", outcome.run.accuracy), ("\\mathrm{loss}", outcome.run.finalLoss)] {
                if let symbol = MathParser.parse(tex).expression?.resolved().symbol, let key = Self.literalKey(symbol) {
                    scope.literals[key] = Tensor(value)
                }
            }
            let check = outcome.check
            let error = ValueFormat.number(check.maximumRelativeError)
            var message = VerifyMessages.gradientCheckHolds(error, check.analytic.count)
            if !outcome.run.gradientCheckHolds {
                let worst = zip(check.analytic, check.numeric).enumerated().max { a, b in
                    abs(a.element.0 - a.element.1) / max(abs(a.element.0), abs(a.element.1), 1e-8)
                        < abs(b.element.0 - b.element.1) / max(abs(b.element.0), abs(b.element.1), 1e-8)
                }
                message = VerifyMessages.gradientCheckFails(error, ValueFormat.number(TrainingRun.gradientTolerance),
                                                          ValueFormat.number(worst?.element.0 ?? .nan), ValueFormat.number(worst?.element.1 ?? .nan))
            }
            report.steps.append(StepResult(
                status: outcome.run.gradientCheckHolds ? .verified : .failed, location: statement.range, mathOffset: offset,
                message: message.text, left: "backpropagation", right: "central differences"
            ))
        }
    }

    // MARK: The graph without asking

    /// A note of scalar definitions (at least 3 defined names, at most 30 names in all,
    /// one name nothing else uses) with no network and no `show: graph`/`paths` gets its
    /// computation graph after the display math that defines that last name.
    mutating func addAutomaticGraph() {
        guard !noGraph, !graphShown, !hasNetworkCell, scope.network == nil else { return }
        guard case .success(var graph) = ScalarGraph.build(scope: scope, analysis: analysis, source: notebook.source, bindings: bindings),
              graph.nodes.count <= ScalarGraph.automaticLimit, graph.nodes.count(where: { $0.isDefined }) >= 3,
              graph.sinks.count == 1, let sink = graph.sinks.first, let definition = scope.symbols[sink] else { return }
        let evaluator = Evaluator(scope: scope, draws: firstDraws(), analysis: analysis)
        evaluator.limits = verifier.limits
        evaluator.deadline = deadline
        guard case .success = graph.evaluate(with: evaluator) else { return }
        let place = definition.range.start.offset
        for case .math(let math) in notebook.cells where math.display
            && math.contentRange.start.offset <= place && place < math.contentRange.end.offset {
            report.figures.append(CellFigure(offset: math.contentRange.start.offset, location: math.range,
                                             content: .graph(graph.picture(parameters: parameterKeys))))
            return
        }
    }

    /// `<!-- nb: no-graph -->` (or `% nb: no-graph`) anywhere in the note.
    static func asksForNoGraph(_ source: SourceFile) -> Bool {
        let text = source.text(from: 0, to: source.bytes.count)
        for spelling in ["nb: no-graph", "nb:no-graph", "nb: no graph"] where text.containsBytes(spelling) { return true }
        return false
    }

    /// Keys of the symbols the note differentiates with respect to.
    static func differentiatedKeys(in maths: [ParsedMath]) -> Set<String> {
        var keys: Set<String> = []
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    switch node.kind {
                    case .derivative(let derivative):
                        for variable in derivative.variables {
                            if let symbol = variable.symbol, let key = literalKey(symbol) { keys.insert(key) }
                        }
                    case .nabla(let variable, _):
                        if let symbol = variable?.symbol, let key = literalKey(symbol) { keys.insert(key) }
                    default: break
                    }
                }
            }
        }
        return keys
    }
}
