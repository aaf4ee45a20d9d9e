import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Verify

/// Each reason a step is left unchecked has its own code, set where the checker decides it,
/// and the step's warning carries it (docs/diagnostics.md lists them).
@Suite struct UncheckedReasonTests {
    static let cases: [(note: String, reason: UncheckedReason)] = [
        ("$$ 1 \\leq 2 $$", .relation),
        ("$$w = w - \\eta g$$", .updateRule),
        ("<!-- nb: skip -->\n$$ 1 + 1 = 3 $$", .skipped),
        ("$$ = 3 $$", .noLeftSide),
        ("$$d\\sigma(x) = \\sigma(x)(1 - \\sigma(x)) dx$$", .differentials),
        ("$$y = w x$$\n\n$$\\frac{\\partial y}{\\partial v} = 0$$", .disconnectedDerivative),
        ("$$E = 0.5$$\n\n$$\\frac{\\partial E}{\\partial w} = 0.3$$", .statedAsNumber),
        ("$$net = w_1 i_1 + w_2 i_2$$\n\n$$net = 0.15 * 0.05 + 0.2 * 0.1$$\n\n$$\\frac{\\partial net}{\\partial w_1} = \\delta_{h1} i_1$$", .newName),
        ("$$ q(x) = \\operatorname{frobnicate}(x) $$\n\n$$ q(2) = 1 $$", .unsupported),
        ("""
        $$a^l_j = \\sigma\\left(\\sum_k w^l_{jk} a^{l-1}_k + b^l_j\\right)$$

        $$z^{l+1}_k = \\sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k = \\sum_j w^{l+1}_{kj} \\sigma(z^l_j) + b^{l+1}_k$$
        """, .shiftedLayer),
        ("""
        $$E = \\frac{1}{2}(t - y)^2$$

        $$\\frac{\\partial E}{\\partial y} = y - t$$

        Some sources extract the negative sign, so it would be written as:

        $$\\frac{\\partial E}{\\partial y} = t - y$$
        """, .anotherConvention),
    ]

    @Test(arguments: cases)
    func theStepCarriesTheCodeOfItsReason(_ note: String, _ reason: UncheckedReason) throws {
        let report = Verifier().check(Notebook(parsing: SourceFile(path: "u.md", text: note)))
        let step = try #require(report.steps.last { $0.status == .unchecked }, "\(report.steps.map(\.status))")
        #expect(step.reason == reason, "\(step.message)")
        #expect(step.code == (reason == .skipped ? nil : reason.id))
        #expect(step.isSkipped == (reason == .skipped))
    }

    @Test func everyUncheckedStepHasAReasonAndNoOtherStepHasOne() {
        // The test corpus and the real notes of ../shared/corpus leave steps unchecked for many reasons.
        let folders = [Corpus.repository + "/Tests/VerifyTests/Corpus", Corpus.repository + "/../shared/corpus/real-notes"]
        var unchecked = 0
        for folder in folders {
            let notes = (try? FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }) ?? []
            for name in notes {
                guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { continue }
                for step in Corpus.check(text, path: name).steps {
                    if step.status == .unchecked { unchecked += 1 }
                    #expect((step.status == .unchecked) == (step.reason != nil), "\(name):\(step.line): \(step.status) \(step.message)")
                }
            }
        }
        #expect(unchecked > 10)
    }

    @Test func theCodeIsTheFamilyAndTheReason() {
        #expect(UncheckedReason.disconnectedDerivative.id == "verify.unchecked.disconnected-derivative")
        #expect(UncheckedReason.relation.id.domain == "verify")
        #expect(Set(UncheckedReason.allCases.map(\.id)).count == UncheckedReason.allCases.count)
    }

    @Test func allowingTheFamilyCoversEveryReasonButNotOtherCodes() {
        let allowed: Set<MessageID> = ["verify.unchecked"]
        #expect(UncheckedReason.relation.id.isCovered(by: allowed))
        #expect(MessageID("verify.unchecked").isCovered(by: allowed))
        #expect(!MessageID("verify.unchecked-other").isCovered(by: allowed))
        #expect(!MessageID("verify.step-does-not-hold").isCovered(by: allowed))
        // A domain alone is not a family: `allow: [verify]` silences nothing.
        #expect(!UncheckedReason.relation.id.isCovered(by: ["verify"]))
        #expect(UncheckedReason.relation.id.isCovered(by: ["verify.unchecked.relation"]))
        #expect(!UncheckedReason.inconclusive.id.isCovered(by: ["verify.unchecked.relation"]))
    }

    @Test func docsListEveryReason() throws {
        let docs = try Corpus.text("docs/diagnostics.md")
        for reason in UncheckedReason.allCases {
            #expect(docs.contains("| `\(reason.id)` |"), "docs/diagnostics.md does not list \(reason.id)")
        }
    }
}

