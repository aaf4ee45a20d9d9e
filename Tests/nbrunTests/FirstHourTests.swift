import ArgumentParser
import Foundation
import Testing
@testable import nbrun

/// What a new user runs into in the first hour, tried as they would try it.
@Suite(.serialized) struct FirstHourTests {
    static let jekyll = Fixture.repository + "/Tests/Dialects/jekyll"

    static let vault = Fixture.repository + "/Tests/Dialects/vault"

    private func copiedVault() throws -> String {
        let folder = NSTemporaryDirectory() + "nbrun-vault-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.vault, toPath: folder)
        return folder
    }

    @Test func aNotesStylesheetsAndFontsGoInOneFolderBesideItsPage() throws {
        let folder = try copiedVault()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try FileManager.default.contentsOfDirectory(atPath: folder)
        let result = try NBRunProcess.run([folder + "/Squares.md"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == (before + ["Squares.html", "_assets"]).sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/_assets").sorted() == ["copy.js", "diagrams.css", "katex", "nbrun.css"])
        let html = try String(contentsOfFile: folder + "/Squares.html", encoding: .utf8)
        #expect(html.contains("<link rel=\"stylesheet\" href=\"_assets/katex/katex.min.css\">\n<link rel=\"stylesheet\" href=\"_assets/nbrun.css\">"))
        #expect(html.contains("<img src=\"dot.png\" alt=\"dot.png\" width=\"120\" loading=\"lazy\">"))
    }

    @Test func aPageWrittenElsewhereTakesTheImagesItShows() throws {
        let folder = try copiedVault()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NBRunProcess.run([folder + "/Squares.md", "-o", folder + "/out/page.html"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/out").sorted() == ["_assets", "dot.png", "page.html"])
        #expect(FileManager.default.contents(atPath: folder + "/out/dot.png") == FileManager.default.contents(atPath: folder + "/dot.png"))
        let html = try String(contentsOfFile: folder + "/out/page.html", encoding: .utf8)
        #expect(html.contains("<img src=\"dot.png\" alt=\"dot.png\" width=\"120\" loading=\"lazy\">"))
        // An image above the note's folder (inside --root) goes under _assets/files/, at its path from the root.
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        try Data("See ![a dot](../dot.png).\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes/deep.md"))
        let deep = try NBRunProcess.run([folder + "/notes/deep.md", "--root", folder, "-o", folder + "/elsewhere/"])
        #expect(deep.status == 0, "\(deep.standardError)")
        #expect(FileManager.default.fileExists(atPath: folder + "/elsewhere/_assets/files/dot.png"))
        #expect(try String(contentsOfFile: folder + "/elsewhere/deep.html", encoding: .utf8).contains("<img src=\"_assets/files/dot.png\" alt=\"a dot\""))
    }

    @Test func checkKnowsTheAliasesBuildKnows() throws {
        // Vault home.md links [[square slopes]], an alias of Squares.md: no broken link, alone or with its folder.
        for arguments in [["check", Self.vault + "/Vault home.md"], ["check", Self.vault]] {
            let result = try NBRunProcess.run(arguments)
            #expect(!result.standardError.contains("square slopes"), "\(result.standardError)")
            #expect(result.standardOutput.contains("; 0 errors, 0 warnings in "), "\(result.standardOutput)")
        }
    }

    @Test func checkingAFolderWithNoNotesFails() throws {
        let folder = NSTemporaryDirectory() + "nbrun-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/images", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a note".utf8).write(to: URL(fileURLWithPath: folder + "/readme.txt"))
        let result = try NBRunProcess.run(["check", folder])
        #expect(result.status == 2)
        #expect(result.standardError == "nbrun: error: no notes (*.md, *.markdown) in \(folder); nothing to check\n")
        #expect(result.standardOutput == "")
    }

    @Test func checkReadsMarkdownFilesAndDrafts() throws {
        let result = try NBRunProcess.run(["check", Self.jekyll])
        // Six notes: four posts (one unpublished), a draft, about.md and notes.markdown.
        #expect(result.standardOutput.hasPrefix("6 notes, 7 equations, seed 7: 1 verified, 0 failed, 0 unchecked; 0 errors, 1 warning in "),
                "\(result.standardOutput)")
        #expect(result.status == 0)
    }

    @Test(arguments: [("buld", "build"), ("chekc", "check"), ("serv", "serve")])
    func aMisspelledCommandIsNamed(_ typed: String, _ meant: String) throws {
        let result = try NBRunProcess.run([typed, "."])
        #expect(result.status == 2)
        #expect(result.standardError == "nbrun: error: '\(typed)' is neither a command nor a note; did you mean 'nbrun \(meant)'?\n")
    }

    @Test func aNoteNamedLikeACommandIsStillANote() {
        #expect(CommandSuggestion.command(meantBy: "bild.md", commands: ["build"]) == nil)
        #expect(CommandSuggestion.command(meantBy: "notes", commands: ["run", "check", "build", "serve"]) == nil)
        #expect(CommandSuggestion.distance("buld", "build") == 1)
    }

    @Test func runningANoteSaysWhatCheckSays() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try NBRunProcess.run([folder + "/simple.md", "-o", folder + "/out/"])
        let check = try NBRunProcess.run(["check", folder + "/simple.md"])
        let steps = try #require(check.standardOutput.firstRange(of: "seed 7: ").map { check.standardOutput[$0.lowerBound...] }?
            .components(separatedBy: " in ").first)
        #expect(steps == "seed 7: 1 verified, 0 failed, 0 unchecked; 0 errors, 0 warnings")
        #expect(run.standardOutput.contains(steps), "\(run.standardOutput)")
    }

    @Test func buildWritesIntoSiteByDefaultAndTakesDrafts() throws {
        #expect(try BuildCommand.parse(["notes"]).output == "_site")
        #expect(try BuildCommand.parse(["notes", "--drafts"]).drafts)
        #expect(try ServeCommand.parse(["notes", "--drafts"]).drafts)
    }

    @Test func serveTimesAreRounded() {
        #expect(Console.milliseconds(.nanoseconds(67_535_509)) == "68 ms")
        #expect(Console.milliseconds(.nanoseconds(4_240_000)) == "4.2 ms")
    }
}

extension FirstHourTests {
    @Test func serveLeavesNoTemporaryFolderBehind() throws {
        let temporary = NSTemporaryDirectory() + "nbrun-tmp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let result = try NBRunProcess.run(["serve", Fixture.notes, "--port", "0", "--stop-after", "0.5"], environment: ["TMPDIR": temporary])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Serving \(Fixture.notes) at http://127.0.0.1:"))
        // A site cache may be made there too; the served folder must not stay.
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("nbrun-serve-") }
        #expect(left == [])
    }
}

extension FirstHourTests {
    @Test func checkSplitsItsNotesLikeBuild() throws {
        let parts = try (1...2).map { part in try NBRunProcess.run(["check", Fixture.notes, "--shard", "\(part)/2"]) }
        // broken-math.md, other.md, simple.md: positions 0 and 2, then 1.
        #expect(parts[0].standardOutput.hasPrefix("2 notes, "), "\(parts[0].standardOutput)")
        #expect(parts[1].standardOutput.hasPrefix("1 note, "), "\(parts[1].standardOutput)")
        #expect(parts[0].standardError.contains("broken-math.md") && !parts[1].standardError.contains("broken-math.md"))
        let bad = try NBRunProcess.run(["check", Fixture.notes, "--shard", "3/2"])
        #expect(bad.status == 2)
    }
}
