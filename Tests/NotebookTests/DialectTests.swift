import Diagnostics
import Testing
@testable import Notebook

/// Obsidian, Jekyll and GitHub habits, read the way those tools read them.
@Suite struct ObsidianCommentTests {
    @Test func inlineAndBlockCommentsLeaveNoText() {
        let notebook = parse("""
            Seen %%not for readers%% and seen.

            %%
            A private plan,
            over two lines.
            %%

            Also seen %%a comment that
            runs on%% to here.
            """)
        let text = notebook.blocks.map { block -> String in
            if case .paragraph(let inlines, _) = block { return Inline.plainText(inlines) }
            return "\(block)"
        }
        // The line break a comment spans stays a (soft) break.
        #expect(text == ["Seen  and seen.", "Also seen   to here."])
        #expect(notebook.diagnostics.isEmpty)
    }

    @Test func percentSignsInCodeAndTeXStay() {
        let notebook = parse("""
            Write `%%` for a comment, and `\\%` in TeX.

            ```
            %% kept in code %%
            ```
            """)
        guard case .paragraph(let inlines, _) = notebook.blocks[0], case .code(let block) = notebook.blocks[1] else {
            Issue.record("\(notebook.blocks)"); return
        }
        #expect(Inline.plainText(inlines) == "Write %% for a comment, and \\% in TeX.")
        #expect(block.code == "%% kept in code %%\n")
    }

    @Test func mathInsideACommentIsNotMath() {
        #expect(maths(parse("Checked $x = 1$. %%Not checked $y = 2$.%%\n")).map(\.tex) == ["x = 1"])
    }

    @Test func anUnclosedCommentHidesTheRestWithAWarning() {
        let notebook = parse("Shown.\n\nAlso %%hidden\n\nand hidden too.\n")
        #expect(notebook.blocks.count == 2)
        #expect(described(notebook.diagnostics) == ["warning 3:6 \(NotebookMessages.unclosedComment)"])
    }

    @Test func aCommentAtTheStartOfALineMakesNoCodeBlock() {
        // Blanked to spaces, `%%x%% text` after a blank line would be indented code.
        let notebook = parse("Intro.\n\n%%a long private remark%% Visible text.\n")
        guard case .paragraph(let inlines, _) = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
        #expect(Inline.plainText(inlines) == " Visible text.")
    }
}

@Suite struct GitHubMathTests {
    @Test func aMathFenceIsDisplayMathAtItsLines() throws {
        let notebook = parse("Before.\n\n```math\n\\frac{d}{dx} x^2 = 2x\n```\n")
        let cell = try #require(maths(notebook).first)
        #expect(cell.tex == "\\frac{d}{dx} x^2 = 2x")
        #expect(cell.display)
        #expect(cell.delimiter == .fence)
        #expect(position(cell.contentRange.start) == "4:1")
        #expect(position(cell.range.start) == "3:1")
        guard case .math = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
    }

    @Test func dollarBacktickIsInlineMath() throws {
        let notebook = parse("Inline $`a^2 + b`$ math, and `$code$` stays code.\n")
        let cell = try #require(maths(notebook).first)
        #expect(maths(notebook).count == 1)
        #expect(cell.tex == "a^2 + b")
        #expect(!cell.display)
        #expect(cell.delimiter == .dollarBacktick)
        #expect(position(cell.contentRange.start) == "1:10")
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(inlines.contains(.code("$code$")))
    }

    @Test func aMathFenceInAQuoteHasItsMarkersBlanked() throws {
        let cell = try #require(maths(parse("> ```math\n> x = 1\n> ```\n")).first)
        #expect(cell.tex == "  x = 1")
    }
}

@Suite struct CalloutTests {
    @Test func aCalloutHasItsKindTitleAndContent() throws {
        let notebook = parse("""
            > [!Warning]- Mind the *sign*
            > The derivative of $-x$ is $-1$.
            >
            > $$
            > \\frac{d}{dx} (-x) = -1
            > $$
            """)
        guard case .callout(let callout) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(callout.kind == "warning")
        #expect(callout.fold == .folded)
        #expect(callout.title == [.text("Mind the "), .emphasis([.text("sign")])])
        #expect(callout.blocks.count == 2)
        // The math inside is the note's math: it is checked like any other.
        #expect(maths(notebook).map(\.tex) == ["-x", "-1", "\n  \\frac{d}{dx} (-x) = -1\n  "])
    }

