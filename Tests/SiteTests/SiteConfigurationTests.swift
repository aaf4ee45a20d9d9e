import Foundation
import Testing
@testable import Site

@Suite("site.yml")
struct SiteConfigurationTests {
    @Test("every key, read into values")
    func allKeys() {
        let (configuration, problems) = SiteConfiguration.parse("""
            title: Backprop
            baseURL: https://example.org/notes
            navigation:
              - intro.md
              - title: Derivation
                notes: [a.md, b]
            macros:
              \\R: \\mathbb{R}
            trust:
              runCells: true
            limits:
              maxNotes: 10
            exclude: [drafts]
            """, path: "n/site.yml")
        #expect(problems.isEmpty)
        #expect(configuration.title == "Backprop")
        #expect(configuration.baseURL == "https://example.org/notes/")
        #expect(configuration.basePath == "/notes/")
        #expect(configuration.navigation == [.note("intro.md"), .group(title: "Derivation", entries: [.note("a.md"), .note("b")])])
        #expect(configuration.macros == ["\\R": "\\mathbb{R}"])
        #expect(configuration.trust.runCells)
        #expect(!configuration.trust.katex)
        #expect(configuration.limits.maxNotes == 10)
        #expect(configuration.limits.maxNoteBytes == 2_000_000)
        #expect(configuration.exclude == ["drafts"])
    }

    @Test("unknown keys and wrong values are warnings at file:line:col; bad YAML is an error")
    func problems() {
        let (_, problems) = SiteConfiguration.parse("title: T\ncolour: blue\nlimits:\n  maxNotes: many\n", path: "n/site.yml")
        #expect(problems.map(\.description) == [
            "n/site.yml:2:1: warning: unknown key 'colour' in site.yml (known: title, baseURL, navigation, macros, exclude, allow, trust, limits)",
            "n/site.yml:4:13: warning: 'limits.maxNotes' in site.yml should be a positive whole number",
        ])
        let (_, broken) = SiteConfiguration.parse("title: [unclosed\n", path: "n/site.yml")
        #expect(broken.count == 1)
        #expect(broken.first?.severity == .error)
    }

    @Test("an alias bomb or nesting past 64 levels is an error at its place, found quickly")
    func boundedYAML() {
        var bomb = "title: T\na: &a [x, x, x, x, x, x, x, x, x]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        let (_, bombProblems) = SiteConfiguration.parse(bomb, path: "n/site.yml")
        #expect(bombProblems.map(\.description) == ["n/site.yml:7:1: error: site.yml is refused: the aliases here expand to more than 100000 values"])
        let deep = "navigation: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let (configuration, deepProblems) = SiteConfiguration.parse(deep, path: "n/site.yml")
        #expect(deepProblems.map(\.description) == ["n/site.yml:1:77: error: site.yml is refused: a value nests deeper than 64 levels"])
        #expect(configuration.navigation == [])
    }

    @Test("baseURL is http(s)://host/path or a path with one leading /; anything else is an error and not used",
          arguments: ["//evil.example/", "/\\evil.example/", "///evil.example/", "javascript:alert(1)//", "https:/evil.example/",
                      "notes/", "https://user@evil.example/", "/a\"b/"])
    func baseURLCannotNameAnotherHost(_ url: String) {
        let (configuration, problems) = SiteConfiguration.parse("title: T\nbaseURL: '\(url)'\n", path: "n/site.yml")
        #expect(configuration.baseURL == "/")
        #expect(problems.map(\.description) == ["n/site.yml:2:10: error: 'baseURL' in site.yml must be http(s)://host/path or a path starting with one /; it is not used"])
    }

    @Test("baseURL: full URLs and paths are kept", arguments: [
        ("https://example.org/notes", "https://example.org/notes/", "/notes/"), ("/notes/", "/notes/", "/notes/"),
        ("http://localhost:8000", "http://localhost:8000/", "/"),
    ])
    func baseURLs(_ url: String, _ kept: String, _ path: String) {
        let (configuration, problems) = SiteConfiguration.parse("baseURL: \(url)\n", path: "n/site.yml")
        #expect(problems.isEmpty)
        #expect(configuration.baseURL == kept)
        #expect(configuration.basePath == path)
    }

    @Test("limits: every limit by name; unknown names and bad values are warnings at their place")
    func limits() {
        let (configuration, problems) = SiteConfiguration.parse("""
            limits:
              timePerNote: 10s
              maxSumTerms: 500
              maxPageBytes: 1000000
              maxSums: 3
              maxParameters: -1
            """, path: "n/site.yml")
        #expect(configuration.limits.timePerNote == .seconds(10))
        #expect(configuration.limits.maxSumTerms == 500)
        #expect(configuration.limits.maxPageBytes == 1_000_000)
        #expect(configuration.limits.maxParameters == 10_000_000)
        #expect(problems.map(\.description) == [
            "n/site.yml:5:3: warning: unknown key 'limits.maxSums' in site.yml (known: timePerNote, maxDefinitionDepth, maxSumTerms, maxArrayElements, maxParameters, maxMathBytes, maxPageMathBytes, maxMathNesting, maxPageBytes, maxNotes, maxNoteBytes, maxAssetBytes)",
            "n/site.yml:6:18: warning: 'limits.maxParameters' in site.yml should be a positive whole number",
        ])
    }

    @Test("a page past limits.maxPageBytes is cut at a block, with an error there")
    func pageSizeLimit() throws {
        let fixture = try SiteFixture([
            "site.yml": "limits:\n  maxPageBytes: 300\n",
            "a.md": "# A\n\nShort.\n\n" + String(repeating: "Long text. ", count: 60) + "\n",
        ])
        defer { fixture.remove() }
        let report = try fixture.build()
        #expect(report.diagnostics.map(\.description).contains {
            $0.hasSuffix("a.md:5:1: error: the page grows past 300 bytes here; the rest of the note is left out of it (limit maxPageBytes; raise it with --limit maxPageBytes=N or under limits: in site.yml)")
        })
        #expect(!fixture.read("a.html").contains("Long text."))
        #expect(fixture.read("a.html").contains("Short."))
    }

    @Test("macros from site.yml reach KaTeX")
    func macros() throws {
        let fixture = try SiteFixture([
            "site.yml": "macros:\n  \\RR: \\mathbb{R}\n",
            "a.md": "# A\n$$ x \\in \\RR $$\n",
        ])
        defer { fixture.remove() }
        let report = try fixture.build()
        #expect(report.errorCount == 0)
        #expect(fixture.read("a.html").contains("mathbb") || fixture.read("a.html").contains("<span class=\"mord mathbb\">R</span>"))
        #expect(!fixture.read("a.html").contains("math-error"))
    }
}

