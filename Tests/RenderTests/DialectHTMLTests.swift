import Diagnostics
import Foundation
import Notebook
import Testing
import Verify
@testable import Render

/// Obsidian's and GitHub's notations as they appear in the page.
@Suite struct DialectHTMLTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let vault = repository + "/Tests/Dialects/vault"

    private func page(_ text: String, trustHTML: Bool = false, check: Bool = false) throws -> String {
        let notebook = Notebook(parsing: SourceFile(path: Self.vault + "/t.md", text: text))
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        let renderer = PageRenderer(theme: try Theme(directory: Self.repository + "/site"), typesetter: typesetter)
        renderer.trustsRawHTML = trustHTML
        let report = check ? Verifier(seed: 7).check(notebook) : nil
        return try renderer.render(notebook, root: Self.vault, outputPath: Self.vault + "/t.html", report: report).html
    }

    private let noteIcon = #"<svg class="callout-icon" aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13 7l4 4"/></svg>"#

    @Test func aWikiLinkMayNameAnotherNotesAliasInASingleNoteRun() throws {
        // Squares.md says `aliases: [square slopes]`; no file is called that.
        let html = try page("Start with [[square slopes]] or [[Square Slopes|the squares]].\n")
        #expect(html.contains(#"<p>Start with <a class="wikilink" href="Squares.html">square slopes</a> or <a class="wikilink" href="Squares.html">the squares</a>.</p>"#))
        let files = NoteFiles.scan(root: Self.vault).readingAliases()
        #expect(files.aliases == ["square slopes": "Squares.md"])
    }

    @Test func aCalloutIsABoxWithIconAndTitle() throws {
        let html = try page("> [!note] Why squares\n> Smallest example.\n")
        #expect(html.contains("""
            <div class="callout callout-note" data-callout="note"><div class="callout-title">\(noteIcon)<span class="callout-title-text">Why squares</span></div>
            <div class="callout-content">
            <p>Smallest example.</p>
            </div>
            </div>
            """))
        #expect(!html.contains("[!note]"))
    }

    @Test func foldedAndOpenCalloutsAreDetails() throws {
        let folded = try page("> [!caution]- Careful\n> Inside.\n")
        #expect(folded.contains(#"<details class="callout callout-warning" data-callout="caution"><summary class="callout-title">"#))
        #expect(folded.contains(#"<span class="callout-title-text">Careful</span></summary>"#))
        let open = try page("> [!my-own]+\n> Inside.\n")
        #expect(open.contains(#"<details class="callout callout-note" data-callout="my-own" open><summary class="callout-title">\#(noteIcon)<span class="callout-title-text">My own</span></summary>"#))
    }

    @Test func mathInACalloutIsCheckedInThePage() throws {
        let html = try page("> [!tip] A step\n> $$\n> \\frac{d}{dx} x^2 = 2x\n> $$\n", check: true)
        #expect(html.contains(#"<li class="nb-step" data-status="verified" data-line="3""#))
    }

    @Test func highlightAndEmbedSizes() throws {
        let html = try page("A ==key== point. ![[dot.png|120]] ![[dot.png|64x48]] ![[dot.png|A dot]]\n")
        #expect(html.contains("<p>A <mark>key</mark> point. "
            + #"<img src="dot.png" alt="dot.png" width="120" loading="lazy"> "#
            + #"<img src="dot.png" alt="dot.png" width="64" height="48" style="height:48px" loading="lazy"> "#
            + #"<img src="dot.png" alt="A dot" loading="lazy"></p>"#))
    }

    @Test(arguments: [false, true])
    func commentsAreNeverPublished(trustHTML: Bool) throws {
        let html = try page("""
            Seen. %%private remark%% <!-- inline secret -->

            <!-- block secret -->

            %%
            block of private text
            %%
            """, trustHTML: trustHTML)
        for secret in ["private remark", "inline secret", "block secret", "private text", "%%", "<!--"] {
            #expect(!html.contains(secret), "\(secret) leaked")
        }
        #expect(html.contains("<p>Seen.  </p>") || html.contains("<p>Seen. </p>"))
    }

    @Test func githubMathIsTypesetAndChecked() throws {
        let html = try page("Inline $`x^2`$.\n\n```math\n\\frac{d}{dx} x^2 = 2x\n```\n", check: true)
        #expect(html.contains(#"<span class="math inline" data-line="1"><span class="katex">"#))
        #expect(html.contains(#"<div class="math display" data-line="3"><span class="katex-display">"#))
        #expect(html.contains(#"<li class="nb-step" data-status="verified" data-line="4""#))
        #expect(!html.contains("language-math"))
    }
}

/// The raw HTML GitHub READMEs use, through the sanitizer.
@Suite struct ReadmeHTMLTests {
    @Test(arguments: [
        (#"<p align="center"><img src="https://example.org/logo.png" alt="Logo" width="120"></p>"#,
         #"<p align="center"><img src="https://example.org/logo.png" alt="Logo" width="120"></p>"#),
        ("<details><summary>More</summary>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O</details>",
         "<details><summary>More</summary>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O</details>"),
        (#"<details open><summary>x</summary></details>"#, "<details open><summary>x</summary></details>"),
        (#"<h1 align=center>Title</h1>"#, #"<h1 align="center">Title</h1>"#),
        (#"<a href="https://example.org/?a=1&amp;b=2"><img src="https://img.example/badge.svg" alt="build"></a>"#,
         #"<a href="https://example.org/?a=1&amp;b=2"><img src="https://img.example/badge.svg" alt="build"></a>"#),
        // Anything else stays text.
        (#"<p align="justify">x</p>"#, "&lt;p align=&quot;justify&quot;&gt;x</p>"),
        (#"<img src="https://example.org/x.png" onerror="alert(1)">"#, "&lt;img src=&quot;https://example.org/x.png&quot; onerror=&quot;alert(1)&quot;&gt;"),
        (#"<a href="&#106;avascript&#58;alert(1)">x</a>"#, "&lt;a href=&quot;&amp;#106;avascript&amp;#58;alert(1)&quot;&gt;x</a>"),
        (#"<img src="data:image/svg+xml,x">"#, "&lt;img src=&quot;data:image/svg+xml,x&quot;&gt;"),
    ])
    func readmeTagsPass(_ raw: String, _ expected: String) {
        #expect(HTML.sanitize(raw) == expected)
    }

    @Test func aRelativeImageIsTheNotesAsset() throws {
        let notebook = Notebook(parsing: SourceFile(path: DialectHTMLTests.vault + "/t.md",
                                                    text: "<p align=\"center\">\n  <img src=\"dot.png\" width=\"64\" alt=\"A dot\">\n</p>\n"))
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        let renderer = PageRenderer(theme: try Theme(directory: DialectHTMLTests.repository + "/site"), typesetter: typesetter)
        let html = try renderer.render(notebook, root: DialectHTMLTests.vault, outputPath: NSTemporaryDirectory() + "readme/t.html").html
        #expect(html.contains(#"<div class="raw-html"><p align="center">"# + "\n  " + #"<img src=""#))
        #expect(html.contains(#"Tests/Dialects/vault/dot.png" width="64" alt="A dot">"#))
    }
}

extension DialectHTMLTests {
    @Test func aBlockIDIsAnAnchorAndABlockLinkLeadsToIt() throws {
        let html = try page("The key step. ^key\n\nBack to [[#^key|the key step]], or [[Squares#^key]].\n")
        #expect(html.contains(#"<p>The key step.<span class="block-id" id="block-key"></span></p>"#))
        #expect(html.contains(##"<a class="wikilink" href="#block-key">the key step</a>"##))
        #expect(html.contains(#"<a class="wikilink" href="Squares.html#block-key">Squares › ^key</a>"#))
    }
}
