import Foundation
import Testing
@testable import Site

/// The page chrome on a narrow screen and on paper (the browser check,
/// scripts/browser-test.sh, looks at the same at 420 px in Chromium).
@Suite struct NarrowLayoutTests {
    @Test func theHeaderHasAButtonForTheSidebar() throws {
        let fixture = try SiteFixture(sampleNotes)
        defer { fixture.remove() }
        _ = try fixture.build()
        #expect(fixture.read("intro.html").contains(#"<header class="site-header">"# + "\n"
            + #"<input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="Show the list of notes"><label for="nav-toggle" class="nav-button" title="Show or hide the list of notes"><span aria-hidden="true">☰</span> Notes</label>"#))
        let css = fixture.read("_assets/site.css")
        #expect(css.contains("body:has(.nav-toggle:checked) .sidebar { display: block;"))
        #expect(css.contains("table.notes { display: block; overflow-x: auto; }"))
        #expect(css.contains("@media print {\n  .site-header, .sidebar, .page-nav, .search, .nav-button { display: none !important; }"))
    }
}
