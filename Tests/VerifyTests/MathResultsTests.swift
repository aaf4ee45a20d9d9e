import Diagnostics
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
