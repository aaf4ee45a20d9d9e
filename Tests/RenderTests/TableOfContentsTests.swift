import Diagnostics
import Notebook
import Testing
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
