import Diagnostics

extension Notebook {
    /// Reads a note. Never throws: problems become `diagnostics`.
    ///
    /// ```swift
    /// let notebook = Notebook(parsing: SourceFile(path: "a.md", text: "Let $x_1 * y_1$ be…"))
    /// notebook.cells.count   // 1
    /// ```
    public init(parsing source: SourceFile) {
        var diagnostics = ByteChecks.check(source)
        let front = FrontMatterReader.read(source)
        diagnostics += front.diagnostics

        // What a reader of the note sees: Obsidian's `%%` comments blanked, Jekyll's Liquid resolved
        // (same length, same line breaks, so positions still hold).
        var visible = source.bytes
        diagnostics += ObsidianComments.blank(&visible, from: front.bodyStart, source: source)
        diagnostics += LiquidTags.rewrite(&visible, from: front.bodyStart, source: source)
        let scanner = SpanScanner(source: source, visible: visible, bodyStart: front.bodyStart)
        diagnostics += scanner.diagnostics
        var tree = MarkdownReader.parse(scanner.cmarkInput(bodyStart: front.bodyStart), source: source)

        // Spans that cmark put inside code or HTML blocks were not math after all:
        // give cmark those bytes back and parse again.
        let rejected = MarkdownReader.spansInRawBlocks(tree, source: source, spans: scanner.spans)
        if !rejected.isEmpty {
            tree = MarkdownReader.parse(scanner.cmarkInput(bodyStart: front.bodyStart, rejected: rejected), source: source)
        }
        var spans: [ScannedSpan] = []
        for (index, span) in scanner.spans.enumerated() where !rejected.contains(index) { spans.append(span) }

        var reader = MarkdownReader(source: source, spans: spans)
        reader.visible = visible
        var blocks = reader.blocks(tree.children, topLevel: true)
        // cmark moves footnote definitions to the end; put them back where they were written.
        blocks = blocks.enumerated().sorted { lhs, rhs in
            (lhs.element.range.start.offset, lhs.offset) < (rhs.element.range.start.offset, rhs.offset)
        }.map(\.element)
        diagnostics += reader.diagnostics
        diagnostics += NotebookChecks.check(reader.found, source: source)
        self.init(source: source, frontMatter: front.frontMatter, blocks: blocks, diagnostics: [])
        allowed = reader.allowed
        self.diagnostics = diagnostics.sorted { ($0.range.start.offset, $0.severity) < ($1.range.start.offset, $1.severity) }
    }
}

/// Turns the copied cmark tree into `Block`s and `Inline`s, putting the
/// scanned spans back where their placeholders are.
struct MarkdownReader {
    let source: SourceFile
    let spans: [ScannedSpan]
    /// The note's bytes as cmark read them (comments blanked, Liquid resolved).
    var visible: [UInt8] = []
    var diagnostics: [Diagnostic] = []
    /// Codes named by `<!-- nb: allow CODE -->` comments.
    var allowed: Set<MessageID> = []
    /// What the whole-note checks need, gathered while converting.
    var found = NotebookChecks.Found()
    private var headingIDs: [String: Int] = [:]
    private var reportedDepth = false

    init(source: SourceFile, spans: [ScannedSpan]) {
        self.source = source
        self.spans = spans
    }

    // MARK: Positions

    /// cmark's tree of `input`, its positions in `source`'s lines. They are the same lines unless
    /// the input joined some (an empty line inside `$$ … $$`): then each position is mapped back
    /// through its byte offset, which joining lines does not move.
    static func parse(_ input: [UInt8], source: SourceFile) -> MarkdownNode {
        let tree = CmarkTree.parse(input)
        let newline = UInt8(ascii: "\n")
        guard input.count == source.bytes.count,
              input.count(where: { $0 == newline }) != source.bytes.count(where: { $0 == newline }) else { return tree }
        var inputLineStarts: [Int] = [0]
        for (offset, byte) in input.enumerated() where byte == UInt8(ascii: "\n") { inputLineStarts.append(offset + 1) }
        func mapped(_ line: Int, _ column: Int) -> (Int, Int) {
            guard line >= 1, line <= inputLineStarts.count else { return (line, column) }
            let location = source.location(ofOffset: min(source.bytes.count, inputLineStarts[line - 1] + max(0, column - 1)))
            return (location.line, location.column)
        }
        func remap(_ node: MarkdownNode) -> MarkdownNode {
            var node = node
            if node.startLine > 0 { (node.startLine, node.startColumn) = mapped(node.startLine, node.startColumn) }
            if node.endLine > 0 { (node.endLine, node.endColumn) = mapped(node.endLine, node.endColumn) }
            node.children = node.children.map(remap)
            return node
        }
        return remap(tree)
    }

