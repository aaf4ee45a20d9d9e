import Foundation
import Testing
import Diagnostics
import Notebook
@testable import Render

private func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "nbrun-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Test func typesetsWithKaTeXAndCachesTheResult() throws {
    let katex = try KaTeXInstallation.locate()
    let cache = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let requests = [
        MathRequest(tex: "x^2", display: false),
        MathRequest(tex: "\\frac{a}{b", display: true),
        MathRequest(tex: "x^2", display: false),
    ]
    let first = MathTypesetter(katex: katex, cacheDirectory: cache)
    let results = try first.typeset(requests)
    guard case .html(let html) = results[0] else { Issue.record("no HTML for x^2"); return }
    #expect(html.hasPrefix("<span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\">"))
    #expect(html.contains("<annotation encoding=\"application/x-tex\">x^2</annotation>"))
    #expect(results[2] == results[0])
    #expect(results[1] == .error(message: "Unexpected end of input in a macro argument, expected '}'", position: 10))
    #expect(first.typesetCount == 2)

    // A second typesetter over the same cache never needs KaTeX.
    let second = MathTypesetter(katex: katex, cacheDirectory: cache)
    #expect(try second.typeset(requests) == results)
    #expect(second.typesetCount == 0)
    #expect(second.cachedCount == 3)
}

@Test func aCorruptCacheEntryIsTypesetAgain() throws {
    let katex = try KaTeXInstallation.locate()
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let request = MathRequest(tex: "\\alpha", display: false)
    let first = MathTypesetter(katex: katex, cacheDirectory: directory)
    let good = try first.typeset([request])
    let cache = MathCache(directory: directory, katexIdentity: katex.katexIdentity)
    let path = cache.path(for: .math(request))
    var bytes = try #require(FileManager.default.contents(atPath: path))
    bytes[bytes.count - 3] ^= 0x20
    FileManager.default.createFile(atPath: path, contents: bytes)
    #expect(cache.lookup(.math(request)) == nil)
    let second = MathTypesetter(katex: katex, cacheDirectory: directory)
    #expect(try second.typeset([request]) == good)
    #expect(second.typesetCount == 1)
}

@Test func trustAdmitsOnlyInPageLinks() throws {
    let katex = try KaTeXInstallation.locate()
    let typesetter = MathTypesetter(katex: katex, cacheDirectory: nil)
    let results = try typesetter.typeset([
        MathRequest(tex: "\\href{#eq-1}{(1)}", display: false),
        MathRequest(tex: "\\href{javascript:alert(1)}{x}", display: false),
        MathRequest(tex: "\\url{https://example.org}", display: false),
    ])
    guard case .html(let local) = results[0], case .html(let script) = results[1], case .html(let url) = results[2] else {
        Issue.record("expected HTML for every request")
        return
    }
    #expect(local.contains("<a href=\"#eq-1\">"))
    #expect(!script.contains("href=\"javascript"))
    #expect(!url.contains("<a href"))
}

@Test func trustAdmitsOnlyOurOwnDataAttributes() throws {
    let katex = try KaTeXInstallation.locate()
    let typesetter = MathTypesetter(katex: katex, cacheDirectory: nil)
    let results = try typesetter.typeset([
        MathRequest(tex: "\\htmlData{nb-symbol=0}{x}", display: false),
        MathRequest(tex: "\\htmlData{onclick=alert(1)}{x}", display: false),
        MathRequest(tex: "\\htmlData{nb-symbol=0, style=color:red}{x}", display: false),
    ])
    guard case .html(let ours) = results[0], case .html(let other) = results[1], case .html(let mixed) = results[2] else {
        Issue.record("expected HTML for every request")
        return
    }
    #expect(ours.contains("<span class=\"enclosing\" data-nb-symbol=\"0\"><span class=\"mord mathnormal\">x</span></span>"))
    #expect(!other.contains("data-onclick"))
    #expect(!mixed.contains("data-style"))
}

