import Diagnostics
import Testing
@testable import Notebook

// Fixtures/hidden-layers-note.md is a copy of /work/shared/seeds/hidden-layers-note.md,
// the project's shared reference note (an Obsidian note); keep the two identical.
@Suite struct SeedNoteTests {
    let notebook: Notebook

    init() throws {
        notebook = try fixture("hidden-layers-note.md")
    }

    @Test func readsCleanly() {
        #expect(notebook.diagnostics.isEmpty, "\(described(notebook.diagnostics))")
        #expect(notebook.frontMatter.title == "Computing Gradient of Loss Function With Respect to Hidden Layers")
        #expect(position(notebook.frontMatter.range!.start) == "1:1")
    }

    @Test func findsEveryMathCellAtItsPlace() {
        let cells = maths(notebook)
        #expect(cells.count == 34)
        #expect(cells.filter(\.display).count == 13)
        #expect(cells.map { position($0.range.start) } == [
            "6:100", "12:1", "16:41", "16:114", "18:1", "21:9", "23:153", "23:199", "23:231", "25:1", "29:1",
            "33:3", "33:44", "33:87", "33:112", "37:1", "41:1", "44:44", "44:63", "48:1", "54:1", "60:1",
            "65:9", "67:54", "67:94", "67:218", "69:1", "73:1", "79:1", "85:1", "89:231", "89:245", "89:271", "89:285",
        ])
        #expect(cells.filter { !$0.display }.allSatisfy { $0.delimiter == .dollar })
        #expect(cells.filter(\.display).allSatisfy { $0.delimiter == .doubleDollar })
    }

    @Test func keepsTexByteForByte() {
        let cells = maths(notebook)
        #expect(cells[0].tex == "i^{th}")
        #expect(cells[1].tex == "\n\\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}}\n")
        #expect(position(cells[1].contentRange.start) == "12:3")
        #expect(cells[10].tex == "\n= \\sum_{m=1}^{k} \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial a_{i+1,m}} W_{i+1,m,j}\n")
        #expect(cells[16].tex == "\nW_{i+1, *,j} = \\begin{bmatrix} W_{i+1,1,j} \\\\ ... \\\\ W_{i+1,k,j} \\end{bmatrix}\n")
        #expect(cells[18].tex == "W_{i+1}")
        #expect(cells[25].tex == "\\nabla_{a_{i+1}} \\mathcal{L}(\\theta)")
        #expect(cells[27].tex == "\n= \\frac{\\partial \\mathcal{L}(\\theta)}{\\partial h_{ij}} g'(a_{ij}) \\;\\; [\\because h_{ij} = g(a_{ij})]\n")
        #expect(cells[29].tex == "\n\\nabla_{a_{i}} \\mathcal{L}(\\theta) = \\nabla_{h_i} \\mathcal{L}(\\theta)  \\odot [...,g'(a_{ik}),...]\n")
        #expect(cells.last?.tex == "a_{i+1}")
        // contentRange maps tex onto the file's bytes exactly.
        for cell in cells {
            let bytes = notebook.source.bytes[cell.contentRange.start.offset..<cell.contentRange.end.offset]
            #expect(Array(bytes) == Array(cell.tex.utf8))
        }
    }

    @Test func findsTheEmbedAndTheRelativeLink() {
        let inlines = allInlines(notebook)
        let wikiLinks = inlines.compactMap { if case .wikiLink(let link) = $0 { link } else { nil } }
        #expect(wikiLinks.count == 1)
        #expect(wikiLinks.first?.target == "feed-forward-nn.png")
        #expect(wikiLinks.first?.isEmbed == true)
        #expect(wikiLinks.first.map { position($0.range.start) } == "8:1")
        #expect(wikiLinks.first?.range.end.column == 25)
        #expect(wikiLinks.first?.linkTarget == .asset(path: "feed-forward-nn.png"))

        let links = inlines.compactMap { inline -> (String, SourceRange?)? in
            if case .link(let destination, _, _, let range) = inline { (destination, range) } else { nil }
        }
        #expect(links.count == 1)
        #expect(links.first?.0 == "talking-to-output-layer")
        #expect(links.first?.1.map { position($0.start) } == "4:79")
        #expect(LinkTarget("talking-to-output-layer") == .note(path: "talking-to-output-layer", anchor: nil))
    }

    @Test func listAfterDisplayMathIsAList() {
        // `$$…$$` is directly followed by `- Where $m$ …` (no blank line).
        guard case .list(let list) = notebook.blocks[7] else {
            Issue.record("expected a list, got \(notebook.blocks[7])")
            return
        }
        #expect(position(list.range.start) == "21:1")
        #expect(list.items.count == 1)
    }
}
