import Diagnostics
import Foundation
import Testing
import Yams
@testable import Notebook

/// YAML that would make Yams recurse past the stack or walk billions of alias
/// copies is refused with an error at its place, quickly.
@Suite struct BoundedYAMLTests {
    /// `a: &a [x, x, …]`, `b: &b [*a, *a, …]`, … nine levels: 366 bytes for 9⁹ values.
    static let aliasBomb: String = {
        var lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func aliasBombInFrontMatterIsAnErrorAtTheKeyThatExplodes() {
        let start = ContinuousClock.now
        let notebook = parse("---\n" + Self.aliasBomb + "---\nText\n")
        // a..e expand to 10 + 91 + 820 + 7,381 + 66,430 values; f's 597,871 cross the bound.
        #expect(described(notebook.diagnostics) == ["error 7:1 front matter is refused: the aliases here expand to more than 100000 values"])
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func deepFlowNestingIsAnErrorAtTheLevelPastTheBound() {
        let depth = 5000
        let notebook = parse("---\ntitle: T\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n---\nText\n")
        // x's value is level 1 at column 4; level 65 is the 65th bracket.
        #expect(described(notebook.diagnostics) == ["error 3:68 front matter is refused: a value nests deeper than 64 levels"])
        #expect(notebook.frontMatter.title == nil)
    }

    @Test func deepBlockMappingIsAnError() {
        var yaml = ""
        for level in 0..<200 { yaml += String(repeating: " ", count: level) + "a:\n" }
        let notebook = parse("---\n" + yaml + "---\nText\n")
        // The 65th nested mapping starts on the 65th line of the YAML, indented 64.
        #expect(described(notebook.diagnostics) == ["error 66:65 front matter is refused: a value nests deeper than 64 levels"])
    }

    @Test func ordinaryFrontMatterIsUntouched() throws {
        let notebook = parse("---\ntitle: T\ndate: 2024-05-01\ntags: [a, b]\nauthors:\n  - name: A\n    roles: [x, y]\n---\nText\n")
        #expect(notebook.diagnostics.isEmpty)
        #expect(notebook.frontMatter.tags == ["a", "b"])
        #expect(notebook.frontMatter.values["authors"] == .list([.map(["name": .string("A"), "roles": .list([.string("x"), .string("y")])])]))
    }

    /// The bound on depth that decides whether composing needs its own stack must never undercount.
    @Test(arguments: ["[[a: [b]]]", "- - - x", "a:\n  b:\n    - c: {d: [e]}", "? - a\n: b", "{a: {b: {c: {}}}}", "- a: b\n  c:\n  - d"])
    func levelMarksBoundTheDepth(_ yaml: String) throws {
        let node = try #require(try Yams.compose(yaml: yaml))
        func depth(_ node: Node) -> Int {
            switch node {
            case .scalar: 1
            case .sequence(let items): 1 + (items.map(depth).max() ?? 0)
            case .mapping(let pairs): 1 + (pairs.flatMap { [depth($0.key), depth($0.value)] }.max() ?? 0)
            }
        }
        #expect(BoundedYAML.levelMarks(in: yaml) >= depth(node))
    }

    @Test func aNULFromAYAMLEscapeIsAnErrorAndNeverKept() {
        let notebook = parse("---\ntitle: \"a\\u0000b\"\ntags: [\"x\\0y\"]\n---\nText\n")
        #expect(described(notebook.diagnostics) == [
            "error 2:8 front matter text holds a NUL character (a \\u0000 escape); it is shown as \u{FFFD}",
            "error 3:7 front matter text holds a NUL character (a \\u0000 escape); it is shown as \u{FFFD}",
        ])
        #expect(notebook.frontMatter.title == "a\u{FFFD}b")
        #expect(notebook.frontMatter.tags == ["x\u{FFFD}y"])
    }
}
