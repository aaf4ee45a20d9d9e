import Diagnostics
import Foundation
import Notebook
import Testing
@testable import Site

/// The `yaml` fuzz target's seed corpus and crashers (Fuzz/Corpus/yaml, Fuzz/Crashes/yaml),
/// through the same two readers: as front matter and as `site.yml`, each quickly.
@Suite("YAML fuzz corpus and crashers")
struct YAMLFuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: SiteFixture.themeDirectory).deletingLastPathComponent().path + "/Fuzz"

    static var inputs: [String] {
        ["Corpus", "Crashes"].flatMap { folder in
            (((try? FileManager.default.contentsOfDirectory(atPath: "\(fuzz)/\(folder)/yaml")) ?? []).sorted())
                .filter { !$0.hasPrefix(".") }.map { "\(folder)/yaml/\($0)" }
        }
    }

    @Test func theCorpusHasSeeds() {
        #expect(Self.inputs.count >= 8)
    }

    @Test(arguments: inputs)
    func bothReadersFinish(_ input: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fuzz + "/" + input)))
        let start = ContinuousClock.now
        let note = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: Array("---\n".utf8) + bytes + Array("\n---\nText\n".utf8)))
        let (configuration, problems) = SiteConfiguration.parse(String(decoding: bytes, as: UTF8.self), path: "site.yml")
        _ = note.diagnostics.count + problems.count + configuration.navigation.count
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
