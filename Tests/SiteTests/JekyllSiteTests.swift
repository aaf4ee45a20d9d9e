import Foundation
import Notebook
import Render
import Testing
@testable import Site

/// The test Jekyll site of Tests/Dialects/jekyll built as GitHub Pages would publish it.
@Suite(.serialized) struct JekyllSiteTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Dialects/jekyll").path

    /// A copy of the test site (builds never touch the repository), built with the real reader.
    private func build(drafts: Bool = false) throws -> (SiteFixture, SiteBuildReport) {
        let fixture = try SiteFixture([:])
        try FileManager.default.removeItem(atPath: fixture.notes)
        try FileManager.default.copyItem(atPath: Self.source, toPath: fixture.notes)
        var options = fixture.options()
        options.parse = { Notebook(parsing: $0) }
        options.includeDrafts = drafts
        return (fixture, try fixture.build(options))
    }

    @Test func draftsAndUnpublishedPostsAreLeftOut() throws {
        let (fixture, report) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let pages = fixture.files().filter { $0.hasSuffix(".html") && !$0.hasPrefix("tags/") }
        #expect(pages == ["404.html", "_posts/2024-06-10-first-steps.html", "_posts/2024-07-02-cubes.html", "about.html", "index.html", "notes.html"])
        #expect(!fixture.files().contains("notes.markdown"))
        let index = fixture.read("index.html")
        let search = fixture.read("_assets/search-index.js")
        for secret in ["Outline not yet", "Quartics", "quartics", "outline"] {
            #expect(!index.contains(secret) && !search.contains(secret), "\(secret) published")
        }
        #expect(report.pages == 4)
        // A link to a draft leads nowhere (the draft's name is not even in the page's links).
        #expect(fixture.read("about.html").contains(#"One <a class="broken-link">on fourth powers</a>"#))
        #expect(report.brokenLinks.map(\.id) == ["site.broken-link"])
        #expect(report.brokenLinks.map(\.message) == [SiteMessages.brokenLink("_drafts/quartics", outside: false).text])
    }

    @Test func draftsArePublishedWithTheFlag() throws {
        let (fixture, report) = try build(drafts: true)
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        #expect(fixture.files().contains("_drafts/quartics.html"))
        #expect(fixture.files().contains("_posts/2024-05-20-private-outline.html"))
        #expect(report.pages == 6)
        #expect(fixture.read("about.html").contains(#"One <a href="_drafts/quartics.html">on fourth powers</a>"#))
    }

    @Test func githubPagesPublishesTheAssetsFolder() throws {
        let (fixture, _) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        #expect(fixture.files().contains(".nojekyll"))
        #expect(fixture.read(".nojekyll") == "")
    }

    @Test func postsAreListedNewestFirstWithReadableDatesAndCategoriesAsTags() throws {
        let (fixture, _) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let index = fixture.read("index.html")
        let rows = index.components(separatedBy: "<tr>").dropFirst(2).map { $0.components(separatedBy: "</tr>")[0] }
        #expect(rows.count == 4)
        #expect(rows.first?.contains(#"<a href="_posts/2024-07-02-cubes.html">Cubes</a>"#) == true)
        #expect(rows.first?.contains(#"<td><time datetime="2024-07-02T09:30:00">2 July 2024</time></td>"#) == true)
        // The date comes from the file name when the front matter has none.
        #expect(rows.dropFirst().first?.contains(#"<td><time datetime="2024-06-10">10 June 2024</time></td>"#) == true)
        #expect(rows.dropFirst().first?.contains(#"<a class="tag" href="tags/calculus.html">calculus</a> <a class="tag" href="tags/notes.html">notes</a>"#) == true)
        #expect(rows.dropFirst(2).first?.contains("About this blog") == true)
        #expect(rows.last?.contains(#"<a href="notes.html">A note with the longer extension</a>"#) == true)
        let tag = fixture.read("tags/calculus.html")
        let cubes = try #require(tag.range(of: "Cubes"))
        let first = try #require(tag.range(of: "First steps with slopes"))
        #expect(cubes.lowerBound < first.lowerBound)
        let post = fixture.read("_posts/2024-06-10-first-steps.html")
        #expect(post.contains(#"<p class="date"><time datetime="2024-06-10">10 June 2024</time></p>"#))
    }

    @Test func liquidIsResolvedOrDroppedNeverShown() throws {
        let (fixture, report) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let post = fixture.read("_posts/2024-06-10-first-steps.html")
        #expect(post.contains(#"<p>The next post, <a href="2024-07-02-cubes.html">on cubes</a>, goes one power up."#
            + "\n" + #"Back to <a href="../about.html">the about page</a>.</p>"#))
        // `{% highlight python %}` is a python block, highlighted at build time.
        #expect(post.contains(#"<pre><code class="language-python hljs"><span class="hljs-function"><span class="hljs-keyword">def</span> <span class="hljs-title">slope</span><span class="hljs-params">(x)</span>:</span>"#
            + "\n" + #"    <span class="hljs-keyword">return</span> <span class="hljs-number">2</span> * x"# + "\n</code></pre>"))
        for page in fixture.files() where page.hasSuffix(".html") {
            let html = fixture.read(page)
            #expect(!html.contains("{%") && !html.contains("site.baseurl"), "\(page) shows Liquid")
        }
        #expect(fixture.read("_posts/2024-07-02-cubes.html").contains("Liquid shown as text: {{ page.title }}."))
        let warnings = report.diagnostics.filter { $0.id?.domain == "notebook" && $0.id?.code.contains("liquid") == true }.map { "\($0.range.start.line):\($0.range.start.column)" }
        #expect(warnings == ["21:1"])
    }

    @Test func readmeHTMLRendersAndItsImageIsPublished() throws {
        let (fixture, _) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let about = fixture.read("about.html")
        #expect(about.contains("<div class=\"raw-html\"><p align=\"center\">\n  <img src=\"badge.png\" alt=\"A blue badge\" width=\"48\">\n</p>\n</div>"))
        // The details hold the Markdown between their HTML blocks.
        #expect(about.contains("<details>\n<summary>How the checks work</summary>\n"
            + "<p>Press <kbd>Ctrl</kbd>+<kbd>R</kbd> to rebuild; H<sub>2</sub>O is not math.</p>\n</details>\n"))
        #expect(fixture.files().contains("badge.png"))
    }

    @Test func anAtomFeedOfThePostsAndASitemap() throws {
        let (fixture, _) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        #expect(fixture.read("feed.xml") == """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>Slopes, checked</title>
            <id>https://example.org/blog/</id>
            <link href="https://example.org/blog/"/>
            <link rel="self" href="https://example.org/blog/feed.xml"/>
            <updated>2024-07-02T09:30:00Z</updated>
            <entry><title>Cubes</title><id>https://example.org/blog/_posts/2024-07-02-cubes.html</id><link href="https://example.org/blog/_posts/2024-07-02-cubes.html"/><updated>2024-07-02T09:30:00Z</updated><author><name>Slopes, checked</name></author><category term="calculus"/></entry>
            <entry><title>First steps with slopes</title><id>https://example.org/blog/_posts/2024-06-10-first-steps.html</id><link href="https://example.org/blog/_posts/2024-06-10-first-steps.html"/><updated>2024-06-10T00:00:00Z</updated><author><name>Slopes, checked</name></author><category term="calculus"/><category term="notes"/></entry>
            </feed>

            """)
        let sitemap = fixture.read("sitemap.xml")
        #expect(sitemap.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            + "<url><loc>https://example.org/blog/_posts/2024-06-10-first-steps.html</loc><lastmod>2024-06-10</lastmod></url>\n"))
        #expect(sitemap.contains("<url><loc>https://example.org/blog/about.html</loc></url>\n"))
        #expect(sitemap.contains("<url><loc>https://example.org/blog/tags/calculus.html</loc></url>\n"))
        #expect(!sitemap.contains("quartics") && !sitemap.contains("outline"))
    }

    @Test func githubMathInAPostIsTypesetAndChecked() throws {
        let (fixture, _) = try build()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let post = fixture.read("_posts/2024-06-10-first-steps.html")
        #expect(post.contains(#"<div class="math display" data-line="9"><span class="katex-display">"#))
        #expect(post.contains(#"<li class="nb-step" data-status="verified" data-line="10""#))
        #expect(fixture.read("_posts/2024-07-02-cubes.html").contains(#"<span class="math inline" data-line="7"><span class="katex">"#))
    }
}

@Suite struct NoteDateTests {
    @Test(arguments: [("2024-06-10", "2024-06-10", "10 June 2024"),
                      ("2024-06-10 09:00:00 +0200", "2024-06-10T09:00:00", "10 June 2024"),
                      ("2023-12-01T18:30", "2023-12-01T18:30:00", "1 December 2023")])
    func readableDates(_ written: String, _ iso: String, _ readable: String) throws {
        let date = try #require(NoteDate(written))
        #expect(date.iso == iso)
        #expect(date.readable == readable)
    }

    @Test func datesFromPostNames() {
        #expect(NoteDate(fileName: "_posts/2024-06-10-first-steps.md")?.readable == "10 June 2024")
        #expect(NoteDate(fileName: "notes/2024-06-10.md") == nil)
        #expect(NoteDate("June 2024") == nil)
        #expect(NoteDate("2024-13-01") == nil)
    }
}
