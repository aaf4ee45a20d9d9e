import Foundation
import Testing

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
}
