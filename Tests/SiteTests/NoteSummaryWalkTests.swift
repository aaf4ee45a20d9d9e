import Diagnostics
import Notebook
import Testing
@testable import Site

/// The summary walks the notebook with `NotebookWalker`: the prose and links of every kind
/// of block reach the search words and the link checks, however deeply they are held.
struct NoteSummaryWalkTests {
    /// One block of every kind, each prose-holding one with a word of its own.
    static let note = """
        # Heading alpha

        Paragraph bravo [para](a.md).

        > Quote charlie [quoted](b.md)

        > [!note] Callout delta
        > Body echo [[c]]

        - List foxtrot
          - Nested golf ![img](d.png)

        | Header hotel | india |
        | --- | --- |
        | Cell juliet [cell](e.md) | kilo |

        Text[^n]

        [^n]: Footnote lima [foot](f.md)

        <p>raw</p>

        ---

        $$ x = 1 $$

        ```python
        code
        ```

        ```nb
        seed: 3
        ```
        """

    /// The kind of a block. Exhaustive, so a new kind of block does not compile here until
    /// the note above holds one and the test says what the summary takes from it.
    static func kind(_ block: Block) -> String {
        switch block {
        case .heading: "heading"
        case .paragraph: "paragraph"
        case .math: "math"
        case .cell: "cell"
        case .code: "code"
        case .quote: "quote"
        case .callout: "callout"
        case .list: "list"
        case .table: "table"
        case .html: "html"
        case .thematicBreak: "thematicBreak"
        case .footnoteDefinition: "footnoteDefinition"
        }
    }

    @Test func theNoteHoldsEveryKindOfBlock() {
        struct Kinds: NotebookWalker {
            var seen: Set<String> = []
            mutating func visit(_ block: Block) -> NotebookDescent {
                seen.insert(NoteSummaryWalkTests.kind(block))
                return .children
            }
        }
        var kinds = Kinds()
        kinds.walk(Notebook(parsing: SourceFile(path: "kinds.md", text: Self.note)).blocks)
        #expect(kinds.seen == ["heading", "paragraph", "math", "cell", "code", "quote", "callout", "list", "table",
                               "html", "thematicBreak", "footnoteDefinition"])
    }

    @Test func proseInEveryContainerReachesTheSearchWordsInOrder() {
        let summary = NoteSummary(Notebook(parsing: SourceFile(path: "kinds.md", text: Self.note)), relativePath: "kinds.md")
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]
        #expect(summary.words.filter(words.contains) == words)
        // Cells of a row and a callout's title and body stay separate words.
        #expect(!summary.words.contains { $0.hasPrefix("hotelindia") || $0.hasPrefix("indiacell") || $0.hasPrefix("deltabody") })
    }

    @Test func linksInEveryContainerAreReferences() {
        let summary = NoteSummary(Notebook(parsing: SourceFile(path: "kinds.md", text: Self.note)), relativePath: "kinds.md")
        #expect(summary.references.map(\.target) == ["a.md", "b.md", "c", "d.png", "e.md", "f.md"])
        #expect(summary.references.map(\.kind) == [.link, .link, .wikiLink, .image, .link, .link])
        #expect(summary.headings.map(\.text) == ["Heading alpha"])
    }
}
