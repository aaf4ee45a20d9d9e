import Diagnostics
import Foundation
import Notebook
import Testing
import Verify
@testable import Site

/// A note's check is kept in the site cache apart from its page: a theme change renders
/// every page again with the checker's report of the unchanged note, not a new check.
@Suite struct ReportCacheTests {
    static let notes = [
        "a.md": "# A\n\n$$ y = 2 x $$\n\n$$ \\frac{\\partial y}{\\partial x} = 2 $$\n",
        "b.md": "# B\n\n$$ 1 + 1 = 2 $$\n",
    ]

    @Test func aThemeChangeRendersEveryPageWithTheKeptReport() throws {
        let fixture = try SiteFixture(Self.notes)
        defer { fixture.remove() }
        _ = try fixture.build()
        #expect(fixture.read("a.html").contains("data-status=\"verified\""))
        // The kept reports say what the checker said; one is changed here so that the next build shows whose report it used.
        let cache = SiteCache(directory: fixture.cache)
        let folder = fixture.cache + "/" + SiteCache.format + "/reports"
        let keys = (FileManager.default.subpaths(atPath: folder) ?? []).filter { $0.contains("/") }.map { ($0 as NSString).lastPathComponent }
        #expect(keys.count == 2)
        var changed = 0
        for key in keys {
            guard var report: Report = cache.lookup(kind: "reports", key: key) else { continue }
            #expect(report == Verifier(seed: report.seed).check(Self.notebook(report.file)))
            guard report.file.hasSuffix("a.md") else { continue }
            report.steps[1].status = .failed
            cache.store(report, kind: "reports", key: key)
            changed += 1
        }
        #expect(changed == 1)

        let page = try String(contentsOfFile: SiteFixture.themeDirectory + "/templates/page.mustache", encoding: .utf8)
        try fixture.write("site/templates/page.mustache", page + "<!-- another theme -->\n")
        let second = try fixture.build()
        #expect(second.rendered == 2)
        #expect(fixture.read("a.html").contains("<!-- another theme -->"))
        #expect(fixture.read("a.html").contains("data-status=\"failed\""))
        #expect(fixture.read("b.html").contains("data-status=\"verified\""))
    }

    @Test func aChangedNoteIsCheckedAgain() throws {
        let fixture = try SiteFixture(Self.notes)
        defer { fixture.remove() }
        _ = try fixture.build()
        try fixture.write("b.md", "# B\n\n$$ 1 + 1 = 3 $$\n")
        let second = try fixture.build()
        #expect(second.rendered == 1)
        #expect(fixture.read("b.html").contains("data-status=\"failed\""))
    }

    static func notebook(_ path: String) -> Notebook {
        let name = (path as NSString).lastPathComponent
        return Notebook(parsing: SourceFile(path: path, text: notes[name] ?? ""))
    }
}
