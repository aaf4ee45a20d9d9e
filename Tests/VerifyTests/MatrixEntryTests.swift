import Testing
@testable import Verify

/// Per-entry identities and their matrix form in one note, through the same symbols (issue 16):
/// `W_{ij}` is an entry of the matrix W, compared at every value of its indices.
@Suite struct MatrixEntryTests {
    func steps(_ text: String, seed: UInt64 = 7) -> [StepResult] {
        Corpus.check(text, path: "entries.md", seed: seed).steps.filter { $0.status != .defined }
    }

    static func note(entry: String = #"\delta_i x_j"#, matrix: String = #"\delta x^T"#) -> String {
        """
        Let $W \\in \\mathbb{R}^{m \\times n}$, $x \\in \\mathbb{R}^{n}$ and $y \\in \\mathbb{R}^{m}$.

        $$ z = W x $$

        $$ L = \\frac{1}{2} \\|z - y\\|^2 $$

        $$ \\delta = z - y $$

        $$ \\frac{\\partial L}{\\partial z_i} = \\delta_i $$

        $$ \\frac{\\partial L}{\\partial W_{ij}} = \(entry) $$

        $$ \\frac{\\partial L}{\\partial W} = \(matrix) $$
        """
    }

    static let sizes: (m: Int, n: Int) = {
        let shapes = MatrixShapes(texts: [#"W \in \mathbb{R}^{m \times n}"#], maths: [], seed: 7)
        return (shapes.sizeValue(of: "m") ?? 0, shapes.sizeValue(of: "n") ?? 0)
    }()

    @Test func aPerEntryIdentityAndItsMatrixFormBothHold() {
        let results = steps(Self.note())
        #expect(results.map(\.status) == [.verified, .verified, .verified])
        #expect(results.map(\.line) == [9, 11, 13])
        #expect(results[0].message == "held at all \(Self.sizes.m) values of i at 3 draws")
        #expect(results[1].message == "held at all \(Self.sizes.m * Self.sizes.n) values of (i, j) at 3 draws")
        #expect(results[2].message == "held for all \(Self.sizes.m * Self.sizes.n) entries at 3 draws")
    }

    @Test func aWrongMatrixFormAfterARightPerEntryFormFailsAtItsLine() {
        let results = steps(Self.note(matrix: #"x \delta^T"#))
        #expect(results.map(\.status) == [.verified, .verified, .failed])
        #expect(results[2].line == 13)
        #expect(results[2].message == "the left side is \(Self.sizes.m)×\(Self.sizes.n) and the right side is \(Self.sizes.n)×\(Self.sizes.m)")
    }

    @Test func swappedIndicesDoNotFitAndAWrongEntryNamesItsIndices() {
        let swapped = steps(Self.note(entry: #"\delta_j x_i"#))
        #expect(swapped.map(\.status) == [.verified, .failed, .verified])
        #expect(swapped[1].message == "j indexes \(Self.sizes.n) entries in W_ij and \(Self.sizes.m) in δ_j, so the indices do not fit")
        let doubled = steps(Self.note(entry: #"2 \delta_i x_j"#))
        #expect(doubled.map(\.status) == [.verified, .failed, .verified])
        #expect(doubled[1].line == 11)
        #expect(doubled[1].message.hasPrefix("at i = 1, j = 1: left "))
    }

    @Test func sumsOverEntriesRunAsFarAsTheirIndexOrTheirBounds() {
        let note = """
        $W \\in \\mathbb{R}^{m \\times n}$, $x \\in \\mathbb{R}^{n}$, $y \\in \\mathbb{R}^{m}$

        $$ z = W x $$

        $$ \\sum_j x_j = \\mathbf{1}^T x $$

        $$ \\|W\\|_F^2 = \\sum_{i,j} W_{ij}^2 $$

        $$ y^T z = \\sum_{i=1}^{m} \\sum_{j=1}^{n} y_i W_{ij} x_j $$

        $$ \\sum_{j=1}^{m} x_j = \\mathbf{1}^T x $$

        $$ \\sum_j x_j = 2 \\cdot \\mathbf{1}^T x $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .verified, .verified, .failed, .failed])
        #expect(results[3].message == "j indexes \(Self.sizes.m) entries in the bounds of Σ_{j=1..m} x_j and \(Self.sizes.n) in x_j, so the indices do not fit")
        #expect(results[4].line == 13)
    }

    @Test func aFunctionOfAVectorWrittenBareIsItsValueAtTheNotesArguments() {
        let note = """
        Let $x \\in \\mathbb{R}^n$ and $w \\in \\mathbb{R}^n$.

        $$ f(x) = \\sum_{i=1}^{n} w_i x_i^2 $$

        $$ \\frac{\\partial f}{\\partial x_i} = 2 w_i x_i $$

        $$ \\frac{\\partial f(x)}{\\partial x_j} = 2 w_j x_j $$

        $$ \\frac{\\partial f}{\\partial x_i} = 2 w_i x_i^2 $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .verified, .failed])
        #expect(results[2].message.hasPrefix("at i = 1: left "))
    }

    @Test func entriesOfAVectorDefinedWholeAreItsEntries() {
        let note = """
        $A \\in \\mathbb{R}^{3 \\times 4}$, $v \\in \\mathbb{R}^{4}$

        $$ u = A v $$

        $$ \\frac{\\partial u_i}{\\partial v_j} = A_{ij} $$

        $$ \\frac{\\partial u_i}{\\partial v_j} = A_{ji} $$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.verified, .failed])
        #expect(results[0].message == "held at all 12 values of (i, j) at 3 draws")
        #expect(results[1].message == "j indexes 4 entries in v_j and 3 in A_ji, so the indices do not fit")
    }
}
