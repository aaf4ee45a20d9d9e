import Foundation
import Diagnostics
import Testing
@testable import Notebook

/// One walker descends into every container; `cells` and `headings` are walks on it.
struct WalkerTests {
    static let text = """
        # Top $a$

        > ## Quoted
        > $$ b = 1 $$

        - item with $c$
          ### In a list

        | x | y |
        | --- | --- |
        | $d$ | *$e$* |

        ![alt with $f$](p.png) and [link $g$](other.md)

        ```nb
        seed: 3
        ```
        """

    @Test func cellsAreEveryMathAndCodeCellInOrderButNotAnImagesAltText() {
        let notebook = Notebook(parsing: SourceFile(path: "w.md", text: Self.text))
        let texts = notebook.cells.map { cell -> String in
            switch cell {
            case .math(let math): math.tex.trimmingCharacters(in: .whitespaces)
            case .code(let code): "nb:" + code.source.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        #expect(texts == ["a", "b = 1", "c", "d", "e", "g", "nb:seed: 3"])
    }

    @Test func headingsIncludeThoseInQuotesAndLists() {
        let notebook = Notebook(parsing: SourceFile(path: "w.md", text: Self.text))
        #expect(notebook.headings.map(\.id) == ["top-a", "quoted", "in-a-list"])
    }

    @Test func aWalkerOfItsOwnSeesEveryInline() {
        struct LinkCounter: NotebookWalker {
            var links = 0
            var images = 0
            mutating func visit(_ inline: Inline) -> NotebookDescent {
                if case .link = inline { links += 1 }
                if case .image = inline { images += 1 }
                return .children
            }
        }
        var counter = LinkCounter()
        counter.walk(Notebook(parsing: SourceFile(path: "w.md", text: Self.text)).blocks)
        #expect(counter.links == 1)
        #expect(counter.images == 1)
    }

    /// `forEachInline` (tags, link checks) is a walk on `NotebookWalker`, which handles every kind of
    /// block and inline in one exhaustive switch: a new kind fails to compile there, once, instead of
    /// being skipped by a hand-written walk's `default: break`. Here: it reaches every container.
    @Test func forEachInlineReachesEveryContainerInOrder() {
        let text = """
            # H $a$

            > q $b$

            - l $c$

            | $d$ |
            | --- |
            | $e$ |

            > [!note] T $f$
            > body $g$

            *$h$* [$i$](x.md) ![$j$](p.png) text[^n]

            [^n]: foot $k$
            """
        var math: [String] = []
        Notebook(parsing: SourceFile(path: "w.md", text: text)).forEachInline { inline in
            if case .math(let cell) = inline { math.append(cell.tex) }
        }
        #expect(math == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"])
    }
}

/// `Inline.plainText` is a walk too: the text inside every inline container, in order.
struct PlainTextWalkTests {
    @Test func plainTextReachesEveryInlineContainer() throws {
        let notebook = Notebook(parsing: SourceFile(path: "p.md", text: """
            a *b* **c** ~~d~~ ==e== [f **g ==h==**](x.md) ![i *j*](p.png) [[t#s]] [[u|v]] `k` $m$ \\eqref{l}
            """))
        guard case .paragraph(let inlines, _) = try #require(notebook.blocks.first) else {
            Issue.record("not a paragraph: \(notebook.blocks)")
            return
        }
        #expect(Inline.plainText(inlines) == "a b c d e f g h i j t > s v k m l")
    }
}
