import Foundation
import Testing

/// Runs the built `nbrun` executable the way a user does and looks at its
/// exit code, its output and the files it writes.
struct NBRunProcess {
    var status: Int32
    var standardOutput: String
    var standardError: String

    static var executable: String {
        // The test runner lives in the build folder, next to the `nbrun` it was built with.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("nbrun").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return "nbrun"
    }

    /// The test's environment with the fixture's cache folder and theme, and `extra` on top.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["NBRUN_CACHE_DIR"] = Fixture.cacheDirectory
        environment["NBRUN_THEME"] = Fixture.repository + "/site"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:], in directory: String? = nil) throws -> NBRunProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment(extra)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once: a child that fills one while the other is
        // being read to its end would wait forever.
        let errorReader = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorReader.wait()
        process.waitUntilExit()
        return NBRunProcess(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self)
        )
    }
}

/// Reads a pipe to its end on another thread.
final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

enum Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let notes = repository + "/Tests/nbrunTests/Notes"
    static let cacheDirectory = NSTemporaryDirectory() + "nbrun-cli-tests-cache"

    /// A fresh folder holding copies of the test notes.
    static func workspace() throws -> String {
        let folder = NSTemporaryDirectory() + "nbrun-cli-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: notes, toPath: folder)
        return folder
    }
}

