import Diagnostics
import Notebook
import Verify

/// Writes the body of a page from a notebook's blocks, with math already
/// typeset and links already resolvable.
struct HTMLWriter {
    let source: SourceFile
    let numbering: EquationNumbering
    /// Typeset math by the file offset of its TeX.
    let math: [MathCell.ID: MathResult]
    let links: LinkResolver
    /// The checker's steps by the file offset of their math's TeX.
    let steps: [MathCell.ID: [StepResult]]
    /// Inline math that is exactly one `\nbvalue{…}` with a value, by the offset of its TeX.
    let proseValues: [MathCell.ID: (value: String, expression: String)]
    /// The most bytes the body may have (`Limits.maxPageBytes`).
    var maxBytes = Limits().maxPageBytes
    /// Raw HTML as written instead of sanitized (a site's `trust: html: true`).
    var trustsRawHTML = false
    /// highlight.js's markup for code blocks, by the offset of the block (absent: shown plain).
    var highlightedCode: [Int: String] = [:]
    /// Notes embedded on a line of their own (`![[other]]`), rendered, by the offset of the embed.
    var embeds: [Int: String] = [:]
    /// The checker's figures by the file offset of the content of the cell or math they follow.
    let figures: [Int: [CellFigure]]
    private(set) var diagnostics: [Diagnostic] = []
    private var out = ""
    private var figureCount = 0

    init(source: SourceFile, numbering: EquationNumbering, math: [MathCell.ID: MathResult], links: LinkResolver,
         steps: [MathCell.ID: [StepResult]] = [:], proseValues: [MathCell.ID: (value: String, expression: String)] = [:],
         figures: [Int: [CellFigure]] = [:]) {
        self.source = source
        self.numbering = numbering
        self.math = math
        self.links = links
        self.steps = steps
        self.proseValues = proseValues
        self.figures = figures
    }

    mutating func write(_ blocks: [Block]) -> String {
        out = ""
        for block in blocks {
            let before = out.utf8.count
            write(block)
            // A page past the limit loses the block that crossed it and all that follow, at a block boundary.
            if out.utf8.count > maxBytes {
                diagnostics.append(.error(RenderMessages.pageTooLarge(maxBytes), at: block.range))
                out = String(decoding: out.utf8.prefix(before), as: UTF8.self)
                out += "<p class=\"nb-truncated\" role=\"note\">⚠ \(HTML.escape(RenderMessages.pageTooLarge(maxBytes).text))</p>\n"
                break
            }
        }
        return out
    }

