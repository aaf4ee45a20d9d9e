/// Rewriting the math of a notebook, wherever it stands in the tree.
extension Notebook {
    /// The same notebook with every math cell passed through `transform`:
    /// display math, math in headings, paragraphs, quotes, lists, tables,
    /// footnotes, links and emphasis alike. A new kind of block or inline is
    /// handled here and in `CellCollector` (NotebookWalker.swift), so `cells` and this agree.
    ///
    /// ```swift
    /// let expanded = notebook.rewritingMath { cell in
    ///     var cell = cell
    ///     cell.tex = cell.tex.replacingOccurrences(of: #"\R"#, with: #"\mathbb{R}"#)
    ///     return cell
    /// }
    /// ```
    public func rewritingMath(_ transform: (MathCell) -> MathCell) -> Notebook {
        var rewritten = self
        rewritten.blocks = blocks.map { $0.rewritingMath(transform) }
        return rewritten
    }
}

extension Block {
    func rewritingMath(_ transform: (MathCell) -> MathCell) -> Block {
        switch self {
        case .heading(var heading):
            heading.content = Inline.rewritingMath(heading.content, transform)
            return .heading(heading)
        case .paragraph(let inlines, let range):
            return .paragraph(Inline.rewritingMath(inlines, transform), range: range)
        case .math(let cell):
            return .math(transform(cell))
        case .quote(let blocks, let range):
            return .quote(blocks.map { $0.rewritingMath(transform) }, range: range)
        case .callout(var callout):
            callout.title = Inline.rewritingMath(callout.title, transform)
            callout.blocks = callout.blocks.map { $0.rewritingMath(transform) }
            return .callout(callout)
        case .footnoteDefinition(let label, let blocks, let range):
            return .footnoteDefinition(label: label, blocks: blocks.map { $0.rewritingMath(transform) }, range: range)
        case .list(var list):
            for index in list.items.indices {
                list.items[index].blocks = list.items[index].blocks.map { $0.rewritingMath(transform) }
            }
            return .list(list)
        case .table(var table):
            table.header = table.header.map { Inline.rewritingMath($0, transform) }
            table.rows = table.rows.map { row in row.map { Inline.rewritingMath($0, transform) } }
            return .table(table)
        case .cell, .code, .html, .thematicBreak:
            return self
        }
    }
}

extension Inline {
    static func rewritingMath(_ inlines: [Inline], _ transform: (MathCell) -> MathCell) -> [Inline] {
        inlines.map { inline in
            switch inline {
            case .math(let cell): .math(transform(cell))
            case .emphasis(let children): .emphasis(rewritingMath(children, transform))
            case .strong(let children): .strong(rewritingMath(children, transform))
            case .strikethrough(let children): .strikethrough(rewritingMath(children, transform))
            case .highlight(let children): .highlight(rewritingMath(children, transform))
            case .link(let destination, let title, let children, let range):
                .link(destination: destination, title: title, content: rewritingMath(children, transform), range: range)
            case .image(let source, let title, let alt, let range):
                .image(source: source, title: title, alt: rewritingMath(alt, transform), range: range)
            case .text, .code, .wikiLink, .equationReference, .html, .softBreak, .lineBreak, .footnoteReference, .blockID:
                inline
            }
        }
    }
}
