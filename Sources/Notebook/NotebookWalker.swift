/// Visits a notebook's blocks and inlines in document order, descending into
/// every container unless a visit says otherwise (the shape of swift-markdown's
/// `MarkupWalker`): a new kind of block or inline is descended into here, once,
/// instead of being skipped by every hand-written walk that ends in `default: break`.
///
/// ```swift
/// struct LinkCounter: NotebookWalker {
///     var count = 0
///     mutating func visit(_ inline: Inline) -> NotebookDescent {
///         if case .link = inline { count += 1 }
///         return .children
///     }
/// }
/// let links = LinkCounter().walking(notebook.blocks).count
/// ```
public protocol NotebookWalker {
    /// Called before a block's children; `.skipChildren` leaves them out.
    mutating func visit(_ block: Block) -> NotebookDescent
    /// Called before an inline's children (emphasis, links, image alt text).
    mutating func visit(_ inline: Inline) -> NotebookDescent
}

/// Whether a walk goes on into what a block or inline holds.
public enum NotebookDescent: Sendable {
    case children
    case skipChildren
}

extension NotebookWalker {
    public mutating func visit(_ block: Block) -> NotebookDescent { .children }
    public mutating func visit(_ inline: Inline) -> NotebookDescent { .children }

    /// This walker after a walk over `blocks` (for a walker that collects what it sees).
    public func walking(_ blocks: [Block]) -> Self {
        var walker = self
        walker.walk(blocks)
        return walker
    }

    /// This walker after a walk over `inlines`.
    public func walking(_ inlines: [Inline]) -> Self {
        var walker = self
        walker.walk(inlines)
        return walker
    }

    public mutating func walk(_ blocks: [Block]) {
        for block in blocks {
            guard visit(block) == .children else { continue }
            switch block {
            case .heading(let heading): walk(heading.content)
            case .paragraph(let inlines, _): walk(inlines)
            case .quote(let blocks, _), .footnoteDefinition(_, let blocks, _): walk(blocks)
            case .callout(let callout):
                walk(callout.title)
                walk(callout.blocks)
            case .list(let list): for item in list.items { walk(item.blocks) }
            case .table(let table):
                for cell in table.header { walk(cell) }
                for row in table.rows { for cell in row { walk(cell) } }
            case .math, .cell, .code, .html, .thematicBreak: break
            }
        }
    }

    public mutating func walk(_ inlines: [Inline]) {
        for inline in inlines {
            guard visit(inline) == .children else { continue }
            switch inline {
            case .emphasis(let children), .strong(let children), .strikethrough(let children), .highlight(let children): walk(children)
            case .link(_, _, let children, _): walk(children)
            case .image(_, _, let alt, _): walk(alt)
            case .text, .code, .wikiLink, .math, .equationReference, .html, .softBreak, .lineBreak, .footnoteReference, .blockID: break
            }
        }
    }
}

/// The code and math cells of a notebook, in document order (`Notebook.cells`).
/// Math in an image's alt text is part of a description, not a cell.
struct CellCollector: NotebookWalker {
    var cells: [Cell] = []

    mutating func visit(_ block: Block) -> NotebookDescent {
        switch block {
        case .math(let math): cells.append(.math(math))
        case .cell(let cell): cells.append(.code(cell))
        default: break
        }
        return .children
    }

    mutating func visit(_ inline: Inline) -> NotebookDescent {
        switch inline {
        case .math(let math): cells.append(.math(math))
        case .image: return .skipChildren
        default: break
        }
        return .children
    }
}

/// Every heading of a notebook, in document order (`Notebook.headings`).
struct HeadingCollector: NotebookWalker {
    var headings: [Heading] = []

    mutating func visit(_ block: Block) -> NotebookDescent {
        switch block {
        case .heading(let heading):
            headings.append(heading)
            return .skipChildren
        case .paragraph, .table:
            return .skipChildren
        default:
            return .children
        }
    }
}
