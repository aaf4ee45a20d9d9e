import Diagnostics
import Testing
@testable import Notebook

@Suite struct KramdownFixtureTests {
    @Test func readsThePost() throws {
        let notebook = try fixture("kramdown-post.md")
        #expect(notebook.diagnostics.isEmpty, "\(described(notebook.diagnostics))")
        #expect(notebook.frontMatter.title == "Backprop, the Jekyll way")
        #expect(notebook.frontMatter.date == "2024-03-05")
        #expect(notebook.frontMatter.tags == ["math", "backprop", "kramdown"])
        #expect(notebook.frontMatter.values["layout"] == .string("post"))
        #expect(notebook.frontMatter.values["math"] == .bool(true))

        let cells = maths(notebook)
        #expect(cells.map(\.tex) == [
            "L = \\frac{1}{2}(y - t)^2",
            "\n\\frac{\\partial L}{\\partial w_{11}} = (y - t) x_1\n",
            "w_{21} x_1",
            " \\delta_j = g'(a_j) \\sum_k w_{kj} \\delta_k ",
            "w_{ij}",
            "…",
        ])
        #expect(cells.map(\.display) == [false, true, false, true, false, false])
        #expect(cells.map(\.delimiter) == [.doubleDollar, .doubleDollar, .doubledParenthesis, .doubledBracket, .dollar, .doubleDollar])
        #expect(cells.map { position($0.range.start) } == ["8:13", "10:1", "14:19", "16:1", "22:3", "25:22"])
    }

    @Test func tableAndFootnote() throws {
        let notebook = try fixture("kramdown-post.md")
        let tables = notebook.blocks.compactMap { if case .table(let table) = $0 { table } else { nil } }
        #expect(tables.count == 1)
        let table = try #require(tables.first)
        #expect(table.alignments == [.center, .right])
        #expect(table.header == [[.text("symbol")], [.text("meaning")]])
        #expect(table.rows.count == 2)
        #expect(table.rows[1][0] == [.code("$x$")])
        #expect(table.rows[0][1] == [.text("weight "), .emphasis([.text("i")]), .text(", "), .emphasis([.text("j")])])
        guard case .footnoteDefinition(let label, let blocks, let range) = notebook.blocks.last else {
            Issue.record("last block: \(String(describing: notebook.blocks.last))")
            return
        }
        #expect(label == "mj")
        #expect(position(range.start) == "25:1")
        #expect(blocks.count == 1)
        #expect(allInlines(notebook).contains(.footnoteReference("mj")))
    }
}

@Suite struct CodeCellTests {
    @Test func cellWithAttributes() {
        let text = "Intro\n\n```nb {#setup hide .wide timeout=5 title=\"Two words\"}\nlet x = 1\n```\n"
        let notebook = parse(text)
        #expect(notebook.diagnostics.isEmpty, "\(described(notebook.diagnostics))")
        let cell = codeCells(notebook)
        #expect(cell.count == 1)
        #expect(cell.first?.language == "nb")
        #expect(cell.first?.id == "setup")
        #expect(cell.first?.flags == ["hide", ".wide"])
        #expect(cell.first?.attributes == [.init(key: "timeout", value: "5"), .init(key: "title", value: "Two words")])
        #expect(cell.first?.attribute("title") == "Two words")
        #expect(cell.first?.has(flag: "hide") == true)
        #expect(cell.first?.source == "let x = 1\n")
        #expect(cell.first.map { position($0.range.start) } == "3:1")
        #expect(cell.first.map { position($0.contentRange.start) } == "4:1")
        #expect(cell.first.map { position($0.contentRange.end) } == "5:1")
    }

    @Test func nbrunIsASynonymAndOtherLanguagesStayCode() {
        let notebook = parse("```nbrun\nprint(1)\n```\n\n```python {#x}\nprint(2)\n```\n\n~~~nb\n$x$\n~~~\n")
        #expect(codeCells(notebook).map(\.language) == ["nbrun", "nb"])
        #expect(codeCells(notebook).map(\.source) == ["print(1)\n", "$x$\n"])
        #expect(notebook.blocks[1] == .code(CodeBlock(language: "python", code: "print(2)\n", range: notebook.blocks[1].range)))
        #expect(maths(notebook).isEmpty)
    }

