import Testing
import Diagnostics
@testable import MathSyntax

/// Ranges point into the original Markdown file, and diagnostics print like a compiler's.
struct SourceRangeTests {
    let file = "Intro line\n$$\n\\frac{\\partial E}{\\partial w_1} = -(t_1 - y_1) h_1\n$$\n"

    func parseDisplay() -> (SourceFile, ParsedMath) {
        let source = SourceFile(path: "notes/backprop.md", text: file)
        let texStart = 14  // after "Intro line\n$$\n"
        let texEnd = file.utf8.count - 3
        let tex = source.text(from: texStart, to: texEnd)
        return (source, MathParser.parse(tex, in: source, at: texStart))
    }

    @Test func nodesCarryFileLinesAndColumns() throws {
        let (source, math) = parseDisplay()
        let relation = try #require(math.relations.first)
        #expect(relation.signRange.start.description == "notes/backprop.md:3:33")
        let left = try #require(relation.left)
        #expect(left.range.start.description == "notes/backprop.md:3:1")
        #expect(source.text(from: left.range.start.offset, to: left.range.end.offset) == #"\frac{\partial E}{\partial w_1}"#)
        #expect(source.text(from: relation.right.range.start.offset, to: relation.right.range.end.offset) == "-(t_1 - y_1) h_1")
    }

    @Test(arguments: SeedNote.displays + RoundTripTests.equations)
    func everyNodeRangeLiesInsideItsParent(_ tex: String) throws {
        let math = MathParser.parse(tex)
        for operand in math.statements.flatMap(\.operands) {
            #expect(operand.range.start.offset >= 0 && operand.range.end.offset <= tex.utf8.count)
            check(operand)
        }
        func check(_ node: MathExpression) {
            for child in node.children {
                #expect(child.range.start.offset >= node.range.start.offset, "\(child.plain) in \(node.plain)")
                #expect(child.range.end.offset <= node.range.end.offset, "\(child.plain) in \(node.plain)")
                check(child)
            }
        }
    }

    @Test func multiLineTexCountsLines() throws {
        let text = "x\n$$\n\\begin{aligned}\na &= b \\\\\n  &= \\foo{c}\n\\end{aligned}\n$$\n"
        let source = SourceFile(path: "a.md", text: text)
        let start = 5
        let tex = source.text(from: start, to: text.utf8.count - 4)
        let math = MathParser.parse(tex, in: source, at: start)
        let diagnostic = try #require(math.diagnostics.first)
        #expect(diagnostic.description == "a.md:5:6: warning: cannot interpret math: unknown command '\\foo'")
        let printed = DiagnosticPrinter(colored: false).format(diagnostic, source: source)
        #expect(printed == """
        a.md:5:6: warning: cannot interpret math: unknown command '\\foo'
           5 |   &= \\foo{c}
             |      ^~~~~~~

        """)
    }
}
