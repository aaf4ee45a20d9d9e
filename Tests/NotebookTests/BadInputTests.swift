import Diagnostics
import Foundation
import Testing
@testable import Notebook

@Suite struct FrontMatterTests {
    @Test func tagsAsListAndValues() {
        let notebook = parse("---\ntitle: A note\ntags: [ml, \"back prop\"]\nweight: 3\nextra:\n  nested: yes\n---\n# Body\n")
        #expect(notebook.frontMatter.title == "A note")
        #expect(notebook.frontMatter.tags == ["ml", "back prop"])
        #expect(notebook.frontMatter.values["weight"] == .number(3))
        #expect(notebook.frontMatter.values["extra"] == .map(["nested": .bool(true)]))
        #expect(notebook.frontMatter.range.map { position($0.end) } == "7:4")
        #expect(notebook.headings.map { position($0.range.start) } == ["8:1"])
        #expect(notebook.diagnostics.isEmpty)
    }

    @Test func yamlErrorPointsIntoTheFile() {
        // The bracket left open is the error, not the closing `---` where libyaml notices it.
        let notebook = parse("---\ntitle: ok\ntags: [a, b\n---\nText\n")
        #expect(notebook.diagnostics.map(\.description) == [
            "t.md:3:7: error: front matter is not valid YAML: did not find expected ',' or ']' while parsing a flow sequence",
        ])
        #expect(notebook.diagnostics.first?.notes == ["the YAML reader noticed it at 4:1"])
    }

    @Test(arguments: [
        // An unclosed quote: where it opens, with the note's own line numbers.
        ("---\ntitle: \"Unclosed\ntags: [a]\n---\n# Hi\n", "2:8", "found unexpected end of stream while scanning a quoted scalar", ["the YAML reader noticed it at 4:1"]),
        // A problem on its own line stays there, column in bytes after a non-ASCII title.
        ("---\ntitle: é: b\n---\n", "2:10", "mapping values are not allowed in this context", []),
        ("---\ntitle: Hi\n\tfoo: 1\n---\n", "3:1", "found a tab character that violates indentation while scanning a plain scalar", []),
    ])
    func yamlErrorsAreWhereTheyAre(_ text: String, _ place: String, _ problem: String, _ notes: [String]) {
        let notebook = parse(text)
        #expect(notebook.diagnostics.map { "\($0.location.line):\($0.location.column)" } == [place])
        #expect(notebook.diagnostics.map(\.id) == ["notebook.invalid-front-matter"])
        #expect(notebook.diagnostics.first?.message.hasSuffix(problem) == true)
        #expect(notebook.diagnostics.first?.notes == notes)
    }

    @Test func unterminatedFrontMatter() {
        let notebook = parse("---\ntitle: never closed\n\nText $x$\n")
        #expect(described(notebook.diagnostics) == ["error 1:1 front matter opened by '---' is never closed by a '---' line"])
        #expect(notebook.frontMatter == .empty)
    }

    @Test func dashesLaterAreNotFrontMatter() {
        let notebook = parse("Text\n---\ntitle: no\n---\n")
        #expect(notebook.frontMatter.title == nil)
    }

    @Test func crlfFrontMatter() {
        let notebook = parse("---\r\ntitle: Windows\r\n---\r\n$x$\r\n")
        #expect(notebook.frontMatter.title == "Windows")
        #expect(maths(notebook).map { position($0.range.start) } == ["4:1"])
    }
}

@Suite struct BadInputTests {
    @Test func missingFile() {
        let notebook = Notebook(contentsOfFile: "/nonexistent/dir/note.md")
        #expect(described(notebook.diagnostics) == ["error 1:1 no such file: '/nonexistent/dir/note.md'"])
        #expect(notebook.hasErrors)
        #expect(notebook.blocks.isEmpty)
    }

    @Test func directoryInsteadOfFile() {
        let path = NSTemporaryDirectory()
        let notebook = Notebook(contentsOfFile: path)
        #expect(described(notebook.diagnostics) == ["error 1:1 '\(path)' is a directory, not a note"])
    }

    @Test func unreadableFile() throws {
        guard getuid() != 0 else { return }   // root reads everything
        let path = NSTemporaryDirectory() + "nb-unreadable-\(getpid()).md"
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        let notebook = Notebook(contentsOfFile: path)
        #expect(notebook.hasErrors)
        #expect(notebook.diagnostics.first?.id == "notebook.unreadable-file")
    }

