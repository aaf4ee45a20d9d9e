import Foundation
import Testing
import TestSupport

/// Notes built to break a notebook tool: each must end with a located error and a
/// non-zero exit, quickly, without a crash and without touching the note.
@Suite(.serialized) struct HostileInputTests {
    static func write(_ bytes: [UInt8], named name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "nbrun-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test(arguments: [
        ("nested-parentheses.md", "# Deep\n\n$$ x = " + String(repeating: "(", count: 100_000) + "y" + String(repeating: ")", count: 100_000) + " $$\n",
         ":3:3: error: math does not typeset: this math is 200007 bytes, over the limit of 100000 for typesetting"),
        ("nested-fractions.md", "# Deep\n\n$$ x = " + String(repeating: "\\frac{1}{", count: 300) + "y" + String(repeating: "}", count: 300) + " $$\n",
         ":3:3: error: math does not typeset: this math nests 300 levels deep, over the limit of 200 for typesetting"),
        ("chain.md", "# Chain\n\n" + (0..<600).map { "$$ a_{(\($0 + 1))} = 2 a_{(\($0))} $$\n\n" }.joined()
            + "$$ \\frac{\\partial a_{(600)}}{\\partial a_{(0)}} = 2 $$\n",
         ":1203:48: error: definitions nest more than 400 levels deep"),
    ])
    func deepMathEndsWithALocatedError(_ name: String, _ text: String, _ message: String) throws {
        let path = try Self.write(Array(text.utf8), named: name)
        let start = ContinuousClock.now
        let result = try NBRunProcess.run(["check", path])
        #expect(result.status == 1)
        #expect(result.standardError.contains(path + message), "\(result.standardError.prefix(600))")
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test(arguments: [
        ("nul.md", Array("# T\n\nText ".utf8) + [0] + Array(" here $x = 1$\n".utf8), ":3:6: error:"),
        ("utf8.md", Array("# T\n\nText ".utf8) + [0xFF, 0xFE] + Array(" here $x = 1$\n".utf8), ":3:6: error:"),
    ])
    func brokenBytesAreErrorsAtTheirByte(_ name: String, _ bytes: [UInt8], _ message: String) throws {
        let path = try Self.write(bytes, named: name)
        let result = try NBRunProcess.run([path, "-o", path + ".html"])
        #expect(result.status == 1)
        #expect(result.standardError.contains(path + message), "\(result.standardError)")
        let after = try #require(FileManager.default.contents(atPath: path))
        #expect([UInt8](after) == bytes, "the note is never modified")
    }

    @Test("a folder given as the note is exit 2 with a message, not a crash", arguments: [["."], ["run", "./"], ["run", "."]])
    func folderAsNote(_ arguments: [String]) throws {
        let path = try Self.write(Array("# A\n".utf8), named: "a.md")
        let folder = (path as NSString).deletingLastPathComponent
        let result = try NBRunProcess.run(arguments, in: folder)
        #expect(result.status == 2)
        let name = arguments.last ?? ""
        #expect(result.standardError == "\(name): error: is a directory, not a note (use `nbrun check \(name)` or `nbrun build \(name) -o OUT`)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.md"], "nothing is written")
    }

    @Test("a pipe is never read as a note: named alone it is exit 2, in a folder it is skipped")
    func pipesAreNotNotes() throws {
        let path = try Self.write(Array("# A\n\n![p](pic.png)\n".utf8), named: "a.md")
        let folder = (path as NSString).deletingLastPathComponent
        for name in ["pipe.md", "pic.png"] { #expect(mkfifo(folder + "/" + name, 0o600) == 0) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.md", withDestinationPath: "pipe.md")
        // Should a reader block on a pipe, a writer opening it after five seconds lets the test end (and fail).
        let guardThread = Thread {
            Thread.sleep(forTimeInterval: 5)
            for name in ["pipe.md", "pic.png"] {
                let descriptor = open(folder + "/" + name, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }
        }
        guardThread.start()
        let start = ContinuousClock.now
        let alone = try NBRunProcess.run([folder + "/pipe.md"])
        #expect(alone.status == 2)
        #expect(alone.standardError == folder + "/pipe.md: error: is not a regular file (a pipe, socket or device); a note is a regular file\n")
        let checked = try NBRunProcess.run(["check", folder])
        #expect(checked.status == 0)
        #expect(checked.standardOutput.hasPrefix("1 note, "), "\(checked.standardOutput)")
        let run = try NBRunProcess.run([path, "-o", folder + "/out/"])
        let page = try String(contentsOfFile: folder + "/out/a.html", encoding: .utf8)
        #expect(run.standardError.contains(path + ":3:1: warning: "), "\(run.standardError)")
        #expect(!page.contains("<img src="), "the pipe is no image")
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("a note larger than maxNoteBytes is refused before it is read, at its size on disk")
    func sizeIsCheckedBeforeReading() throws {
        let path = try Self.write([], named: "huge.md")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 3_000_000_000)  // sparse: no disk, but reading it would take 3 GB
        try handle.close()
        let start = ContinuousClock.now
        let message = path + ": error: the note is 3000000000 bytes, over the limit of 2000000 bytes "
            + "(limit maxNoteBytes; raise it with --limit maxNoteBytes=N or under limits: in site.yml)\n"
        let result = try NBRunProcess.run([path])
        #expect(result.status == 2)
        #expect(result.standardError == message)
        let checked = try NBRunProcess.run(["check", path])
        #expect(checked.status == 2)
        #expect(checked.standardError == message)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("KaTeX's node worker dies with nbrun, even in the middle of long typesetting")
    func workerDiesWithItsParent() throws {
        // KaTeX 0.16.4 gives each run of Unicode superscripts a fresh maxExpand: 3,000 of them,
        // each expanding to 1,024 letters, typeset for about 14 s without a deadline.
        let chain = Array("bcdefghijkl")
        let definitions = (0..<(chain.count - 1)).map { "\\gdef \(chain[$0]){\(chain[$0 + 1])\(chain[$0 + 1])}" }.joined()
        let path = try Self.write(Array(("# Slow\n\n$$ " + definitions + String(repeating: "xᵇ", count: 3000) + " $$\n").utf8), named: "slow.md")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NBRunProcess.executable)
        process.arguments = [path, "-o", path + ".html"]
        var environment = ProcessInfo.processInfo.environment
        environment["NBRUN_CACHE_DIR"] = (path as NSString).deletingLastPathComponent + "/cache"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var worker: Int32?
        let searching = ContinuousClock.now
        while worker == nil, ContinuousClock.now - searching < .seconds(20) {
            worker = Self.children(of: process.processIdentifier).first
            usleep(20_000)
        }
        let node = try #require(worker, "nbrun started no worker")
        usleep(500_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let killed = ContinuousClock.now
        // The kernel ends the worker with nbrun (setpriv --pdeathsig); without it, the worker sees it is
        // orphaned once the equation under way ends, by its deadline.
        while kill(node, 0) == 0 || errno != ESRCH, ContinuousClock.now - killed < .seconds(10) {
            if (try? String(contentsOfFile: "/proc/\(node)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first == "Z" { break }
            usleep(50_000)
        }
        #expect(ContinuousClock.now - killed < .seconds(4), "the worker outlived nbrun by \(ContinuousClock.now - killed)")
        if kill(node, 0) == 0 { kill(node, SIGKILL) }
    }

    /// The processes `pid` started (Linux's `/proc/PID/task/TID/children`).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
        }
    }

    @Test("serve builds into a private temporary folder, not nbrun-serve-PID, and removes it on Ctrl-C", .timeLimit(.minutes(1)))
    func serveTemporaryFolder() throws {
        let note = try Self.write(Array("# A\n\nText.\n".utf8), named: "a.md")
        let temporary = NSTemporaryDirectory()
        func folders() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0.hasPrefix("nbrun-serve-") })
        }
        let before = folders()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NBRunProcess.executable)
        process.arguments = ["serve", (note as NSString).deletingLastPathComponent, "--port", "0", "--stop-after", "40"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var made: Set<String> = []
        let start = ContinuousClock.now
        while made.isEmpty, ContinuousClock.now - start < .seconds(20) {
            made = folders().subtracting(before)
            usleep(50_000)
        }
        let name = try #require(made.first, "serve made no temporary folder")
        #expect(name != "nbrun-serve-\(process.processIdentifier)")
        let attributes = try FileManager.default.attributesOfItem(atPath: temporary + name)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: temporary + name), "the folder outlived serve")
    }

    /// A build stopped by Ctrl-C or SIGTERM while it renders: the signal's own status, and no
    /// `OUT/.nbrun-staging/` left behind (it was left until the next build).
    @Test(arguments: [SIGINT, SIGTERM])
    func interruptedBuildRemovesItsStaging(_ signalNumber: Int32) throws {
        // A step that runs for many seconds (nested sums of 10⁵ × 10⁵ terms) holds the build mid-way.
        let note = try Self.write(Array("# Slow\n\n$$ \\sum_{i=1}^{99999} \\sum_{j=1}^{99999} \\sin(i j) = 0 $$\n".utf8), named: "slow.md")
        let notes = (note as NSString).deletingLastPathComponent
        let output = notes + "-site"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NBRunProcess.executable)
        process.arguments = ["build", notes, "-o", output, "--limit", "timePerNote=60s", "--limit", "maxSumTerms=10000000000"]
        process.environment = NBRunProcess.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A failed expectation must not leave the slow build running for its minute.
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let staging = output + "/.nbrun-staging"
        let start = ContinuousClock.now
        while !FileManager.default.fileExists(atPath: staging), process.isRunning, ContinuousClock.now - start < .seconds(20) {
            usleep(20_000)
        }
        try #require(FileManager.default.fileExists(atPath: staging), "the build never staged")
        usleep(200_000)
        let sent = ContinuousClock.now
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        #expect(ContinuousClock.now - sent < .seconds(5))
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signalNumber)
        #expect(!FileManager.default.fileExists(atPath: staging), "the staging folder outlived the build")
    }

    @Test("serve that runs out of file descriptors stops with a message and a non-zero exit, not silently with 0")
    func serveOutOfFileDescriptorsExitsWithAMessage() throws {
        let note = try Self.write(Array("# A\n\nHello.\n".utf8), named: "a.md")
        let notes = (note as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Few descriptors, so that a burst of idle connections exhausts them.
        process.arguments = ["-c", "ulimit -n 64 && exec \"$0\" serve \"$1\" --port 0", NBRunProcess.executable, notes]
        process.environment = NBRunProcess.environment()
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The address it serves on, from its first lines.
        var printed = ""
        let start = ContinuousClock.now
        while !printed.contains("(Ctrl-C stops)"), process.isRunning, ContinuousClock.now - start < .seconds(30) {
            printed += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        let port = try #require(printed.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        var connections: [Int32] = []
        defer { connections.forEach { close($0) } }
        for _ in 0..<200 where process.isRunning {
            guard case .success(let socket) = LoopbackSocket.connect(port: port) else { break }
            connections.append(socket)
        }
        let waited = ContinuousClock.now
        while process.isRunning, ContinuousClock.now - waited < .seconds(20) { usleep(20_000) }
        #expect(!process.isRunning, "serve kept running without descriptors")
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("nbrun: error: the server stopped"), "\(message)")
        #expect(message.contains("Too many open files"), "\(message)")
    }
}
