import Diagnostics
import Foundation
import Testing
@testable import Render

/// KaTeX gets a deadline per equation and per page, and never sees the definitions
/// Debian's KaTeX 0.16.4 lets expand without bound.
@Suite(.serialized) struct TypesettingDeadlineTests {
    /// About 0.6 s of KaTeX work (24 KB of TeX).
    static let heavy = MathRequest(tex: "\\begin{matrix}" + String(repeating: "a & b \\\\", count: 3000) + "\\end{matrix}", display: true)

    @Test func anEquationPastItsDeadlineIsAnErrorAndTheWorkerGoesOn() throws {
        let cache = NSTemporaryDirectory() + "nbrun-deadline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: cache)
        typesetter.equationDeadline = .milliseconds(40)
        let start = ContinuousClock.now
        let results = try typesetter.typeset([Self.heavy, MathRequest(tex: "x^2", display: false)])
        #expect(results[0] == .error(message: "typesetting this equation took longer than 40 ms and was stopped", position: nil))
        guard case .html = results[1] else { Issue.record("x^2 after a stopped equation: \(results[1])"); return }
        #expect(ContinuousClock.now - start < .seconds(5))
        // A stop depends on the machine, so it is not cached: with time enough, the equation typesets.
        let patient = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: cache)
        patient.equationDeadline = .seconds(60)
        guard case .html = try patient.typeset([Self.heavy])[0] else { Issue.record("the heavy equation with time enough"); return }
        #expect(patient.typesetCount == 1)
    }

    @Test func anAnswerOfMegabytesIsReadInTime() throws {
        // 5,000 superscripts typeset in half a second into 2.4 MB of HTML; reading that answer
        // searched the whole buffer again for each piece, and the worker was killed as silent.
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        let results = try typesetter.typeset([MathRequest(tex: String(repeating: "xᵇ", count: 5000), display: true)])
        guard case .html(let html) = results[0] else { Issue.record("\(results[0])"); return }
        #expect(html.utf8.count > 2_000_000)
    }

    @Test func aPageHasTimePerNoteForAllItsMath() throws {
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        // Four times the heavy matrix (well over a second of KaTeX on any machine here) against
        // 100 ms: on a quiet machine with V8's code cache warm, the plain one can finish in 300 ms.
        typesetter.limits.timePerNote = .milliseconds(100)
        let heaviest = MathRequest(tex: "\\begin{matrix}" + String(repeating: "a & b \\\\", count: 12000) + "\\end{matrix}", display: true)
        let heavier = MathRequest(tex: heaviest.tex + "x", display: true)
        let results = try typesetter.typeset([heaviest, heavier, MathRequest(tex: "y", display: false)])
        #expect(results == [Self.outOfTime("100 ms"), Self.outOfTime("100 ms"), Self.outOfTime("100 ms")])
    }

    static func outOfTime(_ limit: String) -> MathResult {
        .error(message: "the note's time for checking and typesetting, \(limit), ran out before this math was typeset "
                   + "(limit timePerNote; raise it with --limit timePerNote=N or under limits: in site.yml)", position: nil)
    }

    @Test func typesettingGetsWhatCheckingLeftOfTimePerNote() throws {
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        typesetter.limits.timePerNote = .seconds(2)
        _ = try typesetter.typeset([MathRequest(tex: "x", display: false)])  // node started
        // Checking took all but 100 ms of the note's 2 s.
        typesetter.noteDeadline = .now + .milliseconds(100)
        let start = ContinuousClock.now
        let results = try typesetter.typeset([Self.heavy, MathRequest(tex: "y", display: false)])
        #expect(results == [Self.outOfTime("2 s"), Self.outOfTime("2 s")])
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test(arguments: [
        ("\\def\\a{x}" + String(repeating: "\\edef\\a{\\a\\a}", count: 12) + "\\a", "\\edef", 9),
        ("x + \\xdef\\a{y}\\a", "\\xdef", 4),
    ])
    func expandingDefinitionsAreNeverSent(_ tex: String, _ name: String, _ position: Int) throws {
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        let results = try typesetter.typeset([MathRequest(tex: tex, display: true)])
        #expect(results == [.error(message: "\(name) is refused: KaTeX 0.16.4 lets what it expands run past maxExpand; use \\def", position: position)])
        #expect(!typesetter.startedKaTeX)
        // \def, \gdef and names that merely start alike are typeset.
        guard case .html = try typesetter.typeset([MathRequest(tex: "\\def\\edefx{1}\\gdef\\b{2}\\edefx\\b", display: false)])[0] else {
            Issue.record("\\def and \\gdef"); return
        }
    }

    @Test func aMacroFromTheSiteThatUsesEdefIsRefused() throws {
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        let results = try typesetter.typeset([MathRequest(tex: "\\R", display: false, macros: ["\\R": "\\edef\\x{y}\\x"])])
        #expect(results == [.error(message: "the macro \\R uses \\edef, which is refused: KaTeX 0.16.4 lets what it expands run past maxExpand; use \\def",
                                   position: nil)])
    }

    /// (The test runner ignores SIGPIPE itself, so this holds the answers and `isBroken` to account,
    /// not the SIGPIPE nbrun now ignores.)
    @Test("a worker that died before a batch costs the batch's answers and is broken")
    func writingToADeadWorkerIsNotFatal() throws {
        let katex = try KaTeXInstallation.locate()
        let worker = try KaTeXWorker(nodePath: katex.nodePath, katexScript: katex.scriptPath)
        kill(worker.processIdentifier, SIGKILL)
        let start = ContinuousClock.now
        while worker.isRunning, ContinuousClock.now - start < .seconds(5) { usleep(10_000) }
        // Far more than a pipe holds, so the writer is still writing when node is found gone.
        let batch = (0..<2000).map { MathRequest(tex: "\\alpha_{\($0)} + " + String(repeating: "x", count: 100), display: true) }
        let answers = try worker.typeset(batch, deadlines: KaTeXWorker.Deadlines(equation: .seconds(1), batch: .seconds(2)))
        #expect(answers.allSatisfy { $0 == nil })
        #expect(worker.isBroken)
    }
}
