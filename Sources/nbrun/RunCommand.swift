import ArgumentParser
import Backprop
import Diagnostics
import Foundation
import Render
import Site

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Render one note to HTML (the default: `nbrun FILE.md`).",
        discussion: """
            Writes FILE.html next to the note unless -o says otherwise, with the \
            KaTeX stylesheet, its fonts and the theme's stylesheet in an _assets \
            folder beside it; a page written elsewhere gets copies of the images \
            and files it links to. The note itself is never modified.

            EXAMPLES
              nbrun notebooks/hidden-layers.md
              nbrun run notebooks/hidden-layers.md -o /tmp/page.html
            """
    )

    @Argument(help: "The Markdown note to run.")
    var note: String

    @Option(name: .shortAndLong, help: "Where to write the page: a file, or a folder ending in `/`.")
    var output: String?

    @Option(help: "The folder that holds the notes links may point to (default: the note's folder); its site.yml gives macros and limits.")
    var root: String?

    @Option(help: "A theme folder with templates/ and assets/ (default: the repository's site/).")
    var theme: String?

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @Flag(help: "Broken links and equation references are errors (exit 1), as in `nbrun build --strict`.")
    var strict = false

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        let start = ContinuousClock.now
        // OpenBLAS's idle worker would spin through most of a short command.
        BLAS.releaseIdleThreads()
        var settings: NoteSettings
        do {
            settings = try NoteSettings.load(folder: root, limitSettings: limitOptions.settings).settings
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        // A single note is never trusted, whatever the folder's site.yml says (docs/site.md).
        settings.trust = SiteConfiguration.Trust()
        settings.strict = strict
        // Read first: a folder, a pipe, a note too large or a missing one stops here,
        // before any path is made from its name, and leaves nothing behind.
        let source: SourceFile
        do {
            source = try SourceFile.read(path: note, sizeLimit: settings.limits.maxNoteBytes)
        } catch {
            throw CommandFailure.unreadable(error.description)
        }
        let outputPath = resolvedOutputPath()
        if LinkResolver.canonical(outputPath) == LinkResolver.canonical(note) || outputPath.hasSuffix(".md") {
            throw CommandFailure.environment("the output \(outputPath) would overwrite a note; choose another with -o")
        }
        let pipeline: NotePipeline
        let katex: KaTeXInstallation
        do {
            (pipeline, katex) = try NotePipeline.located(theme: theme, settings: settings)
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        let outcome: NoteOutcome
        do {
            let folder = (note as NSString).deletingLastPathComponent
            let noteRoot = root ?? (folder.isEmpty ? "." : folder)
            let standalone = StandalonePage(note: note, outputPath: outputPath, root: noteRoot)
            try pipeline.renderer.installAssets(in: standalone.assetDirectory, katex: katex)
            var placement = NotePlacement(root: noteRoot, outputPath: outputPath)
            placement.publishedPath = standalone.publishedPath
            placement.assetBase = StandalonePage.assetBase
            outcome = try pipeline.compile(source, placement: placement)
            try standalone.copyUsedFiles()
            try pipeline.renderer.write(outcome.page, to: outputPath)
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        Console.report(outcome.diagnostics, sources: [outcome.source.path: outcome.source])
        if !quiet {
            let typesetter = pipeline.renderer.typesetter
            let equations = Console.plural(outcome.page.mathCount, "equation")
            let steps = Console.stepCounts([outcome.report])
            let problems = "\(Console.plural(outcome.errorCount, "error")), \(Console.plural(outcome.warningCount, "warning"))"
            Console.standardOutput(
                "\(note) → \(outputPath): \(equations) (\(typesetter.typesetCount) typeset, \(typesetter.cachedCount) cached), "
                    + "seed \(settings.seed): \(steps); \(problems) in \(Console.milliseconds(since: start))\n"
            )
        }
        if outcome.errorCount > 0 { throw CommandFailure.noteErrors }
    }

    /// `notes/a.md` → `notes/a.html`, whatever the note's extension.
    static func pagePath(for note: String) -> String {
        ((note as NSString).deletingPathExtension as String) + ".html"
    }

    private func resolvedOutputPath() -> String {
        let base = ((note as NSString).lastPathComponent as NSString).deletingPathExtension + ".html"
        guard let output else { return Self.pagePath(for: note) }
        var isDirectory: ObjCBool = false
        if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue) {
            return (output.hasSuffix("/") ? output : output + "/") + base
        }
        return output
    }
}
