import Foundation
import Notebook
import Testing
@testable import Site

/// The test Obsidian vault of Tests/Dialects/vault built as a site.
@Suite struct VaultSiteTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Dialects/vault").path

    private func build() throws -> (SiteFixture, SiteBuildReport) {
        let fixture = try SiteFixture([:])
        try FileManager.default.removeItem(atPath: fixture.notes)
        try FileManager.default.copyItem(atPath: Self.source, toPath: fixture.notes)
        var options = fixture.options()
        options.parse = { Notebook(parsing: $0) }
        return (fixture, try fixture.build(options))
    }

    @Test func aWikiLinkMayNameANoteByItsAlias() throws {
        let (fixture, report) = try build()
        defer { fixture.remove() }
        #expect(fixture.read("Vault home.html").contains(#"Start with <a class="wikilink" href="Squares.html">square slopes</a>"#))
        #expect(report.brokenLinks.isEmpty)
    }

    @Test func inlineTagsAreTags() throws {
        let (fixture, _) = try build()
        defer { fixture.remove() }
        #expect(fixture.files().contains("tags/obsidian.html"))
        #expect(fixture.read("tags/calculus.html").contains(#"<a href="../Vault%20home.html">Vault home</a>"#))
        #expect(!fixture.files().contains("tags/12.html"))
        #expect(fixture.read("Vault home.html").contains(#"<ul class="tags" aria-label="Tags"><li class="note-tag">calculus</li><li class="note-tag">obsidian</li></ul>"#))
    }

    @Test func theVaultsPrivateTextIsNowhereInTheSite() throws {
        let (fixture, _) = try build()
        defer { fixture.remove() }
        for file in fixture.files() where file.hasSuffix(".html") || file.hasSuffix(".json") {
            let text = fixture.read(file)
            for secret in ["Ask Sam", "grant deadline", "reviewer", "Half an idea", "Unfinished thoughts"] {
                #expect(!text.contains(secret), "\(secret) in \(file)")
            }
        }
    }
}

extension VaultSiteTests {
    @Test func anEmbeddedSectionIsShownInPlaceWithItsMathUnmarked() throws {
        let (fixture, _) = try build()
        defer { fixture.remove() }
        let home = fixture.read("Vault home.html")
        let embed = try #require(home.components(separatedBy: "<section class=\"embed\" aria-label=\"The rule\">\n").dropFirst().first?
            .components(separatedBy: "</section>").first)
        #expect(embed.hasPrefix(#"<p class="embed-source"><a class="wikilink" href="Chain%20rule.html#the-rule">The rule</a></p>"# + "\n"
            + #"<h2 id="the-rule">The rule"#))
        #expect(embed.contains("<p>A composition’s slope is a product of slopes:</p>") || embed.contains("<p>A composition&#39;s slope is a product of slopes:</p>"))
        #expect(embed.contains(#"<div class="math display" data-line="9"><span class="katex-display">"#))
        #expect(!embed.contains("Afterwards") && !embed.contains("nobody embeds"))
        // Checked once, in its own note.
        #expect(!embed.contains("nb-step"))
        #expect(fixture.read("Chain rule.html").contains(#"<li class="nb-step" data-status="verified" data-line="10""#))
    }
}

extension VaultSiteTests {
    @Test func aPageFollowsTheNoteItEmbeds() throws {
        let (fixture, _) = try build()
        defer { fixture.remove() }
        let path = fixture.notes + "/Chain rule.md"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "a product of slopes", with: "the product of the slopes").utf8).write(to: URL(fileURLWithPath: path))
        var options = fixture.options()
        options.parse = { Notebook(parsing: $0) }
        options.stampTrustDelay = 0
        _ = try fixture.build(options)
        #expect(fixture.read("Vault home.html").contains("the product of the slopes"))
    }
}

/// The embeds of a page are found with `NotebookWalker`, so an embed in a callout, a quote
/// or a list is shown in place like one at the top level (it was a bare link).
@Suite struct NestedEmbedTests {
    @Test(arguments: [
        ("> [!note] See\n> ![[Other]]\n", "callout"),
        ("> ![[Other]]\n", "quote"),
        ("- first\n- ![[Other]]\n", "tight list"),
    ])
    func anEmbedInAContainerIsShownInPlace(_ body: String, _ container: String) throws {
        let fixture = try SiteFixture(["Home.md": "# Home\n\n" + body, "Other.md": "# Other\n\nThe embedded sentence.\n"])
        defer { fixture.remove() }
        var options = fixture.options()
        options.parse = { Notebook(parsing: $0) }
        _ = try fixture.build(options)
        let home = fixture.read("Home.html")
        #expect(home.contains("<section class=\"embed\" aria-label=\"Other\">\n<p class=\"embed-source\"><a class=\"wikilink\" href=\"Other.html\">Other</a></p>\n"),
                "\(container): \(home)")
        #expect(home.contains("<p>The embedded sentence.</p>"), "\(container)")
    }
}
