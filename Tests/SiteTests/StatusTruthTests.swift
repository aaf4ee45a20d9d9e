import Foundation
import Notebook
import Testing
@testable import Site

/// The status badge says what happened: an error is never "verified" or "not checked",
/// and a note with unchecked steps says how much was checked.
@Suite struct StatusTruthTests {
    private func build(_ files: [String: String]) throws -> SiteFixture {
        let fixture = try SiteFixture(files)
        var options = fixture.options()
        options.parse = { Notebook(parsing: $0) }
        _ = try fixture.build(options)
        return fixture
    }

    @Test(arguments: [
        ("broken", "# Broken\n\nInline $\\badmacro{x}$ here.\n"),  // math KaTeX cannot typeset
        ("cell", "# Cell\n\n```nb\nnetwork: 3 -> banana\n```\n\n$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n"),  // a malformed cell, its step holding
    ])
    func anErrorIsAnErrorInTheHeaderAndTheIndex(_ name: String, _ text: String) throws {
        let fixture = try build([name + ".md": text])
        defer { fixture.remove() }
        let badge = #"<span class="mark" aria-hidden="true">⚠</span> 1 error"#
        #expect(fixture.read(name + ".html").contains(#"<p class="status status-failed">"# + badge + "</p>"))
        #expect(fixture.read("index.html").contains(#"<td><span class="status status-failed">"# + badge + "</span></td>"))
        #expect(fixture.read("index.html").contains(#"<p class="summary">1 note, 1 failing.</p>"#))
    }

    @Test func uncheckedStepsMakeANotePartlyChecked() throws {
        let fixture = try build(["partly.md": "# Partly\n\n$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n\n$$ x^2 + 1 > 0 $$\n\n$$ w \\leftarrow w - 0.1 $$\n"])
        defer { fixture.remove() }
        let badge = #"<span class="mark" aria-hidden="true">◐</span> partly checked: 1 of 3"#
        #expect(fixture.read("partly.html").contains(#"<p class="status status-partly-checked">"# + badge + "</p>"))
        #expect(fixture.read("index.html").contains(#"<p class="summary">1 note, 1 partly checked.</p>"#))
    }

    @Test func aNoteWhoseEveryStepHoldsIsVerified() throws {
        let fixture = try build(["fine.md": "# Fine\n\n$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n"])
        defer { fixture.remove() }
        #expect(fixture.read("fine.html").contains(#"<p class="status status-verified"><span class="mark" aria-hidden="true">✓</span> verified</p>"#))
    }
}
