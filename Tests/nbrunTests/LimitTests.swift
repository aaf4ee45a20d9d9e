import Foundation
import Testing

/// Each resource limit, hit by a note: an error at the place that hits it, naming
/// the limit and how to raise it, and exit code 1 — never a hang or a crash.
@Suite(.serialized) struct LimitTests {
    static func hint(_ name: String) -> String { " (limit \(name); raise it with --limit \(name)=N or under limits: in site.yml)" }

    @Test(arguments: [
        ("sum.md", "# Sum\n\n$$ \\sum_{i=1}^{5000} i = 12502500 $$\n", ["--limit", "maxSumTerms=100"],
         ":3:24: error: a sum or pattern of more than 100 terms" + hint("maxSumTerms")),
        ("network.md", "# Net\n\n```nb\nnetwork: 5000 -> 5000 -> 3\n```\n\n$$ y = 1 $$\n", [],
         ":4:10: error: this network has 25020003 weights and biases, more than 10000000" + hint("maxParameters")),
        ("network-small.md", "# Net\n\n```nb\nnetwork: 3 -> 4 -> 2\n```\n", ["--limit", "maxParameters=20"],
         ":4:10: error: this network has 26 weights and biases, more than 20" + hint("maxParameters")),
        ("array.md", "# Arr\n\n$$ \\sum_{i=1}^{3} x_i = x_1 + x_2 + x_3 $$\n", ["--limit", "maxArrayElements=2"],
         ":3:23: error: a 3×1 array has more than 2 elements" + hint("maxArrayElements")),
        ("nesting.md", "# Deep\n\n$$ x = ((((y)))) $$\n", ["--limit", "maxMathNesting=3"],
         ":3:3: error: math does not typeset: this math nests 4 levels deep, over the limit of 3 for typesetting" + hint("maxMathNesting")),
        ("bytes.md", "# Long\n\n$$ x = y + y + y + y + y + y $$\n", ["--limit", "maxMathBytes=10"],
         ":3:3: error: math does not typeset: this math is 27 bytes, over the limit of 10 for typesetting" + hint("maxMathBytes")),
        // All the math of a page together (2 MB of math held node and nbrun at gigabytes).
        ("page-math.md", "# Math\n\n$$ a + b $$\n\n$$ c + d + e $$\n\n$$ f $$\n", ["--limit", "maxPageMathBytes=12"],
         ":5:3: error: math does not typeset: the page's math passes 12 bytes here; this and the math after it are not typeset" + hint("maxPageMathBytes")),
        ("depth.md", "# Chain\n\n" + (0..<12).map { "$$ a_{(\($0 + 1))} = 2 a_{(\($0))} $$\n\n" }.joined()
            + "$$ \\frac{\\partial a_{(12)}}{\\partial a_{(0)}} = 4096 $$\n", ["--limit", "maxDefinitionDepth=10"],
         ":27:47: error: definitions nest more than 10 levels deep" + hint("maxDefinitionDepth")),
        ("time.md", "# Slow\n\n$$ \\sum_{i=1}^{99999} \\sum_{j=1}^{99999} \\sin(i j) = 0 $$\n", ["--limit", "timePerNote=1s", "--limit", "maxSumTerms=10000000000"],
         ":3:52: error: checking this note took more than its time budget of 1 s" + hint("timePerNote")),
        // Nested sums count their terms together, through definitions and functions too (2,000 × 2,000 took 2 GB).
        ("nested.md", "# N\n\n$$ \\sum_{i=1}^{2000} \\sum_{j=1}^{2000} i j = 4004001000000 $$\n", [],
         ":3:44: error: nested sums or patterns of more than 100000 terms in all" + hint("maxSumTerms")),
        ("nested-definition.md", "# N\n\n$$ f_i = \\sum_{j=1}^{2000} i j $$\n\n$$ \\sum_{i=1}^{2000} f_i = 4004001000000 $$\n", [],
         ":5:26: error: nested sums or patterns of more than 100000 terms in all" + hint("maxSumTerms")),
        ("nested-function.md", "# N\n\n$$ g(x) = \\sum_{j=1}^{2000} x j $$\n\n$$ \\sum_{i=1}^{2000} g(i) = 4004001000000 $$\n", [],
         ":5:27: error: nested sums or patterns of more than 100000 terms in all" + hint("maxSumTerms")),
        ("page.md", "# Big\n\nSome text.\n\n" + String(repeating: "More text here. ", count: 100) + "\n", ["--limit", "maxPageBytes=200"],
         ":5:1: error: the page grows past 200 bytes here; the rest of the note is left out of it" + hint("maxPageBytes")),
    ])
    func eachLimitEndsWithALocatedError(_ name: String, _ text: String, _ flags: [String], _ message: String) throws {
        let path = try HostileInputTests.write(Array(text.utf8), named: name)
        let start = ContinuousClock.now
        let result = try NBRunProcess.run(["check", path] + flags)
        #expect(result.status == 1)
        #expect(result.standardError.contains(path + message), "\(result.standardError.prefix(800))")
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test("past maxPageMathBytes the first equation left out is the one error; it and the rest show their TeX")
    func pageMathIsReportedOnce() throws {
        let note = try HostileInputTests.write(Array("# M\n\n$$ a + b $$\n\n$$ c + d + e $$\n\n$$ f + g $$\n\n$$ h $$\n".utf8), named: "page-math-once.md")
        let folder = (note as NSString).deletingLastPathComponent
        let output = folder + "-site"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try NBRunProcess.run(["build", folder, "-o", output, "--limit", "maxPageMathBytes=12"])
        #expect(result.status == 1)
        let errors = result.standardError.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [Substring(note + ":5:3: error: math does not typeset: the page's math passes 12 bytes here; "
                                     + "this and the math after it are not typeset" + Self.hint("maxPageMathBytes"))], "\(result.standardError)")
        let page = try String(contentsOfFile: output + "/page-math-once.html", encoding: .utf8)
        #expect(page.components(separatedBy: "class=\"katex\"").count == 2, "only the first equation is typeset")
        #expect(page.components(separatedBy: "math-error\"").count == 4, "the other three show their TeX and why")
    }

