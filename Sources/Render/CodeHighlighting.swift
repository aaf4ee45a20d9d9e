import Notebook

/// A fenced code block to highlight with Debian's highlight.js, in the same node
/// worker (and the same batch) as the page's math.
///
/// ```swift
/// let request = CodeRequest(code: "def f(x):\n    return x\n", language: "py")   // language "python"
/// ```
package struct CodeRequest: Sendable, Hashable {
    package var code: String
    /// highlight.js's name for the language (`tex` for `latex`); lower case.
    package var language: String

    package init(code: String, language: String) {
        self.code = code
        self.language = Self.highlighterName(for: language)
    }

    /// Info strings that highlight.js 9 knows by another name.
    static func highlighterName(for language: String) -> String {
        let lowered = language.lowercased()
        switch lowered {
        case "latex": return "tex"
        case "text", "txt", "plain": return "plaintext"
        default: return lowered
        }
    }

    /// Code larger than this is shown plain: highlighting it would cost more than it helps.
    static let maxBytes = 256 << 10
}

/// Turns code blocks into HTML: highlighted when highlight.js answered with markup
/// that passes `isSafeHighlight`, else the code escaped as written.
enum CodeHTML {
    /// The code blocks of a page that are worth a request: a language, not too large.
    static func requests(in blocks: [Block]) -> [(offset: Int, request: CodeRequest)] {
        var collector = CodeBlockCollector()
        collector.walk(blocks)
        return collector.found
    }

    /// `<pre><code class="language-python hljs">…</code></pre>` with the highlighted
    /// spans, or the plain block when there are none.
    static func block(_ code: CodeBlock, highlighted: String?) -> String {
        let language = code.language.isEmpty ? "" : " class=\"language-\(HTML.escape(code.language))\(highlighted == nil ? "" : " hljs")\""
        return "<pre><code\(language)>\(highlighted ?? HTML.escape(code.code))</code></pre>\n"
    }

    /// Whether the worker's answer is only what highlight.js writes: text with
    /// `&lt;` `&gt;` `&amp;` `&quot;` `&#x27;`, and balanced `<span class="hljs-…">`
    /// (class names of letters, digits, `-`, `_` and spaces). Anything else — a
    /// changed or broken highlighter — is refused, and the code is shown plain.
    static func isSafeHighlight(_ html: String) -> Bool {
        let bytes = Array(html.utf8)
        var index = 0
        var depth = 0
        let open = Array(#"<span class="hljs-"#.utf8), close = Array("</span>".utf8)
        let entities = ["&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;"].map { Array($0.utf8) }
        func starts(with prefix: [UInt8], at position: Int) -> Bool {
            position + prefix.count <= bytes.count && bytes[position..<(position + prefix.count)].elementsEqual(prefix)
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                if starts(with: close, at: index) {
                    depth -= 1
                    guard depth >= 0 else { return false }
                    index += close.count
                } else if starts(with: open, at: index) {
                    index += open.count
                    while index < bytes.count, isClassByte(bytes[index]) { index += 1 }
                    guard starts(with: Array("\">".utf8), at: index) else { return false }
                    index += 2
                    depth += 1
                } else {
                    return false
                }
            case UInt8(ascii: "&"):
                guard let entity = entities.first(where: { starts(with: $0, at: index) }) else { return false }
                index += entity.count
            case UInt8(ascii: ">"):
                return false
            default:
                index += 1
            }
        }
        return depth == 0
    }

    private static func isClassByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }
}

/// Finds every fenced code block with a language, in callouts, quotes and lists too.
private struct CodeBlockCollector: NotebookWalker {
    var found: [(offset: Int, request: CodeRequest)] = []

    mutating func visit(_ block: Block) -> NotebookDescent {
        if case .code(let code) = block, !code.language.isEmpty, code.code.utf8.count <= CodeRequest.maxBytes {
            found.append((code.range.start.offset, CodeRequest(code: code.code, language: code.language)))
        }
        return .children
    }

    // Inlines hold no code blocks.
    mutating func visit(_ inline: Inline) -> NotebookDescent { .skipChildren }
}
