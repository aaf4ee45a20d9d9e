import Foundation
import Render
@testable import Site

/// A notes folder in a fresh temporary directory, and builds of it.
struct SiteFixture {
    let directory: String
    var notes: String { directory + "/notes" }
    var cache: String { directory + "/cache" }

    init(_ files: [String: String]) throws {
        directory = NSTemporaryDirectory() + "nbrun-site-tests-" + UUID().uuidString
        for (path, text) in files { try write(path, text) }
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
    }

    func write(_ path: String, _ text: String) throws {
        let full = notes + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    static var themeDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("site").path
    }

    func options(output: String = "site", cache: Bool = true) -> SiteBuildOptions {
        var options = SiteBuildOptions(notes: notes, output: directory + "/" + output, theme: Self.themeDirectory,
                                       cacheDirectory: cache ? self.cache : nil)
        options.parse = { TestNoteReader.parse($0) }
        options.jobs = 2
        return options
    }

    func build(_ options: SiteBuildOptions) throws -> SiteBuildReport {
        try SiteBuilder(options: options, katex: try KaTeXInstallation.locate()).build()
    }

    func build(output: String = "site", cache: Bool = true, strict: Bool = false) throws -> SiteBuildReport {
        var options = options(output: output, cache: cache)
        options.strict = strict
        return try build(options)
    }

    func read(_ path: String, output: String = "site") -> String {
        (FileManager.default.contents(atPath: directory + "/" + output + "/" + path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Every file of a built site (fonts aside), sorted.
    func files(output: String = "site") -> [String] {
        let root = directory + "/" + output
        let walker = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue, !path.hasPrefix("_assets/katex/fonts/") { out.append(path) }
        }
        return out.sorted()
    }

    /// Every file's bytes, for byte-for-byte comparisons.
    func contents(output: String = "site", skippingManifest: Bool = true) -> [String: Data] {
        var out: [String: Data] = [:]
        for path in files(output: output) where !(skippingManifest && path == SiteManifest.fileName) {
            out[path] = FileManager.default.contents(atPath: directory + "/" + output + "/" + path)
        }
        return out
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Three notes in two folders, tagged, linked, one with a broken link.
let sampleNotes: [String: String] = [
    "site.yml": "title: Backprop notes\nbaseURL: https://example.org/notes\n",
    "intro.md": "---\ntitle: Introduction\ntags: [basics]\ndate: 2024-05-01\n---\nWe train networks with gradients.\nSee [[hidden-layers]] and [the output](derivation/output-layer).\n",
    "derivation/hidden-layers.md": "# Hidden layers\n## Chain rule\nThe chain rule carries the error backwards. ![plot](plot.png)\n",
    "derivation/output-layer.md": "---\ntags: [basics, calculus]\n---\n# Output layer\nSoftmax meets cross-entropy. A link to [[nowhere]].\n",
    "derivation/plot.png": "PNG",
    "unused.csv": "a,b\n",
]
