import Foundation
import Testing
@testable import Render

/// The `katex` fuzz target's seed corpus and crashers (Fuzz/Corpus/katex, Fuzz/Crashes/katex):
/// each typesets, or is refused or stopped, within `timePerNote` plus a second.
@Suite("KaTeX fuzz corpus and crashers", .serialized)
struct KaTeXFuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Fuzz"

    static var inputs: [String] {
        ["Corpus", "Crashes"].flatMap { folder in
            (((try? FileManager.default.contentsOfDirectory(atPath: "\(fuzz)/\(folder)/katex")) ?? []).sorted())
                .filter { !$0.hasPrefix(".") }.map { "\(folder)/katex/\($0)" }
        }
    }

    @Test func typesettingEndsInTime() throws {
        #expect(Self.inputs.count >= 8)
        let typesetter = MathTypesetter(katex: try KaTeXInstallation.locate(), cacheDirectory: nil)
        typesetter.limits.timePerNote = .seconds(2)
        // Starting node and loading KaTeX is not typesetting (and takes seconds on a loaded machine).
        _ = try typesetter.typeset([MathRequest(tex: "x", display: false)])
        for input in Self.inputs {
            let tex = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.fuzz + "/" + input)), as: UTF8.self)
            let start = ContinuousClock.now
            _ = try typesetter.typeset([MathRequest(tex: tex, display: true)])
            #expect(ContinuousClock.now - start < .seconds(3), "\(input)")
        }
    }
}