    func startOffset(_ node: MarkdownNode) -> Int {
        guard node.startLine > 0 else { return 0 }
        return source.offset(line: node.startLine, column: max(1, node.startColumn))
    }

    func endOffset(_ node: MarkdownNode) -> Int {
        if node.kind == .htmlBlock, node.startLine > 0 {
            // cmark's end position for HTML blocks is unreliable; count the literal's lines.
            var lines = node.literal.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            if !node.literal.utf8.isEmpty, node.literal.utf8.last != UInt8(ascii: "\n") { lines += 1 }
            let endLine = node.startLine + max(0, lines - 1)
            guard endLine < source.lineCount else { return source.bytes.count }
            var end = source.lineStarts[endLine] - 1
            if end > 0, source.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return max(startOffset(node), end)
        }
        guard node.endLine > 0 else { return startOffset(node) }
        return max(startOffset(node), source.offset(line: node.endLine, column: node.endColumn) + 1)
    }

    func range(_ node: MarkdownNode) -> SourceRange {
        source.range(from: startOffset(node), to: endOffset(node))
    }

    /// Indices of spans whose start lies inside a code block or HTML block.
    static func spansInRawBlocks(_ tree: MarkdownNode, source: SourceFile, spans: [ScannedSpan]) -> Set<Int> {
        guard !spans.isEmpty else { return [] }
        let reader = MarkdownReader(source: source, spans: spans)
        var ranges: [(Int, Int)] = []
        // Code and HTML blocks sit only in containers; inline content is not visited.
        func visit(_ children: [MarkdownNode]) {
            for index in children.indices {
                switch children[index].kind {
                case .codeBlock, .htmlBlock:
                    ranges.append((reader.startOffset(children[index]), reader.endOffset(children[index])))
                case .document, .blockQuote, .list, .item, .footnoteDefinition:
                    visit(children[index].children)
                default: break
                }
            }
        }
        visit(tree.children)
        var rejected = Set<Int>()
        for (start, end) in ranges {
            var index = reader.firstSpan(atOrAfter: start)
            while index < spans.count, spans[index].start < end {
                rejected.insert(index)
                index += 1
            }
        }
        return rejected
    }

