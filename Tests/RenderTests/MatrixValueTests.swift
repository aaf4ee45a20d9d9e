import Diagnostics
import Testing
import Verify
@testable import Render

/// A vector or matrix input is shown as a small bracketed table of its first entries (issue 16),
/// not as a flattened list.
@Suite struct MatrixValueTests {
    func details(_ inputs: [NamedValue]) -> String {
        let sign = SourceRange(at: SourceLocation(file: "m.md", line: 3, column: 5, offset: 20))
        let step = StepResult(status: .verified, location: sign, mathOffset: 10, message: "held for all 15 entries at 3 draws",
                              left: "X^T y", right: "X^T y", inputs: inputs)
        return StepMarks(steps: [step]).displayHTML()
    }

    @Test func aMatrixIsATableWithEllipsesWhereEntriesAreLeftOut() {
        let grid = ValueGrid(rows: [["0.41", "-1.2", "3", "0.5"], ["1", "2", "-0.25", "7"], ["0", "1", "2", "3"], ["4", "5", "6", "7"]],
                             rowCount: 6, columnCount: 5)
        let html = details([NamedValue(name: "X (6×5)", value: "[[0.41, …]] (6×5)", grid: grid), NamedValue(name: "c", value: "0.5")])
        #expect(html.contains("""
        <details class="nb-details"><summary>Inputs</summary>
        <dl class="nb-inputs"><div><dt>X (6×5)</dt><dd><table class="nb-matrix"><tr><td>0.41</td><td>−1.2</td><td>3</td><td>0.5</td><td>⋯</td></tr><tr><td>1</td><td>2</td><td>−0.25</td><td>7</td><td>⋯</td></tr><tr><td>0</td><td>1</td><td>2</td><td>3</td><td>⋯</td></tr><tr><td>4</td><td>5</td><td>6</td><td>7</td><td>⋯</td></tr><tr><td>⋮</td><td>⋮</td><td>⋮</td><td>⋮</td><td>⋮</td></tr></table></dd></div><div><dt>c</dt><dd>0.5</dd></div></dl>
        </details>
        """))
    }

    @Test func aShortVectorIsOneColumnWhole() {
        let html = details([NamedValue(name: "y (3)", value: "[1, 2, 3]", grid: ValueGrid(rows: [["1"], ["2"], ["-3"]], rowCount: 3, columnCount: 1))])
        #expect(html.contains("<dd><table class=\"nb-matrix\"><tr><td>1</td></tr><tr><td>2</td></tr><tr><td>−3</td></tr></table></dd>"))
    }
}