/// What the checker reports apart from a step carries a code too (docs/diagnostics.md).
@Suite struct CodesApartFromAStepTests {
    @Test func anUnknownDirectiveHasItsCode() throws {
        let report = Corpus.check("<!-- nb: skp -->\n$$ 1 + 1 = 2 $$\n", path: "d.md")
        let warning = try #require(report.allDiagnostics.first { $0.severity == .warning })
        #expect(warning.id == "verify.unknown-directive")
        #expect(warning.message.contains("'skp'"))
        #expect(report.steps.map(\.status) == [.verified])
    }

    @Test func aNetworkOverTheParameterLimitHasItsCode() throws {
        var verifier = Verifier(seed: 7)
        verifier.limits.maxParameters = 20
        let report = verifier.check(Notebook(parsing: SourceFile(path: "n.md", text: "```nb\nnetwork: 3 -> 4 -> 2\n```\n")))
        let error = try #require(report.allDiagnostics.first { $0.severity == .error })
        #expect(error.id == "verify.too-many-parameters")
        #expect(error.message.contains("26") && error.message.contains("20"))
        #expect(error.location.line == 2 && error.location.column == 10)
    }
}

/// Every diagnostic of reading and checking a note carries a code, bad notes included:
/// code and tests compare codes, and `allow:` can only silence what has one.
@Suite struct EveryDiagnosticHasACodeTests {
    static let badNotes: [String] = [
        "---\ntitle: [unclosed\n---\n# A\n",
        "# A\n\n$$ x = 1\n",
        "$$ 1 + 1 = \\frac{2}{ $$\n",
        "<!-- nb: skp -->\n$$ 1 + 1 = 2 $$\n",
        "```nb\nnetwork: 3 -> 4 -> 2\nfrobs: 1\n```\n",
        "```nb\nseed: minus one\n```\n",
        "$$ q(x) = \\operatorname{frobnicate}(x) $$\n\n$$ q(2) = 1 $$\n\n$$ 1 + 1 = 3 $$\n",
        "$$ x = " + String(repeating: "(", count: 300) + "y" + String(repeating: ")", count: 300) + " $$\n",
        "```nb\nshow: plot\n```\n",
        "```nb\nnetwork: 2 -> 2 -> 1\ntrain: data=moons steps=0\n```\n",
    ]

    @Test(arguments: badNotes)
    func everyDiagnosticOfABadNoteHasACode(_ text: String) {
        let notebook = Notebook(parsing: SourceFile(path: "bad.md", text: text))
        let report = Verifier(seed: 7).check(notebook)
        let all = notebook.diagnostics + report.allDiagnostics
        #expect(!all.isEmpty, "the note is meant to have a problem")
        #expect(all.filter { $0.id == nil }.map(\.message) == [])
    }

    @Test func theCorpusHasNoDiagnosticWithoutACode() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".md") {
            let notebook = Notebook(parsing: SourceFile(path: name, text: try String(contentsOfFile: folder + "/" + name, encoding: .utf8)))
            let all = notebook.diagnostics + Verifier(seed: 7).check(notebook).allDiagnostics
            #expect(all.filter { $0.id == nil }.map(\.message) == [], "\(name)")
        }
    }

    /// `let NAME = VALUE` whose NAME is not a symbol is reported by VerifierRun+Cells.swift with
    /// the wording of `VerifyMessages.notASymbol` but not its code, until that file uses it.
    @Test func aLetOfSomethingNotASymbolHasItsCode() {
        let notebook = Notebook(parsing: SourceFile(path: "let.md", text: "```nb\nlet 2 + x = 1\n```\n"))
        let errors = Verifier(seed: 7).check(notebook).allDiagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.map(\.id) == ["verify.not-a-symbol"])
        #expect(errors.first?.message == "'2 + x' is not a symbol that can be given a value")
    }
}
