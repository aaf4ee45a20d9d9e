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
}