@Suite("Site parts")
struct SitePartsTests {
    @Test("navigation follows folders: a folder's notes by name, then its subfolders")
    func folderOrder() {
        let navigation = SiteNavigation(notes: ["z.md", "b/x.md", "a.md", "b/c/y.md", "b/w.md"], configuration: SiteConfiguration())
        #expect(navigation.order == ["a.md", "z.md", "b/w.md", "b/x.md", "b/c/y.md"])
        #expect(navigation.neighbours(of: "z.md").previous == "a.md")
        #expect(navigation.neighbours(of: "z.md").next == "b/w.md")
        #expect(navigation.neighbours(of: "b/c/y.md").next == nil)
    }

    @Test("layout: pages beside their folders, tag slugs, reserved paths")
    func layout() {
        let layout = SiteLayout(notes: ["a.md", "index.md"])
        #expect(layout.listingPage == "notes.html")
        #expect(layout.page(for: "x/y.md") == "x/y.html")
        #expect(layout.assetBase(forPage: "x/y.html") == "../_assets/")
        #expect(layout.tagPage(for: "Neural Networks!") == "tags/neural-networks.html")
        #expect(SiteLayout.slug("../..") == "tag")
        #expect(layout.isReserved(page: "tags/x.html"))
        #expect(!layout.isReserved(page: "index.html"))
    }

    @Test("served paths stay inside the site folder")
    func servedPaths() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        let site = fixture.directory + "/site"
        #expect(ServedPath.resolve("/", in: site) == site + "/index.html")
        #expect(ServedPath.resolve("/derivation/hidden-layers.html?x=1", in: site) == site + "/derivation/hidden-layers.html")
        #expect(ServedPath.resolve("/../notes/intro.md", in: site) == nil)
        #expect(ServedPath.resolve("/%2e%2e/notes/intro.md", in: site) == nil)
        #expect(ServedPath.resolve("/.nbrun-site.json", in: site) == nil)
        #expect(ServedPath.resolve("/derivation", in: site) == nil)
        try FileManager.default.createSymbolicLink(atPath: site + "/escape.html", withDestinationPath: fixture.notes + "/intro.md")
        #expect(ServedPath.resolve("/escape.html", in: site) == nil)
    }
}
