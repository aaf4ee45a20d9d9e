import Diagnostics
import Foundation
import Notebook
import Testing
import Verify
@testable import Render

struct TableOfContentsTests {
    private func contents(_ text: String) -> TableOfContents {
        let notebook = Notebook(parsing: SourceFile(path: "toc.md", text: text))
        return TableOfContents(headings: notebook.blocks.compactMap { block in
            if case .heading(let heading) = block { return heading }
            return nil
        })
    }

    @Test func aLongNoteListsItsSectionsWithSubsectionsNested() {
        let toc = contents("""
            # Title

            ## One weight

            ## A hidden layer

            ### The slope $\\sigma'(z)$

            ### Two *paths*

            ## Two outputs

            ## BP4: the weights $W_{i+1}$
            """)
        #expect(toc.html == """
            <nav class="toc" aria-label="Contents"><details open><summary>Contents</summary>
            <ol>
            <li><a href="#one-weight">One weight</a></li>
            <li><a href="#a-hidden-layer">A hidden layer</a><ol><li><a href="#the-slope-sigmaz">The slope σ&#39;(z)</a></li>\
            <li><a href="#two-paths">Two paths</a></li></ol></li>
            <li><a href="#two-outputs">Two outputs</a></li>
            <li><a href="#bp4-the-weights-w_i1">BP4: the weights W<sub>i+1</sub></a></li>
            </ol></details></nav>

            """)
    }

    @Test func aShortNoteHasNone() {
        let toc = contents("## One\n\n## Two\n\n### Two and a half\n\n## Three\n")
        #expect(toc.entries.count == 4)
        #expect(toc.html == "")
    }

    @Test func headingTextIsEscaped() {
        let toc = contents("## A <b>\n\n## B & C\n\n## `x<y`\n\n## D\n")
        #expect(toc.entries.map(\.html) == ["A", "B &amp; C", "x&lt;y", "D"])
    }

    /// Another note's math, as the checker parsed it: a tree that re-reading the heading's TeX would never give.
    private func carriedTree(of tex: String) -> Report {
        Verifier().check(Notebook(parsing: SourceFile(path: "other.md", text: tex + "\n")))
    }

    @Test func headingMathIsReadFromTheCheckersParse() throws {
        let notebook = Notebook(parsing: SourceFile(path: "toc.md", text: "## The weights $W_{i+1}$\n"))
        let headings = notebook.blocks.compactMap { if case .heading(let heading) = $0 { heading } else { nil } }
        let cell = try #require(notebook.cells.compactMap { if case .math(let math) = $0 { math } else { nil } }.first)
        let carried = try #require(carriedTree(of: "$v_2$").parsedMath.values.first)
        #expect(TableOfContents(headings: headings, parsedMath: [cell.id: carried]).entries.map(\.html)
                == ["The weights v<sub>2</sub>"])
        // Without a carried tree (a report from the site cache) the TeX is parsed here.
        #expect(TableOfContents(headings: headings).entries.map(\.html) == ["The weights W<sub>i+1</sub>"])
    }

    @Test func aPageTakesItsContentsMathFromTheReport() throws {
        let text = "# T\n\n## One $a$\n\n## Two\n\n## Three\n\n## Four\n"
        let notebook = Notebook(parsing: SourceFile(path: "toc.md", text: text))
        let cell = try #require(notebook.cells.compactMap { if case .math(let math) = $0 { math } else { nil } }.first)
        var report = Verifier().check(notebook)
        #expect(report.parsedMath(for: cell.id)?.expression?.plain == "a")
        report.parsedMath[cell.id] = try #require(carriedTree(of: "$b_3$").parsedMath.values.first)
        let directory = NSTemporaryDirectory() + "nbrun-toc-fixture"
        let page = try CheckFixture.renderer().render(notebook, root: directory, outputPath: directory + "/toc.html", report: report)
        #expect(page.html.contains("<li><a href=\"#one-a\">One b<sub>3</sub></a></li>"))
        #expect(!page.html.contains("<li><a href=\"#one-a\">One a</a></li>"))
    }
}

/// The entries are a walk on `NotebookWalker`: math is in plain form whatever holds it
/// (a highlight or a strikethrough once fell to the plain text and showed the TeX).
struct TableOfContentsWalkTests {
    @Test func mathInEveryInlineContainerIsInPlainForm() {
        let notebook = Notebook(parsing: SourceFile(path: "toc.md", text: """
            ## ==high $W_{i+1}$ mark==

            ## ~~$x_2$~~ struck

            ## [**$b_1$**](x.md) linked

            ## ![alt $a$](p.png) pictured
            """))
        let entries = TableOfContents(headings: notebook.headings).entries
        #expect(entries.map(\.html) == ["high W<sub>i+1</sub> mark", "x<sub>2</sub> struck", "b<sub>1</sub> linked", "alt a pictured"])
    }
}
