import Diagnostics
import Foundation
import MathSyntax
import Notebook
import Testing
@testable import Verify

/// Notation as real notes write it (issue: checking the derivations people already wrote):
/// names of several letters, worked numbers, symbolic sizes, conventions stated once.
@Suite struct RealNotationTests {
    /// A worked example in the style of step-by-step backpropagation posts (our own numbers).
    static let workedExample = """
    $$net_{h1} = w_1 * i_1 + w_2 * i_2 + b_1 * 1$$

    $$net_{h1} = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1 = 0.3775$$

    $$out_{h1} = \\frac{1}{1+e^{-net_{h1}}} = \\frac{1}{1+e^{-0.3775}} = 0.593269992$$

    $$\\frac{\\partial out_{h1}}{\\partial net_{h1}} = out_{h1}(1 - out_{h1}) = 0.593269992(1 - 0.593269992) = 0.241300709$$

    $$\\frac{\\partial net_{h1}}{\\partial w_1} = i_1 = 0.05$$
    """

    func steps(_ text: String) -> [(line: Int, status: StepStatus, message: String)] {
        Corpus.check(text, path: "worked.md").steps.map { ($0.line, $0.status, $0.message) }
    }

    @Test func namesOfSeveralLettersAndLabelsAreDecidedForTheWholeNote() {
        let notation = NoteNotation(inferringFrom: [#"net_{h1} = w_1 i_1"#, #"E_{total} = E_{o1} + E_{o2}"#, "y = w5 x"])
        #expect(notation.names == ["net", "h1", "total", "o1", "o2"])
        #expect(notation.digitsIndexLetters)
        #expect(notation.readings.contains("read `net` as one name"))
        #expect(notation.readings.contains("read the subscript `total` as one label"))
        // `\sum_{o=1}^{2}` makes `o` a number: `o1` is then o, 1.
        let indexed = NoteNotation(inferringFrom: [#"\sum_{o=1}^{2} out_{o1}"#])
        #expect(!indexed.names.contains("o1"))
        // Products stay products: `xy_1` has no vowel, `abc` is written once without a script.
        #expect(NoteNotation(inferringFrom: ["xy_1 = abc"]).names.isEmpty)
    }

    @Test func aNameOfSeveralLettersParsesAsOneSymbol() throws {
        let notation = NoteNotation(inferringFrom: [#"net_{h1} = 1"#])
        let parsed = MathParser.parse(#"net_{h1} = w5"#, in: SourceFile(path: "<math>", text: #"net_{h1} = w5"#), at: 0,
                                      notation: NoteNotation(names: notation.names, digitsIndexLetters: true))
        let left = try #require(parsed.statements.first?.left?.symbol)
        #expect(left.name == "net")
        #expect(left.indices.map(\.plain) == ["h1"])
        let right = try #require(parsed.statements.first?.steps.first?.right.symbol)
        #expect(right.name == "w")
        #expect(right.indices.map(\.plain) == ["5"])
    }

    @Test func workedNumbersGiveTheInputsTheirValuesAndAreComparedToTheDigitsWritten() {
        let results = steps(Self.workedExample)
        #expect(results.map(\.status) == [
            .defined,                  // net_{h1} = w_1 i_1 + …
            .defined, .verified,       // = 0.15 * 0.05 + …: gives w_1 = 0.15, …; = 0.3775
            .defined, .verified, .verified,
            .verified, .verified, .verified,
            .verified, .verified,
        ])
        #expect(results[1].message == "the worked numbers give w_1 = 0.15, i_1 = 0.05, w_2 = 0.2, i_2 = 0.1, b_1 = 0.35")
        // 0.593269992(1 − 0.593269992) = 0.24130070… against σ'(0.3775) = 0.2413007…: equal to the digits written.
        #expect(results[8].message.hasPrefix("holds to the digits written"))
    }

    @Test func aWrongDigitBeyondThePrintedPrecisionFails() throws {
        let wrong = Self.workedExample.replacingOccurrences(of: "= 0.241300709", with: "= 0.241310709")
        let failed = try #require(steps(wrong).first { $0.status == .failed })
        #expect(failed.line == 7)
        #expect(failed.message.contains("more than the ±"))
    }

    @Test func aFormulaIsCheckedAwayFromTheWorkedValuesToo() throws {
        // d/do ½(t − o)² is o − t, which equals t at the worked numbers (0.5 − 0.25) and nowhere near them.
        let note = """
        $$E = \\frac{1}{2}(t - o)^2$$

        $$E = \\frac{1}{2}(0.25 - 0.5)^2 = 0.03125$$

        $$\\frac{\\partial E}{\\partial o} = t$$
        """
        let failed = try #require(steps(note).last)
        #expect(failed.status == .failed)
        #expect(failed.line == 5)
    }

    @Test func aDerivativeThatNoDefinitionConnectsIsNeverAVacuousCheck() {
        let note = """
        $$y = w x$$

        $$\\frac{\\partial y}{\\partial v} = 0$$

        $$E = 0.5$$

        $$\\frac{\\partial E}{\\partial w} = 0.3$$
        """
        let results = Corpus.check(note, path: "worked.md").steps
        #expect(results[1].status == .unchecked)
        #expect(results[1].reason == .disconnectedDerivative)
        #expect(results[3].status == .unchecked)
        #expect(results[3].reason == .statedAsNumber)
    }

    @Test func aSizeTheNoteNeverGivesIsDrawnAsASmallWholeNumber() {
        let correct = "$$\\frac{\\partial}{\\partial w} \\frac{1}{m}\\sum_{i=1}^{m} (w x_i - y_i)^2 = \\frac{2}{m}\\sum_{i=1}^{m} (w x_i - y_i) x_i$$"
        #expect(steps(correct).map(\.status) == [.verified])
        let missing = "$$\\frac{\\partial}{\\partial w} \\frac{1}{m}\\sum_{i=1}^{m} (w x_i - y_i)^2 = 2\\sum_{i=1}^{m} (w x_i - y_i) x_i$$"
        #expect(steps(missing).map(\.status) == [.failed])
    }

    @Test func deltaWithTwoIndicesIsKroneckersUnlessTheNoteDefinesIt() {
        let note = """
        $$p_j = \\frac{e^{z_j}}{\\sum_{k=1}^{3} e^{z_k}}$$

        $$\\frac{\\partial p_j}{\\partial z_i} = p_j(\\delta_{ij} - p_i)$$
        """
        #expect(steps(note).map(\.status) == [.defined, .verified])
    }

    @Test func aNewNameIntroducedByAnEqualityIsADefinition() {
        let note = """
        $$L = -\\sum_{j=1}^{3} y_j \\log p_j = -\\sum_{j=1}^{3} \\ell_j$$

        $$\\frac{\\partial \\ell_j}{\\partial p_j} = -\\frac{y_j}{p_j}$$
        """
        let results = steps(note)
        #expect(results.map(\.status) == [.defined, .defined, .failed])
        #expect(results[1].message == "names a new quantity: ℓ_j = y_j * log(p_j)")
    }

    @Test func anUndefinedOneLetterFunctionIsAnySmoothFunction() {
        let chain = "$$\\frac{\\partial}{\\partial u} f(h u) = f'(h u) h$$"
        #expect(steps(chain).map(\.status) == [.verified])
        let dropped = "$$\\frac{\\partial}{\\partial u} f(h u) = f'(h u)$$"
        #expect(steps(dropped).map(\.status) == [.failed])
    }

    @Test func overIsAFraction() {
        let note = """
        $$E = {1 \\over 2} w x$$

        $${\\partial E \\over \\partial w} = {x \\over 2}$$
        """
        #expect(steps(note).map(\.status) == [.defined, .verified])
    }
}

/// The shared corpus of real notes (`../shared/corpus/real-notes`, beside the repository in CI):
/// read from there, never copied. Figures as measured on 2026-12-07 (docs/verify.md).
@Suite(.enabled(if: RealCorpus.isPresent)) struct RealCorpusTests {
    @Test func theStepByStepWorkedExampleChecksWithFewFalseAlarms() throws {
        let report = try RealCorpus.check("01-mazur-step-by-step.md")
        #expect(report.count(.verified) >= 50)
        #expect(report.count(.failed) <= 5)
        #expect(report.readings.contains("read `net` as one name"))
    }

    @Test func theTranscriptionsTypoInAWorkedExponentIsCaughtOnItsLine() throws {
        // The ledger: line 81 writes e^{-1.1059059067} for e^{-1.105905967}.
        let report = try RealCorpus.check("17-vortune-mazur-transcription.md")
        #expect(report.steps.contains { $0.line == 81 && $0.status == .failed })
        #expect(!report.steps.contains { $0.line == 82 && $0.status == .failed })
    }
}

enum RealCorpus {
    static let folder = Corpus.repository + "/../shared/corpus/real-notes"
    static var isPresent: Bool { FileManager.default.fileExists(atPath: folder + "/ledger.json") }

    static func check(_ name: String) throws -> Report {
        Corpus.check(try String(contentsOfFile: folder + "/" + name, encoding: .utf8), path: name)
    }
}

@Suite struct RealLayoutTests {
    func statuses(_ text: String) -> [StepStatus] { Corpus.check(text, path: "layout.md").steps.map(\.status) }

    @Test func eqnarrayRowsAreCheckedAroundTheirRelation() {
        let note = "$$\\begin{eqnarray} y &=& w x \\\\ \\frac{\\partial y}{\\partial w} &=& x \\end{eqnarray}$$"
        #expect(statuses(note) == [.defined, .verified])
    }

    @Test func anUpdateWrittenWithEqualsIsNotAnIdentity() {
        let steps = Corpus.check("$$w = w - \\eta g$$", path: "update.md").steps
        #expect(steps.map(\.status) == [.unchecked])
        #expect(steps.first?.reason == .updateRule)
    }

    @Test func aCaseSplitInTheProseRestrictsItsDisplays() {
        let note = """
        $$p_j = \\frac{e^{a_j}}{\\sum_{k=1}^{3} e^{a_k}}$$

        $$\\frac{\\partial p_j}{\\partial a_i} = \\frac{\\partial}{\\partial a_i} \\frac{e^{a_j}}{\\sum_{k=1}^{3} e^{a_k}}$$

        If $i = j$,

        $$= p_j(1 - p_j)$$

        and if $i \\neq j$,

        $$= -p_j p_i$$
        """
        #expect(statuses(note) == [.defined, .verified, .verified, .verified])
    }

    @Test func aOneHotTargetTheProseAnnouncesIsDrawnOneHot() {
        let body = """
        $$L = -\\sum_{k=1}^{3} y_k \\log p_k, \\quad p_k = \\frac{e^{z_k}}{\\sum_{m=1}^{3} e^{z_m}}$$

        $$\\frac{\\partial L}{\\partial z_i} = p_i - y_i$$
        """
        #expect(statuses("Here y is a one-hot vector.\n\n" + body).last == .verified)
        let silent = Corpus.check(body, path: "silent.md").steps.last
        #expect(silent?.status == .failed)
        #expect(silent?.message.hasSuffix("it holds if y is one-hot: add <!-- nb: one-hot y -->") == true)
    }
}

@Suite struct RealIndexingTests {
    func statuses(_ text: String) -> [StepStatus] { Corpus.check(text, path: "indexing.md").steps.map(\.status) }

    @Test func aFamilyCountedFromZeroHasAnEntryZero() {
        let note = """
        $$h = \\theta_0 + \\sum_{j=1}^{3} \\theta_j x_j$$

        $$\\frac{\\partial h}{\\partial \\theta_0} = 1$$

        $$\\frac{\\partial h}{\\partial \\theta_2} = x_2$$
        """
        #expect(statuses(note) == [.defined, .verified, .verified])
    }

    @Test func perExampleSuperscriptsIndexTheirFamily() {
        let note = """
        $$J = \\frac{1}{m} \\sum_{i=1}^{m} (w x^{(i)} - y^{(i)})^2$$

        $$\\frac{\\partial J}{\\partial w} = \\frac{2}{m} \\sum_{i=1}^{m} (w x^{(i)} - y^{(i)}) x^{(i)}$$
        """
        let report = Corpus.check(note, path: "examples.md")
        #expect(report.steps.map(\.status) == [.defined, .verified])
        #expect(report.readings.contains("read the superscripts of `x` as example indices: `x^{(i)}` is `x_i`"))
    }
}

@Suite struct RealDerivativeFormsTests {
    @Test(arguments: [#"\partial y / \partial w"#, #"\frac{\partial y}{\partial w_\textrm{}}"#.replacingOccurrences(of: "_\\textrm{}", with: "")])
    func aSlashedPartialIsADerivative(_ derivative: String) {
        let note = "$$y = w x$$\n\n$$\(derivative) = x$$"
        #expect(Corpus.check(note, path: "slash.md").steps.map(\.status) == [.defined, .verified])
    }

    @Test(arguments: [#"w_\text{h}"#, #"w_{\text{h}}"#, #"w_\textrm{h}"#, #"w_\mathrm{h}"#])
    func aWordSubscriptInTextIsOneName(_ name: String) {
        let note = "$$L = \(name) x$$\n\n$$\\frac{\\partial L}{\\partial \(name)} = x$$"
        #expect(Corpus.check(note, path: "text.md").steps.map(\.status) == [.defined, .verified])
    }
}

@Suite struct RealRestatementTests {
    @Test func anInputSwappedInARestatementFailsAndSaysWhich() throws {
        let note = """
        $$net = w_1 i_1 + w_2 i_2$$

        $$net = 0.15 * 0.05 + 0.2 * 0.1$$

        $$net = w_1 i_1 + w_3 i_2$$
        """
        let last = try #require(Corpus.check(note, path: "swap.md").steps.last)
        #expect(last.status == .failed)
        #expect(last.message == "restates net with w_3 where its definition has w_2")
    }

    @Test func aNetworkThatGrowsIsRedefined() {
        let note = """
        $$y = h_1 w_1 + h_2 w_2$$

        $$y = h_1 w_1 + h_2 w_2 + h_3 w_3$$
        """
        #expect(Corpus.check(note, path: "grow.md").steps.map(\.status) == [.defined, .defined])
    }
}

@Suite struct RealShorthandTests {
    static let worked = """
    $$net = w_1 i_1 + w_2 i_2$$

    $$net = 0.15 * 0.05 + 0.2 * 0.1$$

    """

    @Test func aNameFirstWrittenInAStepOfAWorkedExampleIsNotDrawn() throws {
        let step = try #require(Corpus.check(Self.worked + "$$\\frac{\\partial net}{\\partial w_1} = \\delta_{h1} i_1$$", path: "s.md").steps.last)
        #expect(step.status == .unchecked)
        #expect(step.reason == .newName)
        #expect(step.message.contains("δ_{h1}"))
    }

    @Test func aBareLetterWhereTheNoteWritesItsMembersIsASlip() throws {
        let step = try #require(Corpus.check(Self.worked + "$$\\frac{\\partial net}{\\partial w_1} = i$$", path: "s.md").steps.last)
        #expect(step.status == .failed)
    }
}

@Suite struct RealFunctionTests {
    @Test func aFunctionNamedInTextWithAnApplicationAsArgumentIsATemplate() {
        let note = """
        $$h(x) = \\frac{1}{1 + e^{-w x}}$$

        $$\\text{Cost}(h(x), y) = -y \\log(h(x)) - (1 - y) \\log(1 - h(x))$$

        $$\\frac{\\partial}{\\partial w} \\text{Cost}(h(x), y) = (h(x) - y) x$$
        """
        #expect(Corpus.check(note, path: "cost.md").steps.map(\.status) == [.defined, .defined, .verified])
    }
}

@Suite struct MatrixSafetyTests {
    /// The example of the matrix-calculus issue: without the transpose the step is wrong, and
    /// drawn as numbers it would hold. Checked as matrices, it fails naming the shapes.
    @Test(arguments: [
        (#"\mathbf{X}(\mathbf{X}\mathbf{w} - \mathbf{y})"#, StepStatus.failed,
         "X (X * w - y): X is 5×3 and (X * w - y) is 5, so the product is undefined (Xᵀ (X * w - y) would be 3)"),
        (#"\mathbf{X}^T(\mathbf{X}\mathbf{w} - \mathbf{y})"#, StepStatus.verified, "held for all 3 entries at 3 draws"),
    ])
    func aClaimAboutWholeMatricesIsCheckedAsMatrices(_ right: String, _ status: StepStatus, _ message: String) throws {
        let note = """
        Let $\\mathbf{X} \\in \\mathbb{R}^{5 \\times 3}$.

        $$L(\\mathbf{w}) = \\frac{1}{2}\\|\\mathbf{X}\\mathbf{w} - \\mathbf{y}\\|^2$$

        $$\\nabla_{\\mathbf{w}} L(\\mathbf{w}) = \(right)$$
        """
        let step = try #require(Corpus.check(note, path: "matrix.md").steps.last)
        #expect(step.status == status)
        #expect(step.message == message)
    }

    @Test func aDeclaredSpaceMakesAPlainLetterAMatrix() {
        #expect(MatrixNotation.declared(in: #"W \in \mathbb{R}^{m \times n}, b \in \mathbb{R}^1, x \in \mathbb{R}^n"#) == ["W", "x"])
    }
}

@Suite struct RealMarkdownMathTests {
    @Test func displayMathGoesOnAcrossBlankLinesAtItsOwnLines() throws {
        let note = "Derive it.\n\n$$\n\n\\sigma(x) = 1 / (1 + e^-x)\n\n= \\frac{1}{1 + e^{-x}}\n\n$$\n\nAfter.\n"
        let report = Corpus.check(note, path: "blank.md")
        #expect(report.steps.map(\.status) == [.defined, .verified])
        #expect(report.steps.map(\.line) == [5, 7])
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test func aDifferentialIsNotANumber() throws {
        let step = try #require(Corpus.check("$$d\\sigma(x) = \\sigma(x)(1 - \\sigma(x)) dx$$", path: "d.md").steps.first)
        #expect(step.status == .unchecked)
        #expect(step.reason == .differentials)
    }

    /// A chain written from `d\sigma(x)` means the derivative: once a side has no differentials
    /// left it is compared with dσ(x)/dx, so a lost minus of an inner derivative is caught there.
    @Test func aChainFromADifferentialComparesItsFirstPlainSideWithTheDerivative() throws {
        let wrong = """
        $$
        d\\sigma(x) = \\frac{d\\sigma}{dz} \\frac{dz}{dx}
        = \\frac{1}{(1 + e^{-x})^2} (-e^{-x})
        = \\frac{-e^{-x}}{(1 + e^{-x})^2}
        $$
        """
        let steps = Corpus.check(wrong, path: "d.md").steps
        #expect(steps.map(\.status) == [.unchecked, .failed, .verified])
        #expect(steps[1].line == 3)
        #expect(steps[1].message.hasSuffix("compared with dσ(x)/dx, which the chain's first side dσ(x) stands for"))
        let right = wrong.replacingOccurrences(of: "(-e^{-x})", with: "e^{-x}").replacingOccurrences(of: "{-e^{-x}}", with: "{e^{-x}}")
        #expect(Corpus.check(right, path: "d.md").steps.map(\.status) == [.unchecked, .verified, .verified])
        // A side that still carries a differential (`… dx`) is not a derivative: nothing is compared.
        let differentials = "$$d\\sigma(x) = \\frac{d\\sigma}{dz} dz = \\sigma(x)(1 - \\sigma(x)) dx$$"
        #expect(Corpus.check(differentials, path: "d.md").steps.map(\.status) == [.unchecked, .unchecked])
    }
}

@Suite struct StandaloneInlineMathTests {
    @Test func inlineMathAloneOnItsLineDefinesAndClaimsAsADisplay() {
        let note = """
        $h = g(w x)$

        - $\\frac{\\partial h}{\\partial w} = g'(w x) x$

        In running text, $h = 3$ is a remark.
        """
        #expect(Corpus.check(note, path: "inline.md").steps.map(\.status) == [.defined, .verified])
    }

    /// "where $z = w x + b$": a name given a formula in running text is defined there.
    @Test func aFormulaInRunningTextDefinesItsName() {
        let note = """
        For one example, $z = w x + b$, $\\hat{y} = \\sigma(z)$ and the loss is

        $$L = -\\left(y \\log \\hat{y} + (1 - y)\\log(1 - \\hat{y})\\right)$$

        $$\\frac{\\partial L}{\\partial z} = \\hat{y} - y$$

        With $Q = -\\sum_k y_k \\log p_k$, $p_k = \\frac{e^{z_k}}{\\sum_j e^{z_j}}$ and a one-hot $y$,

        $$\\frac{\\partial Q}{\\partial z_i} = p_i - y_i$$
        """
        let steps = Corpus.check(note, path: "inline.md").steps
        #expect(steps.map(\.status) == [.defined, .defined, .defined, .verified, .defined, .defined, .verified])
        #expect(steps.map(\.line) == [1, 1, 3, 5, 7, 7, 9])
        // The same step with its sign lost fails: the inline definitions are really used.
        let wrong = note.replacingOccurrences(of: "= \\hat{y} - y$$", with: "= y - \\hat{y}$$")
        #expect(Corpus.check(wrong, path: "inline.md").steps.map(\.status)[3] == .failed)
    }

    /// Running text uses `=` for conditions and remarks too: a number, a bare symbol, a name
    /// already bound or one the note makes a function defines nothing.
    @Test func conditionsAndRemarksInRunningTextDefineNothing() {
        let note = """
        $$f(x, y) = x y$$

        If $y = 1$ and $i = j$, then $f = q z$ only names a gate, and $L = 2$ is a remark.

        $$L = \\frac{1}{2}(t - o)^2$$

        $$\\frac{\\partial L}{\\partial o} = o - t$$
        """
        let steps = Corpus.check(note, path: "inline.md").steps
        #expect(steps.map(\.status) == [.defined, .defined, .verified])
    }
}

@Suite struct LocalPartialTests {
    /// Batch norm's backward pass: `\hat{x}_i` is written with x_i and σ², and σ² is computed
    /// from the x_i too; the note's ∂x̂_i/∂x_i is the partial of the formula, σ² held, and the
    /// path through σ² is a term of its own in the chain rule.
    @Test func aPartialOfAFormulaHoldsItsOtherArgumentsFixed() {
        let note = """
        $$\\sigma^2 = \\frac{1}{m} \\sum_{i=1}^m (x_i - \\mu)^2$$

        $$\\hat{x}_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$$

        $$\\frac{\\partial \\hat{x}_i}{\\partial x_i} = \\frac{1}{\\sqrt{\\sigma^2 + \\epsilon}}$$

        $$\\frac{\\partial \\hat{x}_i}{\\partial \\sigma^2} = -\\frac{1}{2}(x_i - \\mu)(\\sigma^2 + \\epsilon)^{-3/2}$$
        """
        #expect(Corpus.check(note, path: "bn.md").steps.map(\.status) == [.defined, .defined, .verified, .verified])
    }

    @Test func aChainThroughIntermediatesIsStillFollowed() {
        // E's formula does not write w: ∂E/∂w goes through y as before.
        let note = "$$y = w x$$\n\n$$E = \\frac{1}{2}(t - y)^2$$\n\n$$\\frac{\\partial E}{\\partial w} = -(t - y) x$$"
        #expect(Corpus.check(note, path: "chain.md").steps.map(\.status) == [.defined, .defined, .verified])
    }
}

@Suite struct EquivalenceAndDollarTests {
    @Test func equivDefinesItsLeftSide() {
        let note = "$$\\delta \\equiv \\frac{\\partial E}{\\partial z}$$\n\n$$E = z^2$$\n\n$$\\delta = 2 z$$"
        #expect(Corpus.check(note, path: "equiv.md").steps.map(\.status) == [.defined, .defined, .verified])
    }

    @Test func halfOfADoubleDollarNeverClosesASingleOne() throws {
        let note = "in the output layer $L $ <br>\n$$\ny = w x\n$$\n"
        let report = Corpus.check(note, path: "dollar.md")
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(report.steps.map(\.status) == [.defined])
    }
}

@Suite struct FunctionEqualityTests {
    static let network = "```nb\nnetwork: 2 -> 3 -> 1\nactivation: sigmoid\n```\n\n"

    @Test func twoFunctionNamesAreComparedAsFunctions() throws {
        let holds = try #require(Corpus.check(Self.network + "$$g = \\sigma$$", path: "g.md").steps.last)
        #expect(holds.status == .verified)
        #expect(holds.left == "g(·)")
        let wrong = try #require(Corpus.check(Self.network + "$$g = \\tanh$$", path: "g.md").steps.last)
        #expect(wrong.status == .failed)
    }

    @Test func aKnownFunctionIsNeverNamedByEquality() {
        let steps = Corpus.check(Self.network + "$$g = \\sigma$$", path: "g.md").steps
        #expect(!steps.contains { $0.message.hasPrefix("names a new quantity") })
    }
}

/// A logistic-regression derivation in the style of course notes: examples as `x^{(i)}`, the
/// model `h_\theta` written bare, the chain rule through `\frac{\partial}{\partial h_\theta}`,
/// captions under `\underbrace` (our own text).
@Suite struct ExampleFunctionTests {
    static let model = #"""
    $$ J(\theta) = -\frac{1}{m} \sum_{i=1}^{m} \left( y^{(i)} \log h_\theta(x^{(i)}) + (1 - y^{(i)}) \log (1 - h_\theta(x^{(i)})) \right) $$

    $$ h_{\theta}(x^{(i)}) = \frac{1}{1 + e^{-\theta_0 - \theta_1 x^{(i)}}} $$

    """#

    func statuses(_ body: String) -> [(Int, StepStatus, String)] {
        Corpus.check(Self.model + body, path: "logistic.md").steps.filter { $0.status != .defined }.map { ($0.line, $0.status, $0.message) }
    }

    @Test func aBareModelInAStepAboutPlainXIsTheModelAtX() {
        let right = statuses(#"$$ \frac{\partial h_{\theta}}{\partial \theta_0} = h_\theta(x) (1 - h_\theta(x)) $$"#)
        #expect(right.map(\.1) == [.verified])
        let wrong = statuses(#"$$ \frac{\partial h_{\theta}}{\partial \theta_1} = h_\theta(x) (1 - h_\theta(x)) $$"#)
        #expect(wrong.map(\.1) == [.failed])
    }

    @Test func theChainRuleThroughTheModelTakesTheExamplesIndex() {
        let right = statuses(#"$$ \frac{\partial }{\partial \theta_0} \left( \log h_{\theta}(x^{(i)}) \right) = \frac{\partial }{\partial h_{\theta} } \left( \log h_{\theta}(x^{(i)}) \right) \frac{\partial h_{\theta}}{\partial \theta_0} = 1 - h_\theta(x^{(i)}) $$"#)
        #expect(right.map(\.1) == [.verified, .verified])
        let wrong = statuses(#"$$ \frac{\partial }{\partial \theta_1} \left( \log h_{\theta}(x^{(i)}) \right) = 1 - h_\theta(x^{(i)}) $$"#)
        #expect(wrong.map(\.1) == [.failed])
        #expect(wrong.first?.2.hasPrefix("at i = ") == true)
    }

    @Test func anUnderbracesCaptionIsNotPartOfTheMath() {
        let steps = statuses(#"$$ \frac{\partial J}{\partial \theta_0} = -\frac{1}{m} \sum_{i=1}^{m} \left( y^{(i)} \underbrace{\frac{\partial}{\partial \theta_0} \log h_\theta(x^{(i)})}_{\text{Part I}} + (1 - y^{(i)}) \underbrace{\frac{\partial}{\partial \theta_0} \log (1 - h_\theta(x^{(i)}))}_{\text{Part II}} \right) = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) $$"#)
        #expect(steps.map(\.1) == [.verified, .verified])
    }

    @Test func aClosingGeneralisationWithFeaturesLeavesTheExamplesAlone() {
        // `x_0^{(i)} = 1` speaks of feature 0 of example i, another quantity than the x^{(i)} above.
        let steps = statuses(#"""
        $$ \frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) $$

        In general, with $x_0^{(i)} = 1$, $\frac{\partial J}{\partial \theta_j} = \frac{1}{m} \sum_{i=1}^{m} ( h_{\theta}(x^{(i)}) - y^{(i)} ) x_j^{(i)}$.
        """#)
        #expect(steps.first?.1 == .verified)
    }

    @Test func aStepThatRepeatsASideNamesNothing() {
        let steps = statuses(#"$$ \frac{1}{m} \sum_{i=1}^{m} y^{(i)} = \frac{1}{m} \sum_{i=1}^{m} y^{(i)} $$"#)
        #expect(steps.map(\.1) == [.verified])
        #expect(!steps.contains { $0.2.hasPrefix("names a new quantity") })
    }
}

/// Backpropagation through time as textbooks write it (our own text): a recurrence through
/// functions the note leaves open, partials in one argument, the loss listing its arguments elided.
@Suite struct RecurrenceTests {
    static let model = #"""
    $$\begin{aligned}h_t &= f(x_t, h_{t-1}, w_h),\\o_t &= g(h_t, w_o),\end{aligned}$$

    $$L(x_1, \ldots, x_T, y_1, \ldots, y_T, w_h, w_o) = \frac{1}{T}\sum_{t=1}^T l(y_t, o_t).$$

    """#

    func statuses(_ body: String) -> [StepStatus] {
        Corpus.check(Self.model + body, path: "bptt.md").steps.filter { $0.status != .defined }.map(\.status)
    }

    @Test func theChainRuleThroughTimeHoldsForFunctionsLeftOpen() {
        #expect(statuses(#"$$\frac{\partial L}{\partial w_h} = \frac{1}{T}\sum_{t=1}^T \frac{\partial l(y_t, o_t)}{\partial o_t} \frac{\partial g(h_t, w_o)}{\partial h_t} \frac{\partial h_t}{\partial w_h}$$"#)
            == [.verified])
        // The argument of l differentiated in the wrong slot.
        #expect(statuses(#"$$\frac{\partial L}{\partial w_h} = \frac{1}{T}\sum_{t=1}^T \frac{\partial l(y_t, o_t)}{\partial y_t} \frac{\partial g(h_t, w_o)}{\partial h_t} \frac{\partial h_t}{\partial w_h}$$"#)
            == [.failed])
    }

    @Test func aPartialInOneArgumentHoldsTheEarlierStateWhileTheTotalDoesNot() {
        #expect(statuses(#"$$\frac{\partial h_t}{\partial w_h} = \frac{\partial f(x_{t},h_{t-1},w_h)}{\partial w_h} + \frac{\partial f(x_{t},h_{t-1},w_h)}{\partial h_{t-1}} \frac{\partial h_{t-1}}{\partial w_h}$$"#)
            == [.verified])
        #expect(statuses(#"$$\frac{\partial h_t}{\partial w_h} = \frac{\partial f(x_{t},h_{t-1},w_h)}{\partial w_h}$$"#) == [.failed])
    }

    @Test func boldSymbolsWithIndicesAreMatricesAndNeverScalarTicks() {
        let steps = statuses(#"""
        $$\mathbf{h}_t = \mathbf{W}_\textrm{hx} \mathbf{x}_t + \mathbf{W}_\textrm{hh} \mathbf{h}_{t-1}$$

        $$\frac{\partial \mathbf{h}_t}{\partial \mathbf{h}_{t-1}} = \mathbf{W}_\textrm{hh}$$
        """#)
        #expect(!steps.contains(.verified))
    }

    @Test func twoArgumentsOfAFunctionLeftOpenAreNotInterchangeable() {
        #expect(statuses("$$l(a, b) = l(b, a)$$") == [.failed])
        #expect(statuses("$$2 \\text{prod}(a, b) = 2 a b$$") == [.verified])
    }
}

/// Layer labels as a textbook chapter writes them (our own text): a definition at layer l+1 is
/// not carried to layer l, so a claim about z at layer l is not drawn free of it and failed.
@Suite struct ShiftedLayerTests {
    @Test func aFamilyDefinedAtTheNextLayerLeavesClaimsAtThisLayerUnchecked() {
        let text = #"""
        $$a^l_j = \sigma\left(\sum_k w^l_{jk} a^{l-1}_k + b^l_j\right)$$

        $$z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k = \sum_j w^{l+1}_{kj} \sigma(z^l_j) + b^{l+1}_k$$
        """#
        let steps = Corpus.check(text, path: "layers.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.unchecked])
        #expect(steps.first?.reason == .shiftedLayer)
        #expect(steps.first?.message.contains("z_j^(l)") == true)
    }

    /// A derivative that came out 0 on its way through a family the note writes only at another
    /// layer (`a^L_j`, reached from `z^{l+1}_k` through `a^l_j`) lost its path there: unchecked.
    @Test func aDerivativeLostThroughAnotherLayersFamilyIsUnchecked() {
        let text = #"""
        Here $z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j$, and at the output $a^L_j = \sigma(z^L_j)$.

        $$z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k$$

        $$\frac{\partial z^{l+1}_k}{\partial z^l_j} = w^{l+1}_{kj} \sigma'(z^l_j)$$
        """#
        let steps = Corpus.check(text, path: "layers.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.unchecked])
        #expect(steps.first?.message.hasSuffix("nbrun does not carry a definition from one layer to the next") == true)
    }
}

@Suite struct SizedAndColouredTests {
    @Test func aSizedClosingBracketEndsTheSumBeforeIt() {
        let steps = Corpus.check(#"$$\bigg(\sum\limits_{i=1}^3 i \cdot a \bigg) + \bigg( b \bigg) = 6 a + b$$"#, path: "s.md").steps
        #expect(steps.map(\.status) == [.verified])
    }

    @Test func aColouredGroupIsReadAsItsMath() {
        let steps = Corpus.check(#"$$\boxed{\color{red}{x + x = 2 x}}$$"#, path: "c.md").steps
        #expect(steps.map(\.status) == [.verified])
    }
}

/// Long sums broken over lines the way dissertation drafts and worked examples print them (our own numbers).
@Suite struct BrokenLineTests {
    func statuses(_ text: String) -> [StepStatus] {
        Corpus.check(text, path: "lines.md").steps.filter { $0.status != .defined }.map(\.status)
    }

    @Test func aNegativeTermAfterAPlusIsOneTerm() {
        #expect(statuses("$$0.5 + -0.25 = 0.25$$") == [.verified])
        #expect(statuses("$$0.5 + -0.25 = 0.75$$") == [.failed])
    }

    @Test func aLineBreakInsideABracketOnlyBreaksTheLine() {
        let text = #"""
        $$\begin{aligned} y =& \Bigg( 2 a \\ +& 2 b \Bigg) \\ =& 2 (a + b) \end{aligned}$$
        """#
        #expect(statuses(text) == [.verified])
    }

    @Test func aRowThatStartsWithASignGoesOnWithTheSum() {
        let right = #"""
        $$\begin{aligned} (a + b)^2 =& a^2 + 2 a b \\ +& b^2 \\ =& a^2 + b^2 + 2 a b \end{aligned}$$
        """#
        #expect(statuses(right) == [.verified, .verified])
        let wrong = #"""
        $$\begin{aligned} (a + b)^2 =& a^2 + 2 a b \\ -& b^2 \end{aligned}$$
        """#
        #expect(statuses(wrong) == [.failed])
    }

    @Test func aMatrixInsideABracketKeepsItsRows() {
        let text = #"$$\left( \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix} \right) = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$$"#
        #expect(statuses(text) == [.verified])
    }
}

/// Worked examples that name their outputs `o1`, `o2` and sum over o (our own numbers).
@Suite struct LabelSumTests {
    static let outputs = #"""
    $$E_{o1} = \frac{1}{2}(target_{o1} - out_{o1})^{2}$$

    $$E_{o2} = \frac{1}{2}(target_{o2} - out_{o2})^{2}$$

    """#

    func statuses(_ body: String) -> [StepStatus] {
        Corpus.check(Self.outputs + body, path: "labels.md").steps.filter { $0.status != .defined }.map(\.status)
    }

    @Test func aSumOverALetterRunsOverItsLabels() {
        // As the step-by-step posts write it: `\sum\limits_{o}`.
        #expect(statuses(#"$$\sum\limits_{o} E_o = E_{o1} + E_{o2}$$"#) == [.verified])
        #expect(statuses(#"$$\sum\limits_{o} E_o = E_{o1}$$"#) == [.failed])
        // `target_o` is then no drawn array: its members are the labelled ones.
        #expect(statuses(#"$$\sum_o \frac{1}{2}(target_o - out_o)^{2} = E_{o1} + E_{o2}$$"#) == [.verified])
    }

    @Test func aSumWhoseTermStartsWithAMinusHasThatTerm() {
        let steps = Corpus.check(#"$$\sum_{j=1}^{3} -j a = -6 a$$"#, path: "minus.md").steps
        #expect(steps.map(\.status) == [.verified])
    }

    @Test func anUpdateRuleWithItsNumbersGivesTheLearningRateItsValue() {
        let text = #"""
        $$w = 0.40$$

        $$E = w^2$$

        $$w^{+} = w - \eta \frac{\partial E}{\partial w} = 0.40 - 0.50 * 0.80 = 0.00$$
        """#
        let steps = Corpus.check(text, path: "update.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .verified])
        let wrong = Corpus.check(text.replacingOccurrences(of: "0.50 * 0.80 = 0.00", with: "0.50 * 0.90 = -0.05"), path: "update.md").steps
        #expect(wrong.contains { $0.status == .failed })
    }
}

/// Lecture notes and blog posts as published (our own formulas in their notation).
@Suite struct PublishedNotationTests {
    func statuses(_ text: String) -> [StepStatus] {
        Corpus.check(text, path: "published.md").steps.filter { $0.status != .defined }.map(\.status)
    }

    @Test func anEscapedUnderscoreIsASubscript() {
        // Math written through a Markdown processor that eats `\_` escapes.
        #expect(statuses("$$a\\_{1} = 2$$\n\n$$3 a\\_1 = 6$$") == [.verified])
    }

    @Test func anAccentOverALetterWithASuperscriptIsOnTheLetter() throws {
        let written = try #require(MathParser.parse("\\hat{W^2}").expression)
        let plain = try #require(MathParser.parse("\\hat{W}^2").expression)
        #expect(written.withoutRanges == plain.withoutRanges)
        #expect(!written.containsUninterpretable)
    }

    @Test func aDerivativeOfALetterWrittenAsAFunctionOfSomethingElseIsNotCompared() {
        // `{\cal C}(\hat{W})` with C never defined: the note does not say how it depends on w.
        let steps = Corpus.check("$$\\frac{\\partial{\\cal C}(\\hat{W})}{\\partial w} = a (1 - a)$$", path: "c.md").steps
        #expect(steps.map(\.status) == [.unchecked])
        #expect(steps.first?.reason == .disconnectedDerivative)
    }
}

@Suite struct ExcludedIndexTests {
    @Test func aSumOverEveryIndexButOneSkipsIt() {
        let text = #"""
        $$p_i = \frac{e^{o_i}}{\sum_j e^{o_j}}$$

        $$- y_k (1 - p_k) + \sum_{i\neq k} y_i p_k = - y_k + \sum_i y_i p_k$$

        $$\sum_{i\neq k} y_i p_k = \sum_i y_i p_k$$
        """#
        let steps = Corpus.check(text, path: "softmax.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .failed])
        #expect(MathParser.parse(#"\sum_{i \neq k} y_i"#).expression?.latex == #"\sum_{i \neq k} y_{i}"#)
    }
}

@Suite struct IndicatorTests {
    @Test func theDerivativeOfMaxIsAnIndicator() throws {
        let text = #"""
        $$f(x, y) = \max(x, y)$$

        $$\frac{\partial f}{\partial x} = \mathbb{1}(x >= y) \qquad \frac{\partial f}{\partial y} = \mathbb{1}(y \geq x)$$

        $$\frac{\partial f}{\partial y} = \mathbb{1}(x \geq y)$$
        """#
        let steps = Corpus.check(text, path: "max.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .verified, .failed])
        // Where a draw gives 0 = 0, the values shown are those of a draw that compared more.
        #expect(!steps.prefix(2).contains { $0.leftValue == "0" && $0.rightValue == "0" })
    }
}

@Suite struct LostPartialTests {
    @Test func aDerivativeWhoseDenominatorLostItsPartialFailsAtItsLine() {
        let text = "$$C = w^2$$\n\n$$\\dfrac{\\partial C}{w} = 2 w$$\n\n$$\\frac{\\partial C / \\partial w}{2} = w$$\n"
        let steps = Corpus.check(text, path: "bp4.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.failed, .verified])
        #expect(steps.first?.line == 3)
        #expect(steps.first?.message.contains("none below") == true)
    }
}

@Suite struct ConventionTests {
    @Test func aDisplayThatTheProsePresentsInAnotherConventionIsNotChecked() {
        let text = """
        $$o = w h$$

        $$E = \\frac{1}{2}(t - o)^2$$

        $$\\delta = -(t - o)$$

        $$\\frac{\\partial E}{\\partial w} = \\delta h$$

        Some sources extract the negative sign from $\\delta$, so it would be written as:

        $$\\frac{\\partial E}{\\partial w} = -\\delta h$$

        And in this note:

        $$\\frac{\\partial E}{\\partial w} = -\\delta h$$
        """
        let steps = Corpus.check(text, path: "sign.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .unchecked, .failed])
        #expect(steps[1].reason == .anotherConvention)
    }
}

@Suite struct StrayBracketTests {
    @Test func aBracketThatClosesNothingIsTheNotesTypo() {
        let text = "$$a = (b + c)) d$$\n\n$$x \\in [0, 1)$$\n"
        let steps = Corpus.check(text, path: "typo.md").steps
        #expect(steps.first?.status == .failed)
        #expect(steps.first?.message.contains("closes a bracket it never opened") == true)
        #expect(!steps.dropFirst().contains { $0.status == .failed })
    }
}

@Suite struct SubscriptedNormTests {
    @Test func aFrobeniusOrTwoNormOfNumbersIsTheRootOfTheirSquares() {
        let steps = Corpus.check("$$\\|a\\|_F^2 = a^2$$\n\n$$\\|a\\|_2 = \\sqrt{a^2}$$\n\n$$\\|a\\|_F = 2 a$$\n", path: "norms.md").steps
        #expect(steps.map(\.status) == [.verified, .verified, .failed])
    }
}

@Suite struct KinkTests {
    @Test(arguments: 1...10)
    func aStepTrueOnHalfOfAllInputsFailsWhateverTheSeed(_ seed: Int) {
        // The derivative of ½|t - o|² written as |t - o|: right where o > t only.
        let text = "$$E = \\frac{1}{2}\\|t - o\\|^2$$\n\n$$\\frac{\\partial E}{\\partial o} = \\|t - o\\|$$\n"
        let steps = Corpus.check(text, path: "kink.md", seed: UInt64(seed)).steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.failed])
    }
}

/// Definitions by cases, with their conditions written in them, and derivatives of functions
/// named in text (our own examples).
@Suite struct CasesTests {
    static let softmax = #"""
    $$p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$

    $$
    \frac{\partial p_i}{\partial z_k} =
    \begin{cases}
    p_i (1 - p_k) & \text{if }\; i = k \\
    -p_i p_k & \text{otherwise}
    \end{cases}
    $$
    """#

    @Test func aCaseIsTheValueOfTheRowWhoseConditionHolds() {
        let steps = Corpus.check(Self.softmax, path: "cases.md").steps
        #expect(steps.map(\.status) == [.defined, .verified])
        // The sign of the second row lost: it fails where i ≠ k, and says at which indices.
        let wrong = Self.softmax.replacingOccurrences(of: "-p_i p_k & \\text{otherwise}", with: "p_i p_k & \\text{if } i \\neq k")
        let failed = Corpus.check(wrong, path: "cases.md").steps
        #expect(failed.map(\.status) == [.defined, .failed])
        #expect(failed[1].message.hasPrefix("at i = 1, k = 2:"))
    }

    @Test func conditionsOnValuesAndNamedFunctionsPrimed() {
        let relu = #"""
        $$\text{ReLU}(x) = \max(0, x)$$

        $$\text{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \leq 0 \end{cases}$$
        """#
        #expect(Corpus.check(relu, path: "relu.md").steps.map(\.status) == [.defined, .verified])
        let swapped = relu.replacingOccurrences(of: "1 & x > 0 \\\\ 0 & x \\leq 0", with: "0 & x > 0 \\\\ 1 & x \\leq 0")
        #expect(Corpus.check(swapped, path: "relu.md").steps.map(\.status) == [.defined, .failed])
        // A condition that is not one comparison is not guessed at.
        let vague = #"$$g(x) = \begin{cases} 1 & x \text{ small} \\ 0 & \text{otherwise} \end{cases}$$"#
        #expect(Corpus.check(vague + "\n\n$$g(x) = 1$$", path: "vague.md").steps.last?.status != .verified)
    }
}

/// "Suppose we're given a function $u(x, y)$ where $x(r, t)$ and $y(r, t)$" (our own wording of
/// a chain-rule primer): open functions declared in running text.
@Suite struct DeclaredOpenFunctionTests {
    static let primer = #"""
    Suppose we are given a function $u(x, y)$ where $x(r, t)$ and $y(r, t)$. Then

    $$\frac{\partial u}{\partial r} = \frac{\partial u}{\partial x} \frac{\partial x}{\partial r} + \frac{\partial u}{\partial y} \frac{\partial y}{\partial r}$$
    """#

    @Test func aFunctionDeclaredInTheTextIsDrawnAndItsChainRuleChecked() {
        let report = Corpus.check(Self.primer, path: "primer.md")
        #expect(report.steps.map(\.status) == [.verified])
        #expect(report.readings.contains("read `u(x, y)` as u, a function of 2 arguments the note leaves open"))
        // The second term's inner derivative taken in the wrong variable fails.
        let wrong = Self.primer.replacingOccurrences(of: #"\frac{\partial y}{\partial r}$$"#, with: #"\frac{\partial y}{\partial t}$$"#)
        #expect(Corpus.check(wrong, path: "primer.md").steps.map(\.status) == [.failed])
    }

    @Test func aNameTheNoteDefinesIsNotDeclaredOpen() {
        let note = #"""
        Take $f(x, y)$ for now.

        $$f(x, y) = x y$$

        $$\frac{\partial f}{\partial x} = y$$
        """#
        #expect(Corpus.check(note, path: "f.md").steps.map(\.status) == [.defined, .verified])
    }
}

/// `(s \odot t)_j = s_j t_j`: an entry of an entry-wise expression of vectors.
@Suite struct EntryOfExpressionTests {
    @Test func anEntryOfAnEntrywiseExpressionIsTheExpressionOfEntries() {
        let statuses = { (tex: String) in Corpus.check(tex, path: "entry.md").steps.map(\.status) }
        #expect(statuses(#"$$(s \odot t)_j = s_j t_j$$"#) == [.verified])
        #expect(statuses(#"$$(\sigma(z) - 2 y)_j = \sigma(z_j) - 2 y_j$$"#) == [.verified])
        #expect(statuses(#"$$(s + t)_j = s_j - t_j$$"#) == [.failed])
        // A product of two vectors is no entry-wise operation: `(W x)_j` sums over a row.
        #expect(statuses(#"$$(W x)_j = W_j x_j$$"#) == [.unchecked])
    }
}

/// The deep-learning course's gradient names (`dz = a - y`, `dW^{[2]}`), in our own notes.
@Suite struct CourseGradientTests {
    static let logistic = #"""
    For one example, $z = w_1 x_1 + w_2 x_2 + b$, $a = \sigma(z)$ and

    $$\mathcal{L}(a, y) = -(y \log a + (1 - y) \log(1 - a))$$

    $$da = \frac{d\mathcal{L}}{da} = -\frac{y}{a} + \frac{1 - y}{1 - a}$$

    $$dz = a - y$$

    $$dw_1 = x_1 dz$$

    $$db = dz$$
    """#

    static let layers = #"""
    $$z^{[1]} = w^{[1]} x + b^{[1]}$$

    $$a^{[1]} = \tanh(z^{[1]})$$

    $$z^{[2]} = w^{[2]} a^{[1]} + b^{[2]}$$

    $$a^{[2]} = \sigma(z^{[2]})$$

    $$L = -(y \log a^{[2]} + (1 - y) \log(1 - a^{[2]}))$$

    $$dz^{[2]} = a^{[2]} - y$$

    $$dw^{[2]} = dz^{[2]} a^{[1]}$$

    $$dz^{[1]} = w^{[2]} dz^{[2]} (1 - (a^{[1]})^2)$$
    """#

    @Test func aNoteThatNamesItsGradientsIsCheckedThroughThem() {
        let report = Corpus.check(Self.logistic, path: "logistic.md")
        #expect(report.steps.filter { $0.status != .defined }.map(\.status) == [.verified, .verified, .verified, .verified, .verified])
        #expect(report.readings.contains("read `dX` as the derivative of ℒ with respect to X (the deep-learning course's notation)"))
        let wrong = Self.logistic.replacingOccurrences(of: "$$dw_1 = x_1 dz$$", with: "$$dw_1 = x_2 dz$$")
        #expect(Corpus.check(wrong, path: "logistic.md").steps.filter { $0.status == .failed }.map(\.line) == [9])
    }

    @Test func squareBracketLayersMarkTheCourseNotation() {
        let steps = Corpus.check(Self.layers, path: "layers.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .verified, .verified])
        // The next layer's weight where this layer's belongs, and a flipped sign, fail at their lines.
        let wrong = Self.layers.replacingOccurrences(of: "= w^{[2]} dz^{[2]}", with: "= w^{[1]} dz^{[2]}")
            .replacingOccurrences(of: "$$dz^{[2]} = a^{[2]} - y$$", with: "$$dz^{[2]} = y - a^{[2]}$$")
        #expect(Corpus.check(wrong, path: "layers.md").steps.filter { $0.status == .failed }.map(\.line) == [11, 15])
    }

    @Test func aShapeGuessedFromATransposeFailsNothing() {
        // `x^T` makes a plain x a guessed vector, and every side a vector or matrix of guessed
        // sizes: a mismatch through that guess is unchecked. A bold letter is a vector by its
        // style, and a transposed one against a column still fails.
        let guessed = Self.layers + "\n\n$$dw^{[1]} = dz^{[1]} x^T$$\n"
        #expect(Corpus.check(guessed, path: "guessed.md").steps.filter { $0.status == .failed }.isEmpty)
        let bold = "$$\\mathbf{y} = \\mathbf{A}\\mathbf{x}$$\n\n$$\\mathbf{y}^T = \\mathbf{A}\\mathbf{x}$$\n"
        #expect(Corpus.check(bold, path: "bold.md").steps.map(\.status) == [.defined, .failed])
    }

    @Test func differentialsStayDifferentialsWithoutTheCoursesMarks() {
        let note = #"""
        $$L = \frac{1}{2}(y - \sigma(z))^2$$

        $$d\sigma = \sigma(z)(1 - \sigma(z))\, dz$$
        """#
        #expect(Corpus.check(note, path: "differentials.md").steps.map(\.status) == [.defined, .unchecked])
    }
}

/// A line copied from the one before, one input left unchanged (our own worked numbers).
@Suite struct RepeatedInputTests {
    static let forward = #"""
    $$h_1 = \sigma(z_1) = 0.5812$$

    $$h_2 = \sigma(z_2) = 0.5969$$

    $$y_1 = w_5 h_1 + w_6 h_1 + b_2$$
    """#

    @Test func anInputTakenTwiceWithItsSiblingLeftOutFails() throws {
        let steps = Corpus.check(Self.forward, path: "forward.md").steps
        let slip = try #require(steps.last)
        #expect(slip.status == .failed)
        #expect(slip.line == 5)
        #expect(slip.message == "h_{1} is taken twice, with w_{5} and with w_{6}, and h_{2}, which the note has, not at all: is one of them h_{2}?")
        // Written right, or with no sibling in the note, it is a definition like any other.
        let right = Self.forward.replacingOccurrences(of: "w_6 h_1", with: "w_6 h_2")
        #expect(Corpus.check(right, path: "forward.md").steps.last?.status == .defined)
        let alone = "$$y = a x + b x + c$$"
        #expect(Corpus.check(alone, path: "alone.md").steps.map(\.status) == [.defined])
    }
}

/// Worked numbers held to what they really are (our own small example): given inputs are
/// exact, not rounded; `\approx` with printed numbers is held to their digits; inline steps
/// between numbers are checked; a whole number given among decimals is a value.
@Suite struct WorkedNumberPrecisionTests {
    static let example = #"""
    $$
    \begin{aligned}
    z_1 &= w_1 x + b_1 \\
    h &= \text{ReLU}(z_1) \\
    z_2 &= w_2 h + b_2 \\
    \hat{y} &= \sigma(z_2) \\
    L &= \frac{1}{2}(\hat{y} - y)^2
    \end{aligned}
    $$

    With $x = 1.5$, $y = 1$, $w_1 = 0.4$, $b_1 = 0.1$, $w_2 = -0.3$, $b_2 = 0.2$:

    $$z_2 = -0.3 \cdot 0.7 + 0.2 = -0.01$$

    $$\hat{y} = \sigma(-0.01) \approx 0.4975$$

    so $\frac{\partial L}{\partial w_2} = (0.4975 - 1)(0.4975)(0.5025)(0.7) \approx -0.0879$.
    """#

    @Test func theExampleChecksWhole() {
        let steps = Corpus.check(Self.example, path: "worked.md").steps.filter { $0.status != .defined }
        #expect(steps.allSatisfy { $0.status == .verified })
        #expect(steps.count == 6)
    }

    @Test func aRoundingSlipBeyondTheDigitsOfExactInputsFails() throws {
        // σ(-0.01) is 0.4975: -0.01 is z_2 exactly, not a number rounded to two places.
        let wrong = Self.example.replacingOccurrences(of: "\\approx 0.4975$$", with: "\\approx 0.4957$$")
        let failed = try #require(Corpus.check(wrong, path: "worked.md").steps.first { $0.status == .failed })
        #expect(failed.line == 15)
        #expect(failed.message.hasSuffix("more than the ±1.000e-04 the digits written allow"))
        // The inline step, which needs y = 1 given among the decimals.
        let inline = Self.example.replacingOccurrences(of: "\\approx -0.0879$", with: "\\approx -0.0897$")
        #expect(Corpus.check(inline, path: "worked.md").steps.filter { $0.status == .failed }.map(\.line) == [17])
    }

    @Test func stepsBetweenNumbersInRunningTextAreChecked() {
        let steps = Corpus.check("Given $a = 0.5$ here, $2 a = 1.0 \\approx 1.4$.", path: "numbers.md").steps
        #expect(steps.map(\.status) == [.defined, .verified, .failed])
        // Two numbers printed to one decimal are the same number only if their ranges meet:
        // 1.5 (1.45 to under 1.6) and 1.7 (1.65 to under 1.8) do not.
        let rounded = { (tex: String) in Corpus.check(tex, path: "rounded.md").steps.map(\.status) }
        #expect(rounded("$$1.5 = 1.7$$") == [.failed])
        #expect(rounded("$$1.5 = 1.6$$") == [.verified])
        #expect(rounded("$$0.5 \\cdot 0.3 = 0.15$$") == [.verified])
    }
}

/// `p_i = \text{softmax}(z)_i` (our own softmax note): an entry of a function's value, the bare
/// `z` of a family written `z_i` being the whole vector there.
@Suite struct FunctionEntryTests {
    static let note = #"""
    We write $p_i = \text{softmax}(z)_i$ and take a one-hot $y$ with $L = -\sum_{k=1}^{K} y_k \log p_k$.

    For $i \neq j$:

    $$\frac{\partial p_i}{\partial z_j} = \frac{0 - e^{z_i}e^{z_j}}{\left(\sum_k e^{z_k}\right)^2} = -p_i p_j$$

    $$\frac{\partial L}{\partial z_j} = -\sum_k y_k \frac{\partial \log p_k}{\partial z_j} = p_j - y_j$$
    """#

    @Test func anEntryOfSoftmaxIsReadAndItsDerivativesChecked() {
        let steps = Corpus.check(Self.note, path: "softmax.md").steps.filter { $0.status != .defined }
        #expect(steps.map(\.status) == [.verified, .verified, .verified, .verified])
        let wrong = Self.note.replacingOccurrences(of: "= -p_i p_j$$", with: "= p_i p_j$$")
        #expect(Corpus.check(wrong, path: "softmax.md").steps.filter { $0.status == .failed }.map(\.line) == [5])
    }
}

/// Notation met in short derivations (our own examples): premises after `\text{where}`,
/// probabilities in `\log(1 - p)`, a coefficient after `\nabla`, more named functions, and an
/// indicator with its condition as a subscript.
@Suite struct ShortDerivationNotationTests {
    func statuses(_ tex: String) -> [StepStatus] {
        Corpus.check(tex, path: "short.md").steps.map(\.status)
    }

    @Test func aPremiseAfterWhereIsReadBeforeTheClaim() {
        let claim = #"$$\frac{\partial \ell}{\partial \hat y} = \frac{\hat y - y}{\hat y (1 - \hat y)} \quad \text{where } \ell = -y\log \hat y - (1-y)\log(1-\hat y)$$"#
        #expect(statuses(claim) == [.defined, .verified])
        #expect(statuses(claim.replacingOccurrences(of: "{\\hat y - y}", with: "{y - \\hat y}")) == [.defined, .failed])
    }

    @Test func aReasonAStepRestsOnIsReadBeforeTheStep() {
        let note = #"""
        $$L = h^2$$

        $$\frac{\partial L}{\partial a} = 2 h g'(a) \;\; [\because h = g(a)]$$
        """#
        let steps = Corpus.check(note, path: "because.md").steps
        #expect(steps.map(\.status) == [.defined, .defined, .verified])
        #expect(Corpus.check(note.replacingOccurrences(of: "= 2 h g'(a)", with: "= h g'(a)"), path: "because.md").steps.last?.status == .failed)
    }

    @Test func aCoefficientAfterNablaIsNotItsWholeOperand() {
        #expect(statuses(#"$$\nabla_w \tfrac{1}{2}(wx-y)^2 = (wx-y)\,x$$"#) == [.verified])
        #expect(statuses(#"$$\nabla_w \tfrac{1}{2}(wx-y)^2 = (wx-y)$$"#) == [.failed])
    }

    @Test func moreNamedFunctionsAndSubscriptedIndicators() {
        #expect(statuses(#"$$\frac{\partial}{\partial x} \tanh x = \operatorname{sech}^2 x$$"#) == [.verified])
        #expect(statuses(#"$$\frac{d}{dx} |x| = \operatorname{sign}(x)$$"#) == [.verified])
        #expect(statuses(#"$$\frac{d}{dx} \text{softplus}(x) = \text{sigmoid}(x)$$"#) == [.verified])
        #expect(statuses(#"$$\frac{d}{dx} \max(0, x) = \mathbf{1}_{x > 0}$$"#) == [.verified])
        #expect(statuses(#"$$\frac{d}{dx} \max(0, x) = \mathbf{1}_{x < 0}$$"#) == [.failed])
    }

    @Test func aWorkedValuePutInForAFormulaIsComparedAtTheWorkedValues() {
        // Our own backprop-by-hand note: `d` is a name, and `-2.0 \cdot b` puts dL/de's worked value in.
        let note = #"""
        Take $a = 2.0$, $b = -3.0$ and $c = 10.0$, and build $e = a \cdot b$, $d = e + c$, $f = -2.0$ and $L = d \cdot f$.

        $$\frac{dL}{dc} = \frac{dL}{dd} \cdot \frac{dd}{dc} = -2.0 \cdot 1.0 = -2.0$$

        $$\frac{dL}{da} = \frac{dL}{de} \cdot \frac{de}{da} = -2.0 \cdot b = -2.0 \cdot -3.0 = 6.0$$
        """#
        let checked = Corpus.check(note, path: "by-hand.md").steps.filter { $0.line > 1 }
        #expect(checked.map(\.status) == [.verified, .verified, .verified, .verified, .verified, .verified, .verified])
        // A wrong sign where the worked value is put in fails there, and only there.
        let wrong = Corpus.check(note.replacingOccurrences(of: "= -2.0 \\cdot b", with: "= 2.0 \\cdot b"), path: "by-hand.md").steps
        #expect(wrong.filter { $0.status == .failed }.map(\.line) == [5])
    }

    @Test func theTrueClassIsAPositionAndTheLastLayerASize() {
        // Our own output-layer note: ℓ (the true class) is compared with i in an indicator, so it is an index
        // like i; L in `a_{L,i}` is never given a number, so it is a size; ℒ's definition leaves ℓ free.
        let note = #"""
        $$\mathcal{L}(\theta) = -\log \hat{y}_\ell$$

        $$\hat{y}_\ell = \frac{\exp(a_{L,\ell})}{\sum_{i} \exp(a_{L,i})}$$

        $$\frac{\partial \mathcal{L}(\theta)}{\partial \hat{y}_i} = -\frac{\mathbb{1}_{(i=\ell)}}{\hat{y}_\ell}$$

        $$\frac{\partial \mathcal{L}(\theta)}{\partial a_{L,i}} = -(\mathbb{1}_{(\ell=i)} - \hat{y}_i)$$
        """#
        #expect(statuses(note) == [.defined, .defined, .verified, .verified])
        #expect(statuses(note.replacingOccurrences(of: "- \\hat{y}_i)", with: "+ \\hat{y}_i)")) == [.defined, .defined, .verified, .failed])
        #expect(statuses(note.replacingOccurrences(of: "-\\frac{\\mathbb{1}_{(i=\\ell)}}", with: "-\\frac{1}")) == [.defined, .defined, .failed, .verified])
        // The same with L a plain symbol: its gradient is one per value of ℓ, never one cached for all.
        let plain = #"$$L = -\log \hat{y}_\ell$$"# + "\n\n" + #"$$\frac{\partial L}{\partial \hat{y}_i} = -\frac{\mathbb{1}_{(i=\ell)}}{\hat{y}_\ell}$$"#
        #expect(statuses(plain) == [.defined, .verified])
    }

    @Test func indicatorsOfEqualityWithTheConditionInParentheses() {
        let softmax = #"$$p_j = \frac{e^{z_j}}{\sum_{k=1}^{3} e^{z_k}}$$"# + "\n\n"
        #expect(statuses(softmax + #"$$\frac{\partial p_j}{\partial z_i} = p_j (\mathbb{1}_{(i=j)} - p_i)$$"#) == [.defined, .verified])
        #expect(statuses(softmax + #"$$\frac{\partial p_j}{\partial z_i} = p_j (1 - \mathbb{1}_{i \neq j} - p_i)$$"#) == [.defined, .verified])
        #expect(statuses(softmax + #"$$\frac{\partial p_j}{\partial z_i} = p_j (\mathbb{1}_{(i \neq j)} - p_i)$$"#) == [.defined, .failed])
        let parsed = MathParser.parse(#"\mathbb{1}_{(i=\ell)}"#).expression
        #expect(parsed?.plain == "1[i = ℓ]")
    }

    @Test func allEntriesOfAFamilyWithThreeIndicesAreNeverOneNumber() {
        let column = #"""
        $$\frac{\partial L}{\partial h_{ij}} = \sum_{m=1}^{k} \frac{\partial L}{\partial a_{i+1,m}} W_{i+1,m,j}$$

        $$W_{i+1, *,j} = \begin{bmatrix} W_{i+1,1,j} \\ ... \\ W_{i+1,k,j} \end{bmatrix}$$
        """#
        let step = Corpus.check(column, path: "column.md").steps.last
        #expect(step?.status == .unchecked)
        #expect(step?.reason == .unsupported)
    }
}

/// A loss the note never defines (`E` in a generic derivation, our own wording):
/// the same derivative of it on both sides of a step is one unknown number.
@Suite struct OpenLossTests {
    static let step = #"""
    $$
    \frac{\partial E}{\partial a_{ij}} = \frac{\partial E}{\partial h_{ij}} \frac{\partial h_{ij}}{\partial a_{ij}}
    $$

    $$
    = \frac{\partial E}{\partial h_{ij}} g'(a_{ij}) \;\; [\because h_{ij} = g(a_{ij})]
    $$
    """#

    @Test func aSharedUnknownDerivativeLetsTheRestOfTheStepBeCompared() {
        let steps = Corpus.check(Self.step, path: "open.md").steps
        // The first step trades ∂E/∂a for ∂E/∂h: nothing in the note relates them, so it stays unchecked.
        // (Written with ℒ, the note is read as a feed-forward network: `ConventionalNetworkTests`.)
        #expect(steps.map(\.status) == [.unchecked, .defined, .verified])
        let wrong = Self.step.replacingOccurrences(of: "h_{ij}} g'(a_{ij})", with: "h_{ij}} 2 g'(a_{ij})")
        #expect(Corpus.check(wrong, path: "open.md").steps.last?.status == .failed)
    }

    @Test func anUnknownDerivativeBesideAnUndefinedInputIsNotCompared() {
        let note = #"$$\frac{\partial f}{\partial \mu} \cdot \epsilon = \frac{\partial f}{\partial \mu}$$"#
        let step = Corpus.check(note, path: "open.md").steps.last
        #expect(step?.status == .unchecked)
        #expect(step?.reason == .unsupported)
        #expect(step?.message.contains(#"\epsilon"#) == true)
    }
}
