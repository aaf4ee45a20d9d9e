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