    func firstSpan(atOrAfter offset: Int) -> Int {
        var low = 0
        var high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Blocks

    mutating func blocks(_ nodes: [MarkdownNode], topLevel: Bool = false) -> [Block] {
        var result: [Block] = []
        var pending: [Annotation] = []
        var pendingRange: SourceRange?
        for node in nodes {
            var converted = block(node)
            if node.kind == .htmlBlock {
                let found = annotations(in: node)
                if !found.isEmpty {
                    // `nb: allow CODE` is for the whole note; every other annotation is for the math that follows.
                    let forMath = found.filter { annotation in
                        guard annotation.text.hasPrefix("allow ") else { return true }
                        for code in annotation.text.dropFirst(6).split(separator: " ") { allowed.insert(MessageID(String(code))) }
                        return false
                    }
                    if !forMath.isEmpty {
                        pending += forMath
                        pendingRange = pendingRange ?? forMath[0].range
                    }
                    result += converted
                    continue
                }
            }
            if !pending.isEmpty {
                var attached = false
                converted = converted.map { $0.attaching(pending, attached: &attached) }
                if !attached, let pendingRange {
                    diagnostics.append(.warning(NotebookMessages.danglingAnnotation, at: pendingRange))
                }
                pending = []
                pendingRange = nil
            }
            result += converted
        }
        if let pendingRange {
            diagnostics.append(.warning(NotebookMessages.danglingAnnotation, at: pendingRange))
        }
        return result
    }

    mutating func block(_ node: MarkdownNode) -> [Block] {
        let nodeRange = range(node)
        switch node.kind {
        case .paragraph:
            return paragraph(node)
        case .heading:
            var cursor = SpanCursor(spans: spans, from: firstSpan(atOrAfter: startOffset(node)), end: endOffset(node))
            var content = inlines(node.children, cursor: &cursor)
            // A comment at the end (`## Part %%todo%%`) leaves the space before it; cmark trims the rest.
            if case .text(var last)? = content.last, last.last == " " {
                while last.last == " " { last.removeLast() }
                if last.isEmpty { content.removeLast() } else { content[content.count - 1] = .text(last) }
            }
            return [.heading(Heading(level: node.level, content: content, id: uniqueID(for: content), range: nodeRange))]
        case .blockQuote:
            let content = blocks(node.children)
            if let callout = Callout(quoting: content, range: nodeRange) { return [.callout(callout)] }
            return [.quote(content, range: nodeRange)]
        case .list:
            let items = node.children.map { item in
                ListItem(checked: item.checked, blocks: blocks(item.children))
            }
            return [.list(ListBlock(ordered: node.ordered, start: node.listStart, tight: node.tight,
                                    items: items, range: nodeRange))]
        case .item:
            return blocks(node.children)
        case .codeBlock:
            return [codeBlock(node)]
        case .htmlBlock:
            return [.html(node.literal.withoutHidden, range: nodeRange)]
        case .thematicBreak:
            return [.thematicBreak(range: nodeRange)]
        case .footnoteDefinition:
            // cmark starts the definition at its content; start it at `[^label]:`.
            var start = startOffset(node)
            let lineStart = source.offset(line: node.startLine, column: 1)
            if let bracket = source.bytes[lineStart..<start].firstIndex(of: UInt8(ascii: "[")) { start = bracket }
            return [.footnoteDefinition(label: footnoteLabel(at: start) ?? node.literal, blocks: blocks(node.children),
                                        range: source.range(from: start, to: endOffset(node)))]
        case .table:
            return [table(node)]
        case .flattened:
            reportDepth(nodeRange)
            return [.paragraph([.text(node.literal)], range: nodeRange)]
        default:
            return blocks(node.children)
        }
    }

    private mutating func reportDepth(_ range: SourceRange) {
        guard !reportedDepth else { return }
        reportedDepth = true
        diagnostics.append(.warning(NotebookMessages.nestingTooDeep(CmarkTree.maximumDepth), at: range))
    }

    private mutating func table(_ node: MarkdownNode) -> Block {
        var cursor = SpanCursor(spans: spans, from: firstSpan(atOrAfter: startOffset(node)), end: endOffset(node))
        var header: [[Inline]] = []
        var rows: [[[Inline]]] = []
        for row in node.children where row.kind == .tableRow {
            let cells = row.children.map { inlines($0.children, cursor: &cursor) }
            if row.isHeaderRow { header = cells } else { rows.append(cells) }
        }
        let alignments: [Table.Alignment] = node.alignments.map {
            switch $0 {
            case UInt8(ascii: "l"): .left
            case UInt8(ascii: "c"): .center
            case UInt8(ascii: "r"): .right
            default: .none
            }
        }
        return .table(Table(alignments: alignments, header: header, rows: rows, range: range(node)))
    }

    // MARK: Paragraphs and display math

    /// A paragraph, split around display math that stands on its own lines.
    private mutating func paragraph(_ node: MarkdownNode) -> [Block] {
        let start = startOffset(node)
        let end = endOffset(node)
        var cursor = SpanCursor(spans: spans, from: firstSpan(atOrAfter: start), end: end)
        var content = inlines(node.children, cursor: &cursor)
        if let id = Inline.takeBlockID(from: &content) { found.headingIDs.insert("block-" + id) }

        var result: [Block] = []
        var pieceStart = start
        var piece: [Inline] = []
        for (index, inline) in content.enumerated() {
            if case .math(var cell) = inline, cell.canStandAlone,
               index == 0 || content[index - 1].isLineBreak,
               index == content.count - 1 || content[index + 1].isLineBreak {
                flush(&piece, from: pieceStart, to: lineEnd(before: cell.range.start.line), into: &result)
                cell.display = true
                result.append(.math(cell))
                pieceStart = lineContentStart(after: cell.range.end)
                continue
            }
            piece.append(inline)
        }
        flush(&piece, from: pieceStart, to: end, into: &result)
        return result
    }

    private func flush(_ piece: inout [Inline], from start: Int, to end: Int, into result: inout [Block]) {
        while let first = piece.first, first.isLineBreak { piece.removeFirst() }
        while let last = piece.last, last.isLineBreak { piece.removeLast() }
        if !piece.isEmpty {
            result.append(.paragraph(piece, range: source.range(from: start, to: max(start, end))))
        }
        piece = []
    }

    /// The end of the line before `line` (before its line break).
    private func lineEnd(before line: Int) -> Int {
        guard line >= 2 else { return 0 }
        var end = source.lineStarts[line - 1] - 1
        if end > 0, source.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return end
    }

    /// The first content byte of the line after `location` (past indentation and quote markers).
    private func lineContentStart(after location: SourceLocation) -> Int {
        guard location.line < source.lineCount else { return source.bytes.count }
        var offset = source.lineStarts[location.line]
        while offset < source.bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ">")].contains(source.bytes[offset]) {
            offset += 1
        }
        return offset
    }

    // MARK: Inlines

    mutating func inlines(_ nodes: [MarkdownNode], cursor: inout SpanCursor) -> [Inline] {
        Inline.highlighting(convertedInlines(nodes, cursor: &cursor))
    }

    private mutating func convertedInlines(_ nodes: [MarkdownNode], cursor: inout SpanCursor) -> [Inline] {
        var result: [Inline] = []
        for node in nodes {
            if node.kind == .softBreak, cursor.inSpan {
                cursor.pendingBreak = true
                continue
            }
            if node.kind != .text, cursor.pendingBreak {
                result.append(.softBreak)
                cursor.pendingBreak = false
                cursor.inSpan = false
            }
            switch node.kind {
            case .text:
                text(node.literal, cursor: &cursor, into: &result)
            case .softBreak:
                result.append(.softBreak)
            case .lineBreak:
                cursor.inSpan = false
                result.append(.lineBreak)
            case .code:
                cursor.inSpan = false
                result.append(.code(node.literal.withoutHidden))
            case .htmlInline:
                cursor.inSpan = false
                result.append(.html(node.literal.withoutHidden))
            case .emphasis:
                cursor.inSpan = false
                result.append(.emphasis(inlines(node.children, cursor: &cursor)))
            case .strong:
                cursor.inSpan = false
                result.append(.strong(inlines(node.children, cursor: &cursor)))
            case .strikethrough:
                cursor.inSpan = false
                result.append(.strikethrough(inlines(node.children, cursor: &cursor)))
            case .link:
                cursor.inSpan = false
                let content = inlines(node.children, cursor: &cursor)
                let linkRange = node.startLine > 0 ? range(node) : nil
                if node.url.withoutHidden.hasPrefix("#") {
                    found.anchors.append((String(node.url.withoutHidden.dropFirst()), linkRange ?? SourceRange(at: source.location(ofOffset: 0))))
                }
                result.append(.link(destination: node.url.withoutHidden, title: node.title.withoutHidden, content: content, range: linkRange))
            case .image:
                cursor.inSpan = false
                let alt = inlines(node.children, cursor: &cursor)
                result.append(.image(source: node.url.withoutHidden, title: node.title.withoutHidden, alt: alt,
                                     range: node.startLine > 0 ? range(node) : nil))
            case .footnoteReference:
                cursor.inSpan = false
                result.append(.footnoteReference(footnoteLabel(at: startOffset(node)) ?? node.literal))
            case .flattened:
                reportDepth(range(node))
                result.append(.text(node.literal))
            default:
                result += inlines(node.children, cursor: &cursor)
            }
        }
        return result
    }

    /// Splits a text node at placeholders: `0x0E` starts the next span, `0x0F` continues it.
    private mutating func text(_ written: String, cursor: inout SpanCursor, into result: inout [Inline]) {
        let literal = written.withoutHidden
        let marked = literal.utf8.contains { $0 == SpanScanner.placeholderStart || $0 == SpanScanner.placeholderFill || $0 == SpanScanner.substitute }
        if !marked {
            if !literal.isEmpty {
                flushBreak(&cursor, into: &result)
                result.append(.text(literal))
            }
            return
        }
        var plain = ""
        var first = true
        for scalar in literal.unicodeScalars {
            defer { first = false }
            switch scalar.value {
            case UInt32(SpanScanner.placeholderStart):
                if cursor.pendingBreak {
                    // A line break between two spans, or after one: it is prose.
                    result.append(.softBreak)
                    cursor.pendingBreak = false
                }
                if !plain.isEmpty { result.append(.text(plain)); plain = "" }
                if let span = cursor.next() { result.append(inline(for: span)) }
                cursor.inSpan = true
            case UInt32(SpanScanner.placeholderFill):
                if first, cursor.pendingBreak { cursor.pendingBreak = false }   // the span goes on
                if !cursor.inSpan { plain.unicodeScalars.append("\u{FFFD}") }
            case UInt32(SpanScanner.substitute):
                flushBreak(&cursor, into: &result)
                plain.unicodeScalars.append("\u{FFFD}")
            default:
                flushBreak(&cursor, into: &result)
                cursor.inSpan = false
                plain.unicodeScalars.append(scalar)
            }
        }
        if !plain.isEmpty { result.append(.text(plain)) }
    }

    private func flushBreak(_ cursor: inout SpanCursor, into result: inout [Inline]) {
        if cursor.pendingBreak {
            result.append(.softBreak)
            cursor.pendingBreak = false
        }
        cursor.inSpan = false
    }

    private mutating func inline(for span: ScannedSpan) -> Inline {
        let whole = source.range(from: span.start, to: span.end)
        switch span.kind {
        case .math(let delimiter):
            let display = delimiter == .bracket || delimiter == .doubledBracket || delimiter == .environment
            let cell = MathCell(tex: span.text, display: display, delimiter: delimiter, range: whole,
                                contentRange: source.range(from: span.contentStart, to: span.contentEnd))
            found.math.append(cell)
            return .math(cell)
        case .wikiLink(let embed):
            let link = WikiLink(parsing: span.text, isEmbed: embed, range: whole)
            if link.target.isEmpty, let heading = link.heading {
                found.anchors.append((Heading.anchor(forLinkHeading: heading), whole))
            }
            return .wikiLink(link)
        case .reference(let parenthesized):
            found.references.append((span.text, whole))
            return .equationReference(label: span.text, parenthesized: parenthesized, range: whole)
        }
    }

    /// The label of `[^label]` written at `offset` (cmark keeps only a number).
    private func footnoteLabel(at offset: Int) -> String? {
        let bytes = source.bytes
        guard offset + 2 < bytes.count, bytes[offset] == UInt8(ascii: "["), bytes[offset + 1] == UInt8(ascii: "^") else { return nil }
        var end = offset + 2
        while end < bytes.count, bytes[end] != UInt8(ascii: "]"), bytes[end] != UInt8(ascii: "\n") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "]") else { return nil }
        return String(decoding: bytes[(offset + 2)..<end], as: UTF8.self)
    }

    // MARK: Code

    private mutating func codeBlock(_ node: MarkdownNode) -> Block {
        let nodeRange = range(node)
        guard node.fenced else {
            return .code(CodeBlock(language: "", code: node.literal.withoutHidden, range: nodeRange))
        }
        // Read the info string from the original line, for exact columns.
        let lineStart = source.offset(line: node.startLine, column: 1)
        let lineEnd = node.startLine < source.lineCount ? source.lineStarts[node.startLine] - 1 : source.bytes.count
        var index = min(startOffset(node), lineEnd)
        let bytes = visible.count == source.bytes.count ? visible : source.bytes
        while index < lineEnd, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        let fenceByte = index < lineEnd ? bytes[index] : UInt8(ascii: "`")
        let fenceStart = index
        while index < lineEnd, bytes[index] == fenceByte { index += 1 }
        let fenceLength = index - fenceStart
        while index < lineEnd, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        var infoEnd = lineEnd
        while infoEnd > index, isSpace(bytes[infoEnd - 1]) { infoEnd -= 1 }
        _ = lineStart
        var wordEnd = index
        while wordEnd < infoEnd, !isSpace(bytes[wordEnd]), bytes[wordEnd] != UInt8(ascii: "{") { wordEnd += 1 }
        let language = String(decoding: bytes[index..<wordEnd], as: UTF8.self)

        if language == "math" {
            return githubMath(node, fenceStart: fenceStart, fenceLength: fenceLength, fenceByte: fenceByte)
        }
        guard CodeCell.languages.contains(language) else {
            let firstWord = node.info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            return .code(CodeBlock(language: firstWord, code: node.literal.withoutHidden, range: nodeRange))
        }
        var parsed = CellAttributes.parse(bytes, from: wordEnd, to: infoEnd, source: source)
        diagnostics += parsed.diagnostics
        parsed.diagnostics = []

        // The body runs from the line after the opening fence to the closing fence.
        let bodyStart = node.startLine < source.lineCount ? source.lineStarts[node.startLine] : source.bytes.count
        var bodyEnd = endOffset(node)
        if node.endLine > node.startLine {
            let closingLine = source.lineText(node.endLine).trimming(" \t>")
            let closed = closingLine.utf8.count >= fenceLength && closingLine.utf8.allSatisfy { $0 == fenceByte }
            if closed {
                bodyEnd = source.lineStarts[node.endLine - 1]
            } else {
                diagnostics.append(.warning(NotebookMessages.unclosedCell, at: source.range(from: fenceStart, to: fenceStart + fenceLength)))
            }
        } else {
            diagnostics.append(.warning(NotebookMessages.unclosedCell, at: source.range(from: fenceStart, to: fenceStart + fenceLength)))
        }
        if let id = parsed.id { found.cellIDs.append((id, nodeRange)) }
        return .cell(CodeCell(language: language, id: parsed.id, flags: parsed.flags, attributes: parsed.attributes,
                              source: node.literal, range: nodeRange,
                              contentRange: source.range(from: bodyStart, to: max(bodyStart, bodyEnd))))
    }

    /// GitHub's display math, ```` ```math ````: the body is the TeX, read from the file so that
    /// its positions hold (quote markers on its lines become spaces, as for `$$` in a quote).
    private mutating func githubMath(_ node: MarkdownNode, fenceStart: Int, fenceLength: Int, fenceByte: UInt8) -> Block {
        let bodyStart = node.startLine < source.lineCount ? source.lineStarts[node.startLine] : source.bytes.count
        var bodyEnd = endOffset(node)
        if node.endLine > node.startLine {
            let closingLine = source.lineText(node.endLine).trimming(" \t>")
            if closingLine.utf8.count >= fenceLength && closingLine.utf8.allSatisfy({ $0 == fenceByte }) {
                bodyEnd = source.lineStarts[node.endLine - 1]
            }
        }
        bodyEnd = max(bodyStart, bodyEnd)
        // The line break before the closing fence is not part of the TeX.
        if bodyEnd > bodyStart, source.bytes[bodyEnd - 1] == UInt8(ascii: "\n") { bodyEnd -= 1 }
        if bodyEnd > bodyStart, source.bytes[bodyEnd - 1] == UInt8(ascii: "\r") { bodyEnd -= 1 }
        var tex = Array(source.bytes[bodyStart..<bodyEnd])
        var atLineStart = true
        for index in tex.indices {
            if tex[index] == UInt8(ascii: "\n") { atLineStart = true; continue }
            if atLineStart, tex[index] == UInt8(ascii: ">") { tex[index] = UInt8(ascii: " "); continue }
            if tex[index] != UInt8(ascii: " ") && tex[index] != UInt8(ascii: "\t") { atLineStart = false }
        }
        let cell = MathCell(tex: String(decoding: tex, as: UTF8.self), display: true, delimiter: .fence, range: range(node),
                            contentRange: source.range(from: bodyStart, to: bodyEnd))
        found.math.append(cell)
        return .math(cell)
    }

    // MARK: Headings

    private mutating func uniqueID(for content: [Inline]) -> String {
        var base = Heading.slug(Inline.plainText(content))
        if base.isEmpty { base = "section" }
        if let count = headingIDs[base] {
            var number = count
            var candidate = "\(base)-\(number)"
            while headingIDs[candidate] != nil {
                number += 1
                candidate = "\(base)-\(number)"
            }
            headingIDs[base] = number + 1
            headingIDs[candidate] = 1
            found.headingIDs.insert(candidate)
            return candidate
        }
        headingIDs[base] = 1
        found.headingIDs.insert(base)
        return base
    }

    // MARK: Annotations

    /// `nb:` directives in the HTML comments of an HTML block.
    private mutating func annotations(in node: MarkdownNode) -> [Annotation] {
        let bytes = source.bytes
        let end = min(bytes.count, endOffset(node))
        var index = startOffset(node)
        var result: [Annotation] = []
        while index + 4 <= end {
            guard bytes[index] == UInt8(ascii: "<"), bytes[index..<(index + 4)].elementsEqual("<!--".utf8) else {
                index += 1
                continue
            }
            let innerStart = index + 4
            var close = innerStart
            while close + 3 <= end, !bytes[close..<(close + 3)].elementsEqual("-->".utf8) { close += 1 }
            let innerEnd = min(close, end)
            result += directives(innerStart, innerEnd)
            index = innerEnd + 3
        }
        return result
    }

    /// Splits a comment's text into directives at `;` and line breaks; the first
    /// must start with `nb:`, later ones may repeat it.
    private mutating func directives(_ start: Int, _ end: Int) -> [Annotation] {
        let bytes = source.bytes
        var index = start
        while index < end, isSpace(bytes[index]) { index += 1 }
        guard index + 3 <= end, bytes[index..<(index + 3)].elementsEqual("nb:".utf8) else { return [] }
        let commentStart = index
        index += 3
        var result: [Annotation] = []
        var pieceStart = index
        while index <= end {
            if index == end || bytes[index] == UInt8(ascii: ";") || bytes[index] == UInt8(ascii: "\n") {
                var low = pieceStart
                var high = index
                while low < high, isSpace(bytes[low]) { low += 1 }
                while high > low, isSpace(bytes[high - 1]) { high -= 1 }
                if high - low >= 3, bytes[low..<(low + 3)].elementsEqual("nb:".utf8) {
                    low += 3
                    while low < high, isSpace(bytes[low]) { low += 1 }
                }
                if high > low {
                    result.append(Annotation(text: String(decoding: bytes[low..<high], as: UTF8.self),
                                             range: source.range(from: low, to: high)))
                }
                pieceStart = index + 1
            }
            index += 1
        }
        if result.isEmpty {
            diagnostics.append(.warning(NotebookMessages.emptyAnnotation, at: source.range(from: commentStart, to: commentStart + 3)))
        }
        return result
    }
}

