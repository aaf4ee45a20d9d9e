import Diagnostics
import Notebook
import Testing
@testable import Render

private func cells(_ texts: [(String, Bool)]) -> (SourceFile, [MathCell]) {
    var text = ""
    var cells: [MathCell] = []
    for (tex, display) in texts {
        let start = text.utf8.count + 2
        text += "$$" + tex + "$$\n\n"
        let source = SourceFile(path: "n.md", text: text)
        cells.append(MathCell(
            tex: tex, display: display, delimiter: .doubleDollar,
            range: source.range(from: start - 2, to: start + tex.utf8.count + 2),
            contentRange: source.range(from: start, to: start + tex.utf8.count)
        ))
    }
    return (SourceFile(path: "n.md", text: text), cells)
}

@Test func labelledDisplayMathGetsTheNextNumber() {
    let (source, math) = cells([("a = b \\label{first}", true), ("c = d", true), ("e = f \\label{second}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "a = b \\tag{1}")
    #expect(numbering.preparedMath(for: math[0]).anchors == ["eq-first"])
    #expect(numbering.preparedMath(for: math[1]).tex == "c = d")
    #expect(numbering.preparedMath(for: math[1]).isVerbatim)
    #expect(numbering.preparedMath(for: math[2]).tex == "e = f \\tag{2}")
    #expect(numbering.target(for: "second") == .init(anchor: "eq-second", number: "2"))
}

@Test func unstarredAlignNumbersEachRowUnlessTold() {
    let (source, math) = cells([("\\begin{align} a &= b \\label{x} \\\\ c &= d \\nonumber \\\\ e &= f \\tag{*} \\end{align}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "\\begin{align*} a &= b  \\tag{1}\\\\ c &= d  \\\\ e &= f  \\tag{*}\\end{align*}")
    #expect(numbering.target(for: "x")?.number == "1")
}

@Test func referencesBecomeLinksAndUnknownLabelsAreWarnings() {
    let (source, math) = cells([("y = \\eqref{later} + \\ref{later} + \\eqref{nowhere}", true), ("z \\label{later}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "y = \\href{#eq-later}{\\text{(1)}} + \\href{#eq-later}{\\text{1}} + \\text{(??)}")
    #expect(numbering.diagnostics.count == 1)
    #expect(numbering.diagnostics.first?.description == "n.md:1:37: warning: no equation has the label 'nowhere'")
}

@Test func inlineMathLosesDisplayOnlyEnvironments() {
    let (source, math) = cells([("\\begin{align} a &= b \\end{align}", false)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "\\begin{aligned} a &= b \\end{aligned}")
}

@Test func rowsSplitOnlyAtTheTopLevel() {
    let rows = EquationNumbering.splitRows(" a &= \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix} \\\\ b &= {x \\\\ y}")
    #expect(rows == [" a &= \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix} ", " b &= {x \\\\ y}"])
}

@Test func eqnarrayIsTypesetAsAlignWithItsRowsNumbered() {
    // KaTeX has no eqnarray: `a &=& b` becomes align's `a &= b`, each row numbered as LaTeX numbers them.
    let (source, math) = cells([("\\begin{eqnarray} y &=& w x \\\\ z &=& {a & b} \\nonumber \\end{eqnarray}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "\\begin{align*} y &= w x \\tag{1}\\\\ z &= {a & b}  \\end{align*}")
    #expect(EquationNumbering.joiningEqnarrayColumns(#"a \& b &\leq& c"#) == #"a \& b &\leq c"#)
}

@Test func mathJaxsRequireIsDroppedBeforeTypesetting() {
    // KaTeX knows no `\require` ("Undefined control sequence"); MathJax notes load `cancel` with it.
    let (source, math) = cells([("\\require{cancel} \\begin{equation} h = \\cancel{x} \\label{h} \\end{equation}", true),
                                ("\\require{cancel} a = \\cancel{b}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex == "\\begin{equation*} h = \\cancel{x}  \\tag{1}\\end{equation*}")
    #expect(numbering.preparedMath(for: math[1]).tex == " a = \\cancel{b}")
}

@Test func anEquationOfSeveralLinesHasOneNumber() {
    // KaTeX's "Multiple \tag" on a `\begin{equation}` whose lines a note breaks with `\\`.
    let (source, math) = cells([("\\begin{equation} y = f(h) \\\\ f'(h) = y(1 - y) \\label{f} \\end{equation}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[0]).tex
        == "\\begin{equation*}\\begin{gathered} y = f(h) \\\\ f'(h) = y(1 - y)  \\end{gathered}\\tag{1}\\end{equation*}")
    #expect(numbering.target(for: "f")?.number == "1")
}

@Test func aNoteThatNumbersByHandGetsNoAutomaticNumbers() {
    // Tagged (1) and (2) before an `align` whose last row is tagged (5): its other rows stay
    // unnumbered, as MathJax shows them, instead of repeating (1) and (2).
    let (source, math) = cells([("\\begin{equation} h = 1 \\tag{1} \\end{equation}", true),
                                ("\\begin{equation} J = 2 \\tag{2} \\end{equation}", true),
                                ("\\begin{align} J &= a \\\\ &= b \\tag{5} \\end{align}", true)])
    let numbering = EquationNumbering(cells: math, source: source)
    #expect(numbering.preparedMath(for: math[2]).tex == "\\begin{align*} J &= a \\\\ &= b  \\tag{5}\\end{align*}")
}
