import Diagnostics
import Foundation
import Notebook
import Verify
@testable import Render

/// A small note and a `Report` built by hand for it (no checker needed),
/// rendered with the real KaTeX.
enum CheckFixture {
    static let text = #"""
    # Gradients

    $$
    E = \frac{1}{2} (t_1 - y_1)^2
    $$

    $$
    \begin{align}
    \frac{\partial E}{\partial w_1} &= -(t_1 - y_1) h_1 \label{eq:grad} \\
      &= 2 (t_1 - y_1) h_1
    \end{align}
    $$

    Here $y_1 = \sigma(a_1)$ and the gradient is $\nbvalue{\frac{\partial E}{\partial w_1}}$, or in an equation
    $\frac{\partial E}{\partial w_1} \approx \nbvalue[.2f]{\frac{\partial E}{\partial w_1}}$; unknown: $\nbvalue{q}$.

    $$
    \frac{\partial L}{\partial h_{ij}} = \sum_{m} W_{i+1,m,j} \delta_m
    $$

    $$
    a = b \qquad c = d
    $$
    """#

    static let source = SourceFile(path: "gradients.md", text: text)

    /// The file offset of the `occurrence`-th (from 0) `needle` at or after `after`.
    static func offset(of needle: String, occurrence: Int = 0, after: String? = nil) -> Int {
        var start = text.startIndex
        if let after, let found = text.range(of: after) { start = found.lowerBound }
        var found = text.range(of: needle, range: start..<text.endIndex)
        for _ in 0..<occurrence {
            guard let previous = found else { break }
            found = text.range(of: needle, range: previous.upperBound..<text.endIndex)
        }
        guard let found else { return -1 }
        return text.utf8.distance(from: text.startIndex, to: found.lowerBound)
    }

    static func range(of needle: String, occurrence: Int = 0, after: String? = nil) -> SourceRange {
        let start = offset(of: needle, occurrence: occurrence, after: after)
        return source.range(from: start, to: start + needle.utf8.count)
    }

    /// The offset of the TeX of the math that contains `needle`.
    static func mathOffset(containing needle: String, after: String? = nil) -> Int {
        let notebook = Notebook(parsing: source)
        let position = offset(of: needle, after: after)
        for case .math(let cell) in notebook.cells where cell.contentRange.start.offset <= position && position < cell.contentRange.end.offset {
            return cell.contentRange.start.offset
        }
        return -1
    }

    static var report: Report {
        let first = mathOffset(containing: "E = \\frac{1}{2}")
        let align = mathOffset(containing: "\\begin{align}")
        let inline = mathOffset(containing: "y_1 = \\sigma")
        let indexed = mathOffset(containing: "\\partial h_{ij}")
        let last = mathOffset(containing: "a = b")
        let inputs = [NamedValue(name: "w_1", value: "0.5"), NamedValue(name: "t_1", value: "1"), NamedValue(name: "h_1", value: "-0.3")]
        var report = Report(file: "gradients.md", seed: 7, steps: [
            StepResult(status: .defined, location: range(of: "=", after: "E = \\frac"), mathOffset: first,
                       left: "E", right: "1/2 (t_1 - y_1)^2"),
            StepResult(status: .verified, location: range(of: "=", after: "&= -(t_1"), mathOffset: align,
                       left: "∂E/∂w_1", right: "-(t_1 - y_1) * h_1", leftValue: "-0.2315", rightValue: "-0.2315",
                       computed: [NamedValue(name: "∂E/∂w_1", value: "-0.2315")], inputs: inputs,
                       symbolValues: [
                           SymbolValue(range: range(of: "w_1", after: "\\begin{align}"), value: "0.5"),
                           SymbolValue(range: range(of: "h_1", after: "\\begin{align}"), value: "-0.3"),
                       ]),
            StepResult(status: .failed, location: range(of: "=", after: "&= 2 (t_1"), mathOffset: align,
                       message: "the sides differ by a factor of −2", left: "-(t_1 - y_1) * h_1", right: "2 (t_1 - y_1) h_1",
                       leftValue: "-0.2315", rightValue: "0.4630", differingTerm: "2 (t_1 - y_1)",
                       inputs: inputs, differingRanges: [range(of: "-(t_1 - y_1)", after: "&= -(t_1"),
                                                         range(of: "2 (t_1 - y_1)", after: "&= 2 (t_1")]),
            StepResult(status: .unchecked, location: range(of: "=", after: "$y_1 ="), mathOffset: inline,
                       message: "σ is not a known function", left: "y_1", right: "σ(a_1)"),
            StepResult(status: .verified, location: range(of: "=", after: "\\partial h_{ij}}"), mathOffset: indexed,
                       left: "∂L/∂h_ij", right: "sum_m W_{i+1,m,j} δ_m",
                       table: IndexTable(indices: ["i", "j"], rows: [
                           .init(tuple: [1, 1], left: "0.0412", right: "0.0412", holds: true),
                           .init(tuple: [1, 2], left: "-0.1170", right: "-0.1170", holds: true),
                       ], totalCount: 9)),
            StepResult(status: .expectedFailure, location: range(of: "=", after: "a = b"), mathOffset: last,
                       message: "a ≠ b", left: "a", right: "b"),
            StepResult(status: .error, location: range(of: "=", after: "c = d"), mathOffset: last,
                       message: "c is defined in terms of itself", left: "c", right: "d"),
        ])
        // The `\nbvalue{…}` commands' values, each joined to its math by the math's offset.
        report.values = [
            ValueResult(range: range(of: "\\nbvalue"), mathOffset: mathOffset(containing: "\\nbvalue{\\frac"),
                        expression: "\\frac{\\partial E}{\\partial w_1}", value: "-0.2315"),
            ValueResult(range: range(of: "\\nbvalue", occurrence: 1), mathOffset: mathOffset(containing: "\\nbvalue[.2f]"),
                        expression: "\\frac{\\partial E}{\\partial w_1}", value: "-0.23"),
            ValueResult(range: range(of: "\\nbvalue", occurrence: 2), mathOffset: mathOffset(containing: "\\nbvalue{q}"),
                        expression: "q", value: nil, message: "q is not defined"),
        ]
        return report
    }

    static let cacheDirectory = NSTemporaryDirectory() + "nbrun-render-tests-cache"

    static func renderer() throws -> PageRenderer {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let theme = try Theme(directory: repository + "/site")
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: cacheDirectory)
        return PageRenderer(theme: theme, typesetter: typesetter)
    }

    static func render(report: Report? = CheckFixture.report) throws -> String {
        let directory = NSTemporaryDirectory() + "nbrun-render-fixture"
        let page = try renderer().render(Notebook(parsing: source), root: directory, outputPath: directory + "/gradients.html",
                                         report: report)
        return page.html
    }
}