    @Test("once the note's time has run out, the math left is one error, not one per equation")
    func outOfTimeIsReportedOnce() throws {
        let note = try HostileInputTests.write(Array(("# Slow\n\n$$ \\sum_{i=1}^{99999} \\sum_{j=1}^{99999} \\sin(i j) = 0 $$\n\n"
                                                        + "$$ a + b $$\n\n$$ c + d $$\n\n$$ e + f $$\n").utf8), named: "out-of-time.md")
        // A cache of its own: equations typeset by an earlier run would need no time.
        let cache = NSTemporaryDirectory() + "nbrun-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let result = try NBRunProcess.run(["check", note, "--limit", "timePerNote=1s", "--limit", "maxSumTerms=10000000000"],
                                          environment: ["NBRUN_CACHE_DIR": cache])
        #expect(result.status == 1)
        let ranOut = result.standardError.split(separator: "\n").filter { $0.contains(": error: math does not typeset: the note's time") }
        #expect(ranOut.count == 1, "\(result.standardError)")
    }

    @Test("with maxSumTerms raised, one step's recording still stops at 384 MiB")
    func aStepsMemoryIsBounded() throws {
        let path = try HostileInputTests.write(Array("# N\n\n$$ \\sum_{i=1}^{3000} \\sum_{j=1}^{3000} \\sin(i j) = 0 $$\n".utf8), named: "tape.md")
        let result = try NBRunProcess.run(["check", path, "--limit", "maxSumTerms=100000000"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix(path + ":3:50: error: this step needs more than 384 MiB of intermediate values; it is not checked\n"),
                "\(result.standardError.prefix(600))")
    }

    @Test func siteYAMLSetsLimitsForCheckAndTheCommandLineWins() throws {
        let note = try HostileInputTests.write(Array("# Sum\n\n$$ \\sum_{i=1}^{50} i = 1275 $$\n".utf8), named: "sum.md")
        let folder = (note as NSString).deletingLastPathComponent
        try "limits:\n  maxSumTerms: 10\n".write(toFile: folder + "/site.yml", atomically: true, encoding: .utf8)
        let limited = try NBRunProcess.run(["check", folder])
        #expect(limited.status == 1)
        #expect(limited.standardError.contains(note + ":3:22: error: a sum or pattern of more than 10 terms"), "\(limited.standardError)")
        let raised = try NBRunProcess.run(["check", folder, "--limit", "maxSumTerms=100"])
        #expect(raised.status == 0, "\(raised.standardError)")
    }

    @Test(arguments: ["maxSums=3", "maxSumTerms=0", "maxSumTerms"])
    func aBadLimitFlagIsAUsageError(_ flag: String) throws {
        let note = try HostileInputTests.write(Array("# A\n".utf8), named: "a.md")
        let result = try NBRunProcess.run(["check", note, "--limit", flag])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--limit"))
    }
}
