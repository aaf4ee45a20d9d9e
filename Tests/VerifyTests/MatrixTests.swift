import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook
import Testing
@testable import Verify

/// Whole vectors and matrices (issue 16): shapes from declarations, bold letters and use;
/// identities compared entry by entry; shape errors named at their line.
@Suite struct MatrixTests {
    func steps(_ text: String, seed: UInt64 = 7) -> [StepResult] {
        Corpus.check(text, path: "matrix.md", seed: seed).steps
    }

    /// `\mathbf{X}'` as statistics and Matlab write the transpose, with brackets after it or not.
    @Test func aPrimeOnAMatrixIsItsTranspose() {
        let note = #"""
        Let $\mathbf{X} \in \mathbb{R}^{5 \times 3}$, $\mathbf{y} \in \mathbb{R}^{5}$ and $\mathbf{w} \in \mathbb{R}^{3}$.

        $$\nabla_{\mathbf{w}} \tfrac{1}{2}\|\mathbf{X}\mathbf{w} - \mathbf{y}\|^2 = \mathbf{X}'(\mathbf{X}\mathbf{w} - \mathbf{y})$$

        $$\mathbf{X}' \mathbf{y} = \mathbf{X}^T \mathbf{y}$$
        """#
        #expect(steps(note).map(\.status) == [.verified, .verified])
        let dropped = note.replacingOccurrences(of: "= \\mathbf{X}'(", with: "= \\mathbf{X}(")
        #expect(steps(dropped).map(\.status) == [.failed, .verified])
    }

    /// The issue's example: drawn as numbers, the missing transpose used to hold.
    static let leastSquares = """
    Let $\\mathbf{X} \\in \\mathbb{R}^{5 \\times 3}$, $\\mathbf{y} \\in \\mathbb{R}^{5}$ and

    $$ L(\\mathbf{w}) = \\frac{1}{2}\\|\\mathbf{X}\\mathbf{w} - \\mathbf{y}\\|^2 $$

    $$ \\nabla_{\\mathbf{w}} L(\\mathbf{w}) = \\mathbf{X}(\\mathbf{X}\\mathbf{w} - \\mathbf{y}) $$

    $$ \\nabla_{\\mathbf{w}} L(\\mathbf{w}) = \\mathbf{X}^T(\\mathbf{X}\\mathbf{w} - \\mathbf{y}) $$
    """

    @Test func aMissingTransposeIsAShapeErrorAtItsLineNamingTheShapes() {
        let results = steps(Self.leastSquares)
        #expect(results.map(\.status) == [.defined, .failed, .verified])
        #expect(results[1].line == 5)
        #expect(results[1].message == "X (X * w - y): X is 5×3 and (X * w - y) is 5, so the product is undefined (Xᵀ (X * w - y) would be 3)")
        #expect(results[2].message == "held for all 3 entries at 3 draws")
        // The inputs panel lists each matrix with its shape.
        #expect(results[2].inputs.map(\.name) == ["w (3)", "X (5×3)", "y (5)"])
        // … and its first entries as a small table for the page.
        let x = Draws(seed: 7, draw: 0, positive: []).tensor(for: "\\mathbf{X}", shape: .matrix(rows: 5, columns: 3))
        let grid = try? #require(results[2].inputs[1].grid)
        #expect(grid?.rowCount == 5 && grid?.columnCount == 3 && grid?.hasMoreRows == true && grid?.hasMoreColumns == false)
        #expect(grid?.rows == (0..<4).map { row in (0..<3).map { ValueFormat.number(x.scalars[row * 3 + $0]) } })
        // Hovering X where the step writes it shows its value.
        #expect(results[2].symbolValues.map(\.value).contains(ValueFormat.text(x)))
        #expect(results[2].symbolValues.count == 6)   // w twice on the left; X, X, w, y on the right
    }

    @Test func aFailedIdentityNamesTheFirstEntryThatDiffersWithBothValues() throws {
        let note = """
        $\\mathbf{x} \\in \\mathbb{R}^{3}$

        $$ \\mathbf{x} + \\mathbf{x} = 2 \\mathbf{x} + \\operatorname{diag}(\\mathbf{x}) \\mathbf{x} - \\mathbf{x} \\odot \\mathbf{x} $$

        $$ \\mathbf{x} + \\mathbf{x} = 3 \\mathbf{x} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .failed])
        let x = Draws(seed: 7, draw: 0, positive: []).tensor(for: "\\mathbf{x}", shape: .vector(3))
        let expected = "entry 1 differs: left \(ValueFormat.number(2 * x.scalars[0])), right \(ValueFormat.number(3 * x.scalars[0]))"
        #expect(results[1].message == expected)
    }

    @Test func symbolicSizesAreSmallDistinctWholeNumbersTheSameForTheWholeNote() throws {
        let texts = [#"\mathbf{W} \in \mathbb{R}^{m \times n}"#, #"\mathbf{x} \in \mathbb{R}^{n}"#, #"\mathbf{V} \in \mathbb{R}^{5 \times m}"#]
        let maths = [#"\mathbf{h} = \mathbf{W}\mathbf{x} + \mathbf{b}"#, #"\mathbf{A} \mathbf{h}"#].map { MathParser.parse($0) }
        let shapes = MatrixShapes(texts: texts, maths: maths, seed: 7)
        let w = try #require(shapes.shape(of: "\\mathbf{W}"))
        #expect(w.rank == 2 && w.rows != w.columns)
        #expect(MatrixShapes.sizePool.contains(w.rows) && MatrixShapes.sizePool.contains(w.columns))
        #expect(w.rows != 5 && w.columns != 5)   // 5 is taken by a size written as a number
        #expect(shapes.shape(of: "\\mathbf{x}") == .vector(w.columns))
        // Unified from use: `W x + b` makes b as long as W is tall, and so is h.
        #expect(shapes.shape(of: "\\mathbf{b}") == .vector(w.rows))
        #expect(shapes.shape(of: "\\mathbf{h}") == .vector(w.rows))
        #expect(shapes.shape(of: "\\mathbf{V}") == .matrix(rows: 5, columns: w.rows))
        // A bold capital nothing else sizes is a matrix whose columns fit h.
        #expect(shapes.shape(of: "\\mathbf{A}")?.columns == w.rows)
        #expect(shapes.sizeValue(of: "n") == w.columns)
    }

    @Test func jacobiansAreInNumeratorLayoutUnlessTheNoteSaysDenominator() {
        let body = """
        $\\mathbf{W} \\in \\mathbb{R}^{m \\times n}$ and $\\mathbf{x} \\in \\mathbb{R}^{n}$

        $$ \\mathbf{u} = \\mathbf{W}\\mathbf{x} $$

        $$ \\frac{\\partial \\mathbf{u}}{\\partial \\mathbf{x}} = \\mathbf{W} $$

        $$ \\frac{\\partial \\mathbf{u}}{\\partial \\mathbf{x}} = \\mathbf{W}^T $$
        """
        let numerator = steps(body)
        #expect(numerator.map(\.status) == [.defined, .verified, .failed])
        #expect(numerator[1].message.hasSuffix("; Jacobians in numerator layout"))
        let denominator = steps("<!-- nb: layout denominator -->\n\n" + body)
        #expect(denominator.map(\.status) == [.defined, .failed, .verified])
        #expect(denominator[2].message.hasSuffix("; Jacobians in denominator layout"))
    }

    @Test func softmaxJacobianAndGradientsOfMatricesHold() {
        let note = """
        $\\mathbf{z} \\in \\mathbb{R}^{C}$, $\\mathbf{W} \\in \\mathbb{R}^{C \\times H}$

        $$ \\mathbf{p} = \\operatorname{softmax}(\\mathbf{z}) $$

        $$ \\frac{\\partial \\mathbf{p}}{\\partial \\mathbf{z}} = \\operatorname{diag}(\\mathbf{p}) - \\mathbf{p} \\mathbf{p}^T $$

        $$ \\frac{\\partial \\mathbf{p}}{\\partial \\mathbf{z}} = \\operatorname{diag}(\\mathbf{p}) - \\mathbf{p}^T \\mathbf{p} $$

        $$ E = \\mathbf{v}^T \\tanh(\\mathbf{W} \\mathbf{h}) $$

        $$ \\frac{\\partial E}{\\partial \\mathbf{W}} = (\\mathbf{v} \\odot (\\mathbf{1} - \\tanh(\\mathbf{W}\\mathbf{h})^2)) \\mathbf{h}^T $$

        $$ \\nabla_{\\mathbf{W}} E = (\\mathbf{v} \\odot (\\mathbf{1} - \\tanh(\\mathbf{W}\\mathbf{h}) \\odot \\tanh(\\mathbf{W}\\mathbf{h}))) \\mathbf{h}^T $$

        $$ \\operatorname{tr}(\\mathbf{p}\\mathbf{p}^T) = \\|\\mathbf{p}\\|_2^2 $$
        """
        let results = steps(note)
        // `tanh(Wh)^2` squares a vector: not read as matrices, so unchecked rather than guessed.
        #expect(results.map(\.status) == [.defined, .verified, .failed, .defined, .unchecked, .verified, .verified])
    }

    @Test func aBiasVectorIsAddedToEveryRowOrColumnAsItFits() {
        let note = """
        $\\mathbf{X} \\in \\mathbb{R}^{N \\times D}$, $\\mathbf{W} \\in \\mathbb{R}^{D \\times H}$, $\\mathbf{b} \\in \\mathbb{R}^{H}$

        $$ \\mathbf{X}\\mathbf{W} + \\mathbf{b} = \\mathbf{X}\\mathbf{W} + \\mathbf{1}\\mathbf{b}^T $$

        $$ \\mathbf{W}^T\\mathbf{X}^T + \\mathbf{b} = (\\mathbf{X}\\mathbf{W} + \\mathbf{1}\\mathbf{b}^T)^T $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .verified])
    }

    @Test func whatMatricesCannotReadStaysUncheckedNeverVerified() {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{4 \\times 3}$, $\\mathbf{x} \\in \\mathbb{R}^{3}$

        $$ \\operatorname{foo}(\\mathbf{x}) = \\mathbf{x} $$

        $$ \\|\\mathbf{A}\\|_2 = \\|\\mathbf{A}\\|_F $$

        $$ \\mathbf{A}^2 \\mathbf{x} = \\mathbf{A} \\mathbf{x} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.unchecked, .unchecked, .unchecked])
        #expect(results[1].reason == .unsupported)
    }

    @Test func aDeclaredMatrixBeyondTheArrayLimitIsAnErrorNotACrash() {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{100000 \\times 100000}$, $\\mathbf{B} \\in \\mathbb{R}^{99999999999999999999 \\times 3}$

        $$ \\mathbf{A}^T \\mathbf{x} = \\mathbf{A} \\mathbf{x} $$

        $$ \\mathbf{B} + \\mathbf{B} = 2 \\mathbf{B} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.error, .verified])
        #expect(results[0].code == "verify.step-error")
        #expect(["100000×100000", "16777216", "maxArrayElements"].allSatisfy(results[0].message.contains))
    }

    @Test func aBoldDIsAVectorNotADifferential() {
        let note = """
        $$ \\mathbf{d} \\mathbf{x}^T = (\\mathbf{x} \\mathbf{d}^T)^T $$
        """
        #expect(steps(note).map(\.status) == [.verified])
    }

    @Test func aFunctionTheNoteNeverDefinesIsAnySmoothFunctionEntryByEntry() {
        let note = """
        $\\mathbf{W} \\in \\mathbb{R}^{h \\times d}$

        $$ \\mathbf{z} = \\mathbf{W}\\mathbf{x} $$

        $$ \\mathbf{h} = \\phi(\\mathbf{z}) $$

        $$ J = \\mathbf{v}^T \\mathbf{h} $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{z}} = \\mathbf{v} \\odot \\phi'(\\mathbf{z}) $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{W}} = (\\mathbf{v} \\odot \\phi'(\\mathbf{z})) \\mathbf{x}^T $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{z}} = \\mathbf{v} \\odot \\phi(\\mathbf{z}) $$

        $$ 2 \\phi(\\mathbf{z}) = \\mathbf{z} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.defined, .defined, .defined, .verified, .verified, .failed, .unchecked])
        #expect(results[6].reason == .undefinedFunction)
        #expect(results[6].message.contains("\\phi"))
    }

    @Test func transposesHadamardsTracesAndNormsAsNotesWriteThem() {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{m \\times n}$, $\\boldsymbol{\\theta} \\in \\mathbb{R}^{n}$, $\\vec{u} \\in \\mathbb{R}^{m}$

        $$ \\mathbf{A}^\\top \\vec{u} = (\\vec{u}^{\\top} \\mathbf{A})^{\\mathsf T} $$

        $$ \\boldsymbol{\\theta} \\circ \\boldsymbol{\\theta} = \\operatorname{diag}(\\boldsymbol{\\theta}) \\boldsymbol{\\theta} $$

        $$ \\|\\mathbf{A}\\|_F^2 = \\operatorname{tr}(\\mathbf{A}^T \\mathbf{A}) $$

        $$ \\nabla_{\\mathbf{A}} \\operatorname{tr}(\\mathbf{A}^T \\mathbf{A}) = 2 \\mathbf{A} $$

        $$ \\frac{\\partial}{\\partial \\boldsymbol{\\theta}} \\vec{u}^T \\mathbf{A} \\boldsymbol{\\theta} = \\mathbf{A}^T \\vec{u} $$

        $$ \\exp(\\boldsymbol{\\theta}) \\odot \\exp(-\\boldsymbol{\\theta}) = \\mathbf{1} $$

        $$ \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\begin{bmatrix} 1 \\\\ 1 \\end{bmatrix} = \\begin{bmatrix} 3 \\\\ 7 \\end{bmatrix} $$

        $$ \\mathbf{A}\\boldsymbol{\\theta} = \\boldsymbol{\\theta}^T \\mathbf{A}^T $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .verified, .verified, .verified, .verified, .verified, .verified, .failed])
        let shapes = MatrixShapes(texts: [#"\mathbf{A} \in \mathbb{R}^{m \times n}"#], maths: [], seed: 7)
        let m = shapes.sizeValue(of: "m") ?? 0, n = shapes.sizeValue(of: "n") ?? 0
        #expect(results[3].message == "held for all \(m * n) entries at 3 draws")
        #expect(results[7].message == "the left side is \(m) and the right side is 1×\(m)")
    }

    @Test func aShapeMismatchThroughAGuessedShapeIsUncheckedNotFailed() {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{4 \\times 3}$, $\\mathbf{x} \\in \\mathbb{R}^{3}$

        $$ \\boldsymbol{\\alpha} \\mathbf{A} \\mathbf{x} = \\mathbf{A} (\\boldsymbol{\\alpha} \\mathbf{x}) $$

        $$ \\mathbf{A} \\mathbf{A} \\mathbf{x} = \\mathbf{A} \\mathbf{x} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.unchecked, .failed])
        #expect(results[0].reason == .guessedShape)
        #expect(results[0].message.contains("α"))
    }

    @Test func aShapeOnlyItsStyleGaveIsListedAsGuessed() throws {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{4 \\times 3}$

        $$ \\mathbf{u}^T \\mathbf{u} + \\|\\mathbf{A}\\|_F^2 = \\|\\mathbf{u}\\|^2 + \\operatorname{tr}(\\mathbf{A}^T \\mathbf{A}) $$
        """
        let result = try #require(steps(note).first)
        #expect(result.status == .verified)
        let u = try #require(result.inputs.first { $0.name.hasPrefix("u ") })
        #expect(u.name.hasSuffix(", guessed)"))
        #expect(result.inputs.contains { $0.name == "A (4×3)" })
    }

    @Test func blockMatricesAreTheirBlocksSideBySideAndStacked() {
        let note = """
        $A \\in \\mathbb{R}^{4 \\times 3}$, $B \\in \\mathbb{R}^{4 \\times 2}$, $x \\in \\mathbb{R}^{3}$, $y \\in \\mathbb{R}^{2}$, $u \\in \\mathbb{R}^{4}$

        $$ \\begin{bmatrix} A & B \\end{bmatrix} \\begin{bmatrix} x \\\\ y \\end{bmatrix} = A x + B y $$

        $$ \\begin{bmatrix} A^T \\\\ B^T \\end{bmatrix} u = \\begin{bmatrix} A^T u \\\\ B^T u \\end{bmatrix} $$

        $$ \\begin{bmatrix} A & B \\end{bmatrix} \\begin{bmatrix} x \\\\ y \\end{bmatrix} = A x - B y $$

        $$ \\begin{bmatrix} A & x \\end{bmatrix} u = u $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .verified, .failed, .failed])
        #expect(results[0].message == "held for all 4 entries at 3 draws")
        #expect(results[1].message == "held for all 5 entries at 3 draws")
        #expect(results[3].message == "blocks 4×3 and 3 side by side are not as tall as each other")
    }

    @Test func anInverseTimesItsMatrixIsTheIdentityNotANewName() {
        let note = """
        $\\mathbf{A} \\in \\mathbb{R}^{3 \\times 3}$

        $$ \\mathbf{A}^{-1} \\mathbf{A} = I $$

        $$ \\mathbf{A} \\mathbf{A}^{-1} = \\mathbf{I} $$

        $$ \\mathbf{A} \\mathbf{A} = I $$
        """
        #expect(steps(note).map(\.status) == [.verified, .verified, .failed])
    }

    @Test func aLossOfSeveralArgumentsTheNoteNeverDefinesIsAnySmoothNumber() {
        let note = """
        $\\mathbf{W} \\in \\mathbb{R}^{q \\times h}$

        $$ \\mathbf{o} = \\mathbf{W} \\mathbf{h} $$

        $$ L = l(\\mathbf{o}, y) $$

        $$ \\frac{\\partial L}{\\partial \\mathbf{W}} = \\frac{\\partial L}{\\partial \\mathbf{o}} \\mathbf{h}^T $$

        $$ \\frac{\\partial L}{\\partial \\mathbf{h}} = \\mathbf{W}^T \\frac{\\partial L}{\\partial \\mathbf{o}} $$

        $$ \\frac{\\partial L}{\\partial \\mathbf{h}} = \\mathbf{W} \\frac{\\partial L}{\\partial \\mathbf{o}} $$

        $$ \\frac{\\partial L}{\\partial \\mathbf{h}} = \\mathbf{W}^T \\mathbf{o} $$
        """
        // The last holds for some l and not others: only its left side uses l.
        #expect(steps(note).map(\.status) == [.defined, .defined, .verified, .verified, .failed, .unchecked])
    }

    @Test func theShowcaseNoteChecksWholeAtSeveralSeeds() throws {
        let text = try Corpus.text("notebooks/matrix-calculus.md")
        for seed: UInt64 in [7, 1, 42] {
            let report = Corpus.check(text, path: "matrix-calculus.md", seed: seed)
            #expect(report.steps.filter { $0.status == .verified }.count == 22, "seed \(seed)")
            #expect(report.steps.allSatisfy { $0.status == .verified || $0.status == .defined }, "seed \(seed)")
        }
    }
}
