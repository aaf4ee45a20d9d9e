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

/// Every diagnostic has a code; output formats carry it, and a note or a site can silence a warning's code.
@Suite(.serialized) struct DiagnosticCodeTests {
    static func folder(_ files: [String: String]) throws -> String {
        let folder = NSTemporaryDirectory() + "nbrun-codes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    struct JSONReport: Decodable {
        struct File: Decodable { var diagnostics: [Entry] }
        struct Entry: Decodable, Equatable {
            var line: Int
            var column: Int
            var severity: String
            var code: String?
        }
        var files: [File]
    }

    @Test func jsonAndGithubCarryTheCode() throws {
        let folder = try Self.folder(["a.md": "# A\n\nSee [b](missing.md).\n\n$$ 1 + 1 = 3 $$\n"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let json = try NBRunProcess.run(["check", folder, "--format", "json"])
        #expect(json.status == 1)
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(json.standardOutput.utf8))
        #expect(report.files.flatMap(\.diagnostics) == [
            .init(line: 5, column: 10, severity: "error", code: "verify.step-does-not-hold"),
            .init(line: 3, column: 5, severity: "warning", code: "render.missing-note"),
        ])
        let github = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(github.standardOutput.contains("::warning file=\(folder)/a.md,line=3,col=5,title=render.missing-note::"))
        #expect(github.standardOutput.contains("::error file=\(folder)/a.md,line=5,col=10,title=verify.step-does-not-hold::"))
    }

    @Test func aNoteSilencesAWarningsCodeButNotAnError() throws {
        let note = "# A\n\n<!-- nb: allow render.missing-note verify.step-does-not-hold -->\n\nSee [b](missing.md).\n\n$$ 1 + 1 = 3 $$\n"
        let folder = try Self.folder(["a.md": note])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder])
        #expect(check.status == 1)
        #expect(check.standardError.hasPrefix("\(folder)/a.md:7:10: error: "))
        #expect(check.standardOutput.contains("; 1 error, 0 warnings in "))
        let github = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(!github.standardOutput.contains("title=render.missing-note"))
        #expect(github.standardOutput.contains("::error file=\(folder)/a.md,line=7,col=10,title=verify.step-does-not-hold::"))
    }

    @Test func siteYmlAllowSilencesACodeInCheckAndBuild() throws {
        let folder = try Self.folder([
            "site.yml": "allow: [render.missing-note, site.broken-link]\n",
            "a.md": "# A\n\nSee [b](missing.md) and $\\ref{nowhere}$.\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let check = try NBRunProcess.run(["check", folder])
        let build = try NBRunProcess.run(["build", folder, "-o", folder + "-site"])
        defer { try? FileManager.default.removeItem(atPath: folder + "-site") }
        #expect(check.status == 0)
        #expect(build.status == 0)
        // The unknown label has other codes (the reader's and the renderer's), still reported by both.
        let github = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(!github.standardOutput.contains("title=render.missing-note") && !github.standardOutput.contains("title=site.broken-link"))
        #expect(github.standardOutput.contains("title=render.unknown-label::"), "\(github.standardOutput)")
        // `build` prints text only: its warnings are the label's two (columns 26 and 31), none at the link (column 5).
        let buildWarnings = build.standardError.split(separator: "\n").filter { $0.contains(": warning: ") }
            .map { $0.prefix { $0 != " " }.split(separator: ":").dropFirst().prefix(2).joined(separator: ":") }
        #expect(buildWarnings == ["3:26", "3:31"], "\(build.standardError)")
        #expect(check.standardOutput.contains("; 0 errors, 2 warnings in "), "\(check.standardError)")
        #expect(build.standardOutput.contains("; 0 errors, 2 warnings in "), "\(build.standardError)")
    }
}

@Test func docsListEveryCode() throws {
    // Every code of the catalogues (`Message("domain.name", …)` in Sources) has a row in docs/diagnostics.md.
    let docs = try String(contentsOfFile: Fixture.repository + "/docs/diagnostics.md", encoding: .utf8)
    var codes: Set<String> = []
    let sources = Fixture.repository + "/Sources"
    for path in FileManager.default.subpaths(atPath: sources) ?? [] where path.hasSuffix(".swift") {
        let text = try String(contentsOfFile: sources + "/" + path, encoding: .utf8)
        for match in text.matches(of: /Message\("([a-z]+\.[a-z0-9-]+)"/) { codes.insert(String(match.1)) }
    }
    #expect(codes.count >= 45)
    for code in codes.sorted() {
        #expect(docs.contains("| `\(code)` |"), "docs/diagnostics.md does not list \(code)")
    }
}

@Test func strictMakesABrokenLinkAnErrorInCheckAsInBuild() throws {
    let folder = try DiagnosticCodeTests.folder(["a.md": "# A\n\nSee [b](missing.md).\n"])
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let lenient = try NBRunProcess.run(["check", folder])
    #expect(lenient.status == 0)
    let check = try NBRunProcess.run(["check", folder, "--strict"])
    let build = try NBRunProcess.run(["build", folder, "-o", folder + "-site", "--strict"])
    defer { try? FileManager.default.removeItem(atPath: folder + "-site") }
    #expect(check.status == 1)
    #expect(build.status == 1)
    #expect(check.standardError.hasPrefix("\(folder)/a.md:3:5: error: link target 'missing.md'"), "\(check.standardError)")
    #expect(build.standardError.hasPrefix("\(folder)/a.md:3:5: error: broken link: 'missing.md'"), "\(build.standardError)")
}

@Test func checkReportsSiteYmlProblemsAsBuildDoes() throws {
    let folder = try DiagnosticCodeTests.folder(["site.yml": "title: T\ncolour: red\n", "a.md": "# A\n\n$$ 1 + 1 = 2 $$\n"])
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let check = try NBRunProcess.run(["check", folder])
    let build = try NBRunProcess.run(["build", folder, "-o", folder + "-site"])
    defer { try? FileManager.default.removeItem(atPath: folder + "-site") }
    let expected = "\(folder)/site.yml:2:1: warning: unknown key 'colour' in site.yml"
    #expect(check.status == 0)
    #expect(check.standardError.hasPrefix(expected), "\(check.standardError)")
    #expect(build.standardError.hasPrefix(expected), "\(build.standardError)")
    #expect(check.standardOutput.contains("1 verified, 0 failed, 0 unchecked; 0 errors, 1 warning in "))
    let github = try NBRunProcess.run(["check", folder, "--format", "github"])
    #expect(github.standardOutput.hasPrefix("::warning file=\(folder)/site.yml,line=2,col=1,title=site.unknown-key::unknown key 'colour'"))
}

@Test func runTakesTheMacrosOfItsRootsSiteYml() throws {
    let folder = try PipelineAgreementTests.site(note: "# Squares\n\n$$\n\\sq{3} = 9\n$$\n")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let alone = try NBRunProcess.run(["run", folder + "/notes/square.md", "-o", folder + "/alone.html", "-q"])
    #expect(alone.status == 1)
    #expect(alone.standardError.contains("error: math does not typeset: Undefined control sequence: \\sq"))
    let rooted = try NBRunProcess.run(["run", folder + "/notes/square.md", "--root", folder + "/notes", "-o", folder + "/page.html", "-q"])
    #expect(rooted.status == 0, "\(rooted.standardError)")
    #expect(rooted.standardError == "")
    let page = try String(contentsOfFile: folder + "/page.html", encoding: .utf8)
    #expect(page.contains("<span class=\"nb-mark\" aria-hidden=\"true\">✓</span><span class=\"nb-word\">verified</span>"))
}

@Test func aSeedDrawsTheSameNumbersInCheckAndBuild() throws {
    let folder = try DiagnosticCodeTests.folder(["a.md": "# A\n\n$$ x^2 = 2 x $$\n"])
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let check = try NBRunProcess.run(["check", folder, "--seed", "11"])
    let build = try NBRunProcess.run(["build", folder, "-o", folder + "-site", "--seed", "11"])
    defer { try? FileManager.default.removeItem(atPath: folder + "-site") }
    let other = try NBRunProcess.run(["check", folder])
    #expect(check.status == 1)
    #expect(check.standardError.hasPrefix("\(folder)/a.md:3:8: error: step does not hold: left "), "\(check.standardError)")
    #expect(build.standardError == check.standardError)
    // Another seed, other numbers.
    #expect(other.standardError != check.standardError)
}
