import Foundation
import Notebook
import TestSupport
import Testing
@testable import Render

/// Notes written to run script in a reader's browser, every way we know: the
/// rendered page must hold no script, no event handler, no script or data URL,
/// no element that loads or navigates elsewhere (ScriptFreeHTML says exactly what).
@Suite("XSS: no script from a note reaches the page", .serialized)
struct XSSTests {
    static let attacks: [(name: String, markdown: String)] = [
        ("raw script", "<script>alert(1)</script>\n"),
        ("inline script", "Text <script>alert(1)</script> here.\n"),
        ("script with src", "<script src=\"https://evil.example/x.js\"></script>\n"),
        ("img onerror", "<img src=x onerror=alert(1)>\n"),
        ("img onerror inline", "Look: <img src=x onerror=\"alert(1)\"> there.\n"),
        ("svg onload", "<svg onload=alert(1)><circle r=1></svg>\n"),
        ("svg script", "<svg><script>alert(1)</script></svg>\n"),
        ("iframe", "<iframe src=\"javascript:alert(1)\"></iframe>\n"),
        ("iframe srcdoc", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n"),
        ("anchor javascript", "<a href=\"javascript:alert(1)\">x</a>\n"),
        ("anchor mixed case", "<a href=\"JaVaScRiPt:alert(1)\">x</a>\n"),
        ("anchor entities", "<a href=\"&#106;avascript&#58;alert(1)\">x</a>\n"),
        ("anchor whitespace", "<a href=\" \tjava\nscript:alert(1)\">x</a>\n"),
        ("allowed tag with handler", "<b onmouseover=alert(1)>bold</b>\n"),
        ("allowed tag odd spacing", "<div\nonclick=alert(1)>x</div>\n"),
        ("details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>\n"),
        ("style element", "<style>body{background:url(javascript:alert(1))}</style>\n"),
        ("style attribute", "<span style=\"background:url(javascript:alert(1))\">x</span>\n"),
        ("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\n"),
        ("base", "<base href=\"javascript:alert(1)//\">\n"),
        ("form", "<form action=\"javascript:alert(1)\"><button>go</button></form>\n"),
        ("button formaction", "<button formaction=\"javascript:alert(1)\">go</button>\n"),
        ("object", "<object data=\"javascript:alert(1)\"></object>\n"),
        ("embed", "<embed src=\"data:text/html,<script>alert(1)</script>\">\n"),
        ("comment breakout", "<!-- --><script>alert(1)</script> -->\n"),
        ("unclosed comment", "<!-- <script>alert(1)</script>\n"),
        ("nested tag trick", "<scr<script>ipt>alert(1)</script>\n"),
        ("markdown link", "[click](javascript:alert(1))\n"),
        ("markdown link case", "[click](JaVaScRiPt:alert(1))\n"),
        ("markdown link entity", "[click](&#106;avascript:alert(1))\n"),
        ("markdown link colon entity", "[click](javascript&colon;alert(1))\n"),
        ("markdown link angle", "[click](<javascript:alert(1)>)\n"),
        ("markdown link vbscript", "[click](vbscript:msgbox(1))\n"),
        ("markdown link data", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n"),
        ("markdown link title", "[click](https://example.org \"a\\\" onmouseover=\\\"alert(1)\")\n"),
        ("reference link", "[click][x]\n\n[x]: javascript:alert(1)\n"),
        ("markdown image", "![x](javascript:alert(1))\n"),
        ("markdown image data svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n"),
        ("markdown image alt", "![\" onerror=\"alert(1)](missing.png)\n"),
        ("autolink", "<javascript:alert(1)>\n"),
        ("autolink data", "<data:text/html,alert(1)>\n"),
        ("gfm autolink", "www.example.org/\"onmouseover=alert(1)\n"),
        ("math href", "$$ \\href{javascript:alert(1)}{x} $$\n"),
        ("math href inline", "Inline $\\href{javascript:alert(1)}{x}$ math.\n"),
        ("math href fragment trick", "$$ \\href{#\" onmouseover=\"alert(1)}{x} $$\n"),
        ("math url", "$$ \\url{javascript:alert(1)} $$\n"),
        ("math htmlData", "$$ \\htmlData{onload=alert(1)}{x} $$\n"),
        ("math htmlData nb", "$$ \\htmlData{nb-x=\" onmouseover=alert(1)}{x} $$\n"),
        ("math htmlClass", "$$ \\htmlClass{x\" onmouseover=\"alert(1)}{x} $$\n"),
        ("math htmlId", "$$ \\htmlId{x\" onmouseover=\"alert(1)}{x} $$\n"),
        ("math htmlStyle", "$$ \\htmlStyle{background:url(javascript:alert(1))}{x} $$\n"),
        ("math includegraphics", "$$ \\includegraphics{javascript:alert(1)} $$\n"),
        ("math text with tags", "$$ \\text{</span><script>alert(1)</script>} $$\n"),
        ("math error with tags", "$$ \\frac{<script>alert(1)</script> $$\n"),
        ("math macro definition", "$$ \\def\\x{\\href{javascript:alert(1)}{x}} \\x $$\n"),
        ("front matter title", "---\ntitle: \"</title><script>alert(1)</script>\"\n---\nText.\n"),
        ("front matter tags", "---\ntags: [\"</li><script>alert(1)</script>\", \"a\\\" onmouseover=\\\"alert(1)\"]\n---\nText.\n"),
        ("front matter lang", "---\nlang: 'en\" onmouseover=\"alert(1)'\n---\nText.\n"),
        ("front matter date", "---\ndate: '2024\"><script>alert(1)</script>'\n---\nText.\n"),
        ("heading id", "# \"><script>alert(1)</script>\n"),
        ("cell attributes", "```nb {#x\" onmouseover=\"alert(1)\" hide=\"\"}\nnetwork: 2 -> 2\n```\n"),
        ("cell attribute id only", "```nb {#x\"onmouseover=alert(1)}\nnetwork: 2 -> 2\n```\n"),
        ("code language", "```js\" onmouseover=\"alert(1)\nx\n```\n"),
        ("wiki link target", "[[\" onmouseover=\"alert(1)]]\n"),
        ("wiki link javascript", "[[javascript:alert(1)]]\n"),
        ("wiki link label", "[[missing|<script>alert(1)</script>]]\n"),
        ("wiki embed", "![[javascript:alert(1).png]]\n"),
        ("footnote label", "Text[^\"><script>alert(1)</script>].\n\n[^\"><script>alert(1)</script>]: note\n"),
        ("eqref label", "See \\eqref{\"><script>alert(1)</script>}.\n"),
        ("table cell", "| a |\n| - |\n| <script>alert(1)</script> |\n"),
    ]

    static let folder = NSTemporaryDirectory() + "nbrun-xss-\(UUID().uuidString)"

    static func render(_ markdown: String, named name: String = "note.md") throws -> RenderedPage {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(markdown.utf8))
        let notebook = Notebook(parsing: .init(path: path, text: markdown))
        return try CheckFixture.renderer().render(notebook, root: folder, outputPath: folder + "/page.html")
    }

    @Test(arguments: attacks.map(\.name))
    func attackIsHarmless(_ name: String) throws {
        let markdown = try #require(Self.attacks.first { $0.name == name }?.markdown)
        let html = try Self.render(markdown).html
        #expect(ScriptFreeHTML.problems(in: html) == [], "\(html.components(separatedBy: "<article class=\"note-body\">").last?.prefix(1500) ?? "")")
    }

    @Test(arguments: [
        "a\"<img src=x onerror=alert(1)>.md", "<script>alert(1)<!script>.md", "javascript:alert(1).md", "x' onmouseover='alert(1).md",
    ])
    func hostileFileNamesAreHarmless(_ name: String) throws {
        let page = try Self.render("Text.\n", named: name)
        #expect(ScriptFreeHTML.problems(in: page.html) == [])
        #expect(!page.html.contains("<img src=x"))
    }

    @Test func aLinkToANoteNamedLikeASchemeStaysRelative() throws {
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: Self.folder + "/javascript:alert(1).md", contents: Data("# J\n".utf8))
        let html = try Self.render("[[javascript:alert(1)]] and [x](javascript:alert(1).md)\n").html
        // Foundation may percent-encode the colon itself; either way the URL has no scheme.
        #expect(html.contains("href=\"./javascript:alert(1).html\"") || html.contains("href=\"javascript%3Aalert(1).html\""))
        #expect(ScriptFreeHTML.problems(in: html) == [])
    }

    /// The checker of the checks: each of these must be caught.
    @Test(arguments: [
        ("<script>alert(1)</script>", "<script> (inline)"),
        ("<img src=x onerror=alert(1)>", "onerror= on <img>"),
        ("<a href=\"&#106;ava&#x73;cript&colon;x\">", "href=\"javascript:x\" on <a>"),
        ("<a href=\" java\tscript:x\">", "href=\" java\tscript:x\" on <a>"),
        ("<meta http-equiv=refresh content=0>", "<meta http-equiv>"),
        ("<iframe src=x>", "<iframe>"),
    ])
    func theScannerCatchesEachKind(_ html: String, _ problem: String) {
        #expect(ScriptFreeHTML.problems(in: html) == [problem])
    }
}
