import Verify

/// The HTML of a figure the checker computed (`Report.figures`): inline SVG
/// drawn by the SVG types and a caption that says what was computed.
///
/// ```swift
/// for figure in report.figures(at: cell.contentRange.start.offset) { html += FigureHTML(figure, number: 1).html }
/// ```
struct FigureHTML {
    let figure: CellFigure
    /// Makes ids unique on the page.
    let idPrefix: String

    init(_ figure: CellFigure, number: Int) {
        self.figure = figure
        self.idPrefix = "nb-figure-\(figure.location.start.line)-\(number)"
    }

    var html: String {
        switch figure.content {
        case .plot(let plot): plotHTML(plot)
        case .training(let run): trainingHTML(run)
        case .paths(let paths): pathsHTML(paths)
        case .graph(let graph): graphHTML(graph)
        }
    }

    private func number(_ value: Double) -> String {
        HTML.escape(NumberFormat.significant(value, digits: 3))
    }

    private func names(_ labels: [MathLabel]) -> String {
        let parts = labels.map(\.html)
        guard let last = parts.last else { return "" }
        return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
    }

    // MARK: Plot

    private func plotHTML(_ plot: FunctionPlot) -> String {
        let series = plot.series.map { series in
            LinePlot.Series(name: series.tex, points: zip(plot.xs, series.values).map { LinePlot.Point(x: $0, y: $1) })
        }
        let svg = LinePlot(series: series, xLabel: plot.variable, idPrefix: idPrefix).svg
        let variable = MathLabel(plot.variable).html
        var caption = names(plot.series.map { MathLabel($0.tex) })
        if let first = plot.xs.first, let last = plot.xs.last {
            caption += " for \(variable) from \(number(first)) to \(number(last))"
        }
        caption += ", computed by nbrun from the definitions above."
        return "<figure class=\"nb-figure nb-plot\">\(svg)<figcaption>\(caption)</figcaption></figure>\n"
    }

    // MARK: Training

    /// Whether a loss curve spans more than two decades, and so reads best on a log scale.
    static func wantsLogarithmicScale(_ losses: [Double]) -> Bool {
        let positive = losses.filter { $0.isFinite && $0 > 0 }
        guard let low = positive.min(), let high = positive.max(), positive.count == losses.count else { return false }
        return high / low > 100
    }

    private func trainingHTML(_ run: TrainingRun) -> String {
        let scale: LinePlot.Scale = Self.wantsLogarithmicScale(run.losses) ? .logarithmic : .linear
        let points = zip(run.lossSteps, run.losses).map { LinePlot.Point(x: Double($0), y: $1) }
        let svg = LinePlot(series: [.init(name: "loss", points: points, style: .init(dash: .solid, marker: .none))],
                           xLabel: "step", yLabel: "loss", yScale: scale,
                           title: "Training loss over \(run.steps) steps on \(run.dataset)", idPrefix: idPrefix).svg
        let optimizer = switch run.optimizer {
        case "adam": "Adam"
        case "momentum": "SGD with momentum"
        default: "SGD"
        }
        let shape = run.widths.map(String.init).joined(separator: "–")
        var caption = "Training the \(shape) network on \(HTML.escape(run.dataset)) (\(run.points) points) for \(run.steps) steps"
        caption += " with \(optimizer) (rate \(number(run.rate)), batch \(run.batch), seed \(run.seed))"
        caption += run.gradientCheckHolds
            ? ". Gradient check: backpropagation matches central differences to \(number(run.gradientCheckError))"
            : ". Gradient check failed: backpropagation and central differences differ by \(number(run.gradientCheckError))"
        caption += ". Final loss \(number(run.finalLoss)), accuracy \(HTML.escape(Self.percent(run.accuracy)))."
        return "<figure class=\"nb-figure nb-training\">\(svg)<figcaption>\(caption)</figcaption></figure>\n"
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value)) %" : "\(value) %"
    }

    // MARK: Graphs

    private func computationGraph(_ graph: DefinitionGraph) -> ComputationGraph {
        ComputationGraph(
            nodes: graph.nodes.map { node in
                ComputationGraph.Node(id: node.id, label: node.tex, kind: ComputationGraph.Kind(rawValue: node.kind.rawValue) ?? .intermediate)
            },
            edges: graph.edges.map { ComputationGraph.Edge(from: $0.from, to: $0.to) }
        )
    }

    private func graphHTML(_ graph: DefinitionGraph) -> String {
        let svg = ComputationGraphDiagram(computationGraph(graph), idPrefix: idPrefix).svg
        let defined = graph.definedCount
        let caption = "The computation graph of the definitions above: \(defined) defined quantit\(defined == 1 ? "y" : "ies") "
            + "and \(graph.nodes.count - defined) input\(graph.nodes.count - defined == 1 ? "" : "s"), an arrow from each quantity to each definition that uses it."
        return "<figure class=\"nb-figure nb-graph\">\(svg)<figcaption>\(caption)</figcaption></figure>\n"
    }

    private func pathsHTML(_ paths: GradientPaths) -> String {
        let gradient = "\\partial \(paths.target)/\\partial \(paths.start)"
        let count = paths.terms.count
        var caption = "\(MathLabel(gradient).html) as the sum over \(count == 1 ? "its path" : "its \(count) paths") through the computation graph: "
        caption += paths.holds
            ? "\(number(paths.total)), the same as backpropagation (verified)."
            : "\(number(paths.total)), but backpropagation gives \(number(paths.gradient)) (failed)."
        let figure = PathSumFigure(
            graph: computationGraph(paths.graph), gradientLabel: gradient,
            terms: paths.terms.map { PathSumFigure.Term(path: $0.path, factors: $0.factors, value: $0.value) },
            total: paths.total, gradient: paths.gradient, idPrefix: idPrefix, className: "nb-paths", captionHTML: caption
        )
        return figure.html
    }
}