    private mutating func write(_ block: Block) {
        switch block {
        case .heading(let heading):
            out += "<h\(heading.level) id=\"\(HTML.escape(heading.id))\">"
            write(heading.content)
            out += "<a class=\"anchor\" href=\"#\(HTML.escape(heading.id))\" aria-label=\"Link to this section\">#</a></h\(heading.level)>\n"
        case .paragraph(let inlines, _):
            if let embed = embedHTML(inlines) {
                out += embed
                return
            }
            out += "<p>"
            write(inlines)
            out += "</p>\n"
        case .math(let cell):
            writeMath(cell)
            writeFigures(at: cell.contentRange.start.offset)
        case .cell(let cell):
            // A hidden cell still shows what it computed.
            guard !cell.has(flag: "hide") else { writeFigures(at: cell.contentRange.start.offset); return }
            let id = cell.id.map { " id=\"\(HTML.escape($0))\"" } ?? ""
            out += "<figure class=\"nb-cell\"\(id)><pre><code class=\"language-\(HTML.escape(cell.language))\">\(HTML.escape(cell.source))</code></pre></figure>\n"
            writeNetworkDiagram(for: cell)
            writeFigures(at: cell.contentRange.start.offset)
        case .code(let code):
            out += CodeHTML.block(code, highlighted: highlightedCode[code.range.start.offset])
        case .quote(let blocks, _):
            out += "<blockquote>\n"
            for child in blocks { write(child) }
            out += "</blockquote>\n"
        case .callout(let callout):
            writeCallout(callout)
        case .list(let list):
            let tag = list.ordered ? "ol" : "ul"
            let start = list.ordered && list.start != 1 ? " start=\"\(list.start)\"" : ""
            let isTaskList = list.items.contains { $0.checked != nil }
            out += "<\(tag)\(start)\(isTaskList ? " class=\"task-list\"" : "")>\n"
            for item in list.items {
                out += "<li>"
                if let checked = item.checked {
                    out += "<input type=\"checkbox\" disabled\(checked ? " checked" : "")> "
                }
                if list.tight {
                    for child in item.blocks {
                        // An embed is a block of its own, even in a tight list.
                        if case .paragraph(let inlines, _) = child, embedHTML(inlines) == nil { write(inlines) } else { write(child) }
                    }
                } else {
                    out += "\n"
                    for child in item.blocks { write(child) }
                }
                out += "</li>\n"
            }
            out += "</\(tag)>\n"
        case .table(let table):
            out += "<div class=\"table-wrap\"><table>\n<thead><tr>"
            for (index, cell) in table.header.enumerated() {
                out += "<th\(alignment(table, index))>"
                write(cell)
                out += "</th>"
            }
            out += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                out += "<tr>"
                for (index, cell) in row.enumerated() {
                    out += "<td\(alignment(table, index))>"
                    write(cell)
                    out += "</td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody></table></div>\n"
        case .html(let raw, _):
            // Comments are the author's, never the reader's, even in trusted HTML.
            let safe = trustsRawHTML ? HTML.removingComments(raw) : HTML.sanitize(raw, url: rawHTMLURL)
            if !safe.allSatisfy(\.isWhitespace) {
                // GitHub READMEs open `<details>` in one HTML block and close it in another, with
                // Markdown between: a wrapper would close it early and leave the content outside.
                let spansBlocks = safe.components(separatedBy: "<details").count != safe.components(separatedBy: "</details>").count
                out += spansBlocks ? safe + (safe.hasSuffix("\n") ? "" : "\n") : "<div class=\"raw-html\">\(safe)</div>\n"
            }
        case .thematicBreak:
            out += "<hr>\n"
        case .footnoteDefinition(let label, let blocks, _):
            out += "<div class=\"footnote\" id=\"fn-\(HTML.escape(Heading.slug(label)))\"><span class=\"footnote-label\">\(HTML.escape(label))</span>\n"
            for child in blocks { write(child) }
            out += "</div>\n"
        }
    }

    /// The embedded note a paragraph shows in its place, when it is only `![[…]]` (NoteEmbeds).
    private func embedHTML(_ paragraph: [Inline]) -> String? {
        NoteEmbeds.embed(in: paragraph).flatMap { embeds[$0.range.start.offset] }
    }

    /// An Obsidian callout: a box with the type's icon and colour; `-` and `+` make it a
    /// `<details>` that folds without script (`+` open at first).
    private mutating func writeCallout(_ callout: Callout) {
        let style = CalloutStyle(kind: callout.kind)
        let foldable = callout.fold != .none
        let open = callout.fold == .open ? " open" : ""
        let attributes = "class=\"callout callout-\(style.family)\" data-callout=\"\(HTML.escape(callout.kind))\""
        out += foldable ? "<details \(attributes)\(open)>" : "<div \(attributes)>"
        out += foldable ? "<summary class=\"callout-title\">" : "<div class=\"callout-title\">"
        out += style.icon + "<span class=\"callout-title-text\">"
        if callout.title.isEmpty { out += HTML.escape(CalloutStyle.defaultTitle(kind: callout.kind)) } else { write(callout.title) }
        out += "</span>" + (foldable ? "</summary>\n" : "</div>\n")
        if !callout.blocks.isEmpty {
            out += "<div class=\"callout-content\">\n"
            for child in callout.blocks { write(child) }
            out += "</div>\n"
        }
        out += foldable ? "</details>\n" : "</div>\n"
    }

    private mutating func writeFigures(at offset: Int) {
        for figure in figures[offset] ?? [] {
            figureCount += 1
            out += FigureHTML(figure, number: figureCount).html
        }
    }

    /// A cell that declares a network shows it, layers named as the note names them.
    private mutating func writeNetworkDiagram(for cell: CodeCell) {
        let program = CellProgram(cell: cell, source: source)
        guard let widths = program.statements.lazy.compactMap({ statement -> [Int]? in
            if case .network(let widths) = statement.kind { return widths }
            return nil
        }).first else { return }
        let layerNames = widths.indices.map { layer in
            layer == 0 ? "x" : (layer == widths.count - 1 ? "\\hat{y}" : "h_\(layer)")
        }
        let prefix = "network-\(cell.range.start.line)"
        let diagram = NetworkDiagram(layers: widths, layerNames: layerNames, idPrefix: prefix)
        let shape = widths.map(String.init).joined(separator: "–")
        out += "<figure class=\"nb-figure nb-network\">\(diagram.svg)<figcaption>The network of this note: \(shape), "
            + "with weights W<sub>i</sub> and biases b<sub>i</sub> drawn by nbrun.</figcaption></figure>\n"
    }

