import Diagnostics
import Testing
@testable import Notebook

@Suite struct PandocDollarTests {
    @Test func pricesAreNotMath() {
        let notebook = parse("It costs $5 and $10 today.\n")
        #expect(maths(notebook).isEmpty)
        #expect(notebook.blocks == [.paragraph([.text("It costs $5 and $10 today.")], range: notebook.blocks[0].range)])
    }

    @Test func openerNeedsNonSpaceAfterAndCloserBefore() {
        #expect(maths(parse("a $ x$ b\n")).isEmpty)
        #expect(maths(parse("a $x $ b\n")).isEmpty)
        #expect(maths(parse("a $x$5 b\n")).isEmpty)
        #expect(maths(parse("a $x$, b\n")).map(\.tex) == ["x"])
    }

    @Test func escapedDollarIsLiteral() {
        let notebook = parse("Pay \\$5 for $y = 2$ and \\$3.\n")
        #expect(maths(notebook).map(\.tex) == ["y = 2"])
        #expect(maths(notebook).map { position($0.range.start) } == ["1:13"])
        let inside = maths(parse("$a \\$ b$\n"))
        #expect(inside.map(\.tex) == ["a \\$ b"])
    }

    @Test func dollarInCodeIsNeverMath() {
        let notebook = parse("Run `echo $HOME $x$` then $y$.\n\n```sh\necho $$ $x$\n```\n\n    $$ indented $$\n")
        #expect(maths(notebook).map(\.tex) == ["y"])
        #expect(notebook.blocks[1] == .code(CodeBlock(language: "sh", code: "echo $$ $x$\n", range: notebook.blocks[1].range)))
        #expect(notebook.blocks[2] == .code(CodeBlock(language: "", code: "$$ indented $$\n", range: notebook.blocks[2].range)))
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("no paragraph"); return }
        #expect(inlines[1] == .code("echo $HOME $x$"))
    }

    @Test func emphasisCharactersStayInMath() {
        let notebook = parse("Here $w_{11}^2 x_1 * y_1$ and _b_ and $a*b*c$ *d*.\n")
        #expect(maths(notebook).map(\.tex) == ["w_{11}^2 x_1 * y_1", "a*b*c"])
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("no paragraph"); return }
        #expect(inlines.contains(.emphasis([.text("b")])))
        #expect(inlines.contains(.emphasis([.text("d")])))
    }

    @Test func backslashesAndEntitiesStayInMath() {
        let notebook = parse("$$\n\\{ a \\\\ b \\} &amp; \\_x\n$$\n")
        #expect(maths(notebook).map(\.tex) == ["\n\\{ a \\\\ b \\} &amp; \\_x\n"])
    }

    @Test func inlineMathMaySpanLines() {
        let notebook = parse("So $a +\nb$ holds.\n")
        #expect(maths(notebook).map(\.tex) == ["a +\nb"])
        #expect(maths(notebook).first.map { position($0.range.end) } == "2:3")
    }

    @Test func inlineMathStopsAtAListItem() {
        let notebook = parse("- costs $5\n- and 6$ more\n")
        #expect(maths(notebook).isEmpty)
    }

    @Test func mathInsideEmphasisAndLinks() {
        let notebook = parse("**$x$** and [see $y$](other)\n")
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("no paragraph"); return }
        #expect(maths(notebook).map(\.tex) == ["x", "y"])
        if case .strong(let children) = inlines[0], case .math(let cell) = children.first {
            #expect(cell.tex == "x")
        } else {
            Issue.record("expected strong math, got \(inlines[0])")
        }
    }
}

@Suite struct DisplayMathTests {
    @Test func doubleDollarOnOneLineAlone() {
        let notebook = parse("Text.\n\n$$ E = mc^2 $$\n\nMore.\n")
        guard case .math(let cell) = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
        #expect(cell.tex == " E = mc^2 ")
        #expect(cell.display)
        #expect(position(cell.range.start) == "3:1")
        #expect(position(cell.range.end) == "3:15")
        #expect(position(cell.contentRange.start) == "3:3")
    }

    @Test func obsidianDisplayMidParagraph() {
        let notebook = parse("We have\n$$\nx = 1\n$$\nso done.\n")
        #expect(notebook.blocks.count == 3)
        guard case .paragraph(let before, let beforeRange) = notebook.blocks[0],
              case .math(let cell) = notebook.blocks[1],
              case .paragraph(let after, let afterRange) = notebook.blocks[2] else {
            Issue.record("\(notebook.blocks)")
            return
        }
        #expect(before == [.text("We have")])
        #expect(position(beforeRange.start) == "1:1")
        #expect(position(beforeRange.end) == "1:8")
        #expect(cell.tex == "\nx = 1\n")
        #expect(cell.display)
        #expect(after == [.text("so done.")])
        #expect(position(afterRange.start) == "5:1")
    }

