import Foundation
import Testing
@testable import Diagnostics

@Test func locationsAreOneBasedWithByteColumns() {
    let source = SourceFile(path: "a.md", text: "ab\nλx $$y$$\n")
    #expect(source.location(ofOffset: 0).description == "a.md:1:1")
    #expect(source.location(ofOffset: 3).description == "a.md:2:1")
    // λ is two UTF-8 bytes, so `x` is at byte column 3.
    #expect(source.location(ofOffset: 5).description == "a.md:2:3")
    #expect(source.location(ofOffset: 999).offset == source.bytes.count)
    #expect(source.offset(line: 2, column: 3) == 5)
    #expect(source.lineText(2) == "λx $$y$$")
}

@Test func printerUnderlinesTheSpan() {
    let source = SourceFile(path: "n.md", text: "intro\n$$ a = b $$\n")
    let diagnostic = Diagnostic.error("step does not hold", at: source.range(from: 9, to: 14), notes: ["left 1, right 2"])
    let text = DiagnosticPrinter(colored: false).format(diagnostic, source: source)
    #expect(text == """
        n.md:2:4: error: step does not hold
           2 | $$ a = b $$
             |    ^~~~~
              = left 1, right 2

        """)
}

@Test func printerPlacesCaretUnderCharactersNotBytes() {
    let source = SourceFile(path: "n.md", text: "αβ $x$\n")
    let diagnostic = Diagnostic.warning("w", at: source.range(from: 5, to: 8))
    let text = DiagnosticPrinter(colored: false).format(diagnostic, source: source)
    #expect(text.contains("   1 | αβ $x$\n     |    ^~~\n"))
}

@Test func aLongLineIsShownAsAWindowAroundTheCaret() {
    let line = String(repeating: "(", count: 1000) + "x" + String(repeating: ")", count: 1000)
    let source = SourceFile(path: "n.md", text: line + "\n")
    let diagnostic = Diagnostic.error("too deep", at: source.range(from: 1000, to: 1001))
    let text = DiagnosticPrinter(colored: false).format(diagnostic, source: source)
    let lines = text.split(separator: "\n")
    #expect(lines[0] == "n.md:1:1001: error: too deep")
    #expect(lines[1] == "   1 | …" + String(repeating: "(", count: 53) + "x" + String(repeating: ")", count: 106) + "…")
    #expect(lines[2] == "     | " + String(repeating: " ", count: 54) + "^")
}

@Test func sourcePathsAreEqualExactlyWhenTheirTextIs() {
    let a = SourcePath("notes/a.md")
    #expect(a == SourcePath("notes/a.md"))
    #expect(a != SourcePath("notes/b.md"))
    #expect(a.string == "notes/a.md" && a.description == "notes/a.md")
    // Ordered by text, whatever order they were first seen in.
    #expect(SourcePath("z.md") > SourcePath("notes/zz.md"))
    var location = SourceLocation(file: "x.md", line: 3, column: 2, offset: 10)
    #expect(location.path == SourcePath("x.md") && location.file == "x.md")
    location.file = "y.md"
    #expect(location.description == "y.md:3:2")
    // Locations sort by file first, then by offset.
    let early = SourceLocation(file: "b.md", line: 9, column: 1, offset: 90)
    let late = SourceLocation(file: "b.md", line: 1, column: 5, offset: 4)
    #expect(late < early && SourceLocation(file: "a.md", line: 1, column: 1, offset: 500) < late)
    #expect(SourceRange(start: early, end: early).union(SourceRange(start: late, end: late)) == SourceRange(start: late, end: early))
    // Many threads at once see one number per path.
    let paths = (0..<64).map { "notes/\($0 % 8).md" }
    let numbers = paths.map { path in SourcePath(path) }
    DispatchQueue.concurrentPerform(iterations: 64) { index in
        precondition(SourcePath(paths[index]) == numbers[index])
    }
}

@Test func locationsAreSixteenBytesAndSaturateBeyondFourGiB() {
    // Every node of a parsed equation carries a range of two locations.
    #expect(MemoryLayout<Diagnostics.SourceLocation>.size == 16)
    #expect(MemoryLayout<SourceRange>.size == 32)
    var location = Diagnostics.SourceLocation(file: "big.md", line: 70_000, column: 12, offset: 3_000_000_000)
    #expect(location.line == 70_000 && location.column == 12 && location.offset == 3_000_000_000)
    location.offset = 5_000_000_000
    #expect(location.offset == Int(UInt32.max))
    location.column = -4
    #expect(location.column == 0)
}

@Test func lineStartsAreTheOffsetsAfterEachLineBreak() {
    var starts = [0]
    appendLineStarts(of: Array("a\nbc\n\n€\n".utf8), to: &starts)
    #expect(starts == [0, 2, 5, 6, 10])
    var none: [Int] = []
    appendLineStarts(of: [], to: &none)
    appendLineStarts(of: Array("one line".utf8), to: &none)
    #expect(none.isEmpty)
    #expect(SourceFile(path: "a.md", text: "x\ny").lineStarts == [0, 2])
}
