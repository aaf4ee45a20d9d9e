import Diagnostics

/// Jekyll's Liquid in a post, read the way a Jekyll site would show it,
/// before Markdown sees the note. Every rewrite keeps the note's length and
/// line breaks (the tag is replaced by its result padded with `SpanScanner.hidden`,
/// which the reader drops), so
/// every other byte keeps its line and column.
///
/// | written | becomes |
/// |---|---|
/// | `{{ site.baseurl }}`, `{{ site.url }}` | nothing: `[a]({{ site.baseurl }}/about)` links to `/about`, the notes folder's `about` |
/// | `{{ '/about' \| relative_url }}` | `/about` |
/// | `{% post_url 2024-06-10-name %}` | `/_posts/2024-06-10-name` (that post's page) |
/// | `{% link notes/a.md %}` | `/notes/a.md` |
/// | `{% raw %}…{% endraw %}` | the text between, as written |
/// | `{% highlight python %}`…`{% endhighlight %}` on their own lines | a fenced code block in that language |
/// | `{% comment %}…{% endcomment %}` | nothing (it is private, like `%%`) |
/// | any other tag (`{% include … %}`, `{% if %}`), `{{ page.… }}` | nothing, with a warning at the tag |
///
/// `{{` is Liquid only when a `site.`, `page.`… variable or a quoted string
/// follows, so TeX such as `x^{{2}}` is left alone. Fenced code shows Liquid as
/// written (a note explaining templates keeps its example); only `{% raw %}`
/// and `{% endraw %}` markers are taken out of it.
enum LiquidTags {
    static func rewrite(_ bytes: inout [UInt8], from bodyStart: Int, source: SourceFile) -> [Diagnostic] {
        guard bytes.count >= 4, bytes[bodyStart...].contains(UInt8(ascii: "{")) else { return [] }
        var diagnostics: [Diagnostic] = []
        var missingEnds = Set<String>()
        let code = fencedCode(bytes, from: bodyStart)
        var codeIndex = 0
        var index = bodyStart
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{") else { index += 1; continue }
            while codeIndex < code.count, code[codeIndex].upperBound <= index { codeIndex += 1 }
            if codeIndex < code.count, code[codeIndex].contains(index) {
                // Code shows Liquid as written; only `{% raw %}` markers (how Jekyll sources keep it) go.
                if bytes[index + 1] == UInt8(ascii: "%"), let tag = Tag(bytes, at: index), tag.name == "raw" || tag.name == "endraw" {
                    replace(&bytes, tag.start, tag.end, with: "")
                    index = tag.end
                } else {
                    index += 1
                }
                continue
            }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "%"), let tag = Tag(bytes, at: index) {
                index = apply(tag, to: &bytes, source: source, diagnostics: &diagnostics, missingEnds: &missingEnds)
            } else if next == UInt8(ascii: "{"), let output = Output(bytes, at: index) {
                if let value = output.value {
                    replace(&bytes, output.start, output.end, with: value)
                } else {
                    diagnostics.append(.warning(NotebookMessages.unsupportedLiquid(output.text), at: source.range(from: output.start, to: output.end)))
                    replace(&bytes, output.start, output.end, with: "")
                }
                index = output.end
            } else {
                index += 1
            }
        }
        return diagnostics
    }

    /// Rewrites one `{% … %}` (and, for block tags, up to its end tag); returns where scanning goes on.
    private static func apply(_ tag: Tag, to bytes: inout [UInt8], source: SourceFile, diagnostics: inout [Diagnostic],
                              missingEnds: inout Set<String>) -> Int {
        // An end tag looked for once in vain is not looked for again (keeps many openers linear).
        func findEnd(_ name: String) -> Tag? {
            guard !missingEnds.contains(name) else { return nil }
            let found = findTag(name, in: bytes, from: tag.end)
            if found == nil { missingEnds.insert(name) }
            return found
        }
        switch tag.name {
        case "raw":
            replace(&bytes, tag.start, tag.end, with: "")
            guard let end = findEnd("endraw") else {
                diagnostics.append(.warning(NotebookMessages.unclosedLiquid("raw"), at: source.range(from: tag.start, to: tag.end)))
                return bytes.count
            }
            replace(&bytes, end.start, end.end, with: "")
            return end.end
        case "comment":
            let end = findEnd("endcomment")
            if end == nil {
                diagnostics.append(.warning(NotebookMessages.unclosedLiquid("comment"), at: source.range(from: tag.start, to: tag.end)))
            }
            let stop = end?.end ?? bytes.count
            replace(&bytes, tag.start, stop, with: "")
            return stop
        case "highlight" where tag.startsLine(in: bytes):
            let language = tag.arguments.split(separator: " ").first.map(String.init) ?? ""
            guard let end = findEnd("endhighlight") else {
                diagnostics.append(.warning(NotebookMessages.unclosedLiquid("highlight"), at: source.range(from: tag.start, to: tag.end)))
                replace(&bytes, tag.start, tag.end, with: "")
                return tag.end
            }
            // A fence longer than any backtick run in the code, so the code cannot close it.
            var longest = 2
            var run = 0
            for byte in bytes[tag.end..<end.start] {
                run = byte == UInt8(ascii: "`") ? run + 1 : 0
                longest = max(longest, run)
            }
            let fence = String(repeating: "`", count: longest + 1)
            if fence.utf8.count + language.utf8.count <= tag.end - tag.start, fence.utf8.count <= end.end - end.start {
                // Fence lines end in spaces, which cmark ignores there.
                replace(&bytes, tag.start, tag.end, with: fence + language, padding: UInt8(ascii: " "))
                // The closing fence must start its own line.
                if end.startsLine(in: bytes) {
                    replace(&bytes, end.start, end.end, with: fence, padding: UInt8(ascii: " "))
                } else {
                    replace(&bytes, end.start, end.end, with: "")
                }
            }
            return end.end
        case "post_url":
            let name = tag.arguments.trimmingSpaces
            replace(&bytes, tag.start, tag.end, with: "/_posts/" + name)
            return tag.end
        case "link":
            let path = tag.arguments.trimmingSpaces
            replace(&bytes, tag.start, tag.end, with: path.hasPrefix("/") ? path : "/" + path)
            return tag.end
        default:
            diagnostics.append(.warning(NotebookMessages.unsupportedLiquid("{% \(tag.name) %}"), at: source.range(from: tag.start, to: tag.end)))
            replace(&bytes, tag.start, tag.end, with: "")
            return tag.end
        }
    }

    /// The byte ranges of fenced code blocks (fence lines included), in order.
    private static func fencedCode(_ bytes: [UInt8], from start: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var open: (byte: UInt8, count: Int, start: Int)?
        var lineStart = start
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var index = lineStart
            while index < lineEnd, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ">") { index += 1 }
            var run = index
            if index < lineEnd, bytes[index] == UInt8(ascii: "`") || bytes[index] == UInt8(ascii: "~") {
                while run < lineEnd, bytes[run] == bytes[index] { run += 1 }
            }
            if run - index >= 3 {
                if let fence = open {
                    if bytes[index] == fence.byte, run - index >= fence.count {
                        ranges.append(fence.start..<lineEnd)
                        open = nil
                    }
                } else {
                    open = (bytes[index], run - index, lineStart)
                }
            }
            lineStart = lineEnd + 1
        }
        if let fence = open { ranges.append(fence.start..<bytes.count) }
        return ranges
    }

    private static func findTag(_ name: String, in bytes: [UInt8], from start: Int) -> Tag? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "%"), let tag = Tag(bytes, at: index) {
                if tag.name == name { return tag }
                index = tag.end
                continue
            }
            index += 1
        }
        return nil
    }

    /// Writes `text` over `start..<end`, then `padding` (by default what the reader drops);
    /// line breaks in the range are kept.
    private static func replace(_ bytes: inout [UInt8], _ start: Int, _ end: Int, with text: String,
                                padding: UInt8 = SpanScanner.hidden) {
        var written = Array(text.utf8)[...]
        for index in start..<end where bytes[index] != UInt8(ascii: "\n") && bytes[index] != UInt8(ascii: "\r") {
            bytes[index] = written.popFirst() ?? padding
        }
    }

    /// `{% name arguments %}` (or `{%- … -%}`) on one line.
    struct Tag {
        var start: Int
        var end: Int
        var name: String
        var arguments: String

        init?(_ bytes: [UInt8], at start: Int) {
            var index = start + 2
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            let nameStart = index
            while index < bytes.count, isLetter(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
            guard index > nameStart, index - nameStart < 40 else { return nil }
            let nameEnd = index
            // The closing `%}` on the same line, within a few hundred bytes (keeps many `{%` linear).
            let limit = min(bytes.count, start + Output.longest)
            while index + 1 < limit, bytes[index] != UInt8(ascii: "\n") {
                if bytes[index] == UInt8(ascii: "%"), bytes[index + 1] == UInt8(ascii: "}") {
                    var argumentsEnd = index
                    if argumentsEnd > nameEnd, bytes[argumentsEnd - 1] == UInt8(ascii: "-") { argumentsEnd -= 1 }
                    self.start = start
                    self.end = index + 2
                    self.name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
                    self.arguments = String(decoding: bytes[nameEnd..<max(nameEnd, argumentsEnd)], as: UTF8.self)
                    return
                }
                index += 1
            }
            return nil
        }

        /// Only spaces (or quote markers) before it on its line.
        func startsLine(in bytes: [UInt8]) -> Bool {
            var index = start
            while index > 0, bytes[index - 1] != UInt8(ascii: "\n") {
                guard bytes[index - 1] == UInt8(ascii: " ") || bytes[index - 1] == UInt8(ascii: ">") else { return false }
                index -= 1
            }
            return true
        }
    }

    /// `{{ site.baseurl }}`, `{{ '/a' | relative_url }}`, `{{ page.title }}` on one line.
    struct Output {
        static let objects = ["site.", "page.", "layout.", "jekyll.", "include.", "paginator."]
        /// Longer is not looked for: it keeps a line of many `{{` linear.
        static let longest = 400
        var start: Int
        var end: Int
        var text: String
        /// What it stands for, or nil when nbrun does not know.
        var value: String?

        init?(_ bytes: [UInt8], at start: Int) {
            // A variable or a quoted string must follow (`x^{{2}}` and `{{{…` are TeX): a quick no.
            var first = start + 2
            while first < bytes.count, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "-") { first += 1 }
            guard first < bytes.count, isLetter(bytes[first]) || bytes[first] == UInt8(ascii: "'") || bytes[first] == UInt8(ascii: "\"") else {
                return nil
            }
            var close = start + 2
            let limit = min(bytes.count, start + Self.longest)
            while close + 1 < limit, bytes[close] != UInt8(ascii: "\n") {
                if bytes[close] == UInt8(ascii: "}"), bytes[close + 1] == UInt8(ascii: "}") { break }
                close += 1
            }
            guard close + 1 < bytes.count, bytes[close] == UInt8(ascii: "}"), bytes[close + 1] == UInt8(ascii: "}") else { return nil }
            let inner = String(decoding: bytes[(start + 2)..<close], as: UTF8.self).trimmingSpaces
            let expression = inner.hasPrefix("-") ? String(inner.dropFirst()).trimmingSpaces : inner
            let parts = expression.split(separator: "|").map { String($0).trimmingSpaces }
            guard let subject = parts.first else { return nil }
            let quoted = subject.count >= 2 && (subject.first == "'" || subject.first == "\"") && subject.last == subject.first
            guard quoted || Self.objects.contains(where: subject.hasPrefix) else { return nil }
            self.start = start
            self.end = close + 2
            self.text = "{{ \(expression) }}"
            let filters = parts.dropFirst()
            if quoted, filters.allSatisfy({ $0 == "relative_url" || $0 == "absolute_url" }) {
                value = String(subject.dropFirst().dropLast())
            } else if (subject == "site.baseurl" || subject == "site.url") && filters.isEmpty {
                value = ""
            } else {
                value = nil
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
