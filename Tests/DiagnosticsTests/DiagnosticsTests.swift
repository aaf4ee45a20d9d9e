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
