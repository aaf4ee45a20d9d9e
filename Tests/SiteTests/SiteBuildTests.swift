import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Site

@Suite("nbrun build: the whole site")
struct SiteBuildTests {
    @Test("writes a page per note, the assets they use, index, tags, 404 and search — and nothing else")
    func fileList() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        let report = try fixture.build()
        #expect(report.pages == 3)
        #expect(report.rendered == 3)
        #expect(fixture.files() == [
            ".nbrun-site.json", ".nojekyll", "404.html",
            "_assets/copy.js", "_assets/diagrams.css", "_assets/katex/katex.min.css", "_assets/nbrun.css", "_assets/search-index.js", "_assets/search.js", "_assets/site.css",
            "derivation/hidden-layers.html", "derivation/output-layer.html", "derivation/plot.png",
            "feed.xml", "index.html", "intro.html", "sitemap.xml", "tags/basics.html", "tags/calculus.html", "tags/index.html",
        ])
    }

    @Test("the build checks every note: the index, tag pages and page headers show ✓ verified, ✗ N failed, – not checked")
    func index() throws {
        var files = sampleNotes
        files["intro.md"]! += "$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n"
        files["derivation/output-layer.md"]! += "$$ (a+b)^2 = a^2 + b^2 $$\n$$ (a-b)^2 = a^2 + b^2 $$\n"
        let fixture = try SiteFixture(files)
        defer { fixture.remove() }
        let report = try fixture.build()
        let index = fixture.read("index.html")
        #expect(index.contains("<title>Backprop notes</title>"))
        #expect(index.contains("<p class=\"summary\">3 notes, 1 verified, 1 failing, 1 not checked.</p>"))
        #expect(index.contains("""
            <tr>
            <td><a href="intro.html">Introduction</a></td>
            <td><a class="tag" href="tags/basics.html">basics</a> </td>
            <td><span class="status status-verified"><span class="mark" aria-hidden="true">✓</span> verified</span></td>
            <td><time datetime="2024-05-01">1 May 2024</time></td>
            </tr>
            """))
        #expect(index.contains("""
            <td><a href="derivation/hidden-layers.html">Hidden layers</a> <span class="folder">derivation</span></td>
            <td></td>
            <td><span class="status status-unchecked"><span class="mark" aria-hidden="true">–</span> not checked</span></td>
            """))
        #expect(index.contains("""
            <td><a href="derivation/output-layer.html">Output layer</a> <span class="folder">derivation</span></td>
            <td><a class="tag" href="tags/basics.html">basics</a> <a class="tag" href="tags/calculus.html">calculus</a> </td>
            <td><span class="status status-failed"><span class="mark" aria-hidden="true">✗</span> 2 failed</span></td>
            """))
        #expect(fixture.read("tags/calculus.html").contains("""
            <li><a href="../derivation/output-layer.html">Output layer</a> <span class="status status-failed"><span class="mark" aria-hidden="true">✗</span> 2 failed</span></li>
            """))
        #expect(fixture.read("intro.html").contains("""
            <p class="status status-verified"><span class="mark" aria-hidden="true">✓</span> verified</p>
            """))
        // The failed steps are errors at their relation sign, as `nbrun check` reports them.
        #expect(report.diagnostics.filter { $0.severity == .error }.map(\.description) == [
            "\(fixture.notes)/derivation/output-layer.md:6:12: error: step does not hold: left 4.333, right 2.171",
            "\(fixture.notes)/derivation/output-layer.md:7:12: error: step does not hold: left 0.008861, right 2.171",
        ])
        // Navigation order: the folder's own notes first, then its folders.
        let intro = try #require(index.range(of: ">Introduction<")).lowerBound
        let hidden = try #require(index.range(of: "<td><a href=\"derivation/hidden-layers.html\">")).lowerBound
        #expect(intro < hidden)
    }

    @Test("statuses come back with unchanged pages: a rebuild, and a fresh folder filled from the cache, show the same")
    func statusesAreKept() throws {
        var files = sampleNotes
        files["intro.md"]! += "$$ (a+b)^2 = a^2 + b^2 $$\n"
        let fixture = try SiteFixture(files)
        defer { fixture.remove() }
        _ = try fixture.build()
        let first = fixture.read("index.html")
        #expect(first.contains("<span class=\"mark\" aria-hidden=\"true\">✗</span> 1 failed"))
        try fixture.write("derivation/hidden-layers.md", "# Hidden layers\nChanged.\n")
        let again = try fixture.build()
        #expect(again.rendered == 1)
        #expect(again.errorCount == 1)
        #expect(fixture.read("index.html") == first)
        let fresh = try fixture.build(output: "fresh")
        #expect(fresh.rendered == 0)
        #expect(fixture.read("index.html", output: "fresh") == first)
    }

    @Test("a note page has the header, the sidebar with the current note, and previous/next")
    func notePage() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let page = fixture.read("derivation/hidden-layers.html")
        #expect(page.contains("<title>Hidden layers · Backprop notes</title>"))
        #expect(page.contains("<link rel=\"stylesheet\" href=\"../_assets/site.css\">"))
        #expect(page.contains("<a class=\"site-title\" href=\"../index.html\">Backprop notes</a>"))
        #expect(page.contains("data-index=\"../_assets/search-index.js\" data-root=\"../\""))
        #expect(page.contains("<li class=\"current\"><a href=\"../derivation/hidden-layers.html\" aria-current=\"page\">Hidden layers</a></li>"))
        #expect(page.contains("<li><a href=\"../intro.html\">Introduction</a></li>"))
        #expect(page.contains("<a class=\"previous\" rel=\"prev\" href=\"../intro.html\"><span>Previous</span> Introduction</a>"))
        #expect(page.contains("<a class=\"next\" rel=\"next\" href=\"../derivation/output-layer.html\"><span>Next</span> Output layer</a>"))
        #expect(page.contains("<img src=\"plot.png\" alt=\"plot\" loading=\"lazy\">"))
        #expect(page.contains("<script src=\"../_assets/search.js\" defer></script>"))
    }

    @Test("links between notes resolve; broken ones are listed with file:line:col and fail under --strict")
    func brokenLinks() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        let report = try fixture.build()
        let intro = fixture.read("intro.html")
        #expect(intro.contains("<a class=\"wikilink\" href=\"derivation/hidden-layers.html\">hidden-layers</a>"))
        #expect(intro.contains("<a href=\"derivation/output-layer.html\">the output</a>"))
        #expect(report.brokenLinks.map(\.description) == [
            "\(fixture.notes)/derivation/output-layer.md:5:40: warning: broken link: 'nowhere' is not a note or file in the notes folder",
        ])
        #expect(report.errorCount == 0)
        // The renderer's own warning about the same link is not repeated.
        #expect(report.diagnostics.map(\.description) == report.brokenLinks.map(\.description))

        let strict = try fixture.build(output: "strict", strict: true)
        #expect(strict.errorCount == 1)
        #expect(strict.brokenLinks.first?.severity == .error)
    }

    @Test("site.yml's navigation sets the order; unlisted notes follow in folder order")
    func navigationOrder() throws {
        var files = sampleNotes
        files["site.yml"] = "title: T\nnavigation:\n  - title: Derivation\n    notes: [derivation/output-layer.md, derivation/hidden-layers]\n  - intro.md\n  - missing.md\n"
        let fixture = try SiteFixture(files)
        defer { fixture.remove() }
        let report = try fixture.build()
        let page = fixture.read("intro.html")
        #expect(page.contains("<a class=\"previous\" rel=\"prev\" href=\"derivation/hidden-layers.html\"><span>Previous</span> Hidden layers</a>"))
        #expect(!page.contains("rel=\"next\""))
        #expect(page.contains("<li class=\"group\"><a class=\"group-title\" href=\"derivation/output-layer.html\">Derivation</a></li>"))
        #expect(report.diagnostics.contains { $0.id == "site.unknown-navigation-entry" && $0.message.contains("'missing.md'") })
    }

    @Test("the search index holds titles, headings and prose words")
    func searchIndex() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let script = fixture.read("_assets/search-index.js")
        #expect(script.hasPrefix("window.nbrunSearchIndex = {") && script.hasSuffix("};\n"))
        let data = Data(script.dropFirst("window.nbrunSearchIndex = ".count).dropLast(2).utf8)
        let index = try JSONDecoder().decode(DecodedIndex.self, from: data)
        #expect(index.docs == [
            ["Introduction", "intro.html", ""],
            ["Hidden layers", "derivation/hidden-layers.html", "Chain rule"],
            ["Output layer", "derivation/output-layer.html", ""],
        ])
        #expect(index.terms["softmax"] == [2])
        #expect(index.terms["chain"] == [1])
        #expect(index.terms["gradients"] == [0])
        #expect(index.terms["the"] == nil)
        // A tag is searched like a word: intro.md and output-layer.md are tagged "basics", and no note says it.
        #expect(index.terms["basics"] == [0, 2])
    }

    @Test("tag pages list their notes; the tag list counts them")
    func tags() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let basics = fixture.read("tags/basics.html")
        #expect(basics.contains("<h1>Tagged “basics”</h1>"))
        let unchecked = "<span class=\"status status-unchecked\"><span class=\"mark\" aria-hidden=\"true\">–</span> not checked</span>"
        #expect(basics.contains("""
            <li><a href="../intro.html">Introduction</a> \(unchecked) <time datetime="2024-05-01">1 May 2024</time></li>
            <li><a href="../derivation/output-layer.html">Output layer</a> \(unchecked)</li>
            """))
        let list = fixture.read("tags/index.html")
        #expect(list.contains("<li><a class=\"tag\" href=\"../tags/basics.html\">basics</a> <span class=\"count\">2</span></li>"))
        #expect(list.contains("<li><a class=\"tag\" href=\"../tags/calculus.html\">calculus</a> <span class=\"count\">1</span></li>"))
    }

    @Test("the 404 page links from the base URL's path, so it works at any depth")
    func notFound() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let page = fixture.read("404.html")
        #expect(page.contains("<link rel=\"stylesheet\" href=\"/notes/_assets/site.css\">"))
        #expect(page.contains("<a href=\"/notes/index.html\">the list of notes</a>"))
    }

    @Test("a project's site/ folder overrides one template and keeps the rest")
    func themeOverride() throws {
        var files = sampleNotes
        files["site/templates/404.mustache"] = "<p>Lost in {{siteTitle}}</p>\n"
        let fixture = try SiteFixture(files)
        defer { fixture.remove() }
        _ = try fixture.build()
        #expect(fixture.read("404.html") == "<p>Lost in Backprop notes</p>\n")
        #expect(fixture.read("index.html").contains("<h1>Backprop notes</h1>"))
        #expect(!fixture.files().contains { $0.hasPrefix("site/") })
    }

    @Test("\\eqref to an equation of another note links to it, with its number")
    func crossPageReference() throws {
        let fixture = try SiteFixture([
            "a.md": "# A\n$$ y = x^2 \\label{square} $$\n",
            "b.md": "# B\nBy \\eqref{square} we are done; \\eqref{nothing} is not defined.\n",
        ])
        defer { fixture.remove() }
        let report = try fixture.build()
        let page = fixture.read("b.html")
        #expect(page.contains("By <a class=\"eqref\" href=\"a.html#eq-square\">(1)</a> we are done; <span class=\"broken-ref\">(??)</span> is not defined."))
        #expect(report.diagnostics.map(\.description) == [
            "\(fixture.notes)/b.md:2:32: warning: broken link: no note has an equation labelled 'nothing'",
        ])
        #expect(fixture.read("a.html").contains("<span id=\"eq-square\" class=\"eq-anchor\"></span>"))
    }
}

struct DecodedIndex: Decodable {
    var docs: [[String]]
    var terms: [String: [Int]]
}

@Test("the search index's hand-written JSON reads back as written, quotes, backslashes and control characters included")
func searchIndexJSON() throws {
    var index = SearchIndex(entries: [])
    index.docs = [["Say \"hi\" \\ there\u{1}", "a b/é.html", "One\nTwo"]]
    index.terms = ["zeta": [0], "alpha": [0, 2], "ünïcode": [1]]
    let json = index.json()
    #expect(String(decoding: json, as: UTF8.self) == #"{"docs":[["Say \"hi\" \\ there\u0001","a b/é.html","One\nTwo"]],"terms":{"alpha":[0,2],"zeta":[0],"ünïcode":[1]}}"#)
    let decoded = try JSONDecoder().decode(DecodedIndex.self, from: json)
    #expect(decoded.docs == index.docs)
    #expect(decoded.terms == index.terms)
}

@Test("a summary's binary form reads back equal; cut or altered bytes read as nothing, never a crash")
func summaryBinaryForm() throws {
    let text = "---\ntitle: Ünïcode \"notes\"\ntags: [a, b]\ndate: 2024-05-01\n---\n# Top\n## Part two\nSee [[other#Part]] and [x](y.md), ![p](p.png).\nBy \\eqref{square}.\n$$ y = x^2 \\label{square} $$\n"
    let notebook = TestNoteReader.parse(SourceFile(path: "n.md", bytes: Array(text.utf8)))
    var summary = NoteSummary(notebook, relativePath: "folder/n.md")
    summary.diagnostics = [.warning("odd", at: SourceRange(at: SourceLocation(file: "n.md", line: 2, column: 3, offset: 9)), notes: ["a note"])]
    #expect(!summary.references.isEmpty && !summary.equationReferences.isEmpty && !summary.equationTargets.isEmpty && !summary.words.isEmpty)
    let bytes = summary.binary
    #expect(NoteSummary(binary: bytes) == summary)
    for cut in [0, 5, bytes.count / 2, bytes.count - 1] {
        #expect(NoteSummary(binary: Array(bytes.prefix(cut))) == nil)
    }
    var altered = bytes
    altered[NoteSummary.binaryTag.count] = 0xFF
    _ = NoteSummary(binary: altered)
    #expect(NoteSummary(binary: bytes + [0]) == nil)
}

/// Every diagnostic a site build reports carries a code (docs/diagnostics.md), so that
/// `allow:` can silence it and tests can name it.
@Test func everyDiagnosticOfABadSiteHasACode() throws {
    let fixture = try SiteFixture([
        "site.yml": "title: T\ncolour: red\nnavigation: [missing.md]\n",
        "a.md": "---\ntitle: [unclosed\n---\n# A\n\nSee [b](gone.md), ![p](nothing.png), ![[Nowhere]] and \\eqref{nolabel}.\n\n$$ \\sq x $$\n",
        "b.md": "# B\n\n<!-- nb: skp -->\n$$ 1 + 1 = 3 $$\n\n$$ x = 1\n",
    ])
    defer { fixture.remove() }
    var options = fixture.options()
    options.parse = { Notebook(parsing: $0) }
    let report = try fixture.build(options)
    #expect(report.diagnostics.filter { $0.id == nil }.map(\.message) == [])
    #expect(Set(report.diagnostics.compactMap(\.id)) == [
        "notebook.invalid-front-matter", "notebook.unknown-label", "notebook.unterminated-math", "render.katex-error",
        "site.broken-link", "site.unknown-key", "site.unknown-label", "site.unknown-navigation-entry",
        "verify.step-does-not-hold", "verify.unknown-directive",
    ])
}