@Suite(.serialized) struct CommandLineTests {
    @Test func rendersANoteBesideItself() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let note = folder + "/simple.md"
        let before = try Data(contentsOf: URL(fileURLWithPath: note))
        let result = try NBRunProcess.run([note])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError == "")
        #expect(result.standardOutput.contains("3 equations"))
        let html = try String(contentsOfFile: folder + "/simple.html", encoding: .utf8)
        #expect(html.contains("<title>A simple note</title>"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"_assets/katex/katex.min.css\">"))
        #expect(html.contains("<span id=\"eq-eq:square\" class=\"eq-anchor\"></span><div class=\"math display\" data-line=\"10\"><span class=\"katex-display\">"))
        #expect(html.contains("<a class=\"eqref\" href=\"#eq-eq:square\">(1)</a>"))
        #expect(html.contains("<a href=\"other.html\">the other note</a>"))
        #expect(html.contains("<a class=\"wikilink\" href=\"other.html#section-one\">its first section</a>"))
        #expect(!html.contains("$x"), "no raw TeX left in the page")
        #expect(FileManager.default.fileExists(atPath: folder + "/_assets/katex/fonts/KaTeX_Main-Regular.woff2"))
        #expect(FileManager.default.fileExists(atPath: folder + "/_assets/nbrun.css"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: note)) == before, "the note is never modified")
    }

    @Test func aMathErrorIsMarkedInThePageAndReportedWithItsLocation() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NBRunProcess.run([folder + "/broken-math.md", "-o", folder + "/out/page.html"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("broken-math.md:6:5: error: math does not typeset: Expected '}', got 'EOF'"))
        #expect(result.standardError.contains("broken-math.md:9:15: warning: link target 'nowhere' is not a note or file in this notebook folder"))
        #expect(result.standardError.contains("warning: embedded file 'missing.png' is not in this notebook folder"))
        let html = try String(contentsOfFile: folder + "/out/page.html", encoding: .utf8)
        #expect(html.contains("<div class=\"math display math-error\" data-line=\"5\" role=\"note\"><code class=\"math-source\">\nx^{2\n</code>"))
        #expect(html.contains("<span class=\"math inline\" data-line=\"3\"><span class=\"katex\">"), "the rest of the page renders")
    }

    @Test(arguments: [
        (["does-not-exist.md"], "does-not-exist.md: error: no such file"),
        (["/"], "/: error: is a directory, not a note"),
        (["run"], "Missing expected argument '<note>'"),
        (["check", "nowhere/"], "nowhere/: error: no such file"),
        (["--no-such-flag", "x.md"], "Unknown option '--no-such-flag'"),
    ])
    func usageAndEnvironmentProblemsExitWithTwo(_ arguments: [String], _ message: String) throws {
        let result = try NBRunProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func refusesToOverwriteTheNote() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NBRunProcess.run([folder + "/other.md", "-o", folder + "/other.md"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("would overwrite a note"))
    }

    @Test func missingKaTeXSaysWhatToInstall() throws {
        let result = try NBRunProcess.run([Fixture.notes + "/other.md", "-o", NSTemporaryDirectory() + "x.html"], environment: ["NBRUN_KATEX_DIR": "/nonexistent"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("apt-get install libjs-katex"))
    }

    @Test func helpExplainsEverySubcommand() throws {
        let result = try NBRunProcess.run(["--help"])
        #expect(result.status == 0)
        for subcommand in ["run", "check", "build", "serve"] {
            #expect(result.standardOutput.contains("  \(subcommand) "))
        }
        #expect(result.standardOutput.contains("nbrun check notebooks"))
    }

    @Test func serveHandsOverToTheServerProgramWithItsArguments() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try NBRunProcess.run(["serve", folder, "--port", "0", "-o", folder + "/_preview", "--stop-after", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("rebuilt: 3 rendered"))
        #expect(result.standardOutput.contains("\nServing \(folder) at http://127.0.0.1:"))
        #expect(FileManager.default.fileExists(atPath: folder + "/_preview/index.html"))
        let badPort = try NBRunProcess.run(["serve", folder, "--port", "many"])
        #expect(badPort.status == 2)
        #expect(badPort.standardError.contains("--port"))
        let outOfRange = try NBRunProcess.run(["serve", folder, "--port", "99999", "--stop-after", "1"])
        #expect(outOfRange.status == 2)
        #expect(outOfRange.standardError.contains("--port must be from 0 to 65535 (0 picks a free one), not 99999"))
        let missing = try NBRunProcess.run(["serve", folder + "/missing", "--stop-after", "1"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "nbrun: error: \(folder)/missing: not a folder of notes\n")
        #expect(missing.standardOutput.isEmpty)
    }

    @Test func serveOnAPortInUseFailsAtOnce() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Holds a port the way another server would.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) == 0 && listen(holder, 1) == 0 && getsockname(holder, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let start = ContinuousClock.now
        let result = try NBRunProcess.run(["serve", folder, "--port", "\(port)", "-o", folder + "/_preview", "--stop-after", "5"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("nbrun: error: cannot listen on 127.0.0.1:\(port): Address already in use"))
        #expect(ContinuousClock.now - start < .seconds(4), "no wait for a server that cannot start")
    }

    @Test func serveWithoutTheServerProgramSaysHowToBuildIt() throws {
        let folder = NSTemporaryDirectory() + "nbrun-alone-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: NBRunProcess.executable, toPath: folder + "/nbrun")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: folder + "/nbrun")
        process.arguments = ["serve", Fixture.notes, "--stop-after", "1"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(message.contains("needs the nbrun-serve program beside nbrun"))
        #expect(message.contains("swift build -c release --product nbrun-serve"))
    }

    @Test func checkReportsEveryNoteAndFailsOnErrors() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = try NBRunProcess.run(["check", folder])
        #expect(text.status == 1)
        #expect(text.standardOutput.contains("3 notes, "))
        let github = try NBRunProcess.run(["check", folder, "--format", "github"])
        #expect(github.standardOutput.contains("::error file=\(folder)/broken-math.md,line=6,col=5,title=render.katex-error::math does not typeset: Expected '}', got 'EOF'"))
        let clean = try NBRunProcess.run(["check", folder + "/simple.md", folder + "/other.md"])
        #expect(clean.status == 0, "\(clean.standardError)")
    }

    @Test func buildMirrorsTheFolderIntoASite() throws {
        let folder = try Fixture.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.removeItem(atPath: folder + "/broken-math.md")
        let result = try NBRunProcess.run(["build", folder, "-o", folder + "/_site"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: folder + "/_site/simple.html"))
        #expect(FileManager.default.fileExists(atPath: folder + "/_site/other.html"))
        #expect(FileManager.default.fileExists(atPath: folder + "/_site/_assets/katex/katex.min.css"))
    }
}
