import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Verify

/// Notes of textbook derivations (our own writing, in Tests/VerifyTests/Corpus and
/// notebooks/) checked end to end: every correct step verifies, and every one-symbol
/// mutation of a step is reported as failed on the line of its relation sign.
enum Corpus {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: repository + "/" + path, encoding: .utf8)
    }

    static func check(_ text: String, path: String, seed: UInt64 = 7) -> Report {
        Verifier(seed: seed).check(Notebook(parsing: SourceFile(path: path, text: text)))
    }

    /// The 1-based line on which `fragment` first appears.
    static func line(of fragment: String, in text: String) -> Int? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(fragment) {
            return number + 1
        }
        return nil
    }
}

@Test(arguments: [
    ("Tests/VerifyTests/Corpus/sigmoid-tanh.md", 2, 1),
    ("Tests/VerifyTests/Corpus/softmax-cross-entropy.md", 1, 2),
    ("Tests/VerifyTests/Corpus/linear-layer.md", 2, 2),
    ("Tests/VerifyTests/Corpus/scalar-chain.md", 2, 3),
    ("Tests/VerifyTests/Corpus/four-equations.md", 4, 0),
    ("Tests/VerifyTests/Corpus/tanh-mlp.md", 1, 5),
    ("Tests/VerifyTests/Corpus/jekyll-growing-network.md", 6, 6),
    // The path sum and the gradient check before training are steps too.
    ("Tests/VerifyTests/Corpus/figures.md", 3, 7),
    ("notebooks/hidden-layers.md", 18, 0),
    ("notebooks/output-layer.md", 7, 0),
])
func correctDerivationsVerifyWithNoFalseAlarm(_ path: String, _ verified: Int, _ defined: Int) throws {
    let report = Corpus.check(try Corpus.text(path), path: path)
    let problems = report.steps.filter { $0.status != .verified && $0.status != .defined && !$0.isSkipped }
    #expect(problems.isEmpty, "\(problems.map { "\($0.line): \($0.status) \($0.message)" })")
    #expect(report.count(.verified) == verified)
    #expect(report.count(.defined) == defined)
    #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty)
}

