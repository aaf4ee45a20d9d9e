import Diagnostics
import Foundation
import Notebook
import Render
import Verify

/// The stages wired together for one command: read → parse → render → write.
struct Pipeline {
    let katex: KaTeXInstallation
    let renderer: PageRenderer
    var verifier = Verifier(seed: 7)

    struct Outcome {
        var source: SourceFile
        var diagnostics: [Diagnostic]
        var mathCount: Int
        var report: Report
        var wrote: String?

        var errorCount: Int { diagnostics.count { $0.severity == .error } }
        var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    }

    /// Finds KaTeX, node and the theme; a missing one is an environment error (exit 2).
    init(themeDirectory: String?, limits: Limits = Limits()) throws(RenderError) {
        katex = try KaTeXInstallation.locate()
        let theme = try Theme.locate(explicit: themeDirectory)
        let typesetter = MathTypesetter(katex: katex, cacheDirectory: MathTypesetter.defaultCacheDirectory())
        renderer = PageRenderer(theme: theme, typesetter: typesetter, version: NBRun.version, limits: limits)
        verifier.limits = limits
    }

    /// Reads, checks and renders one note; writes the page when `write` is set.
    func process(
        notePath: String, root: String, files: NoteFiles? = nil, outputPath: String, write: Bool,
        publishedPath: (@Sendable (String) -> String)? = nil, assetBase: String = ""
    ) throws -> Outcome {
        try process(try SourceFile.read(path: notePath, sizeLimit: verifier.limits.maxNoteBytes), root: root, files: files, outputPath: outputPath, write: write,
                    publishedPath: publishedPath, assetBase: assetBase)
    }

    /// Checks and renders a note already read.
    func process(
        _ source: SourceFile, root: String, files: NoteFiles? = nil, outputPath: String, write: Bool,
        publishedPath: (@Sendable (String) -> String)? = nil, assetBase: String = ""
    ) throws -> Outcome {
        let notebook = Notebook(parsing: source)
        // A cold cache or edited math: KaTeX's worker starts while the note is checked.
        renderer.prepare(notebook)
        let report = verifier.check(notebook)
        let page = try renderer.render(
            notebook, root: root, files: files, outputPath: outputPath, publishedPath: publishedPath, assetBase: assetBase, report: report
        )
        var outcome = Outcome(
            source: source, diagnostics: notebook.diagnostics + report.allDiagnostics + page.diagnostics,
            mathCount: page.mathCount, report: report
        )
        if write {
            try renderer.write(page, to: outputPath)
            outcome.wrote = outputPath
        }
        return outcome
    }
}

