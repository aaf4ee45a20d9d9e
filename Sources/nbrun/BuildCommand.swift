import ArgumentParser
import Diagnostics
import Foundation
import Render

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render every note under a folder into a static site.",
        discussion: """
            Mirrors DIR into OUT: each note becomes a page, every other file \
            (images, data) is copied, and the stylesheets and KaTeX fonts are \
            written once at OUT's top. Notes are never modified.

            EXAMPLES
              nbrun build notebooks -o _site
            """
    )

    @Argument(help: "The folder of notes.")
    var directory: String

    @Option(name: .shortAndLong, help: "The folder to write the site into.")
    var output: String

    @Option(help: "A theme folder (default: the repository's site/).")
    var theme: String?

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    func run() throws {
        let start = ContinuousClock.now
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.standardError("\(directory): error: not a folder of notes\n")
            throw ExitCode(2)
        }
        let root = LinkResolver.canonical(directory)
        let site = LinkResolver.canonical(output)
        if site == root {
            Console.standardError("nbrun: error: the site folder must not be the notes folder\n")
            throw ExitCode(2)
        }
        let pipeline: Pipeline
        let notes: [String]
        do {
            pipeline = try Pipeline(themeDirectory: theme)
            notes = try NoteFinder.notes(in: [root])
            try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
            try pipeline.renderer.installAssets(in: site, katex: pipeline.katex)
            try copyAssets(from: root, to: site)
        } catch {
            Console.standardError("nbrun: error: \(error)\n")
            throw ExitCode(2)
        }
        let published: @Sendable (String) -> String = { path in
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : (path as NSString).lastPathComponent
            let mapped = relative.hasSuffix(".md") ? (relative as NSString).deletingPathExtension + ".html" : relative
            return site + "/" + mapped
        }
        var outcomes: [Pipeline.Outcome] = []
        for note in notes where !LinkResolver.canonical(note).hasPrefix(site + "/") {
            let page = published(LinkResolver.canonical(note))
            let depth = page.dropFirst(site.count + 1).split(separator: "/").count - 1
            do {
                try FileManager.default.createDirectory(atPath: (page as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                outcomes.append(try pipeline.process(
                    notePath: note, root: root, outputPath: page, write: true,
                    publishedPath: published, assetBase: String(repeating: "../", count: max(0, depth))
                ))
            } catch let error as SourceFileError {
                Console.standardError(error.description + "\n")
            } catch {
                Console.standardError("nbrun: error: \(error)\n")
                throw ExitCode(2)
            }
        }
        var sources: [String: SourceFile] = [:]
        for outcome in outcomes { sources[outcome.source.path] = outcome.source }
        Console.report(outcomes.flatMap(\.diagnostics), sources: sources)
        let errors = outcomes.reduce(0) { $0 + $1.errorCount }
        if !quiet {
            Console.standardOutput("\(directory) → \(output): \(Console.plural(outcomes.count, "page")), "
                + "\(Console.plural(errors, "error")), \(Console.plural(outcomes.reduce(0) { $0 + $1.warningCount }, "warning")) in \(Console.milliseconds(since: start))\n")
        }
        if errors > 0 || outcomes.count < notes.count { throw ExitCode(1) }
    }

    /// Every file that is not a note (images, data), mirrored into the site.
    private func copyAssets(from root: String, to site: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let source = root + "/" + relative
            if name.hasPrefix(".") || source == site || source.hasPrefix(site + "/") {
                walker.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory)
            if !exists || isDirectory.boolValue || name.hasSuffix(".md") || name.hasSuffix(".html") { continue }
            // Only regular files inside the root: a symlink pointing outside is not followed.
            let resolved = LinkResolver.canonical(source)
            guard resolved.hasPrefix(root + "/") else { continue }
            let target = site + "/" + relative
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if let data = FileManager.default.contents(atPath: resolved) {
                try AtomicFile.write(data, to: target)
            }
        }
    }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview a folder of notes in the browser (127.0.0.1), rebuilding on change.",
        discussion: """
            Not available in this version: the live preview server is being built. \
            Meanwhile, `nbrun build DIR -o OUT` writes the same pages.

            EXAMPLES
              nbrun serve notebooks --port 8000
            """
    )

    @Argument(help: "The folder of notes.")
    var directory: String

    @Option(help: "The port to listen on, on 127.0.0.1.")
    var port: Int = 8000

    func run() throws {
        Console.standardError("nbrun: error: `nbrun serve` is not available in this version; use `nbrun build \(directory) -o OUT` and open OUT/index.html\n")
        throw ExitCode(2)
    }
}