    private func alignment(_ table: Table, _ index: Int) -> String {
        guard index < table.alignments.count else { return "" }
        switch table.alignments[index] {
        case .none: return ""
        case .left: return " style=\"text-align:left\""
        case .center: return " style=\"text-align:center\""
        case .right: return " style=\"text-align:right\""
        }
    }

    private mutating func write(_ inlines: [Inline]) {
        for inline in inlines { write(inline) }
    }

    private mutating func write(_ inline: Inline) {
        switch inline {
        case .text(let text):
            out += HTML.escape(text)
        case .emphasis(let children):
            out += "<em>"; write(children); out += "</em>"
        case .strong(let children):
            out += "<strong>"; write(children); out += "</strong>"
        case .strikethrough(let children):
            out += "<del>"; write(children); out += "</del>"
        case .highlight(let children):
            out += "<mark>"; write(children); out += "</mark>"
        case .code(let code):
            out += "<code>\(HTML.escape(code))</code>"
        case .link(let destination, let title, let content, let range):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            switch resolvedLink(destination, range: range) {
            case .some(let url):
                out += "<a href=\"\(HTML.escape(url))\"\(titleAttribute)>"
                write(content)
                out += "</a>"
            case .none:
                out += "<a class=\"broken-link\"\(titleAttribute)>"
                write(content)
                out += "</a>"
            }
        case .image(let sourcePath, let title, let alt, let range):
            let altText = HTML.escape(Inline.plainText(alt))
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            if let url = resolvedAsset(sourcePath, range: range) {
                out += "<img src=\"\(HTML.escape(url))\" alt=\"\(altText)\"\(titleAttribute) loading=\"lazy\">"
            } else {
                out += "<span class=\"missing-embed\" role=\"img\" aria-label=\"\(altText)\">\(altText.isEmpty ? HTML.escape(sourcePath) : altText)</span>"
            }
        case .wikiLink(let link):
            writeWikiLink(link)
        case .math(let cell):
            writeMath(cell)
        case .equationReference(let label, let parenthesized, let range):
            if let target = numbering.target(for: label) {
                let number = target.number ?? "↑"
                out += "<a class=\"eqref\" href=\"#\(HTML.escape(target.anchor))\">\(parenthesized ? "(\(HTML.escape(number)))" : HTML.escape(number))</a>"
            } else {
                diagnostics.append(.warning(RenderMessages.unknownLabel(label), at: range))
                out += "<span class=\"broken-ref\">(??)</span>"
            }
        case .html(let raw):
            out += trustsRawHTML ? HTML.removingComments(raw) : HTML.sanitize(raw, url: rawHTMLURL)
        case .softBreak:
            out += "\n"
        case .lineBreak:
            out += "<br>\n"
        case .blockID(let id):
            out += "<span class=\"block-id\" id=\"block-\(HTML.escape(id))\"></span>"
        case .footnoteReference(let label):
            out += "<sup class=\"footnote-ref\"><a href=\"#fn-\(HTML.escape(Heading.slug(label)))\">\(HTML.escape(label))</a></sup>"
        }
    }

    /// An `<img src>` or `<a href>` of raw HTML, resolved like a Markdown image or link
    /// (a relative image becomes the published asset's URL); nil when it leads nowhere.
    private func rawHTMLURL(_ attribute: String, _ value: String) -> String? {
        if LinkResolver.isExternal(value) || value.hasPrefix("#") { return value }
        if case .url(let url) = links.resolve(link: value) { return url }
        return nil
    }

    private mutating func resolvedLink(_ destination: String, range: SourceRange?) -> String? {
        guard LinkResolver.isSafe(url: destination) else { return nil }
        switch links.resolve(link: destination) {
        case .url(let url):
            return url
        case .missing:
            if let range { diagnostics.append(.warning(RenderMessages.missingNote(destination), at: range)) }
            return nil
        case .outsideRoot:
            if let range { diagnostics.append(.warning(RenderMessages.outsideRoot(destination), at: range)) }
            return nil
        }
    }