    @Test func malformedAttributes() {
        #expect(described(parse("```nb {#a hide\nx\n```\n").diagnostics) == ["error 1:7 cell attributes: '{' is never closed"])
        #expect(described(parse("```nb {title=\"open}\nx\n```\n").diagnostics)
            == ["error 1:8 cell attributes: unterminated quoted value for 'title'"])
        #expect(described(parse("```nb {# x}\nx\n```\n").diagnostics) == ["error 1:8 cell attributes: '#' needs a name"])
        #expect(described(parse("```nb hide\nx\n```\n").diagnostics)
            == ["warning 1:7 cell attributes must be written in braces, e.g. ```nb {#setup hide}"])
        #expect(described(parse("```nb {#a #b}\nx\n```\n").diagnostics) == ["error 1:11 cell attributes: more than one '#id'"])
    }

    @Test func duplicateCellIDs() {
        let notebook = parse("```nb {#a}\n1\n```\n\n```nb {#a}\n2\n```\n")
        #expect(described(notebook.diagnostics) == ["error 5:1 cell id '#a' is used more than once"])
    }

    @Test func unclosedCell() {
        let notebook = parse("```nb\nx = 1\n")
        #expect(codeCells(notebook).map(\.source) == ["x = 1\n"])
        #expect(described(notebook.diagnostics) == ["warning 1:1 code cell fence is never closed"])
    }
}

@Suite struct AnnotationTests {
    @Test func commentBeforeDisplayMath() {
        let text = "<!-- nb: expect-failure; tol = 1e-6\n     nb: bind g = tanh -->\n$$\nx = y\n$$\n"
        let notebook = parse(text)
        #expect(notebook.diagnostics.isEmpty, "\(described(notebook.diagnostics))")
        guard case .html(let html, _) = notebook.blocks[0], case .math(let cell) = notebook.blocks[1] else {
            Issue.record("\(notebook.blocks)")
            return
        }
        #expect(html == "<!-- nb: expect-failure; tol = 1e-6\n     nb: bind g = tanh -->\n")
        #expect(cell.annotations.map(\.text) == ["expect-failure", "tol = 1e-6", "bind g = tanh"])
        #expect(cell.annotations.map { position($0.range.start) } == ["1:10", "1:26", "2:10"])
    }

    @Test func commentBeforeParagraphWithMath() {
        let notebook = parse("<!-- nb: skip -->\n\nWe get $a$ and $b$.\n\nLater $c$.\n")
        #expect(maths(notebook).map { $0.annotations.map(\.text) } == [["skip"], ["skip"], []])
    }

    @Test func danglingAnnotation() {
        let notebook = parse("<!-- nb: skip -->\n\nNo math here.\n")
        #expect(described(notebook.diagnostics) == ["warning 1:10 'nb:' annotation is not followed by math"])
        #expect(described(parse("<!-- ordinary comment -->\n\nText.\n").diagnostics) == [])
    }
}

@Suite struct MarkdownStructureTests {
    @Test func taskList() {
        let notebook = parse("- [ ] todo $x$\n- [x] done\n- plain\n")
        guard case .list(let list) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(list.items.map(\.checked) == [false, true, nil])
        #expect(list.tight)
        #expect(maths(notebook).map(\.tex) == ["x"])
    }

    @Test func orderedListStart() {
        guard case .list(let list) = parse("3. three\n4. four\n").blocks[0] else { Issue.record("no list"); return }
        #expect(list.ordered)
        #expect(list.start == 3)
        #expect(list.items.count == 2)
    }

