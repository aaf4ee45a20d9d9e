import Verify

/// The HTML that shows the checker's results for one math, right after it.
///
/// Display math gets a row of marks, one per step in order, each an `<li>` with
/// `data-status` and `data-line`, a symbol and a word, the values of the
/// derivatives the step computed, and — for a failure — both sides' values and
/// the sub-term where they differ. The inputs and any table over indices go in
/// one `<details>`. Inline math gets one small mark per step. The exact shapes
/// are in docs/rendering.md.
///
/// ```swift
/// let html = StepMarks(steps: report.steps(in: cell.id)).displayHTML(mathLine: 10)
/// ```
struct StepMarks: Sendable {
    let steps: [StepResult]

    /// The symbol shown for a status; never the only sign of it (a word goes with it).
    static func symbol(_ status: StepStatus) -> String {
        switch status {
        case .defined: "≔"
        case .verified: "✓"
        case .failed: "✗"
        case .expectedFailure: "✗"
        case .unchecked: "?"
        case .error: "⚠"
        }
    }

    static func word(_ status: StepStatus) -> String {
        switch status {
        case .defined: "defined"
        case .verified: "verified"
        case .failed: "failed"
        case .expectedFailure: "expected failure (as marked)"
        case .unchecked: "unchecked"
        case .error: "error"
        }
    }

    var hasFailure: Bool { steps.contains { $0.status == .failed } }

    /// The row of marks and the details, for display math (empty when no steps).
    func displayHTML() -> String {
        guard !steps.isEmpty else { return "" }
        var out = "<div class=\"nb-checks\">\n<ul class=\"nb-steps\">\n"
        for step in steps {
            out += "<li class=\"nb-step\" data-status=\"\(step.status.rawValue)\" data-line=\"\(step.line)\""
            out += " title=\"\(HTML.escape(Self.title(step)))\">"
            out += mark(step.status)
            if [.unchecked, .error, .failed].contains(step.status), !step.message.isEmpty {
                out += "<span class=\"nb-message\">: \(HTML.escape(step.message))</span>"
            }
            out += computed(step.computed)
            if step.status == .failed { out += failure(step) }
            out += "</li>\n"
        }
        out += "</ul>\n"
        out += details()
        out += "</div>\n"
        return out
    }

    /// One small mark per step, for inline math (empty when no steps).
    func inlineHTML() -> String {
        guard !steps.isEmpty else { return "" }
        var out = "<span class=\"nb-inline-checks\">"
        for step in steps {
            out += "<span class=\"nb-step\" data-status=\"\(step.status.rawValue)\" data-line=\"\(step.line)\""
            out += " title=\"\(HTML.escape(Self.title(step)))\">"
            out += mark(step.status)
            out += "</span>"
        }
        out += "</span>"
        return out
    }

    private func mark(_ status: StepStatus) -> String {
        "<span class=\"nb-mark\" aria-hidden=\"true\">\(Self.symbol(status))</span><span class=\"nb-word\">\(HTML.escape(Self.word(status)))</span>"
    }

    /// `line 12, verified: ∂E/∂w_1 = -(t_1 - y_1) h_1 — reason`, for the tooltip.
    static func title(_ step: StepResult) -> String {
        var title = "line \(step.line), \(word(step.status))"
        if !step.left.isEmpty || !step.right.isEmpty {
            title += ": \(PlainMath.typographic(step.left)) = \(PlainMath.typographic(step.right))"
        }
        if !step.message.isEmpty { title += " — \(step.message)" }
        return title
    }

    private func failure(_ step: StepResult) -> String {
        var out = "<dl class=\"nb-failure\">"
        out += "<dt>left</dt><dd>\(side(step.left, step.leftValue))</dd>"
        out += "<dt>right</dt><dd>\(side(step.right, step.rightValue))</dd>"
        if let term = step.differingTerm {
            out += "<dt>differs at</dt><dd><span class=\"nb-expression\">\(PlainMath.html(term))</span></dd>"
        }
        out += "</dl>"
        return out
    }

    private func side(_ expression: String, _ value: String?) -> String {
        let value = value.map { "<span class=\"nb-number\">\(HTML.escape(PlainMath.typographic($0)))</span>" } ?? "<span class=\"nb-number\">not evaluated</span>"
        return "<span class=\"nb-expression\">\(PlainMath.html(expression))</span> = \(value)"
    }

