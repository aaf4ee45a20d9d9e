import ArgumentParser
import Backprop
import Diagnostics
import Foundation
import Render
import Site
import Verify

package struct BuildCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render every note under a folder into a static site.",
        discussion: """
            Writes a page per note (with a sidebar and previous/next links), the \
            assets the notes use, an index, a page per tag, a 404 page and a \
            search index. DIR/site.yml sets the title, base URL, navigation, math \
            macros, trust and limits; DIR/site/ overrides the theme file by file. \
            Unchanged pages are not rebuilt (cache in $NBRUN_CACHE_DIR). Notes are \
            never modified.

            A large site can be built in parts: `--shard I/N` builds the pages of \
            one part, `--merge` joins the parts and writes the site-wide pages.

            Drafts (`draft: true`, `published: false`, notes under _drafts/) are \
            left out unless --drafts is given; `nbrun check` checks them all the same.

            EXAMPLES
              nbrun build notebooks                (into _site)
              nbrun build notebooks -o _site --strict
              nbrun build notebooks -o part1 --shard 1/2
              nbrun build notebooks -o _site --merge part1 --merge part2
            """
    )

    @Argument(help: "The folder of notes.")
    var directory: String

    @Option(name: .shortAndLong, help: "The folder to write the site into.")
    var output: String = "_site"

    @Flag(help: "Publish drafts too: notes with `draft: true` or `published: false`, and those under _drafts/.")
    var drafts = false

    @Option(help: "A theme folder (default: the repository's site/).")
    var theme: String?

    @Flag(help: "Broken links and equation references are errors (exit 1).")
    var strict = false

    @Option(help: "The seed free inputs are drawn with; the same seed gives the same numbers.")
    var seed: UInt64 = Verifier.defaultSeed

    @Option(help: "Build only part I of N (pages only; join the parts with --merge).")
    var shard: String?

    @Option(help: "A site part built with --shard; repeat for every part.")
    var merge: [String] = []

    @Option(name: .shortAndLong, help: "Pages rendered at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @OptionGroup var limitOptions: LimitOptions

    package init() {}

    package func run() throws {
        let start = ContinuousClock.now
        // OpenBLAS's idle worker would spin through most of a small rebuild.
        BLAS.releaseIdleThreads()
        let builder: SiteBuilder
        do {
            builder = try Self.builder(notes: directory, output: output, theme: theme)
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        var options = builder.options
        options.strict = strict
        options.seed = seed
        options.includeDrafts = drafts
        options.mergeParts = merge
        options.limitSettings = limitOptions.settings
        if let jobs { options.jobs = max(1, jobs) }
        let report: SiteBuildReport
        do {
            if let shard { options.shard = try Shard(parsing: shard) }
            report = try SiteBuilder(options: options, katex: builder.katex).build()
        } catch {
            throw CommandFailure.environment("\(error)")
        }
        Self.print(report.diagnostics)
        if !quiet {
            Console.standardOutput("\(directory) → \(output)\(shard.map { " (part \($0))" } ?? ""): \(Console.plural(report.pages, "page")) "
                + "(\(report.rendered) rendered, \(report.fromCache) from cache), \(Console.plural(report.written.count, "file")) written, "
                + "\(report.removed.count) removed; \(Console.plural(report.errorCount, "error")), \(Console.plural(report.warningCount, "warning")) "
                + "in \(Console.milliseconds(since: start))\n")
        }
        if report.errorCount > 0 { throw CommandFailure.noteErrors }
    }

    /// The site builder with KaTeX, the theme and the cache found the way every command finds them.
    package static func builder(notes: String, output: String, theme: String?) throws -> SiteBuilder {
        let katex = try KaTeXInstallation.locate()
        let located = try Theme.locate(explicit: theme)
        let options = SiteBuildOptions(notes: notes, output: output, theme: located.directory,
                                       cacheDirectory: MathTypesetter.defaultCacheDirectory())
        return SiteBuilder(options: options, katex: katex)
    }

    /// Prints diagnostics compiler-style, with the lines they point at.
    package static func print(_ diagnostics: [Diagnostic]) {
        var sources: [String: SourceFile] = [:]
        for file in Set(diagnostics.map(\.range.start.file)) {
            if let source = try? SourceFile.read(path: file) { sources[file] = source }
        }
        Console.report(diagnostics, sources: sources)
    }
}
