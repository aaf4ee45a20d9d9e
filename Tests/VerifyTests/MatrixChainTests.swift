import Testing
@testable import Verify

/// The chain rule in matrix form as notes write it: d2l's `\textrm{prod}` of two derivatives
/// through one quantity (issue 16).
@Suite struct MatrixChainTests {
    func steps(_ text: String, seed: UInt64 = 7) -> [StepResult] {
        Corpus.check(text, path: "chain.md", seed: seed).steps
    }

    /// A one-hidden-layer network with a loss l the note never defines and a weight penalty, as d2l's
    /// chapter on backpropagation writes it.
    static let network = """
    $\\mathbf{W}_1 \\in \\mathbb{R}^{h \\times d}$, $\\mathbf{W}_2 \\in \\mathbb{R}^{q \\times h}$

    $$ \\mathbf{z} = \\mathbf{W}_1 \\mathbf{x} $$

    $$ \\mathbf{h} = \\phi(\\mathbf{z}) $$

    $$ \\mathbf{o} = \\mathbf{W}_2 \\mathbf{h} $$

    $$ L = l(\\mathbf{o}, y) $$

    $$ s = \\frac{\\lambda}{2} \\|\\mathbf{W}_2\\|_F^2 $$

    $$ J = L + s $$

    """

    @Test func aProductOfTwoDerivativesThroughOneQuantityIsTheChainRule() {
        let note = Self.network + """
        $$ \\frac{\\partial J}{\\partial L} = 1 $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{W}_2} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{o}}, \\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{W}_2}\\right) + \\textrm{prod}\\left(\\frac{\\partial J}{\\partial s}, \\frac{\\partial s}{\\partial \\mathbf{W}_2}\\right) = \\frac{\\partial J}{\\partial \\mathbf{o}} \\mathbf{h}^\\top + \\lambda \\mathbf{W}_2 $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{h}} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{o}}, \\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{h}}\\right) = \\mathbf{W}_2^\\top \\frac{\\partial J}{\\partial \\mathbf{o}} $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{z}} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{h}}, \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}}\\right) = \\frac{\\partial J}{\\partial \\mathbf{h}} \\odot \\phi'(\\mathbf{z}) $$

        $$ \\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{z}} = \\textrm{prod}\\left(\\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{h}}, \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}}\\right) = \\mathbf{W}_2 \\operatorname{diag}(\\phi'(\\mathbf{z})) $$
        """
        let results = steps(note).filter { $0.status != .defined }
        #expect(results.map(\.status) == [.verified, .verified, .verified, .verified, .verified, .verified, .verified, .verified, .verified])
        #expect(results.map(\.line) == [14, 16, 16, 18, 18, 20, 20, 22, 22])
    }

    @Test func aWrongMatrixFormAfterAChainProductFailsAtItsLine() {
        let note = Self.network + """
        $$ \\frac{\\partial J}{\\partial \\mathbf{W}_2} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{o}}, \\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{W}_2}\\right) + \\textrm{prod}\\left(\\frac{\\partial J}{\\partial s}, \\frac{\\partial s}{\\partial \\mathbf{W}_2}\\right) = \\frac{\\partial J}{\\partial \\mathbf{o}} \\mathbf{h}^\\top + 2 \\lambda \\mathbf{W}_2 $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{h}} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{o}}, \\frac{\\partial \\mathbf{o}}{\\partial \\mathbf{h}}\\right) = \\mathbf{W}_2 \\frac{\\partial J}{\\partial \\mathbf{o}} $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{z}} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{h}}, \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}}\\right) = \\frac{\\partial J}{\\partial \\mathbf{h}} \\odot \\phi(\\mathbf{z}) $$
        """
        let results = steps(note).filter { $0.status != .defined }
        #expect(results.map(\.status) == [.verified, .failed, .verified, .failed, .verified, .failed])
        #expect(results.map(\.line) == [14, 14, 16, 16, 18, 18])
        #expect(results[3].message.contains("so the product is undefined"))
        #expect(results[5].message.hasPrefix("entry 1 differs"))
    }

    @Test func aShapeSaidAtTheEndOfAChainIsNoPartOfItsValue() {
        let note = Self.network + """
        $$ \\frac{\\partial J}{\\partial \\mathbf{o}} = \\frac{\\partial L}{\\partial \\mathbf{o}} \\in \\mathbb{R}^q. $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{o}} = 2 \\frac{\\partial L}{\\partial \\mathbf{o}} \\in \\mathbb{R}^q $$
        """
        let results = steps(note).filter { $0.status != .defined }
        #expect(results.map(\.status) == [.verified, .failed])
        #expect(results.map(\.right) == ["∂L/∂o", "2 * ∂L/∂o"])
    }

    @Test func aProductNotChainedThroughOneQuantityStaysUnchecked() {
        let note = Self.network + """
        $$ \\frac{\\partial J}{\\partial \\mathbf{W}_2} = \\textrm{prod}\\left(\\frac{\\partial J}{\\partial \\mathbf{o}}, \\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{W}_2}\\right) $$

        $$ \\frac{\\partial J}{\\partial \\mathbf{h}} = \\textrm{prod}\\left(\\mathbf{W}_2, \\mathbf{o}\\right) $$

        $$ \\frac{\\partial J}{\\partial L} = 2 $$
        """
        let results = steps(note).filter { $0.status != .defined }
        #expect(results.map(\.status) == [.unchecked, .unchecked, .unchecked])
        #expect(results[0].reason == .unsupported)
        #expect(results[0].message.contains("W_2"))
        // Only the left side uses l and φ (to place L), and the step fails for the drawn ones: it says nothing.
        #expect(results[2].reason == .undefinedFunction)
    }
}
