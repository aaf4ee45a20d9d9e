import Foundation
import MathSyntax
import Testing
@testable import Verify

/// A vectorized two-layer network in the deep-learning course's notation (our own note):
/// `W^{[l]}` and `A^{[l]}` as matrices, examples as columns, `dX` for gradients.
@Suite struct CourseNotationTests {
    static let note = #"""
    Forward propagation for $m$ examples as the columns of $X \in \mathbb{R}^{n \times m}$, labels $Y \in \mathbb{R}^{1 \times m}$ and $W^{[2]} \in \mathbb{R}^{1 \times h}$:

    $$Z^{[1]} = W^{[1]} X + b^{[1]}$$

    $$A^{[1]} = \tanh(Z^{[1]})$$

    $$Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}$$

    $$A^{[2]} = \sigma(Z^{[2]})$$

    $$J = -\frac{1}{m} \sum_{i=1}^{m} \left( Y_i \log A^{[2]}_i + (1 - Y_i) \log (1 - A^{[2]}_i) \right)$$

    $$dZ^{[2]} = A^{[2]} - Y$$

    $$dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}$$

    $$db^{[2]} = \frac{1}{m} \sum_{i=1}^{m} dZ^{[2]}_i$$

    $$dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot (1 - (A^{[1]})^2)$$

    $$dW^{[1]} = \frac{1}{m} dZ^{[1]} X^T$$
    """#

    func checked(_ text: String) -> [StepResult] {
        Corpus.check(text, path: "course.md").steps.filter { $0.status != .defined }
    }

    @Test func theCoursesBackwardPassChecksWithItsOwnConvention() {
        let report = Corpus.check(Self.note, path: "course.md")
        #expect(report.steps.filter { $0.status != .defined }.map(\.status) == Array(repeating: .verified, count: 5))
        // dZ is the gradient of the summed loss m J, dW and db of the mean J: the course's 1/m says so.
        #expect(report.readings.contains { $0.hasPrefix("read `dZ`, `dA` (quantities computed per example) as derivatives of m J") })
    }

    @Test(arguments: [
        ("A^{[2]} - Y$$", "Y - A^{[2]}$$", 13),
        ("dZ^{[1]} X^T", "dZ^{[1]} X", 21),
        (#" \odot (1 - (A^{[1]})^2)"#, "", 19),
        ("A^{[1]T}$$", "A^{[1]}$$", 15),
        (#"$$db^{[2]} = \frac{1}{m} \sum"#, #"$$db^{[2]} = \sum"#, 17),
    ])
    func aSlipFailsOnItsLine(correct: String, slip: String, line: Int) {
        #expect(Self.note.contains(correct))
        let failed = checked(Self.note.replacingOccurrences(of: correct, with: slip)).filter { $0.status == .failed }
        #expect(failed.map(\.line) == [line], "\(slip)")
    }

    @Test func theOtherConventionPutsTheOneOverMInDZ() {
        // dZ = (1/m)(A - Y), dW = dZ A^T: every d is a derivative of J.
        let other = Self.note
            .replacingOccurrences(of: "$$dZ^{[2]} = A^{[2]} - Y$$", with: #"$$dZ^{[2]} = \frac{1}{m}(A^{[2]} - Y)$$"#)
            .replacingOccurrences(of: #"= \frac{1}{m} dZ"#, with: "= dZ")
            .replacingOccurrences(of: #"$$db^{[2]} = \frac{1}{m} \sum"#, with: #"$$db^{[2]} = \sum"#)
        let report = Corpus.check(other, path: "course.md")
        #expect(report.steps.filter { $0.status != .defined }.map(\.status) == Array(repeating: .verified, count: 5))
        #expect(!report.readings.contains { $0.contains("summed loss") })
    }

    @Test func aLayerLabelThenATransposeMark() throws {
        let parsed = try #require(MathParser.parse(#"W^{[2]T}"#).expression)
        guard case .transpose(let inner) = parsed.kind else {
            Issue.record("\(parsed.plain)")
            return
        }
        #expect(inner.symbol?.name == "W")
        #expect(inner.symbol?.label?.plain == "2")
    }
}
