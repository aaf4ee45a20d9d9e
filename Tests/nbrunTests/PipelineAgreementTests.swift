import Foundation
import Testing

/// `check` and `build` take a note down the same pipeline, with the same settings from site.yml.
@Suite(.serialized) struct PipelineAgreementTests {
    /// A folder whose site.yml defines `\sq` and excludes a draft with a false step.
    static func site(note: String) throws -> String {
        let folder = NSTemporaryDirectory() + "nbrun-agree-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/notes/drafts", withIntermediateDirectories: true)
        try "macros:\n  \\sq: \"#1^2\"\nexclude:\n  - drafts\n".write(toFile: folder + "/notes/site.yml", atomically: true, encoding: .utf8)
        try note.write(toFile: folder + "/notes/square.md", atomically: true, encoding: .utf8)
        try "# Draft\n\n$$ 1 = 2 $$\n".write(toFile: folder + "/notes/drafts/wrong.md", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func aSiteMacroPassesCheckAndBuildAlikeAndAnExcludedNoteIsReadByNeither() throws {
        let folder = try Self.site(note: "# Squares\n\n$$\n\\sq{3} = 9\n$$\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder + "/notes"])
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardError == "")
        #expect(check.standardOutput.hasPrefix("1 note, 1 equation, seed 7: 1 verified, 0 failed, 0 unchecked; 0 errors, 0 warnings in "))
        let build = try NBRunProcess.run(["build", folder + "/notes", "-o", folder + "/site"])
        #expect(build.status == 0, "\(build.standardError)")
        #expect(build.standardError == "")
        #expect(build.standardOutput.contains(": 1 page (1 rendered, 0 from cache), "))
        #expect(build.standardOutput.contains("; 0 errors, 0 warnings in "))
        #expect(!FileManager.default.fileExists(atPath: folder + "/site/drafts/wrong.html"))
    }

    @Test func aFalseStepThroughASiteMacroFailsCheckAndBuildAtTheSamePlace() throws {
        let folder = try Self.site(note: "# Squares\n\n$$\n\\sq{3} = 10\n$$\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder + "/notes"])
        let build = try NBRunProcess.run(["build", folder + "/notes", "-o", folder + "/site"])
        #expect(check.status == 1)
        #expect(build.status == 1)
        let expected = "\(folder)/notes/square.md:4:8: error: step does not hold: left 9, right 10\n"
        #expect(check.standardError.hasPrefix(expected), "\(check.standardError)")
        #expect(build.standardError.hasPrefix(expected), "\(build.standardError)")
        #expect(check.standardError == build.standardError)
    }
}
