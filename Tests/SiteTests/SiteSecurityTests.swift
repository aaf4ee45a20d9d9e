import Foundation
import Notebook
import Render
import TestSupport
import Testing
@testable import Site

/// A site built from hostile notes: no script from a note runs on any page,
/// and nothing outside the notes folder is read, linked or copied — each
/// attempt is a diagnostic at the place that makes it.
@Suite("Site security: XSS and path traversal", .serialized)
struct SiteSecurityTests {
    @Test("hostile titles, tags and file names reach no page as markup")
    func hostileMetadata() throws {
        let fixture = try SiteFixture([
            "a.md": "---\ntitle: \"</title><script>alert(1)</script>\"\ntags: [\"</a><script>alert(2)</script>\", \"x\\\" onmouseover=\\\"alert(3)\"]\n---\nText.\n",
            "b\"<img src=x onerror=alert(4)>.md": "# \"><svg onload=alert(5)>\n\n[[a]]\n",
            "javascript:alert(6).md": "# J\n\nText.\n",
            "c.md": "# C\n\n[[javascript:alert(6)]] and [[b\"<img src=x onerror=alert(4)>]]\n",
        ])
        defer { fixture.remove() }
        _ = try fixture.build()
        let pages = fixture.files().filter { $0.hasSuffix(".html") }
        #expect(pages.count >= 6)
        for page in pages {
            #expect(Self.problems(in: fixture.read(page)) == [], "\(page)")
        }
        // The search index is JSON read with textContent; its URLs must not be scheme-like either.
        let search = fixture.read("_assets/search-index.js")
        #expect(!search.contains("\"javascript:"))
    }

    @Test("a project that trusts its notes keeps their raw HTML and KaTeX's \\href; by default neither passes")
    func trustIsTheSitesToGive() throws {
        let note = "# T\n\n<div class=\"callout\" onclick=\"go()\">Note</div>\n\n$\\href{https://example.org}{x}$\n"
        // The real Markdown reader: raw HTML and inline math are what this is about.
        func build(_ fixture: SiteFixture) throws {
            var options = fixture.options(cache: false)
            options.parse = { Notebook(parsing: $0) }
            _ = try fixture.build(options)
        }
        let untrusted = try SiteFixture(["t.md": note])
        defer { untrusted.remove() }
        try build(untrusted)
        let plain = untrusted.read("t.html")
        #expect(plain.contains("<div class=\"raw-html\">&lt;div class=&quot;callout&quot; onclick=&quot;go()&quot;&gt;Note</div>"))
        #expect(!plain.contains("href=\"https://example.org\""))

        let trusted = try SiteFixture(["t.md": note, "site.yml": "trust:\n  html: true\n  katex: true\n"])
        defer { trusted.remove() }
        try build(trusted)
        let page = trusted.read("t.html")
        #expect(page.contains("<div class=\"raw-html\"><div class=\"callout\" onclick=\"go()\">Note</div>\n</div>"))
        #expect(page.contains("<a href=\"https://example.org\">"))
    }

    /// Problems on a site page, the theme's own search box and script aside.
    static func problems(in html: String) -> [String] {
        let themeForm = html.contains("<form class=\"search\" role=\"search\"") ? ["<form>", "onsubmit= on <form>"] : []
        let problems = ScriptFreeHTML.problems(in: html, allowedScripts: ["_assets/search.js", "../_assets/search.js", "/_assets/search.js"])
        return problems.filter { !themeForm.contains($0) }
    }

    /// A notes folder with a secret beside it, and links of every kind that try to reach it.
    static func traversalFixture() throws -> (SiteFixture, secret: String) {
        let fixture = try SiteFixture([
            "index.md": """
                # Index

                ![[../outside/secret.png]]

                ![up](../outside/secret.png)

                ![abs](/etc/passwd)

                [note](../outside/secret.md)

                [encoded](%2e%2e/outside/secret.md)

                [encoded slash](..%2foutside%2fsecret.md)

                ![file](file:///etc/passwd)

                ![link](leak.png)

                ![dir](linked/secret.png)

                [[linked/secret]]

                """,
            "site/assets/extra.css": "body {}\n",
        ])
        let outside = fixture.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let secret = "SECRET-\(UUID().uuidString)"
        for name in ["secret.png", "secret.md", "theme.css"] {
            try Data(secret.utf8).write(to: URL(fileURLWithPath: outside + "/" + name))
        }
        try FileManager.default.createSymbolicLink(atPath: fixture.notes + "/leak.png", withDestinationPath: outside + "/secret.png")
        try FileManager.default.createSymbolicLink(atPath: fixture.notes + "/linked", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: fixture.notes + "/site/assets/stolen.css", withDestinationPath: outside + "/theme.css")
        return (fixture, secret)
    }