    @Test(arguments: [("> [!tip]\n> Body.\n", "tip", Callout.Fold.none, 0),
                      ("> [!faq]+ Open question\n> Body.\n", "faq", .open, 2),
                      ("> [!note]\n", "note", .none, 0)])
    func markersAndFolds(_ text: String, _ kind: String, _ fold: Callout.Fold, _ titleWords: Int) throws {
        guard case .callout(let callout) = parse(text).blocks[0] else { Issue.record("not a callout"); return }
        #expect(callout.kind == kind)
        #expect(callout.fold == fold)
        #expect(Inline.plainText(callout.title).split(separator: " ").count == titleWords)
    }

    @Test func anOrdinaryQuoteStaysAQuote() {
        guard case .quote = parse("> [link] text\n").blocks[0] else { Issue.record("not a quote"); return }
        guard case .quote = parse("> [!not a type] x\n").blocks[0] else { Issue.record("not a quote"); return }
    }
}

@Suite struct ObsidianInlineTests {
    @Test func highlightsBecomeMarks() {
        guard case .paragraph(let inlines, _) = parse("A ==bright *idea*== here, but a == b stays.\n").blocks[0] else {
            Issue.record("no paragraph"); return
        }
        #expect(inlines == [.text("A "), .highlight([.text("bright "), .emphasis([.text("idea")])]), .text(" here, but a == b stays.")])
    }

    @Test(arguments: [("![[dot.png|120]]", 120 as Int?, nil as Int?, nil as String?),
                      ("![[dot.png|120x80]]", 120 as Int?, 80 as Int?, nil as String?),
                      ("![[dot.png|A blue dot]]", nil as Int?, nil as Int?, "A blue dot" as String?),
                      ("[[note|120]]", nil as Int?, nil as Int?, "120" as String?)])
    func embedSizes(_ text: String, _ width: Int?, _ height: Int?, _ label: String?) {
        guard case .paragraph(let inlines, _) = parse(text + "\n").blocks[0], case .wikiLink(let link) = inlines[0] else {
            Issue.record("no link"); return
        }
        #expect(link.width == width)
        #expect(link.height == height)
        #expect(link.label == label)
    }
}

@Suite struct LiquidTests {
    private func links(_ notebook: Notebook) -> [String] {
        var out: [String] = []
        for case .paragraph(let inlines, _) in notebook.blocks {
            for case .link(let destination, _, _, _) in inlines { out.append(destination) }
        }
        return out
    }

    @Test func linkTagsBecomePathsFromTheSiteRoot() {
        let notebook = parse("""
            [About]({{ site.baseurl }}/about), [first post]({% post_url 2024-06-10-first-steps %}),
            [notes]({% link notes/index.md %}) and [home]({{ '/index' | relative_url }}).
            """)
        #expect(links(notebook) == ["/about", "/_posts/2024-06-10-first-steps", "/notes/index.md", "/index"])
        #expect(notebook.diagnostics.isEmpty)
    }

    @Test func highlightIsACodeBlockAndRawIsLiteral() {
        let notebook = parse("""
            {% highlight python %}
            print("{{ x }}")
            {% endhighlight %}

            {% raw %}Jekyll writes {{ page.title }} here.{% endraw %}
            """)
        guard case .code(let block) = notebook.blocks[0], case .paragraph(let inlines, _) = notebook.blocks[1] else {
            Issue.record("\(notebook.blocks)"); return
        }
        #expect(block.language == "python")
        #expect(block.code == "print(\"{{ x }}\")\n")
        #expect(Inline.plainText(inlines) == "Jekyll writes {{ page.title }} here.")
        #expect(notebook.diagnostics.isEmpty)
    }

    @Test func otherTagsAreDroppedWithAWarningAtTheirPlace() {
        let notebook = parse("Intro.\n\n{% include figure.html src=\"a.png\" %} Caption for {{ page.title }}.\n")
        guard case .paragraph(let inlines, _) = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
        #expect(Inline.plainText(inlines) == " Caption for .")
        #expect(described(notebook.diagnostics) == [
            "warning 3:1 \(NotebookMessages.unsupportedLiquid("{% include %}"))",
            "warning 3:51 \(NotebookMessages.unsupportedLiquid("{{ page.title }}"))",
        ])
    }

    @Test func texBracesAreNotLiquid() {
        #expect(maths(parse("$x^{{2}} + {y}$\n")).map(\.tex) == ["x^{{2}} + {y}"])
    }

    @Test func aCommentTagHidesItsText() {
        guard case .paragraph(let inlines, _) = parse("A {% comment %}draft remark{% endcomment %}B\n").blocks[0] else {
            Issue.record("no paragraph"); return
        }
        #expect(Inline.plainText(inlines) == "A B")
    }
}