    private mutating func resolvedAsset(_ path: String, range: SourceRange?) -> String? {
        if LinkResolver.isExternal(path) { return LinkResolver.isSafe(url: path) ? path : nil }
        switch links.resolve(link: path) {
        case .url(let url): return url
        case .missing:
            if let range { diagnostics.append(.warning(RenderMessages.missingEmbed(path), at: range)) }
            return nil
        case .outsideRoot:
            if let range { diagnostics.append(.warning(RenderMessages.outsideRoot(path), at: range)) }
            return nil
        }
    }

    private mutating func writeWikiLink(_ link: WikiLink) {
        let label = link.label ?? (link.heading.map { "\(link.target) › \($0)" } ?? link.target)
        let resolution = links.resolve(wikiTarget: link.target, heading: link.heading)
        let isImage = Self.imageExtensions.contains(Self.fileExtension(of: link.target))
        switch resolution {
        case .url(let url) where link.isEmbed && isImage:
            // The stylesheet's `height: auto` (which keeps a width-only image in proportion) would
            // override the height attribute: a height asked for is also a style.
            let size = (link.width.map { " width=\"\($0)\"" } ?? "")
                + (link.height.map { " height=\"\($0)\" style=\"height:\($0)px\"" } ?? "")
            out += "<img src=\"\(HTML.escape(url))\" alt=\"\(HTML.escape(link.label ?? link.target))\"\(size) loading=\"lazy\">"
        case .url(let url):
            out += "<a class=\"wikilink\" href=\"\(HTML.escape(url))\">\(HTML.escape(label))</a>"
        case .missing, .outsideRoot:
            let message = resolution == .missing
                ? (link.isEmbed ? RenderMessages.missingEmbed(link.target) : RenderMessages.missingNote(link.target))
                : RenderMessages.outsideRoot(link.target)
            diagnostics.append(.warning(message, at: link.range))
            if link.isEmbed {
                out += "<span class=\"missing-embed\" role=\"img\" aria-label=\"\(HTML.escape(label)) (missing)\">\(HTML.escape(link.target))</span>"
            } else {
                out += "<a class=\"broken-link\">\(HTML.escape(label))</a>"
            }
        }
    }

    private static func fileExtension(of path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "" }
        return path[path.index(after: dot)...].lowercased()
    }

    private static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp"]

    private mutating func writeMath(_ cell: MathCell) {
        let line = cell.range.start.line
        if let prose = proseValues[cell.id] {
            out += "<span class=\"nb-value\" data-line=\"\(line)\" title=\"\(HTML.escape(prose.expression))\">"
            out += "\(HTML.escape(PlainMath.typographic(prose.value)))</span>"
            return
        }
        let prepared = numbering.preparedMath(for: cell)
        let anchors = prepared.anchors.map { "<span id=\"\(HTML.escape($0))\" class=\"eq-anchor\"></span>" }.joined()
        let tag = cell.display ? "div" : "span"
        let marks = StepMarks(steps: steps[cell.id] ?? [])
        let kind = (cell.display ? "display" : "inline") + (marks.hasFailure ? " nb-has-failure" : "")
        // Inline math and its marks stay on one line (the marks never start a line of their own).
        let gluesMarks = !cell.display && !marks.steps.isEmpty
        if gluesMarks { out += "<span class=\"nb-checked\">" }
        defer { out += cell.display ? marks.displayHTML() : marks.inlineHTML() + (gluesMarks ? "</span>" : "") }
        switch math[cell.id] {
        case .html(let html):
            out += "\(anchors)<\(tag) class=\"math \(kind)\" data-line=\"\(line)\">\(html)</\(tag)>"
        case .error(let message, _):
            out += "\(anchors)<\(tag) class=\"math \(kind) math-error\" data-line=\"\(line)\" role=\"note\">"
            out += "<code class=\"math-source\">\(HTML.escape(cell.tex))</code>"
            out += "<span class=\"math-error-message\">⚠ \(HTML.escape(RenderMessages.katexError(message).text))</span></\(tag)>"
        case .none:
            out += "<\(tag) class=\"math \(kind)\"><code class=\"math-source\">\(HTML.escape(cell.tex))</code></\(tag)>"
        }
        if cell.display { out += "\n" }
    }
}

