/// The path-sum form of one gradient: the computation graph with every path
/// from the chosen weight to the output emphasised, beside a table that
/// lists each path as the product of its factors with its value, their
/// sum, and the gradient backpropagation found — which the sum should equal.
/// The caller computes the paths, factors and values; this only lays them out.
///
/// ```swift
/// let figure = PathSumFigure(graph: graph, gradientLabel: "\\partial E/\\partial w_1",
///     terms: [.init(path: ["w_1", "h_1", "y", "E"], factors: ["x", "\\sigma'(z_1)", "v_1", "(y - t)"], value: 0.0123)],
///     total: 0.0123, gradient: 0.0123, idPrefix: "cell-4")
/// page += figure.html
/// ```
package struct PathSumFigure: Sendable, Equatable {
    package struct Term: Sendable, Equatable {
        /// Node ids from the weight to the output; each step is an edge of the graph.
        package var path: [String]
        /// The factors of the product along the path, in the note's notation.
        package var factors: [String]
        package var value: Double
        package init(path: [String], factors: [String], value: Double) {
            self.path = path; self.factors = factors; self.value = value
        }
    }

    package var graph: ComputationGraph
    /// The gradient in the note's notation: `"\\partial E/\\partial w_1"`.
    package var gradientLabel: String
    package var terms: [Term]
    package var total: Double
    /// The gradient by backpropagation, shown under the sum for comparison.
    package var gradient: Double?
    package var idPrefix: String
    /// The figure's class after `nb-figure`.
    package var className: String
    /// HTML for a `<figcaption>` after the table, when given.
    package var captionHTML: String?

    package init(graph: ComputationGraph, gradientLabel: String, terms: [Term], total: Double, gradient: Double? = nil, idPrefix: String = "path-sum",
                 className: String = "nb-path-sum", captionHTML: String? = nil) {
        self.graph = graph
        self.gradientLabel = gradientLabel
        self.terms = terms
        self.total = total
        self.gradient = gradient
        self.idPrefix = idPrefix
        self.className = className
        self.captionHTML = captionHTML
    }

    /// A `<figure>` holding the SVG graph and the table of paths.
    package var html: String {
        let id = SVGDocument.identifier(idPrefix)
        let gradient = MathLabel(gradientLabel)
        let index = graph.indexByID
        func name(_ id: String) -> MathLabel { index[id].map { MathLabel(graph.nodes[$0].label) } ?? MathLabel(id) }

        let diagram = ComputationGraphDiagram(
            graph, highlightedPaths: terms.map(\.path),
            title: "Computation graph with the \(terms.count == 1 ? "path" : "\(terms.count) paths") of \(gradient.plainText) highlighted",
            idPrefix: id + "-graph"
        )
        var out = "<figure class=\"nb-figure \(HTML.escape(className))\" id=\"\(id)\">\n"
        out += diagram.svg
        out += "<table class=\"nb-path-sum-terms\">\n"
        out += "<caption>\(gradient.html) as a sum over paths"
        if !terms.isEmpty && terms.count <= 6 {
            let products = terms.map { term in term.factors.map { MathLabel($0).html }.joined(separator: " · ") }
            out += ": " + gradient.html + " = " + products.joined(separator: " + ")
        }
        out += "</caption>\n"
        out += "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">path</th><th scope=\"col\">product</th><th scope=\"col\">value</th></tr></thead>\n<tbody>\n"
        for (number, term) in terms.enumerated() {
            out += "<tr><td>\(number + 1)</td><td>"
            out += term.path.map { name($0).html }.joined(separator: " → ")
            out += "</td><td>"
            out += term.factors.map { MathLabel($0).html }.joined(separator: " · ")
            out += "</td><td class=\"nb-value\">\(HTML.escape(NumberFormat.significant(term.value)))</td></tr>\n"
        }
        if terms.isEmpty {
            out += "<tr><td colspan=\"4\">no path leads from this weight to the output, so the gradient is 0</td></tr>\n"
        }
        out += "</tbody>\n<tfoot>\n"
        out += "<tr class=\"nb-total\"><th scope=\"row\" colspan=\"3\">sum over paths</th><td class=\"nb-value\">\(HTML.escape(NumberFormat.significant(total)))</td></tr>\n"
        if let value = self.gradient {
            out += "<tr class=\"nb-gradient\"><th scope=\"row\" colspan=\"3\">\(gradient.html) by backpropagation</th><td class=\"nb-value\">\(HTML.escape(NumberFormat.significant(value)))</td></tr>\n"
        }
        out += "</tfoot>\n</table>\n"
        if let captionHTML { out += "<figcaption>\(captionHTML)</figcaption>\n" }
        out += "</figure>\n"
        return out
    }
}
