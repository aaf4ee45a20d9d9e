import Diagnostics
import Foundation
import Notebook
import Testing
import TestSupport
@testable import Render

/// Code blocks highlighted at build time by Debian's highlight.js, in KaTeX's worker.
@Suite struct CodeHighlightingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func page(_ text: String, katex: KaTeXInstallation? = nil, cache: String? = nil) throws -> (html: String, typesetter: MathTypesetter) {
        let folder = NSTemporaryDirectory() + "nbrun-code-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notebook = Notebook(parsing: SourceFile(path: folder + "/t.md", text: text))
        let typesetter = MathTypesetter(katex: try katex ?? KaTeXInstallation.locate(), cacheDirectory: cache)
        let renderer = PageRenderer(theme: try Theme(directory: Self.repository + "/site"), typesetter: typesetter)
        return (try renderer.render(notebook, root: folder, outputPath: folder + "/t.html").html, typesetter)
    }

    private static let python = "```python\ndef f(x):\n    return x < 1  # small\n```\n"

    @Test func aPythonBlockIsHighlightedInThePage() throws {
        let html = try page("# Code\n\n" + Self.python).html
        #expect(html.contains("""
            <pre><code class="language-python hljs"><span class="hljs-function"><span class="hljs-keyword">def</span> <span class="hljs-title">f</span><span class="hljs-params">(x)</span>:</span>
                <span class="hljs-keyword">return</span> x &lt; <span class="hljs-number">1</span>  <span class="hljs-comment"># small</span>
            </code></pre>
            """))
        // The page loads the copy button's script; the button itself is made by it, never written.
        #expect(html.contains("<script src=\"copy.js\" defer></script>"))
        #expect(!html.contains("copy-code"))
    }

    @Test(arguments: [
        ("sh", "echo \"$HOME\"\n", #"<span class="hljs-built_in">echo</span> <span class="hljs-string">"<span class="hljs-variable">$HOME</span>"</span>"#),
        ("json", "{\"a\": [1, null]}\n", #"{<span class="hljs-attr">"a"</span>: [<span class="hljs-number">1</span>, <span class="hljs-literal">null</span>]}"#),
        ("latex", "\\frac{a}{b}\n", #"<span class="hljs-tag">\<span class="hljs-name">frac</span><span class="hljs-string">{a}</span><span class="hljs-string">{b}</span></span>"#),
        ("rust", "fn main() {}\n", #"<span class="hljs-function"><span class="hljs-keyword">fn</span> <span class="hljs-title">main</span></span>() {}"#),
    ])
    func commonLanguagesAreHighlighted(_ language: String, _ code: String, _ expected: String) throws {
        let html = try page("```\(language)\n\(code)```\n").html
        #expect(html.contains("<pre><code class=\"language-\(language) hljs\">\(expected)\n</code></pre>"))
    }

    @Test func aBlockWithoutALanguageOrWithAnUnknownOneIsPlain() throws {
        let (html, typesetter) = try page("```\nplain <b>\n```\n\n```nosuchlanguage\nx <i>\n```\n")
        #expect(html.contains("<pre><code>plain &lt;b&gt;\n</code></pre>\n<pre><code class=\"language-nosuchlanguage\">x &lt;i&gt;\n</code></pre>"))
        // Code is not math: the page's equation counts stay true.
        #expect(typesetter.typesetCount == 0)
    }

    @Test func withoutHighlightJSOrNodeCodeIsPlainAndThePageStillRenders() throws {
        var katex = try KaTeXInstallation.locate()
        katex.highlighter = nil
        let plain = "<pre><code class=\"language-python\">def f(x):\n    return x &lt; 1  # small\n</code></pre>"
        #expect(try page(Self.python, katex: katex).html.contains(plain))
        var noNode = try KaTeXInstallation.locate()
        noNode.nodePath = "/nonexistent/node"
        #expect(try page(Self.python, katex: noNode).html.contains(plain))
    }

    @Test func codeThatClosesItsOwnTagsStaysText() throws {
        // Code that closes its own tags is text, highlighted or not.
        let html = try page("```html\n</code></pre><script>alert(1)</script>\n```\n").html
        #expect(ScriptFreeHTML.problems(in: html) == [])
        #expect(html.contains("&lt;/<span class=\"hljs-name\">code</span>&gt;"))
    }

    @Test func highlightedCodeIsCachedLikeMath() throws {
        let cache = NSTemporaryDirectory() + "nbrun-code-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let first = try page(Self.python, cache: cache)
        #expect(first.typesetter.startedKaTeX)
        let second = try page(Self.python, cache: cache)
        #expect(second.html == first.html)
        #expect(!second.typesetter.startedKaTeX)
    }

    @Test(arguments: [
        (#"<span class="hljs-keyword">def</span> x &lt; 1 &amp;&amp; y &gt; "s" 'c'"#, true),
        (#"<span class="hljs-function"><span class="hljs-title">f</span></span>"#, true),
        ("plain text", true),
        (#"<span class="hljs-keyword">def"#, false),
        (#"</span>"#, false),
        (#"<span class="x">a</span>"#, false),
        (#"<span class="hljs-x" onclick="a()">a</span>"#, false),
        (#"<img src=x onerror=alert(1)>"#, false),
        ("a < b", false),
        ("a > b", false),
        ("&#60;script", false),
    ])
    func onlyHighlightJSsOwnMarkupIsUsed(_ html: String, _ safe: Bool) {
        #expect(CodeHTML.isSafeHighlight(html) == safe)
    }
}