/// Hands out the spans of one block in order.
struct SpanCursor {
    let spans: [ScannedSpan]
    var index: Int
    let end: Int
    /// Inside a span's placeholder.
    var inSpan = false
    /// A soft break seen inside a span's placeholder: dropped if the span goes on.
    var pendingBreak = false

    init(spans: [ScannedSpan], from index: Int, end: Int) {
        self.spans = spans
        self.index = index
        self.end = end
    }

    mutating func next() -> ScannedSpan? {
        guard index < spans.count, spans[index].start < end else { return nil }
        defer { index += 1 }
        return spans[index]
    }
}

extension Inline {
    var isLineBreak: Bool {
        switch self {
        case .softBreak, .lineBreak: true
        default: false
        }
    }
}

extension MathCell {
    /// `$$`, `\[…\]`, `\\[…\\]` and environments become display blocks when they stand on their own lines.
    var canStandAlone: Bool {
        switch delimiter {
        case .doubleDollar, .bracket, .doubledBracket, .environment: true
        case .dollar, .parenthesis, .doubledParenthesis, .dollarBacktick, .fence: false
        }
    }
}

extension Block {
    /// Adds annotations to every math cell directly in this block (a math block,
    /// or the math of a paragraph); sets `attached` when there was any.
    func attaching(_ annotations: [Annotation], attached: inout Bool) -> Block {
        switch self {
        case .math(var cell):
            cell.annotations += annotations
            attached = true
            return .math(cell)
        case .paragraph(let inlines, let range):
            return .paragraph(Inline.attaching(annotations, to: inlines, attached: &attached), range: range)
        default:
            return self
        }
    }
}

extension Inline {
    static func attaching(_ annotations: [Annotation], to inlines: [Inline], attached: inout Bool) -> [Inline] {
        inlines.map { inline in
            switch inline {
            case .math(var cell):
                cell.annotations += annotations
                attached = true
                return .math(cell)
            case .emphasis(let children): return .emphasis(attaching(annotations, to: children, attached: &attached))
            case .strong(let children): return .strong(attaching(annotations, to: children, attached: &attached))
            case .strikethrough(let children): return .strikethrough(attaching(annotations, to: children, attached: &attached))
            case .highlight(let children): return .highlight(attaching(annotations, to: children, attached: &attached))
            case .link(let destination, let title, let children, let range):
                return .link(destination: destination, title: title,
                             content: attaching(annotations, to: children, attached: &attached), range: range)
            default: return inline
            }
        }
    }
}

extension String {
    /// The text without `SpanScanner.hidden` bytes (comments and Liquid no reader sees).
    var withoutHidden: String {
        guard utf8.contains(SpanScanner.hidden) else { return self }
        return String(decoding: utf8.filter { $0 != SpanScanner.hidden }, as: UTF8.self)
    }
}
