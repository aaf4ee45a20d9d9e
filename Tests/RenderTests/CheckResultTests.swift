import Diagnostics
import Foundation
import Notebook
import Testing
import Verify
@testable import Render

/// The checker's results in the page: a hand-built `Report` for
/// `CheckFixture.text`, rendered with the real KaTeX.
@Suite struct CheckResultTests {
    let html: String

    init() throws {
        html = try CheckFixture.render()
    }

    @Test func displayMathGetsOneMarkPerStepWithComputedValuesAndTheFailureInPlace() {
        #expect(html.contains("""
        <div class="nb-checks">
        <ul class="nb-steps">
        <li class="nb-step" data-status="verified" data-line="9" title="line 9, verified: ∂E/∂w_1 = −(t_1 − y_1) * h_1"><span class="nb-mark" aria-hidden="true">✓</span><span class="nb-word">verified</span><span class="nb-computed"><span class="nb-named"><span class="nb-expression">∂E/∂w<sub>1</sub></span> = <span class="nb-number">−0.2315</span></span></span></li>
        <li class="nb-step" data-status="failed" data-line="10" title="line 10, failed: −(t_1 − y_1) * h_1 = 2 (t_1 − y_1) h_1 — the sides differ by a factor of −2"><span class="nb-mark" aria-hidden="true">✗</span><span class="nb-word">failed</span><span class="nb-message">: the sides differ by a factor of −2</span><dl class="nb-failure"><dt>left</dt><dd><span class="nb-expression">−(t<sub>1</sub> − y<sub>1</sub>) * h<sub>1</sub></span> = <span class="nb-number">−0.2315</span></dd><dt>right</dt><dd><span class="nb-expression">2 (t<sub>1</sub> − y<sub>1</sub>) h<sub>1</sub></span> = <span class="nb-number">0.4630</span></dd><dt>differs at</dt><dd><span class="nb-expression">2 (t<sub>1</sub> − y<sub>1</sub>)</span></dd></dl></li>
        </ul>
        """))
        #expect(html.contains("<span id=\"eq-eq:grad\" class=\"eq-anchor\"></span><div class=\"math display nb-has-failure\" data-line=\"7\"><span class=\"katex-display\">"))
    }

    @Test func howTheNoteWasReadIsSaidAtTheFootOfThePage() throws {
        // No readings, no list.
        #expect(!html.contains("nb-readings"))
        var report = CheckFixture.report
        report.readings = ["read `net` as one name", "read ℒ as a <loss>"]
        let page = try CheckFixture.render(report: report)
        #expect(page.contains("""
        <footer class="note-footer"><details class="nb-readings"><summary>How nbrun read this note</summary><ul>\
        <li>read <code>net</code> as one name</li><li>read ℒ as a &lt;loss&gt;</li></ul></details><p>Rendered by nbrun
        """))
    }

    @Test func everyStatusHasASymbolAndAWord() {
        #expect(html.contains("<li class=\"nb-step\" data-status=\"defined\" data-line=\"4\" title=\"line 4, defined: E = 1/2 (t_1 − y_1)^2\"><span class=\"nb-mark\" aria-hidden=\"true\">≔</span><span class=\"nb-word\">defined</span></li>"))
        #expect(html.contains("<li class=\"nb-step\" data-status=\"expected-failure\" data-line=\"22\" title=\"line 22, expected failure (as marked): a = b — a ≠ b\"><span class=\"nb-mark\" aria-hidden=\"true\">✗</span><span class=\"nb-word\">expected failure (as marked)</span></li>"))
        #expect(html.contains("<li class=\"nb-step\" data-status=\"error\" data-line=\"22\" title=\"line 22, error: c = d — c is defined in terms of itself\"><span class=\"nb-mark\" aria-hidden=\"true\">⚠</span><span class=\"nb-word\">error</span><span class=\"nb-message\">: c is defined in terms of itself</span></li>"))
    }

    @Test func inlineMathGetsASmallMarkWithItsReason() {
        #expect(html.contains("Here <span class=\"nb-checked\"><span class=\"math inline\" data-line=\"14\"><span class=\"katex\">"))
        #expect(html.contains("</span><span class=\"nb-inline-checks\"><span class=\"nb-step\" data-status=\"unchecked\" data-line=\"14\" title=\"line 14, unchecked: y_1 = σ(a_1) — σ is not a known function\"><span class=\"nb-mark\" aria-hidden=\"true\">?</span><span class=\"nb-word\">unchecked</span></span></span></span> and the gradient is"))
    }

    @Test func inputsAreSharedInOneCollapsedDetails() {
        #expect(html.contains("""
        </ul>
        <details class="nb-details"><summary>Inputs</summary>
        <dl class="nb-inputs"><div><dt>w<sub>1</sub></dt><dd>0.5</dd></div><div><dt>t<sub>1</sub></dt><dd>1</dd></div><div><dt>h<sub>1</sub></dt><dd>−0.3</dd></div></dl>
        </details>
        </div>
        """))
    }

    @Test func indexedIdentitiesGetATableOverTheirIndices() {
        #expect(html.contains("""
        <details class="nb-details"><summary>Values over i, j</summary>
        <table class="nb-table" data-status="verified" data-line="18"><caption>Line 18 (2 of 9 shown)</caption><thead><tr><th scope="col">i</th><th scope="col">j</th><th scope="col">∂L/∂h<sub>ij</sub></th><th scope="col">sum<sub>m</sub> W<sub>i+1,m,j</sub> δ<sub>m</sub></th><th scope="col">holds</th></tr></thead>
        <tbody>
        <tr data-holds="true"><td>1</td><td>1</td><td>0.0412</td><td>0.0412</td><td>✓ yes</td></tr>
        <tr data-holds="true"><td>1</td><td>2</td><td>−0.1170</td><td>−0.1170</td><td>✓ yes</td></tr>
        </tbody></table>
        </details>
        """))
    }

    @Test func symbolsCarryTheirValuesAndAreFocusable() {
        #expect(html.contains("<span class=\"enclosing\" data-value=\"0.5\" tabindex=\"0\"><span class=\"mord\"><span class=\"mord mathnormal\" style=\"margin-right:0.02691em;\">w</span>"))
        #expect(html.contains("<span class=\"enclosing\" data-value=\"−0.3\" tabindex=\"0\"><span class=\"mord\"><span class=\"mord mathnormal\">h</span>"))
        #expect(!html.contains("data-nb-"), "every hook is replaced")
        #expect(!html.contains("#cc0000"), "KaTeX accepted every hook")
    }

    @Test func relationSignsCarryTheirStepsStatusAndKeepTheirSpacing() {
        // KaTeX puts the space after the relation inside the hook's span; the spacing is the same as without it.
        #expect(html.contains("<span class=\"mspace\" style=\"margin-right:0.2778em;\"></span><span class=\"enclosing\" data-status=\"failed\" data-line=\"10\"><span class=\"mrel\">=</span><span class=\"mspace\" style=\"margin-right:0.2778em;\"></span></span><span class=\"mord\"><span class=\"enclosing\" data-differs=\"right\"><span class=\"mord\">2</span>"))
        #expect(html.contains("<msub><mi>y</mi><mn>1</mn></msub><mo>=</mo><mi>σ</mi>"), "MathML keeps a plain <mo>")
    }

    @Test func theSubTermsWhereAFailedStepsSidesDifferAreMarkedInTheEquation() {
        #expect(html.contains("<span class=\"enclosing\" data-differs=\"left\"><span class=\"mord\">−</span><span class=\"mopen\">(</span>"))
        #expect(html.contains("<span class=\"enclosing\" data-differs=\"right\"><span class=\"mord\">2</span><span class=\"mopen\">(</span>"))
        #expect(html.components(separatedBy: "data-differs=").count == 3, "only the failed step's two sub-terms")
    }

    @Test func annotationsKeepTheNotesOwnTeX() {
        #expect(html.contains("""
        <annotation encoding="application/x-tex">
        \\begin{align}
        \\frac{\\partial E}{\\partial w_1} &amp;= -(t_1 - y_1) h_1 \\label{eq:grad} \\\\
          &amp;= 2 (t_1 - y_1) h_1
        \\end{align}
        </annotation>
        """))
        #expect(!html.contains("\\htmlData"))
        #expect(!html.contains("\\tag{1}"))
    }

    @Test func valuesInProseAndInEquations() {
        #expect(html.contains("and the gradient is <span class=\"nb-value\" data-line=\"14\" title=\"\\frac{\\partial E}{\\partial w_1}\">−0.2315</span>, or in an equation"))
        #expect(html.contains("<mo>≈</mo><mrow><mo>−</mo><mn>0.23</mn></mrow></mrow><annotation encoding=\"application/x-tex\">\\frac{\\partial E}{\\partial w_1} \\approx \\nbvalue[.2f]{\\frac{\\partial E}{\\partial w_1}}</annotation>"))
        #expect(html.contains("<span class=\"enclosing\" data-computed=\"\\frac{\\partial E}{\\partial w_1}\"><span class=\"mord\">−</span><span class=\"mord\">0.23</span></span>"))
        #expect(html.contains("<span class=\"enclosing\" data-missing=\"q is not defined\" tabindex=\"0\"><span class=\"mord mathnormal\" style=\"margin-right:0.03588em;\">q</span></span>"))
    }

    @Test func withoutAReportThePageIsAsBeforeAndValuesShowTheirExpression() throws {
        let plain = try CheckFixture.render(report: nil)
        #expect(!plain.contains("nb-checks"))
        #expect(!plain.contains("data-status"))
        #expect(!plain.contains("data-value"))
        #expect(plain.contains("<span id=\"eq-eq:grad\" class=\"eq-anchor\"></span><div class=\"math display\" data-line=\"7\"><span class=\"katex-display\">"))
        #expect(plain.contains("<span class=\"enclosing\" data-missing=\"no value computed\" tabindex=\"0\"><span class=\"mord mathnormal\" style=\"margin-right:0.03588em;\">q</span></span>"))
        #expect(!plain.contains("#cc0000"))
    }
}

@Suite struct CheckedMathTests {
    private func cell(_ tex: String, display: Bool = true) -> (SourceFile, MathCell) {
        let text = "$$" + tex + "$$\n"
        let source = SourceFile(path: "n.md", text: text)
        let cell = MathCell(tex: tex, display: display, delimiter: .doubleDollar,
                            range: source.range(from: 0, to: text.utf8.count - 1),
                            contentRange: source.range(from: 2, to: 2 + tex.utf8.count))
        return (source, cell)
    }

    private func step(_ source: SourceFile, _ tex: String, relation: String, symbols: [(String, String)] = [], status: StepStatus = .verified) -> StepResult {
        func range(_ needle: String) -> SourceRange {
            let start = tex.range(of: needle).map { tex.utf8.distance(from: tex.startIndex, to: $0.lowerBound) } ?? -10
            return source.range(from: 2 + start, to: 2 + start + needle.utf8.count)
        }
        return StepResult(status: status, location: range(relation), mathOffset: 2,
                          symbolValues: symbols.map { SymbolValue(range: range($0.0), value: $0.1) })
    }

    @Test func hooksWrapSymbolsAndRelationSignsOnTheOriginalBytes() {
        let tex = "\\hat x + w_1 = \\frac23"
        let (source, math) = cell(tex)
        let checked = CheckedMath(cell: math, steps: [step(source, tex, relation: "=", symbols: [("x", "2"), ("w_1", "0.5"), ("1", "1"), ("2", "2")])])
        // Nested spans nest (`1` inside `w_1`); an argument without braces gets them.
        #expect(checked.tex == "\\hat {\\htmlData{nb-symbol=1}{x}} + {\\htmlData{nb-symbol=2}{w_{\\htmlData{nb-symbol=3}{1}}}} \\htmlData{nb-step=0}{=} \\frac{\\htmlData{nb-symbol=4}{2}}3")
        #expect(checked.hooks == [.step(status: .verified, line: 1), .symbol(value: "2"), .symbol(value: "0.5"), .symbol(value: "1"), .symbol(value: "2")])
    }

    @Test(arguments: [
        ("a &= b", "a &"),          // crosses a column break
        ("{a} = b", "{a"),          // unbalanced braces
        ("\\partial w = b", "artial"), // inside a control word
        ("a = b % w", "w"),         // inside a comment
        ("\\left( a \\right) = b", "\\left( a"), // unpaired \left
        ("a \\label{x} = b", "a \\label{x}"),  // a label would be hidden from numbering
    ])
    func spansThatCannotBeWrappedAreLeftAlone(_ tex: String, _ symbol: String) {
        let (source, math) = cell(tex)
        let checked = CheckedMath(cell: math, steps: [step(source, tex, relation: "=", symbols: [(symbol, "1")])])
        #expect(!checked.tex.contains("nb-symbol"))
        #expect(checked.tex.contains("\\htmlData{nb-step=0}{=}"))
    }

    @Test func aSymbolReportedByTwoStepsIsWrappedOnce() {
        let tex = "a = b = c"
        let (source, math) = cell(tex)
        let first = step(source, tex, relation: "=", symbols: [("b", "2")])
        var second = first
        second.location = source.range(from: 2 + 6, to: 2 + 7)
        let checked = CheckedMath(cell: math, steps: [first, second])
        #expect(checked.tex == "a \\htmlData{nb-step=0}{=} {\\htmlData{nb-symbol=1}{b}} \\htmlData{nb-step=2}{=} c")
    }

    @Test func largeOperatorsKeepTheirLimits() {
        let tex = "y = \\sum_{i} x_i"
        let (source, math) = cell(tex)
        let checked = CheckedMath(cell: math, steps: [step(source, tex, relation: "=", symbols: [("\\sum", "3"), ("x_i", "1")])])
        #expect(checked.tex == "y \\htmlData{nb-step=0}{=} \\sum_{i} {\\htmlData{nb-symbol=1}{x_i}}")
    }

    @Test func partlyOverlappingEditsAreDropped() {
        let bytes = Array("abcdef".utf8)
        let edits = [Edit(start: 0, end: 3, prefix: "[", suffix: "]"), Edit(start: 2, end: 5, prefix: "(", suffix: ")"),
                     Edit(start: 1, end: 2, prefix: "<", suffix: ">"), Edit(start: 3, end: 6, replacement: "X"),
                     Edit(start: 4, end: 5, prefix: "!", suffix: "!")]
        #expect(Edit.apply(edits, to: bytes) == "[a<b>c]X")
    }

    @Test func numberingRunsOnTheHookedTeXAndPointsDiagnosticsIntoTheOriginal() {
        let tex = "\\begin{align} a &= y \\label{x} \\\\ c &= \\eqref{nowhere} \\end{align}"
        let (source, math) = cell(tex)
        let checked = CheckedMath(cell: math, steps: [step(source, tex, relation: "=", symbols: [("y", "1")])])
        let numbering = EquationNumbering(cells: [math], source: source, rewrittenTeX: [math.id: checked.tex])
        let prepared = numbering.preparedMath(for: math)
        #expect(prepared.tex == "\\begin{align*} a &\\htmlData{nb-step=0}{=} {\\htmlData{nb-symbol=1}{y}}  \\tag{1}\\\\ c &= \\text{(??)} \\tag{2}\\end{align*}")
        #expect(!prepared.isVerbatim)
        #expect(numbering.diagnostics.map(\.description) == ["n.md:1:42: warning: no equation has the label 'nowhere'"])
    }

    @Test func hooksKaTeXRefusesFallBackToThePlainTeX() throws {
        // A "symbol" inside an array's column spec makes KaTeX fail; the equation must still show.
        let text = "$$\n\\begin{array}{cc} a & b \\end{array} = y\n$$\n"
        let source = SourceFile(path: "n.md", text: text)
        let notebook = Notebook(parsing: source)
        guard case .math(let math)? = notebook.cells.first else { Issue.record("no math"); return }
        let specStart = text.utf8.distance(from: text.startIndex, to: text.range(of: "{cc}")!.lowerBound) + 1
        let equals = text.utf8.distance(from: text.startIndex, to: text.range(of: "= y")!.lowerBound)
        let report = Report(file: "n.md", seed: 1, steps: [
            StepResult(status: .verified, location: source.range(from: equals, to: equals + 1), mathOffset: math.contentRange.start.offset,
                       symbolValues: [SymbolValue(range: source.range(from: specStart, to: specStart + 1), value: "1")]),
        ])
        let directory = NSTemporaryDirectory() + "nbrun-render-fixture"
        let page = try CheckFixture.renderer().render(notebook, root: directory, outputPath: directory + "/n.html", report: report)
        #expect(page.diagnostics.isEmpty)
        #expect(page.html.contains("<div class=\"math display\" data-line=\"1\"><span class=\"katex-display\">"))
        #expect(page.html.contains("<li class=\"nb-step\" data-status=\"verified\" data-line=\"2\""))
        #expect(!page.html.contains("data-nb-"))
    }
}

@Test(arguments: [
    ("∂E/∂w_1", "∂E/∂w<sub>1</sub>"),
    ("∂L/∂h_ij", "∂L/∂h<sub>ij</sub>"),
    ("W_{i+1,m,j} x^2", "W<sub>i+1,m,j</sub> x<sup>2</sup>"),
    ("-(t_1 - y_1) * h_1 < 1e-5", "−(t<sub>1</sub> − y<sub>1</sub>) * h<sub>1</sub> &lt; 1e-5"),
    // A layer label keeps its brackets inside the superscript.
    ("∂J/∂W^(2)", "∂J/∂W<sup>(2)</sup>"),
    ("a_k^(l - 1) δ_j^(l)", "a<sub>k</sub><sup>(l − 1)</sup> δ<sub>j</sub><sup>(l)</sup>"),
])
func plainFormsBecomeHTML(_ plain: String, _ html: String) {
    #expect(PlainMath.html(plain) == html)
}

@Test func valueCommandsAreFoundOutsideComments() {
    let tex = "a = \\nbvalue{x_1} + \\nbvalue[.2f]{\\frac{a}{b}} % \\nbvalue{no}\n + \\nbvalues{y}"
    let commands = ValueCommand.all(in: tex)
    let bytes = Array(tex.utf8)
    #expect(commands.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) } == ["\\nbvalue{x_1}", "\\nbvalue[.2f]{\\frac{a}{b}}"])
    #expect(commands.map { String(decoding: bytes[$0.argumentStart..<$0.argumentEnd], as: UTF8.self) } == ["x_1", "\\frac{a}{b}"])
}