    private func computed(_ values: [NamedValue]) -> String {
        guard !values.isEmpty else { return "" }
        var out = "<span class=\"nb-computed\">"
        for value in values {
            out += "<span class=\"nb-named\"><span class=\"nb-expression\">\(PlainMath.html(value.name))</span> = "
            out += "<span class=\"nb-number\">\(HTML.escape(PlainMath.typographic(value.value)))</span></span>"
        }
        out += "</span>"
        return out
    }

    /// The inputs (once when every step drew the same, else per step) and the
    /// index tables, collapsed.
    private func details() -> String {
        let withInputs = steps.filter { !$0.inputs.isEmpty }
        let tables = steps.compactMap { step in step.table.map { (step, $0) } }
        guard !withInputs.isEmpty || !tables.isEmpty else { return "" }
        var summary = withInputs.isEmpty ? "" : "Inputs"
        if !tables.isEmpty {
            let indices = tables.flatMap(\.1.indices).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            summary += (summary.isEmpty ? "Values" : " and values") + " over \(indices.joined(separator: ", "))"
        }
        var out = "<details class=\"nb-details\"><summary>\(HTML.escape(summary))</summary>\n"
        let distinct = withInputs.map(\.inputs).reduce(into: [[NamedValue]]()) { if !$0.contains($1) { $0.append($1) } }
        if distinct.count == 1 {
            out += inputList(distinct[0], caption: nil)
        } else {
            for step in withInputs { out += inputList(step.inputs, caption: "line \(step.line)") }
        }
        for (step, table) in tables { out += indexTable(table, step: step) }
        out += "</details>\n"
        return out
    }

    private func inputList(_ inputs: [NamedValue], caption: String?) -> String {
        var out = "<dl class=\"nb-inputs\">"
        if let caption { out = "<p class=\"nb-inputs-caption\">\(HTML.escape(caption))</p>" + out }
        for input in inputs {
            let value = input.grid.map(grid) ?? HTML.escape(PlainMath.typographic(input.value))
            out += "<div><dt>\(PlainMath.html(input.name))</dt><dd>\(value)</dd></div>"
        }
        out += "</dl>\n"
        return out
    }

    /// A vector or matrix as a small bracketed table; ⋯ and ⋮ where entries are left out.
    private func grid(_ grid: ValueGrid) -> String {
        var out = "<table class=\"nb-matrix\">"
        for row in grid.rows {
            out += "<tr>" + row.map { "<td>\(HTML.escape(PlainMath.typographic($0)))</td>" }.joined()
            out += grid.hasMoreColumns ? "<td>⋯</td></tr>" : "</tr>"
        }
        if grid.hasMoreRows {
            let cells = (grid.rows.first?.count ?? 1) + (grid.hasMoreColumns ? 1 : 0)
            out += "<tr>" + String(repeating: "<td>⋮</td>", count: cells) + "</tr>"
        }
        return out + "</table>"
    }

    private func indexTable(_ table: IndexTable, step: StepResult) -> String {
        var out = "<table class=\"nb-table\" data-status=\"\(step.status.rawValue)\" data-line=\"\(step.line)\">"
        let shown = table.rows.count < table.totalCount ? " (\(table.rows.count) of \(table.totalCount) shown)" : ""
        out += "<caption>Line \(step.line)\(shown)</caption>"
        out += "<thead><tr>"
        for index in table.indices { out += "<th scope=\"col\">\(HTML.escape(index))</th>" }
        out += "<th scope=\"col\">\(PlainMath.html(step.left.isEmpty ? "left" : step.left))</th>"
        out += "<th scope=\"col\">\(PlainMath.html(step.right.isEmpty ? "right" : step.right))</th>"
        out += "<th scope=\"col\">holds</th></tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr data-holds=\"\(row.holds)\">"
            for value in row.tuple { out += "<td>\(value)</td>" }
            out += "<td>\(HTML.escape(PlainMath.typographic(row.left)))</td><td>\(HTML.escape(PlainMath.typographic(row.right)))</td>"
            out += row.holds ? "<td>✓ yes</td>" : "<td>✗ no</td>"
            out += "</tr>\n"
        }
        out += "</tbody></table>\n"
        return out
    }
}
