import ArgumentParser
import Foundation
import Testing
@testable import nbrun

@Suite("nbrun build and serve: the command line")
struct SiteCommandTests {
    @Test("build reads its flags")
    func buildFlags() throws {
        let command = try BuildCommand.parse(["notes", "-o", "out", "--strict", "--shard", "1/2", "--merge", "p1", "--merge", "p2", "-j", "3"])
        #expect(command.directory == "notes")
        #expect(command.output == "out")
        #expect(command.strict)
        #expect(command.shard == "1/2")
        #expect(command.merge == ["p1", "p2"])
        #expect(command.jobs == 3)
        #expect(command.seed == 7)
        #expect(try BuildCommand.parse(["notes", "-o", "out", "--seed", "11"]).seed == 11)
        #expect(try ServeCommand.parse(["notes", "--seed", "11"]).seed == 11)
    }

    @Test("serve reads its flags; the port defaults to 8000")
    func serveFlags() throws {
        #expect(try ServeCommand.parse(["notes"]).port == 8000)
        let command = try ServeCommand.parse(["notes", "--port", "0", "-o", "preview", "--stop-after", "2"])
        #expect(command.port == 0)
        #expect(command.output == "preview")
        #expect(command.stopAfter == 2)
    }

    @Test("each failure has its exit code: note errors 1, usage and environment 2")
    func exitCodes() {
        #expect(CommandFailure.noteErrors.exitCode == ExitCode(1))
        #expect(CommandFailure.environment("KaTeX is not installed").exitCode == ExitCode(2))
        #expect(CommandFailure.unreadable("a.md: no such file").exitCode == ExitCode(2))
        #expect(CommandFailure.unreadableNotes.exitCode == ExitCode(2))
    }

    @Test("a missing folder and a bad --shard exit with 2")
    func usageErrors() throws {
        let missing = try BuildCommand.parse(["/nonexistent/notes", "-o", NSTemporaryDirectory() + "nbrun-cli-none"])
        let missingFolder = #expect(throws: CommandFailure.self) { try missing.run() }
        #expect(missingFolder?.exitCode == ExitCode(2))
        #expect(missingFolder?.description == "nbrun: error: /nonexistent/notes: not a folder of notes")
        let folder = NSTemporaryDirectory() + "nbrun-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let badShard = try BuildCommand.parse([folder + "/notes", "-o", folder + "/site", "--shard", "3/2", "-q"])
        let shard = #expect(throws: CommandFailure.self) { try badShard.run() }
        #expect(shard?.exitCode == ExitCode(2))
    }

    @Test("an empty folder builds into an index, a tag list, a 404 page and a search index")
    func emptyFolder() throws {
        let folder = NSTemporaryDirectory() + "nbrun-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try BuildCommand.parse([folder + "/notes", "-o", folder + "/site", "-q"]).run()
        for file in ["index.html", "404.html", "tags/index.html", "_assets/search-index.js", "_assets/search.js"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/site/" + file), "\(file)")
        }
    }
}
