import Testing
@testable import Render

@Test func escapesTextAndAttributes() {
    #expect(HTML.escape("a < b & \"c\" 'd' >") == "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt;")
}

@Test(arguments: [
    ("<b>bold</b> and <i>it</i>", "<b>bold</b> and <i>it</i>"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<!-- nb: skip --> kept", " kept"),
    ("<b onclick=\"x()\">", "&lt;b onclick=&quot;x()&quot;&gt;"),
    // `</a>` passes (a safe `<a href>` does too); the unsafe start tag stays text.
    ("<a href=\"javascript:alert(1)\">x</a>", "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x</a>"),
])
func sanitizerKeepsOnlyPlainFormatting(_ raw: String, _ expected: String) {
    #expect(HTML.sanitize(raw) == expected)
}

@Test(arguments: [
    ("https://example.org", true), ("mailto:a@b.c", true), ("page.html", true), ("#x", true),
    ("javascript:alert(1)", false), ("JavaScript:alert(1)", false), ("data:text/html,x", false), ("vbscript:x", false),
])
func onlySafeURLSchemesAreEmitted(_ url: String, _ safe: Bool) {
    #expect(LinkResolver.isSafe(url: url) == safe)
}

@Test func relativePathsBetweenFolders() {
    #expect(LinkResolver.relativePath(from: "/s/a", to: "/s/a/b.html") == "b.html")
    #expect(LinkResolver.relativePath(from: "/s/a/deep", to: "/s/b/c.html") == "../../b/c.html")
    #expect(LinkResolver.relativePath(from: "/s", to: "/s/x/y.png") == "x/y.png")
}
