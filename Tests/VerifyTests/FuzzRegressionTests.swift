import Diagnostics
import Foundation
import MathSyntax
import Notebook
import Testing
@testable import Verify

/// The fuzz targets' seed corpus (Fuzz/Corpus/TARGET/) and every input a fuzzer
/// found crashing, hanging or exhausting memory (Fuzz/Crashes/TARGET/), run
/// through the same entry points as Fuzz/Sources/*: each must finish, in time.
@Suite("Fuzz corpus and crashers as regression tests")
struct FuzzRegressionTests {
    static let fuzz = Corpus.repository + "/Fuzz"

    static func inputs(_ target: String) -> [String] {
        var paths: [String] = []
        for folder in ["Corpus", "Crashes"] {
            let directory = "\(fuzz)/\(folder)/\(target)"
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() where !name.hasPrefix(".") {
                paths.append("\(folder)/\(target)/\(name)")
            }
        }
        return paths
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fuzz + "/" + relative)))
    }

    @Test func everyTargetHasASeedCorpus() {
        for target in ["notebook", "math", "cells", "checker"] {
            #expect(Self.inputs(target).count >= 4, "\(target)")
        }
    }

    @Test(arguments: inputs("notebook"))
    func notebookReaderFinishes(_ input: String) throws {
        let notebook = Notebook(parsing: SourceFile(path: "fuzz.md", bytes: try Self.bytes(input)))
        _ = notebook.cells.count + notebook.diagnostics.count
    }

    @Test(arguments: inputs("math"))
    func mathParserFinishes(_ input: String) throws {
        let parsed = MathParser.parse(String(decoding: try Self.bytes(input), as: UTF8.self))
        _ = parsed.expression?.plain
    }

    @Test(arguments: inputs("cells"))
    func cellLanguageFinishes(_ input: String) throws {
        let body = try Self.bytes(input).filter { $0 != UInt8(ascii: "`") }
        let source = SourceFile(path: "fuzz.md", bytes: Array("```nb\n".utf8) + body + Array("\n```\n".utf8))
        for case .code(let cell) in Notebook(parsing: source).cells {
            let program = CellProgram(cell: cell, source: source)
            _ = VerifierRun.network(from: program)?.parameterCount
        }
    }

    @Test(arguments: inputs("checker"))
    func checkerFinishesWithinItsBudget(_ input: String) throws {
        let bytes = try Self.bytes(input)
        var verifier = Verifier(seed: 7)
        verifier.limits.timePerNote = .seconds(2)
        verifier.limits.maxSumTerms = 1_000
        verifier.limits.maxArrayElements = 100_000
        verifier.limits.maxParameters = 100_000
        verifier.limits.maxDefinitionDepth = 100
        let start = ContinuousClock.now
        _ = verifier.check(Notebook(parsing: SourceFile(path: "fuzz.md", bytes: bytes)))
        #expect(ContinuousClock.now - start < .seconds(20))
    }
}