    @Test func strikethroughAndAutolink() {
        guard case .paragraph(let inlines, _) = parse("~~old~~ see https://example.org\n").blocks[0] else {
            Issue.record("no paragraph")
            return
        }
        #expect(inlines[0] == .strikethrough([.text("old")]))
        #expect(inlines.contains { if case .link(let destination, _, _, _) = $0 { destination == "https://example.org" } else { false } })
    }

    @Test func headingIDsAreDeduplicated() {
        let notebook = parse("# Output layer\n\n## Output layer\n\n## Output layer\n\n### Hidden $h_i$ layers!\n\n# ???\n")
        #expect(notebook.headings.map(\.id) == ["output-layer", "output-layer-1", "output-layer-2", "hidden-h_i-layers", "section"])
        #expect(notebook.headings.map(\.level) == [1, 2, 2, 3, 1])
    }

    @Test func thematicBreakAndQuote() {
        let notebook = parse("a\n\n---\n\n> quoted $q$\n")
        #expect(notebook.blocks.count == 3)
        guard case .thematicBreak(let range) = notebook.blocks[1] else { Issue.record("\(notebook.blocks)"); return }
        #expect(position(range.start) == "3:1")
        #expect(maths(notebook).map(\.tex) == ["q"])
    }
}

@Suite struct LinkTests {
    @Test func wikiLinkForms() {
        let notebook = parse("See [[note]], [[note|the label]], [[other note#Part Two]] and ![[img/nn.png]].\n")
        let links = allInlines(notebook).compactMap { if case .wikiLink(let link) = $0 { link } else { nil } }
        #expect(links.map(\.target) == ["note", "note", "other note", "img/nn.png"])
        #expect(links.map(\.label) == [nil, "the label", nil, nil])
        #expect(links.map(\.heading) == [nil, nil, "Part Two", nil])
        #expect(links.map(\.isEmbed) == [false, false, false, true])
        #expect(links.map { position($0.range.start) } == ["1:5", "1:15", "1:35", "1:63"])
        #expect(links.map(\.linkTarget) == [
            .note(path: "note", anchor: nil), .note(path: "note", anchor: nil),
            .note(path: "other note", anchor: "part-two"), .asset(path: "img/nn.png"),
        ])
    }

    @Test func wikiLinkWithUnderscoresIsNotEmphasis() {
        let notebook = parse("[[my_note_file]] and [[a|b_c_d]]\n")
        let links = allInlines(notebook).compactMap { if case .wikiLink(let link) = $0 { link } else { nil } }
        #expect(links.map(\.target) == ["my_note_file", "a"])
        #expect(links.map(\.label) == [nil, "b_c_d"])
    }

    @Test func missingInPageAnchorsAreWarnings() {
        let notebook = parse("# Intro\n\n[up](#intro), [gone](#nowhere) and [[#Missing Part]].\n")
        #expect(described(notebook.diagnostics) == [
            "warning 3:15 no heading with id 'nowhere' in this note",
            "warning 3:36 no heading with id 'missing-part' in this note",
        ])
    }

    @Test func classification() {
        #expect(LinkTarget("https://example.org/a?b#c") == .external("https://example.org/a?b#c"))
        #expect(LinkTarget("mailto:me@example.org") == .external("mailto:me@example.org"))
        #expect(LinkTarget("//cdn.example.org/x.js") == .external("//cdn.example.org/x.js"))
        #expect(LinkTarget("#output-layer") == .anchor("output-layer"))
        #expect(LinkTarget("talking-to-output-layer") == .note(path: "talking-to-output-layer", anchor: nil))
        #expect(LinkTarget("../notes/my%20note#part") == .note(path: "../notes/my note", anchor: "part"))
        #expect(LinkTarget("other.md#sec") == .markdownFile(path: "other.md", anchor: "sec"))
        #expect(LinkTarget("img/nn.PNG") == .asset(path: "img/nn.PNG"))
        #expect(LinkTarget("data/run.csv") == .asset(path: "data/run.csv"))
        #expect(LinkTarget("v1.2-notes") == .note(path: "v1.2-notes", anchor: nil))
    }
}