@Suite struct InlineTagTests {
    @Test func hashWordsInProseAreTags() {
        let notebook = parse("""
            ---
            tags: [calculus]
            ---
            About #calculus and #topic/sub-part, not #12, not C#, not `#code`, not [[#Heading]].

            ## A heading with #heading-tag
            """)
        #expect(notebook.inlineTags == ["calculus", "topic/sub-part", "heading-tag"])
        #expect(notebook.allTags == ["calculus", "topic/sub-part", "heading-tag"])
    }

    @Test func aliasesAreAListOrOneName() {
        #expect(parse("---\naliases: [a b, c]\n---\n").frontMatter.aliases == ["a b", "c"])
        #expect(parse("---\naliases: only one\n---\n").frontMatter.aliases == ["only one"])
    }
}

@Suite struct BlockReferenceTests {
    @Test func aParagraphEndingInACaretIDHasABlockID() {
        let notebook = parse("The key step is here. ^key-step\n\nSee [[#^key-step]] and [[#^nowhere]].\n")
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(inlines == [.text("The key step is here."), .blockID("key-step")])
        #expect(described(notebook.diagnostics) == ["warning 3:24 \(NotebookMessages.missingHeading("block-nowhere"))"])
    }

    @Test func aCaretInsideTextIsNoBlockID() {
        guard case .paragraph(let inlines, _) = parse("Powers like 2^10 stay.\n").blocks[0] else { Issue.record("no paragraph"); return }
        #expect(inlines == [.text("Powers like 2^10 stay.")])
    }

    @Test func aLinkToABlockPointsAtItsAnchor() {
        guard case .paragraph(let inlines, _) = parse("[[Squares#^key-step]]\n").blocks[0], case .wikiLink(let link) = inlines[0] else {
            Issue.record("no link"); return
        }
        #expect(link.linkTarget == .note(path: "Squares", anchor: "block-key-step"))
    }
}

extension LiquidTests {
    @Test func codeShowsLiquidAsWrittenWithoutRawMarkers() {
        let notebook = parse("""
            ```html
            {% if page.title %}<h1>{{ page.title }}</h1>{% endif %}
            {% raw %}{{ kept }}{% endraw %}
            ```
            """)
        guard case .code(let block) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(block.code == "{% if page.title %}<h1>{{ page.title }}</h1>{% endif %}\n{{ kept }}\n")
        #expect(notebook.diagnostics.isEmpty)
    }
}

extension CalloutTests {
    @Test func calloutsNest() {
        let notebook = parse("> [!example] Outer\n> Outer text.\n>\n> > [!tip]- Inner\n> > Inner text with $x = 1$.\n")
        guard case .callout(let outer) = notebook.blocks[0], case .callout(let inner) = outer.blocks.last else {
            Issue.record("\(notebook.blocks)"); return
        }
        #expect(outer.kind == "example")
        #expect(inner.kind == "tip")
        #expect(inner.fold == .folded)
        #expect(maths(notebook).map(\.tex) == ["x = 1"])
    }
}

extension ObsidianCommentTests {
    @Test func aCommentInsideMathIsSpacesInItsTeX() {
        #expect(maths(parse("$$ x = 1 %%why one?%% $$\n")).map(\.tex) == [" x = 1 " + String(repeating: " ", count: "%%why one?%%".count) + " "])
    }
}

extension ObsidianCommentTests {
    @Test func aCommentAtTheEndOfAHeadingLeavesItsIDAlone() {
        #expect(parse("## Next steps %%ask Sam%%\n").headings.map(\.id) == ["next-steps"])
    }
}

extension ObsidianCommentTests {
    @Test func aCommentAfterEmphasisInAHeadingKeepsTheSpaceBefore() {
        guard case .heading(let heading) = parse("## *Big* step %%x%%\n").blocks[0] else { Issue.record("no heading"); return }
        #expect(heading.content == [.emphasis([.text("Big")]), .text(" step")])
    }
}