    @Test func kramdownDoubleDollarInTextIsInline() {
        let notebook = parse("The value $$x^2$$ is inline here.\n")
        let cells = maths(notebook)
        #expect(cells.count == 1)
        #expect(cells[0].tex == "x^2")
        #expect(cells[0].display == false)
        #expect(cells[0].delimiter == .doubleDollar)
        #expect(position(cells[0].range.start) == "1:11")
    }

    @Test func kramdownDoubledBackslashDelimiters() {
        let notebook = parse("Inline \\\\(a_1 * b_1\\\\) here.\n\n\\\\[\n\\sum_i x_i\n\\\\]\n")
        let cells = maths(notebook)
        #expect(cells.map(\.tex) == ["a_1 * b_1", "\n\\sum_i x_i\n"])
        #expect(cells.map(\.delimiter) == [.doubledParenthesis, .doubledBracket])
        #expect(cells.map(\.display) == [false, true])
        #expect(cells.map { position($0.range.start) } == ["1:8", "3:1"])
        guard case .math = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
    }

    @Test func singleBackslashDelimiters() {
        let notebook = parse("Let \\(x_1\\) be.\n\n\\[ y_2 = x_1 \\]\n")
        let cells = maths(notebook)
        #expect(cells.map(\.tex) == ["x_1", " y_2 = x_1 "])
        #expect(cells.map(\.delimiter) == [.parenthesis, .bracket])
        #expect(cells.map(\.display) == [false, true])
    }

    @Test func bareEnvironmentIsABlock() {
        let text = "\\begin{align}\na_1 &= b_1 \\label{eq:one} \\\\\nc &= d \\tag{2}\n\\end{align}\n\nBy \\eqref{eq:one} and \\ref{eq:one}.\n"
        let notebook = parse(text)
        guard case .math(let cell) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(cell.delimiter == .environment)
        #expect(cell.display)
        #expect(cell.tex == "\\begin{align}\na_1 &= b_1 \\label{eq:one} \\\\\nc &= d \\tag{2}\n\\end{align}")
        #expect(cell.labels == ["eq:one"])
        #expect(cell.tags == ["2"])
        #expect(cell.environments == ["align"])
        let references = allInlines(notebook).compactMap { inline -> String? in
            if case .equationReference(let label, let parenthesized, let range) = inline {
                "\(label) \(parenthesized) \(position(range.start))"
            } else { nil }
        }
        #expect(references == ["eq:one true 6:4", "eq:one false 6:23"])
        #expect(notebook.diagnostics.isEmpty, "\(described(notebook.diagnostics))")
    }

    @Test func environmentsInsideDisplayMath() {
        let notebook = parse("$$\n\\begin{aligned}\nx_1 &= 2 \\label{first}\\\\\ny &= 3\n\\end{aligned}\n$$\n\nSee \\eqref{first}, not \\ref{second}.\n")
        #expect(maths(notebook).first?.environments == ["aligned"])
        #expect(maths(notebook).first?.labels == ["first"])
        #expect(described(notebook.diagnostics) == ["warning 8:24 reference to unknown equation label 'second'"])
    }

    @Test func referencesInsideMathAreChecked() {
        let notebook = parse("$$ a \\label{a} $$\n\n$$ b = \\eqref{a} + \\ref{zz} $$\n")
        #expect(maths(notebook)[1].references == ["a", "zz"])
        #expect(described(notebook.diagnostics) == ["warning 3:25 reference to unknown equation label 'zz'"])
    }

    @Test func mathInBlockQuoteBlanksQuoteMarkers() {
        let notebook = parse("> [!note]\n> $$\n> x > 0\n> $$\n")
        // An Obsidian callout: its marker line is the callout's, the math its content.
        guard case .callout(let callout) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(callout.blocks.count == 1)
        guard case .math(let cell) = callout.blocks[0] else { Issue.record("\(callout.blocks)"); return }
        #expect(cell.tex == "\n  x > 0\n  ")
        #expect(position(cell.range.start) == "2:3")
    }