@Test func katexStartsAheadOfTimeOnlyForMathTheCacheHasNotRendered() throws {
    let katex = try KaTeXInstallation.locate()
    let cache = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let theme = try Theme(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/site")
    let note = Notebook(parsing: SourceFile(path: "a.md", text: "# A\n\n$$\na = b^2\n$$\n\nand $x_1$.\n"))
    func render(_ notebook: Notebook) throws -> MathTypesetter {
        let typesetter = MathTypesetter(katex: katex, cacheDirectory: cache)
        let renderer = PageRenderer(theme: theme, typesetter: typesetter)
        renderer.prepare(notebook)
        _ = try renderer.render(notebook, root: cache, outputPath: cache + "/a.html")
        return typesetter
    }
    let cold = MathTypesetter(katex: katex, cacheDirectory: cache)
    PageRenderer(theme: theme, typesetter: cold).prepare(note)
    #expect(cold.startedKaTeX, "a cold cache starts node before the note is checked")

    let first = try render(note)
    #expect(first.typesetCount == 2)
    let warm = MathTypesetter(katex: katex, cacheDirectory: cache)
    PageRenderer(theme: theme, typesetter: warm).prepare(note)
    #expect(!warm.startedKaTeX, "the same math again: no node")
    let second = try render(note)
    #expect(second.typesetCount == 0 && !second.startedKaTeX)

    let edited = Notebook(parsing: SourceFile(path: "a.md", text: "# A\n\n$$\na = b^3\n$$\n\nand $x_1$.\n"))
    let third = try render(edited)
    #expect(third.typesetCount == 1 && third.cachedCount == 1)
    // Without a cache there is nothing to go by: node starts only when needed.
    let uncached = MathTypesetter(katex: katex, cacheDirectory: nil)
    PageRenderer(theme: theme, typesetter: uncached).prepare(note)
    #expect(!uncached.startedKaTeX)
}

@Test func theWorkerKeepsKaTeXsCompiledCodeAndSurvivesABrokenOne() throws {
    let katex = try KaTeXInstallation.locate()
    let cache = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let requests = [MathRequest(tex: "\\frac{\\partial E}{\\partial w}", display: true)]
    let codeCache = MathCache(directory: cache, katexIdentity: katex.katexIdentity).codeCachePath
    var expected: [MathResult] = []
    do {
        let first = MathTypesetter(katex: katex, cacheDirectory: cache)
        expected = try first.typeset(requests)
    }
    // The worker ended with its typesetter and left V8's code for KaTeX behind.
    let size = (try FileManager.default.attributesOfItem(atPath: codeCache)[.size] as? Int) ?? 0
    #expect(size > 10_000)

    // A damaged code cache is refused by V8 and replaced; the math is the same.
    try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: codeCache))
    try FileManager.default.removeItem(atPath: cache + "/math")
    do {
        let second = MathTypesetter(katex: katex, cacheDirectory: cache)
        #expect(try second.typeset(requests) == expected)
        #expect(second.typesetCount == 1)
    }
    let replaced = (try FileManager.default.attributesOfItem(atPath: codeCache)[.size] as? Int) ?? 0
    #expect(replaced > 10_000)
}

@Test func twoMathCacheEntriesSwappedAreTypesetAgain() throws {
    let katex = try KaTeXInstallation.locate()
    let cache = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let requests = [MathRequest(tex: "x", display: false), MathRequest(tex: "y", display: false)]
    let results = try MathTypesetter(katex: katex, cacheDirectory: cache).typeset(requests)
    let store = MathCache(directory: cache, katexIdentity: katex.katexIdentity)
    let paths = requests.map { store.path(for: .math($0)) }
    let first = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    try Data(contentsOf: URL(fileURLWithPath: paths[1])).write(to: URL(fileURLWithPath: paths[0]))
    try first.write(to: URL(fileURLWithPath: paths[1]))
    let again = MathTypesetter(katex: katex, cacheDirectory: cache)
    #expect(try again.typeset(requests) == results)
    #expect(again.typesetCount == 2)
}