    @Test("embeds, links, symlinks (file and folder), encoded ../ and theme assets never reach outside the folder")
    func pathTraversal() throws {
        let (fixture, secret) = try Self.traversalFixture()
        defer { fixture.remove() }
        let report = try fixture.build()
        for file in fixture.files() {
            #expect(!fixture.read(file).contains(secret), "\(file) holds a file from outside the notes folder")
        }
        #expect(!fixture.files().contains { $0.contains("secret") || $0.contains("stolen") || $0.contains("leak") })
        let lines = Set(report.diagnostics.filter { $0.range.start.file.hasSuffix("index.md") }.map(\.range.start.line))
        // Every line that tries to leave the folder has its own diagnostic (file:// is external and is not linked).
        #expect(lines.isSuperset(of: [3, 5, 7, 9, 11, 13, 17, 19, 21]), "\(report.diagnostics.map(\.description))")
        #expect(report.diagnostics.map(\.description).contains(
            fixture.notes + "/site/assets/stolen.css:1:1: warning: this theme file leads outside the notes folder (a symbolic link); it is not used"))
        let page = fixture.read("index.html")
        // The targets show as text on the page; none is a link or an image.
        for tag in ScriptFreeHTML.tags(in: page) {
            for (name, value) in tag.attributes where name == "href" || name == "src" {
                #expect(!value.contains("outside") && !value.contains("passwd") && !value.contains("secret"), "\(name)=\(value)")
            }
        }
        #expect(!page.contains("file:///etc/passwd\""))
        #expect(Self.problems(in: page) == [])
    }

    @Test("a note's file never takes the place of the site's own script, stylesheet or search index",
          arguments: ["_assets/search.js", "_assets/site.css", "_assets/search-index.json"])
    func reservedOutputNames(_ name: String) throws {
        let fixture = try SiteFixture(["a.md": "# A\n\n[x](\(name))\n", name: "alert(document.domain)\n"])
        defer { fixture.remove() }
        // Twice: the second build once found the note's file already in place and kept it.
        for _ in 0..<2 {
            let report = try fixture.build()
            #expect(report.diagnostics.filter { $0.severity == .error }.map(\.description) == [
                fixture.notes + "/a.md:3:1: error: this file would be published as \(name), which the site itself uses; it is not copied (rename it)",
            ])
            #expect(!fixture.read(name).contains("alert(document.domain)"))
        }
        let theme = try String(contentsOfFile: SiteFixture.themeDirectory + "/assets/search.js", encoding: .utf8)
        #expect(fixture.read("_assets/search.js") == theme)
    }

    @Test("a note over maxNoteBytes is left out by its size on disk, before it is read")
    func noteSizeBeforeReading() throws {
        let fixture = try SiteFixture(["a.md": "# A\n", "huge.md": ""])
        defer { fixture.remove() }
        let handle = try #require(FileHandle(forWritingAtPath: fixture.notes + "/huge.md"))
        try handle.truncate(atOffset: 3_000_000_000)  // sparse: reading it would take 3 GB
        try handle.close()
        let start = ContinuousClock.now
        let report = try fixture.build(cache: false)
        #expect(report.diagnostics.map(\.description).contains(fixture.notes + "/huge.md:1:1: error: this note has 3000000000 bytes, more than 2000000; "
                                                                 + "it is left out (limit maxNoteBytes; raise it with --limit maxNoteBytes=N or under limits: in site.yml)"))
        #expect(report.pages == 1)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("tags whose slugs agree (c, C, c#, C++) or name the tag list (index) each get their own page")
    func tagPagesNeverCollide() throws {
        let tags = ["c", "C", "c#", "C++", "index"]
        var files: [String: String] = [:]
        for (number, tag) in tags.enumerated() { files["n\(number).md"] = "---\ntitle: N\(number)\ntags: [\(tag)]\n---\nText.\n" }
        let fixture = try SiteFixture(files)
        defer { fixture.remove() }
        let report = try fixture.build()
        #expect(report.errorCount == 0, "\(report.diagnostics.map(\.description))")
        let layout = SiteLayout(notes: [])
        let pages = layout.tagPages(for: tags)
        #expect(Set(pages.values).count == tags.count)
        #expect(pages["c"] == "tags/c.html")
        #expect(pages["index"] == "tags/index-" + ContentHash.hex(of: "index").prefix(12) + ".html")
        for (number, tag) in tags.enumerated() {
            let page = try #require(pages[tag])
            let html = fixture.read(page)
            let listed = html.components(separatedBy: "<ul class=\"tagged\">").last?.components(separatedBy: "</ul>").first ?? ""
            #expect(listed == "\n<li><a href=\"../n\(number).html\">N\(number)</a> <span class=\"status status-unchecked\">"
                    + "<span class=\"mark\" aria-hidden=\"true\">–</span> not checked</span></li>\n", "\(page) lists its note once, and only it")
        }
        #expect(fixture.read("tags/index.html").contains("<span class=\"count\">1</span>"))
        #expect(fixture.read("tags/index.html").components(separatedBy: "class=\"tag\"").count == tags.count + 1)
    }

    @Test("site.yml's warnings are at their line and column; a NUL from a YAML escape never reaches a page")
    func configurationPlacesAndNUL() throws {
        let fixture = try SiteFixture([
            "site.yml": "title: \"Site\\u0000name\"\nnavigation:\n  - a.md\n  - missing.md\n",
            "a.md": "# A\n\nText.\n",
        ])
        defer { fixture.remove() }
        let report = try fixture.build()
        let configuration = fixture.notes + "/site.yml"
        #expect(report.diagnostics.map(\.description).contains(configuration + ":4:5: warning: navigation names 'missing.md', which is not a note in " + fixture.notes))
        #expect(report.diagnostics.map(\.description).contains(configuration + ":1:8: warning: 'title' in site.yml holds a NUL character; it is shown as \u{FFFD}"))
        for file in fixture.files() { #expect(!fixture.read(file).contains("\u{0}"), "\(file)") }
        #expect(fixture.read("a.html").contains("Site\u{FFFD}name"))
    }
}