    @Test func mathLinesThatLookLikeMarkdownStayMath() {
        let notebook = parse("$$\nL = a\n+ b\n# c\n- d\n$$\n")
        #expect(notebook.blocks.count == 1)
        #expect(maths(notebook).map(\.tex) == ["\nL = a\n+ b\n# c\n- d\n"])
    }

    @Test func mathInsideHTMLBlockIsLeftAsWritten() {
        let notebook = parse("<div>\n$x_1$ and $$y$$\n</div>\n")
        #expect(maths(notebook).isEmpty)
        #expect(notebook.blocks == [.html("<div>\n$x_1$ and $$y$$\n</div>\n", range: notebook.blocks[0].range)])
    }
}

@Suite struct EncodingTests {
    @Test func crlfLineEndings() {
        let notebook = parse("Let $a_1$ be\r\n\r\n$$\r\nx * y\r\n$$\r\n")
        let cells = maths(notebook)
        #expect(cells.map(\.tex) == ["a_1", "\r\nx * y\r\n"])
        #expect(cells.map { position($0.range.start) } == ["1:5", "3:1"])
        #expect(cells.map(\.display) == [false, true])
    }

    @Test func multiByteCharactersCountAsBytes() {
        // é is 2 bytes, ∂ is 3 bytes.
        let notebook = parse("é ∂ $x$\n")
        #expect(maths(notebook).map { position($0.range.start) } == ["1:8"])
        #expect(maths(notebook).map { $0.range.start.offset } == [7])
    }
}

@Suite struct BrokenMathTests {
    @Test func unterminatedDoubleDollar() {
        let notebook = parse("Intro.\n\nSee $$ x_1 + y\nstill\n\nNext.\n")
        #expect(maths(notebook).isEmpty)
        #expect(described(notebook.diagnostics) == ["error 3:5 unterminated math: '$$' is never closed in this paragraph"])
        #expect(notebook.hasErrors)
        guard case .paragraph(let inlines, _) = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
        #expect(inlines.first == .text("See $$ x_1 + y"))
    }

    @Test func unterminatedEnvironment() {
        let notebook = parse("\\begin{align}\na &= b\n\nrest\n")
        #expect(maths(notebook).isEmpty)
        #expect(described(notebook.diagnostics) == ["error 1:1 unterminated '\\begin{align}': no matching '\\end{align}'"])
    }

    @Test func unterminatedEnvironmentInsideMath() {
        let notebook = parse("$$\n\\begin{aligned} x &= 1\n$$\n")
        #expect(described(notebook.diagnostics) == ["error 2:1 unterminated '\\begin{aligned}': no matching '\\end{aligned}'"])
    }

    @Test func mismatchedEnvironment() {
        let notebook = parse("$$ \\begin{align} x \\end{gather} $$\n")
        #expect(described(notebook.diagnostics) == ["error 1:20 '\\begin{align}' is closed by '\\end{gather}'"])
    }
}

@Test func aDisplayMathBlockWithBlankLinesIsOneCellAndThePageAfterItKeepsItsLines() throws {
    let text = "# Top\n\n$$\na = b\n\n= c\n$$\n\nSome *prose* here.\n\n## Next\n"
    let notebook = Notebook(parsing: SourceFile(path: "n.md", text: text))
    let math = notebook.cells.compactMap { if case .math(let math) = $0 { math } else { nil } }
    #expect(math.count == 1)
    #expect(math.first?.tex == "\na = b\n\n= c\n")
    #expect(math.first?.range.start.line == 3)
    #expect(notebook.headings.map(\.range.start.line) == [1, 11])
    #expect(notebook.diagnostics.isEmpty)
}

@Test func anEnvironmentWithoutDollarsReadsAcrossABlankLineAsMathJaxReadsIt() throws {
    // Nielsen's chapter as transcribed: `\begin{eqnarray}`, a line of spaces, the equation, `\end{eqnarray}`.
    let text = "In particular:\n\n\\begin{eqnarray}\n  \n  \\frac{\\partial C}{\\partial w} = a \\delta.\n\\tag{BP4}\\end{eqnarray}\n\nThen *prose*.\n"
    let notebook = Notebook(parsing: SourceFile(path: "n.md", text: text))
    let math = notebook.cells.compactMap { if case .math(let math) = $0 { math } else { nil } }
    #expect(math.count == 1)
    #expect(math.first?.range.start.line == 3)
    #expect(math.first?.tex.hasSuffix("\\tag{BP4}\\end{eqnarray}") == true)
    #expect(notebook.diagnostics.isEmpty)
}
