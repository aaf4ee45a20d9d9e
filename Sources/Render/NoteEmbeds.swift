import Diagnostics
import Foundation
import Notebook

/// Obsidian's note embeds: a paragraph that is only `![[other note]]` or
/// `![[other note#Heading]]` shows that note (or that section of it) in place,
/// its math typeset, wherever the paragraph stands (a callout, a list, a quote). Its steps are checked once, in its own note, so the
/// embed carries no marks; its problems are reported there too. An embed
/// inside an embed stays a link (no cycles, no blow-up).
///
/// ```swift
/// let embeds = NoteEmbeds.html(for: notebook, links: links, renderer: renderer, macros: [:])
/// embeds[offsetOfTheEmbed]   // "<section class=\"embed\" …>…</section>"
/// ```
enum NoteEmbeds {
    /// The HTML of each embedded note, by the file offset of its `![[…]]`.
    static func html(for notebook: Notebook, links: LinkResolver, renderer: PageRenderer,
                     macros: [String: String]) throws(RenderError) -> [Int: String] {
        var out: [Int: String] = [:]
        for link in EmbedFinder().walking(notebook.blocks).links {
            guard let path = links.notePath(wikiTarget: link.target), path != LinkResolver.canonical(notebook.path) else { continue }
            let other = Notebook(contentsOfFile: path)
            let blocks = section(of: other.blocks, heading: link.heading)
            guard !blocks.isEmpty else { continue }
            let embedLinks = LinkResolver(root: links.root, notePath: path, pageDirectory: links.pageDirectory,
                                          files: links.files, publishedPath: links.publishedPath)
            let body = try renderer.plainBody(other, blocks: blocks, links: embedLinks, macros: macros)
            let title = link.heading ?? other.frontMatter.title ?? link.target
            let url: String
            if case .url(let found) = links.resolve(wikiTarget: link.target, heading: link.heading) { url = found } else { url = "#" }
            out[link.range.start.offset] = "<section class=\"embed\" aria-label=\"\(HTML.escape(title))\">\n"
                + "<p class=\"embed-source\"><a class=\"wikilink\" href=\"\(HTML.escape(url))\">\(HTML.escape(title))</a></p>\n"
                + body + "</section>\n"
        }
        return out
    }

    /// The blocks under a heading (to the next heading of its level or above), or every block.
    static func section(of blocks: [Block], heading: String?) -> [Block] {
        guard let heading else { return blocks }
        let wanted = Heading.slug(heading)
        guard let start = blocks.firstIndex(where: { block in
            if case .heading(let found) = block { return found.id == wanted || Heading.slug(Inline.plainText(found.content)) == wanted }
            return false
        }), case .heading(let opening) = blocks[start] else { return [] }
        var end = start + 1
        while end < blocks.count {
            if case .heading(let next) = blocks[end], next.level <= opening.level { break }
            end += 1
        }
        return Array(blocks[start..<end])
    }
}

/// The embeds of a note: each paragraph that is only `![[…]]`, in every container.
private struct EmbedFinder: NotebookWalker {
    var links: [WikiLink] = []

    mutating func visit(_ block: Block) -> NotebookDescent {
        if case .paragraph(let inlines, _) = block, let link = NoteEmbeds.embed(in: inlines) { links.append(link) }
        return .children
    }
}

extension NoteEmbeds {
    /// The embed a paragraph is, when it is only `![[…]]`.
    static func embed(in paragraph: [Inline]) -> WikiLink? {
        guard paragraph.count == 1, case .wikiLink(let link) = paragraph[0], link.isEmbed else { return nil }
        return link
    }
}

extension PageRenderer {
    /// The HTML of some of a note's blocks with their math typeset and no check marks (for an embed).
    func plainBody(_ notebook: Notebook, blocks: [Block], links: LinkResolver, macros: [String: String]) throws(RenderError) -> String {
        let part = Notebook(source: notebook.source, frontMatter: notebook.frontMatter, blocks: blocks, diagnostics: [])
        let mathCells = part.cells.compactMap { cell -> MathCell? in
            if case .math(let math) = cell { return math }
            return nil
        }
        let numbering = EquationNumbering(cells: mathCells, source: notebook.source)
        let results = try typesetter.typeset(mathCells.map { cell in
            MathRequest(tex: numbering.preparedMath(for: cell).tex, display: cell.display, macros: macros, trusted: trustsMath)
        })
        var typeset: [MathCell.ID: MathResult] = [:]
        for (cell, result) in zip(mathCells, results) { typeset[cell.id] = result }
        var writer = HTMLWriter(source: notebook.source, numbering: numbering, math: typeset, links: links)
        writer.maxBytes = limits.maxPageBytes
        writer.trustsRawHTML = trustsRawHTML
        return writer.write(blocks)
    }
}
