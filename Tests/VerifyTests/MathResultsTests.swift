import Diagnostics
import Foundation
import Notebook
import Testing
import Verify

/// The report joins its results to the math they were found in by `MathCell.ID`.
struct MathResultsTests {
    @Test func eachMathGetsItsOwnStepsAndValues() throws {
        let text = "# V\n\n$$ y = 3 $$\n\nTwice: $\\nbvalue{2 y}$, and $y + 1 = 4$ and $\\nbvalue{y^2}$.\n"
        let notebook = Notebook(parsing: SourceFile(path: "v.md", text: text))
        var cells: [MathCell] = []
        for case .math(let math) in notebook.cells { cells.append(math) }
        #expect(cells.map(\.tex) == [" y = 3 ", "\\nbvalue{2 y}", "y + 1 = 4", "\\nbvalue{y^2}"])
        let report = Verifier().check(notebook)
        let results = cells.map { report.results(for: $0.id) }
        #expect(results.map { $0.steps.map(\.status) } == [[.defined], [], [.verified], []])
        #expect(results.map { $0.values.map(\.value) } == [[], ["6"], [], ["9"]])
        #expect(report.resultsByMath.keys.sorted() == [cells[0].id, cells[1].id, cells[2].id, cells[3].id])
        #expect(report.resultsByMath[cells[3].id] == results[3])
    }
}

/// The checker's parse of each math travels in the report, so the renderer need not parse the TeX again.
struct ParsedMathInReportTests {
    private func mathCells(_ notebook: Notebook) -> [MathCell] {
        notebook.cells.compactMap { if case .math(let math) = $0 { math } else { nil } }
    }

    @Test func everyMathIsCarriedAsParsedButNotIntoACache() throws {
        let text = "## The slope $\\sigma'(z)$\n\n$$ y = 3 \\label{eq:y} $$\n\nAnd $y + 1 = 4$.\n"
        let notebook = Notebook(parsing: SourceFile(path: "p.md", text: text))
        let cells = mathCells(notebook)
        let report = Verifier().check(notebook)
        #expect(report.parsedMath.keys.sorted() == cells.map(\.id))
        // Parsed as the checker reads it: the `\label` is not part of the relation.
        #expect(cells.map { report.parsedMath(for: $0.id)?.relations.count } == [0, 1, 1])
        #expect(report.parsedMath(for: cells[0].id)?.expression?.plain == "σ'(z)")
        #expect(report.parsedMath(for: cells[1].id)?.range.start.offset == cells[1].contentRange.start.offset)

        let decoded = try JSONDecoder().decode(Report.self, from: JSONEncoder().encode(report))
        #expect(decoded.parsedMath.isEmpty)
        #expect(decoded == report)
    }

    @Test func mathASiteMacroRewroteIsNotCarried() {
        let text = "$$ x = 2 $$\n\nThen $x \\in \\R$.\n"
        let notebook = Notebook(parsing: SourceFile(path: "m.md", text: text))
        let cells = mathCells(notebook)
        let report = Verifier().check(notebook, macros: TeXMacros([#"\R"#: #"\mathbb{R}"#]))
        #expect(report.parsedMath.keys.sorted() == [cells[0].id])
    }
}
