import Diagnostics
import Notebook
import Testing
@testable import Verify

/// A site's macros reach the checker expanded, the way KaTeX expands them for the page.
struct MacroTests {
    @Test(arguments: [
        (#"\R"#, #"\mathbb{R} "#),
        (#"\sq{x} = 9"#, "x^2  = 9"),
        (#"\sq x"#, "x^2 "),
        (#"\pair{a}{\sq{b}}"#, "(a, b^2 ) "),
        (#"\Rx + \R_1"#, #"\Rx + \mathbb{R} _1"#),
        (#"a % \R in a comment"#, nil),
    ])
    func expandsLikeKaTeX(_ tex: String, _ expanded: String?) {
        let macros = TeXMacros([#"\R"#: #"\mathbb{R}"#, #"\sq"#: "#1^2", #"\pair"#: "(#1, #2)"])
        #expect(macros.expand(tex)?.text == expanded)
    }

    @Test func everyPlaceInAnExpansionMapsIntoTheWrittenTeX() {
        // Seeded random TeX over the characters that matter to expansion.
        let macros = TeXMacros([#"\a"#: "#1#1", #"\b"#: #"{\a{#2}}#1"#, #"\c"#: #"\c x"#, #"\d"#: "%#1"])
        let pieces = [#"\a"#, #"\b"#, #"\c"#, #"\d"#, "{", "}", "#", "%", "x", " ", "\n", "\\", "é"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var expanded = 0
        for _ in 0..<500 {
            var tex = ""
            for _ in 0..<Int(state % 24) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                tex += pieces[Int(state >> 33) % pieces.count]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            guard let expansion = macros.expand(tex) else { continue }
            expanded += 1
            let count = tex.utf8.count
            for start in 0...expansion.bytes.count {
                for end in start...expansion.bytes.count {
                    let written = expansion.written(start, end)
                    #expect(0 <= written.start && written.start <= written.end && written.end <= count, "\(tex) [\(start), \(end))")
                }
            }
        }
        #expect(expanded > 100)
    }

    @Test func aMacroThatCallsItselfIsCheckedAsWritten() {
        let macros = TeXMacros([#"\loop"#: #"\loop\loop"#])
        #expect(macros.expand(#"\loop = 1"#) == nil)
    }

    @Test func placesInTheExpansionPointAtTheCallOrTheArgument() throws {
        let macros = TeXMacros([#"\sq"#: "#1^2"])
        let expansion = try #require(macros.expand(#"\sq{y} = 9"#))
        // `y` (expanded byte 0) is byte 4 of the written TeX; `^2` stands for the whole call `\sq{y}`.
        #expect(expansion.written(0, 1) == (4, 5))
        #expect(expansion.written(1, 3) == (0, 6))
        // `=` is expanded byte 5, written byte 7.
        #expect(expansion.written(5, 6) == (7, 8))
    }

    @Test func aStepThatCallsASiteMacroIsCheckedAndReportedWhereItIsWritten() throws {
        let text = "# M\n\n$$\n\\sq{3} = 9 = \\sq{4}\n$$\n"
        let notebook = Notebook(parsing: SourceFile(path: "m.md", text: text))
        let withoutMacros = Verifier().check(notebook)
        #expect(withoutMacros.count(.verified) == 0)

        let report = Verifier().check(notebook, macros: TeXMacros([#"\sq"#: "#1^2"]))
        #expect(report.steps.map(\.status) == [.verified, .failed])
        let failed = try #require(report.failures.first)
        // The second `=` of line 4, as written: `\sq{3} = 9 = \sq{4}`.
        #expect(failed.location.start.line == 4)
        #expect(failed.location.start.column == 12)
        #expect(failed.rightValue == "16")
    }
}

/// A step's diagnostic carries the code of its status.
struct StepCodeTests {
    @Test func eachStatusHasItsCode() {
        let text = "# S\n\n$$ 1 + 1 = 2 $$\n\n$$ 1 + 1 = 3 $$\n\n$$ 1 \\leq 2 $$\n"
        let report = Verifier().check(Notebook(parsing: SourceFile(path: "s.md", text: text)))
        #expect(report.allDiagnostics.map(\.id) == ["verify.step-does-not-hold", "verify.unchecked.relation"])
    }

    @Test func aCellsProblemHasItsCode() {
        let text = "# C\n\n```nb\ncolour: red\n```\n"
        let report = Verifier().check(Notebook(parsing: SourceFile(path: "c.md", text: text)))
        #expect(report.allDiagnostics.map(\.id) == ["verify.unknown-key"])
        #expect(report.allDiagnostics.first?.range.start.line == 4)
    }

    @Test func stepsAreJoinedToTheirMathByItsID() throws {
        let text = "# S\n\n$$ 1 + 1 = 2 $$\n\n$$ 2 + 2 = 4 = 5 $$\n"
        let notebook = Notebook(parsing: SourceFile(path: "s.md", text: text))
        let cells = notebook.cells.compactMap { cell -> MathCell? in
            if case .math(let math) = cell { return math }
            return nil
        }
        #expect(cells.map(\.id) == [MathCell.ID(offset: 7), MathCell.ID(offset: 24)])
        let report = Verifier().check(notebook)
        #expect(report.steps(in: cells[0].id).map(\.status) == [.verified])
        #expect(report.steps(in: cells[1].id).map(\.status) == [.verified, .failed])
        #expect(report.resultsByMath.keys.sorted() == cells.map(\.id))
    }
}