@Test(arguments: [
    // A flipped sign.
    ("Tests/VerifyTests/Corpus/sigmoid-tanh.md", #"\sigma(z)(1 - \sigma(z))"#, #"\sigma(z)(1 + \sigma(z))"#),
    ("Tests/VerifyTests/Corpus/sigmoid-tanh.md", #"1 - \tanh^2 z"#, #"1 + \tanh^2 z"#),
    ("Tests/VerifyTests/Corpus/softmax-cross-entropy.md", "= p_j - y_j", "= y_j - p_j"),
    ("Tests/VerifyTests/Corpus/scalar-chain.md", "= -(t - y) w_2 x", "= (t - y) w_2 x"),
    // A swapped index.
    ("Tests/VerifyTests/Corpus/linear-layer.md", "= (y_i - t_i) x_j", "= (y_i - t_i) x_i"),
    ("Tests/VerifyTests/Corpus/softmax-cross-entropy.md", "= p_j - y_j", "= p_j - y_1"),
    // The wrong weight.
    ("Tests/VerifyTests/Corpus/scalar-chain.md", "= -(t - y) w_2 x", "= -(t - y) w_1 x"),
    ("Tests/VerifyTests/Corpus/jekyll-growing-network.md", "= -(t_1 - y_1) w_{11}^2 x_1", "= -(t_1 - y_1) w_{21}^2 x_1"),
    ("Tests/VerifyTests/Corpus/jekyll-growing-network.md", "= -(t_1 - y_1) h_1$$", "= -(t_1 - y_1) h_2$$"),
    // A missing transpose.
    ("Tests/VerifyTests/Corpus/four-equations.md", #"(W_{i+1}^T \nabla"#, #"(W_{i+1} \nabla"#),
    ("Tests/VerifyTests/Corpus/tanh-mlp.md", #"= W^T \left("#, #"= W \left("#),
    ("notebooks/hidden-layers.md", #"= W_{i+1}^{T} \nabla_{a_{i+1}}"#, #"= W_{i+1} \nabla_{a_{i+1}}"#),
    // A missing g′ factor.
    ("Tests/VerifyTests/Corpus/four-equations.md", #"\mathcal{L}(\theta)) \odot g'(a_i)"#, #"\mathcal{L}(\theta))"#),
    ("notebooks/hidden-layers.md", #"= \nabla_{h_i} \mathcal{L}(\theta) \odot g'(a_i)"#, #"= \nabla_{h_i} \mathcal{L}(\theta)"#),
    // The wrong function.
    ("notebooks/hidden-layers.md", #"\frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} \, g'(a_{ij})"#, #"\frac{\partial \mathcal{L}(\theta)}{\partial h_{ij}} \, g(a_{ij})"#),
])
func aOneSymbolMutationIsCaughtOnItsLine(_ path: String, _ original: String, _ mutated: String) throws {
    let text = try Corpus.text(path)
    #expect(text.components(separatedBy: original).count == 2, "the fragment must occur once in \(path)")
    let changed = text.replacingOccurrences(of: original, with: mutated)
    let line = try #require(Corpus.line(of: mutated, in: changed))
    let report = Corpus.check(changed, path: path)
    let failures = report.steps.filter { $0.status == .failed }
    #expect(failures.contains { $0.line == line }, "expected a failure on line \(line); got \(report.steps.map { "\($0.line):\($0.status)" })")
    #expect(failures.allSatisfy { $0.line == line }, "no other step may fail: \(failures.map { "\($0.line): \($0.message)" })")
}

@Test func aFailureNamesBothSidesAndTheDifferingTerm() throws {
    let text = """
        $$ y = w_1 x_1 + w_2 x_2 $$

        $$ \\frac{\\partial y}{\\partial w_1} + \\frac{\\partial y}{\\partial w_2} = x_1 + x_1 $$
        """
    let report = Corpus.check(text, path: "sum.md")
    let failure = try #require(report.failures.first)
    #expect(failure.location.start.description == "sum.md:3:70")
    #expect(failure.left == "∂y/∂w_1 + ∂y/∂w_2")
    #expect(failure.right == "x_1 + x_1")
    #expect(failure.differingTerm == "∂y/∂w_2 vs x_1")
    // Where the two sub-terms are written: `\frac{\partial y}{\partial w_2}` at 3:38, the second `x_1` at 3:78.
    #expect(failure.differingRanges.map { "\($0.start.description)-\($0.end.column)" } == ["sum.md:3:38-69", "sum.md:3:78-81"])
    let values = try #require(failure.leftValue.flatMap(Double.init).map { ($0, Double(failure.rightValue ?? "") ?? 0) })
    #expect(values.0 != values.1)
    #expect(failure.diagnostic?.description.hasPrefix("sum.md:3:70: error: step does not hold: left ") == true)
}

@Test func aShapeMismatchIsAFailureThatNamesBothShapes() throws {
    let text = try Corpus.text("Tests/VerifyTests/Corpus/four-equations.md")
        .replacingOccurrences(of: #"(W_{i+1}^T \nabla"#, with: #"(W_{i+1} \nabla"#)
    let failure = try #require(Corpus.check(text, path: "four.md").failures.first)
    #expect(failure.message == "shape mismatch in matmul: 3×5 and vector(3)" || failure.message.contains("shape mismatch"), "\(failure.message)")
}

@Test func theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() throws {
    let text = try Corpus.text("Tests/VerifyTests/Corpus/scalar-chain.md")
    let first = Corpus.check(text, path: "a.md", seed: 7)
    let again = Corpus.check(text, path: "a.md", seed: 7)
    let other = Corpus.check(text, path: "a.md", seed: 8)
    #expect(first == again)
    #expect(first.steps.last?.leftValue != other.steps.last?.leftValue)
    #expect(other.count(.verified) == first.count(.verified))
}

@Test func annotationsSkipAndExpectFailures() {
    let text = """
        $$ f(x) = x^2 $$

        <!-- nb: expect-failure -->
        $$ \\frac{d}{dx} f(x) = x $$

        $$ \\frac{d}{dx} f(x) = 2x % nb: expect-failure
        $$

        <!-- nb: skip -->
        $$ \\frac{d}{dx} f(x) = 3x $$
        """
    let report = Corpus.check(text, path: "n.md")
    #expect(report.steps.map(\.status) == [.defined, .expectedFailure, .failed, .unchecked])
    #expect(report.steps[2].message.hasPrefix("marked as a wrong step (nb: expect-failure), but it holds"))
    #expect(report.steps[3].isSkipped)
    #expect(report.steps[3].diagnostic == nil)
}

@Test func aGrowingNetworkRedefinesButAWrongRestatementFails() {
    let text = """
        $$ y = w_1 x_1 $$

        $$ y = w_1 x_1 + w_2 x_2 $$

        $$ y = w_1 x_1 - w_2 x_2 $$

        $$ \\frac{\\partial y}{\\partial w_2} = x_2 $$
        """
    let report = Corpus.check(text, path: "g.md")
    #expect(report.steps.map(\.status) == [.defined, .defined, .failed, .verified])
    #expect(report.steps[1].message == "redefines y from here on")
}

@Test func aFamilyStatedAgainIsClaimedNotRedefined() {
    let text = """
        ```nb
        network: 4 -> 6 -> 5 -> 3
        activation: sigmoid
        output: sigmoid
        loss: squared-error
        ```

        $$ \\delta_i := \\nabla_{a_i} \\mathcal{L}(\\theta) $$

        $$ \\delta_L = \\nabla_{h_L} \\mathcal{L}(\\theta) \\odot g'(a_L) $$

        $$ \\delta_L = (h_L - y) \\odot g'(a_L) $$

        $$ \\delta_i = (W_{i+1}^T \\delta_{i+1}) \\odot g'(a_i) $$

        $$ \\delta_{ij} = g'(a_{ij}) \\sum_{m} W_{i+1,m,j} \\delta_{i+1,m} $$

        $$ \\nabla_{b_i} \\mathcal{L}(\\theta) = \\delta_i $$

        $$ \\delta_1 = W_2^T \\delta_2 $$
        """
    let report = Corpus.check(text, path: "d.md")
    // A restatement that holds keeps the family in force; a recursion through δ_{i+1}
    // is a claim about the family; δ_{ij} is entry j of δ_i; a wrong member fails.
    #expect(report.steps.map(\.status) == [.defined, .verified, .verified, .verified, .verified, .verified, .failed])
    // Without the g'(a_1) factor every entry is about four times too large (σ' ≤ 1/4).
    #expect(report.steps[6].message == "left [-0.007825, 0.008103, -0.003916, -0.001429, -0.003055, 0.009748], "
        + "right [-0.03287, 0.03323, -0.01606, -0.007633, -0.01387, 0.0392]")
}

@Test func cyclesAndUnknownFunctionsAreReported() {
    let text = """
        $$ a = b + 1 $$

        $$ b = 2 a $$

        $$ a = 3 $$

        $$ q(x) = \\operatorname{frobnicate}(x) $$

        $$ q(2) = 1 $$
        """
    let report = Corpus.check(text, path: "c.md")
    #expect(report.steps[2].status == .error)
    #expect(report.steps[2].code == "verify.step-error")
    #expect(report.steps[4].status == .unchecked)
    #expect(report.steps[4].reason == .unsupported)
    #expect(report.steps[4].message.contains("frobnicate"))
    #expect(report.steps[2].diagnostic?.severity == .error)
}

@Test(arguments: [
    "notebooks/hidden-layers.md", "Tests/VerifyTests/Corpus/linear-layer.md",
    "Tests/VerifyTests/Corpus/softmax-cross-entropy.md", "Tests/VerifyTests/Corpus/jekyll-growing-network.md",
])
func sumsOverAVectorEqualSumsTermByTerm(_ path: String) throws {
    let notebook = Notebook(parsing: SourceFile(path: path, text: try Corpus.text(path)))
    var termByTerm = Verifier(seed: 7)
    termByTerm.vectorizesSums = false
    let fast = Verifier(seed: 7).check(notebook)
    let slow = termByTerm.check(notebook)
    #expect(fast.steps.map(\.status) == slow.steps.map(\.status))
    for (a, b) in zip(fast.steps, slow.steps) {
        // Summation order may differ in the last bits; the printed values (4 digits) may not.
        #expect(a.leftValue == b.leftValue && a.rightValue == b.rightValue, "line \(a.line)")
    }
}

@Test func aLetterSubscriptIsANameUnlessTheNoteIndexesWithIt() {
    // `h_a` and `h_b` are two symbols; `p_i` with `\sum_k p_k` is a family indexed by i and k.
    let text = """
        $$ h_a = 2 x $$

        $$ h_b = 3 x $$

        $$ \\frac{\\partial h_a}{\\partial x} + \\frac{\\partial h_b}{\\partial x} = 5 $$

        $$ p_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}} $$

        $$ \\sum_k p_k = 1 $$
        """
    let report = Corpus.check(text, path: "names.md")
    #expect(report.steps.map(\.status) == [.defined, .defined, .verified, .defined, .verified])
}
