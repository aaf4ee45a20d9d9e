import Foundation
import Testing
@testable import Notebook

/// cmark's GFM additions are attached only where the text could use them: the
/// tree must be the one every addition would give.
@Suite("GFM additions attached on demand")
struct CmarkSyntaxTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Every Markdown file of the repository: the notebooks, test notes, fixtures, docs.
    static func markdownFiles() -> [String] {
        var found: [String] = []
        for folder in ["notebooks", "Tests", "docs"] {
            let base = repository + "/" + folder
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            while let path = walker.nextObject() as? String {
                if path.hasSuffix(".md") { found.append(base + "/" + path) }
            }
        }
        return found.sorted()
    }

    @Test("the tree is the same as with every addition, for every Markdown file here")
    func sameTreeForEveryFile() throws {
        let files = Self.markdownFiles()
        #expect(files.count > 20)
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(CmarkTree.parse(bytes) == CmarkTree.parse(bytes, syntax: .all), "\(file)")
        }
    }

    @Test("each addition is found by what it needs, and its absence leaves the tree unchanged",
          arguments: [
              ("see www.example.com today", CmarkTree.Syntax.autolinks),
              ("at https://example.com/a", .autolinks),
              ("mail someone@example.com", .autolinks),
              ("~~gone~~ and ~x~", .strikethrough),
              ("- [ ] open\n- [x] done\n- [X] done\n- [\t] tab", .taskLists),
              ("| a | b |\n|---|---|\n| 1 | 2 |", .tables),
              ("a claim[^1]\n\n[^1]: the source", .footnotes),
          ])
    func eachAddition(text: String, syntax: CmarkTree.Syntax) {
        let bytes = Array(text.utf8)
        #expect(CmarkTree.Syntax.needed(in: bytes).contains(syntax))
        #expect(CmarkTree.parse(bytes) == CmarkTree.parse(bytes, syntax: .all))
        #expect(CmarkTree.parse(bytes, syntax: []) != CmarkTree.parse(bytes, syntax: .all), "the addition changes this text")
    }

    @Test("plain prose and math need none; a look-alike only costs the addition's time")
    func plainNeedsNone() {
        let text = "# Title\n\nThe loss $E = \\frac{1}{2}(t - y)^2$ costs $5 and *more*: see [[other]] and [a link](y).\n"
        #expect(CmarkTree.Syntax.needed(in: Array(text.utf8)).isEmpty)
        // `WWW.` is not an autolink to cmark, but is looked for all the same.
        let shout = Array("see WWW.example.com".utf8)
        #expect(CmarkTree.Syntax.needed(in: shout) == .autolinks && CmarkTree.parse(shout) == CmarkTree.parse(shout, syntax: []))
    }
}
