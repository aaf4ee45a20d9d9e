import Foundation
import Testing
@testable import Verify

/// Notes in the feed-forward notation (`a_i = W_i h_{i-1} + b_i`, `h_i = g(a_i)`, loss `\mathcal{L}(\theta)`)
/// that declare no network: read as that network, so their chain rules are compared.
@Suite struct ConventionalNetworkTests {
    /// Our own derivation in that notation, with no `network:` cell and sizes never given.
    static let note = #"""
    The gradient with respect to neuron $j$ of hidden layer $i$:

    $$
    \frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} = \sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} \frac{\partial a_{i+1,m}}{\partial h_{ij}}
    = \sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} W_{i+1,m,j}
    $$

    $$
    \frac{\partial \mathcal{L}(\theta)}{\partial a_{ij}} = \frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} g'(a_{ij})
    $$

    $$
    \nabla_{h_i} \mathcal{L}(\theta) = \begin{bmatrix} \frac{\partial \mathcal{L}(\theta)}{\partial h_{i1}} \\ \vdots \\ \frac{\partial \mathcal{L}(\theta)}{\partial h_{in}} \end{bmatrix}
    = \begin{bmatrix} (W_{i+1, *,1})^{T} \nabla_{a_{i+1}} \mathcal{L}(\theta) \\ (W_{i+1, *,n})^{T} \nabla_{a_{i+1}} \mathcal{L}(\theta) \end{bmatrix}
    $$

    $$
    \nabla_{a_{i}} \mathcal{L}(\theta) = \nabla_{h_i} \mathcal{L}(\theta) \odot [\dots, g'(a_{ik}), \dots]
    $$
    """#

    func report(_ text: String) -> Report { Corpus.check(text, path: "hidden.md") }

    @Test func aDerivationInTheNetworksNotationIsCheckedOnADrawnNetwork() {
        let report = report(Self.note)
        #expect(report.steps.map(\.status) == [.verified, .verified, .verified, .verified, .verified, .verified])
        #expect(report.readings.contains { $0.hasPrefix("read ℒ, a, h, W and g as a feed-forward network") && $0.contains("3 → 5 → 4 → 6 → 2") })
    }

    @Test(arguments: [
        // The sum left out, the weight's indices swapped,
        // g for g', a factor of 2, the first column where the last belongs, g for g' in a lone-entry pattern.
        (#"\sum_{m=1}^{k} \frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} \frac{\partial a_{i+1,m}}{\partial h_{ij}}"#,
         #"\frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,j}} \frac{\partial a_{i+1,j}}{\partial h_{ij}}"#, [4]),
        (#"\frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} W_{i+1,m,j}"#, #"\frac{\partial \mathcal{L}(\theta)}{\partial a_{i+1,m}} W_{i+1,j,m}"#, [5]),
        (#"g'(a_{ij})"#, #"g(a_{ij})"#, [9]),
        (#"{\partial h_{ij}} g'"#, #"{\partial h_{ij}} 2 g'"#, [9]),
        (#"(W_{i+1, *,n})^{T}"#, #"(W_{i+1, *,1})^{T}"#, [14]),
        (#"g'(a_{ik})"#, #"g(a_{ik})"#, [18]),
    ])
    func aSlipInTheDerivationFailsOnItsLine(correct: String, slip: String, lines: [Int]) throws {
        #expect(Self.note.contains(correct))
        let report = report(Self.note.replacingOccurrences(of: correct, with: slip))
        let failed = report.steps.filter { $0.status == .failed }
        #expect(failed.map(\.line) == lines, "\(slip)")
    }

    @Test func theGradientsOfTheParametersInTheSameNotation() {
        // Our own note on W and b; `a_k = b_k + W_k h_{k-1}` in the prose restates the convention.
        let note = #"""
        Recall $a_k = b_k + W_k h_{k-1}$.

        $$\frac{\partial \mathcal{L}(\theta)}{\partial W_{kij}} = \frac{\partial \mathcal{L}(\theta)}{\partial a_{ki}} h_{k-1,j}$$

        $$\nabla_{W_k} \mathcal{L}(\theta) = \nabla_{a_k} \mathcal{L}(\theta) \cdot h_{k-1}^T$$

        $$\nabla_{b_k} \mathcal{L}(\theta) = \nabla_{a_k} \mathcal{L}(\theta)$$
        """#
        #expect(report(note).steps.map(\.status) == [.verified, .verified, .verified, .verified])
        let slip = report(note.replacingOccurrences(of: "h_{k-1}^T", with: "h_{k}^T")).steps.last { $0.status == .failed }
        #expect(slip?.line == 5)
        #expect(slip?.message == "the sides have different shapes: left 5×3, right 5×5")
    }

    @Test func aNoteWithItsOwnMeaningForTheseLettersIsNotReadAsTheNetwork() {
        // `a` defined as an activation (Nielsen's letters): the note's own notation, not the convention.
        let own = #"""
        $$a_{ij} = \sigma(z_{ij})$$

        $$\frac{\partial \mathcal{L}}{\partial h_{ij}} = \frac{\partial \mathcal{L}}{\partial a_{i+1,j}}$$
        """#
        #expect(!report(own).readings.contains { $0.contains("feed-forward network") })
        // No derivative of the loss by a layer: nothing to check against a network.
        let plain = #"$$h_{i} = g(a_{i})$$"#
        #expect(!report(plain).readings.contains { $0.contains("feed-forward network") })
    }

    @Test func aSizeThatBoundsNeuronsIsTheWidthOfTheirLayer() {
        // Σ_{m=1}^{k} over a_{i+1,m} with k drawn apart from the widths would miss terms: at i = 0 it runs over 5.
        let note = #"""
        $$\frac{\partial \mathcal{L}}{\partial h_{ij}} = \sum_{m=1}^{k} \frac{\partial \mathcal{L}}{\partial a_{i+1,m}} W_{i+1,m,j}$$

        $$\sum_{m=1}^{k} \frac{\partial \mathcal{L}}{\partial a_{i+1,m}} W_{i+1,m,j} = \sum_{m=1}^{4} \frac{\partial \mathcal{L}}{\partial a_{i+1,m}} W_{i+1,m,j}$$
        """#
        let steps = report(note).steps
        #expect(steps.map(\.status) == [.verified, .failed])
        #expect(steps.last?.message.hasPrefix("at i = 0") == true)
    }
}

/// The raw seed note (`../shared/seeds/hidden-layers-note.md`, beside the repository in CI), read from there.
@Suite(.enabled(if: SeedNoteFile.isPresent)) struct ConventionalNetworkSeedTests {

    @Test func theSeedNoteIsCheckedLikeTheRest() throws {
        let report = Corpus.check(try String(contentsOfFile: SeedNoteFile.path, encoding: .utf8), path: "hidden-layers-note.md")
        #expect(report.count(.verified) == 12)
        #expect(report.count(.failed) == 0)
        // Left: the generic chain rule in p, q, z, and `\nabla_{a_i+1}` (a derivative by a_i + 1).
        #expect(report.steps.filter { $0.status == .unchecked }.map(\.line) == [19, 38])
    }
}

enum SeedNoteFile {
    static let path = Corpus.repository + "/../shared/seeds/hidden-layers-note.md"
    static var isPresent: Bool { FileManager.default.fileExists(atPath: path) }
}