    @Test func invalidUTF8() {
        var bytes = Array("ok line\nbad é here".utf8)
        bytes.insert(0xFF, at: 12)
        let notebook = Notebook(parsing: SourceFile(path: "t.md", bytes: bytes + Array(" then $x$\n".utf8)))
        #expect(described(notebook.diagnostics) == [
            "error 2:5 invalid UTF-8 byte sequence; the rest of the note is read with replacement characters",
        ])
        #expect(maths(notebook).map(\.tex) == ["x"])
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(inlines[0] == .text("ok line"))
        #expect(inlines[2] == .text("bad \u{FFFD}é here then "))
    }

    @Test func nulBytes() {
        let bytes = Array("a\u{0}b $x$ c\u{0}\n".utf8)
        let notebook = Notebook(parsing: SourceFile(path: "t.md", bytes: bytes))
        #expect(described(notebook.diagnostics) == ["error 1:2 NUL byte in note (2 in all)"])
        #expect(maths(notebook).map { position($0.range.start) } == ["1:5"])
        guard case .paragraph(let inlines, _) = notebook.blocks[0] else { Issue.record("\(notebook.blocks)"); return }
        #expect(inlines.first == .text("a\u{FFFD}b "))
    }

    @Test func placeholderBytesInTheNoteAreNotMath() {
        let notebook = parse("a \u{0E}\u{0F} b $x$\n")
        #expect(maths(notebook).map(\.tex) == ["x"])
    }

    @Test func sourceIsNeverModified() throws {
        let path = NSTemporaryDirectory() + "nb-readonly-\(getpid()).md"
        let original = Data("---\ntitle: t\n---\n$$ x $$\n".utf8)
        try original.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = Notebook(contentsOfFile: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }
}

@Suite struct DeepInputTests {
    /// Parses and reports the time taken; every case must finish well under a second in release.
    func timed(_ text: String) -> (Notebook, Double) {
        let clock = ContinuousClock()
        var notebook: Notebook?
        let elapsed = clock.measure { notebook = parse(text) }
        return (notebook!, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test func hundredThousandBrackets() {
        let (notebook, seconds) = timed(String(repeating: "[", count: 100_000) + "x" + String(repeating: "]", count: 100_000) + "\n")
        #expect(notebook.blocks.count == 1)
        #expect(seconds < 5)
    }

    @Test func hundredThousandQuoteMarkers() {
        let (notebook, seconds) = timed(String(repeating: ">", count: 100_000) + " deep $x$\n")
        #expect(notebook.blocks.count == 1)
        #expect(notebook.diagnostics.map(\.id) == ["notebook.nesting-too-deep"])
        #expect(notebook.diagnostics.map(\.message) == [NotebookMessages.nestingTooDeep(CmarkTree.maximumDepth).text])
        #expect(seconds < 5)
    }

    @Test func hundredThousandNestedLists() {
        let (notebook, seconds) = timed(String(repeating: "- ", count: 100_000) + "x\n")
        #expect(notebook.blocks.count == 1)
        #expect(seconds < 5)
    }

    @Test func hundredThousandBracesInMath() {
        let tex = String(repeating: "{", count: 100_000) + "x" + String(repeating: "}", count: 100_000)
        let (notebook, seconds) = timed("$$\n" + tex + "\n$$\n")
        #expect(maths(notebook).first?.tex == "\n" + tex + "\n")
        #expect(seconds < 5)
    }

    @Test func hundredThousandBracesInCellAttributes() {
        let (notebook, seconds) = timed("```nb " + String(repeating: "{", count: 100_000) + "\nx\n```\n")
        #expect(codeCells(notebook).count == 1)
        #expect(notebook.hasErrors)
        #expect(seconds < 5)
    }

    @Test func manyUnclosedDelimiters() {
        // Each opener would scan to the end of the paragraph if the scanner were quadratic.
        let (notebook, seconds) = timed(String(repeating: "$a \\( `b [[c \\[ ", count: 30_000) + "\n")
        #expect(maths(notebook).isEmpty)
        #expect(seconds < 5)
    }

    @Test func emphasisRuns() {
        let (notebook, seconds) = timed(String(repeating: "*a _b ", count: 50_000) + "\n")
        #expect(notebook.blocks.count == 1)
        #expect(seconds < 5)
    }

    /// The 10 MB case runs in the benchmark (release build); here 3 MB in a debug build.
    @Test func largeNote() {
        var text = ""
        let paragraph = "Prose with $w_{11}^2 x_1 * y_1$ and \\\\(a\\\\) and [[link]] and `code $x$`.\n\n$$\n\\frac{\\partial L}{\\partial w} = x\n$$\n\n"
        while text.utf8.count < 3_000_000 { text += paragraph }
        let (notebook, seconds) = timed(text)
        #expect(maths(notebook).count == text.utf8.count / paragraph.utf8.count * 3 + (text.utf8.count % paragraph.utf8.count == 0 ? 0 : 3))
        #expect(notebook.diagnostics.isEmpty)
        #expect(seconds < 60)
    }
}
