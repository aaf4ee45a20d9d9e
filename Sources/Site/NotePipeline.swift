import Diagnostics
import Foundation
import Notebook
import Render
import Verify

/// Everything besides a note's bytes that decides what becomes of it: read once
/// per command, from `site.yml` and then the command line, and the same for
/// `run`, `check`, `build` and `serve`.
///
/// ```swift
/// var settings = try NoteSettings.load(folder: "notebooks").settings
/// settings.seed = 11                       // --seed 11
/// settings.macros["\\R"]                   // "\\mathbb{R}", from site.yml
/// ```
public struct NoteSettings: Sendable, Equatable {
    /// The seed free inputs are drawn with.
    public var seed = Verifier.defaultSeed
    /// Time, size and depth bounds (`limits:` of site.yml, then `--limit`).
    public var limits = Limits()
    /// TeX macros: given to KaTeX with every piece of math, and expanded for the checker.
    public var macros: [String: String] = [:]
    public var trust = SiteConfiguration.Trust()
    /// Codes of warnings left unreported (site.yml's `allow:`; a note adds its own
    /// with `<!-- nb: allow CODE -->`). Errors are always reported.
    public var allow: Set<MessageID> = []
    /// Broken links and equation references are errors, not warnings (`--strict`).
    public var strict = false
    /// nbrun's version, written into pages and cache keys.
    public var version = Version.nbrun

    public init() {}

    /// The settings `site.yml` gives: its limits, macros, trust and allowed codes.
    public init(configuration: SiteConfiguration) {
        limits = configuration.limits
        macros = configuration.macros
        trust = configuration.trust
        allow = Set(configuration.allow.map { MessageID($0) })
    }

    /// Whether a diagnostic is reported: errors always, warnings unless their code is allowed here or by the note.
    public func reports(_ diagnostic: Diagnostic, allowedByNote: Set<MessageID> = []) -> Bool {
        guard diagnostic.severity != .error, let id = diagnostic.id else { return true }
        return !id.isCovered(by: allow) && !id.isCovered(by: allowedByNote)
    }

    /// The settings of `folder/site.yml` (the defaults when there is none, or no folder)
    /// with `--limit` settings applied over its limits; its problems (at `site.yml:line:col`) beside.
    public static func load(folder: String?, limitSettings: [Limits.Setting] = []) throws(SiteError)
        -> (settings: NoteSettings, configuration: SiteConfiguration, problems: [Diagnostic]) {
        var (configuration, problems) = try folder.map { folder throws(SiteError) in try SiteConfiguration.load(from: folder) }
            ?? (SiteConfiguration(), [])
        configuration.limits = configuration.limits.applying(limitSettings)
        return (NoteSettings(configuration: configuration), configuration, problems)
    }
}

/// Where a note's page goes and what it links to.
public struct NotePlacement {
    /// The folder links may point into; nothing outside it is followed.
    public var root: String
    /// The root's files, when many notes share one listing (a site); nil walks the root for this note.
    public var files: NoteFiles?
    /// Where the page will be written (links are made relative to it).
    public var outputPath: String
    /// Where a note's page or an asset is published, from its absolute source path (default: beside it).
    public var publishedPath: (@Sendable (String) -> String)?
    /// The prefix of the theme and KaTeX assets, relative to the page.
    public var assetBase = ""
    /// More values for the page template (a site's header, sidebar, navigation).
    public var context: [String: Any] = [:]

    public init(root: String, files: NoteFiles? = nil, outputPath: String) {
        self.root = root
        self.files = files
        self.outputPath = outputPath
    }
}

/// What became of one note: the notebook read, the checker's report and the page.
public struct NoteOutcome {
    public var notebook: Notebook
    public var report: Report
    public var page: RenderedPage
    let settings: NoteSettings

    public var source: SourceFile { notebook.source }
    /// Every problem of the note to report: the reader's, the checker's, the renderer's.
    public var diagnostics: [Diagnostic] { readingDiagnostics + checkingAndRenderingDiagnostics }
    /// The reader's problems to report.
    public var readingDiagnostics: [Diagnostic] {
        notebook.diagnostics.filter { settings.reports($0, allowedByNote: notebook.allowed) }
    }
    /// The checker's and the renderer's problems to report (broken links as errors when strict).
    public var checkingAndRenderingDiagnostics: [Diagnostic] {
        (report.allDiagnostics + page.diagnostics).compactMap { diagnostic in
            var diagnostic = diagnostic
            if settings.strict, let id = diagnostic.id, RenderMessages.brokenLinkIDs.contains(id) { diagnostic.severity = .error }
            return settings.reports(diagnostic, allowedByNote: notebook.allowed) ? diagnostic : nil
        }
    }
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
}

/// The one path of a note through the stages — read (Notebook), check (Verify),
/// render (Render) — that every command takes, so an option means the same in
/// `nbrun run`, `check`, `build` and `serve`. One pipeline per thread: its
/// renderer owns a KaTeX worker.
///
/// ```swift
/// let pipeline = NotePipeline(settings: settings, theme: theme, typesetter: typesetter)
/// let outcome = try pipeline.compile(source, placement: NotePlacement(root: "notebooks", outputPath: "notebooks/a.html"))
/// outcome.report.count(.verified)
/// ```
public struct NotePipeline {
    public let settings: NoteSettings
    public let renderer: PageRenderer
    /// Reads a note (the Notebook stage); replaceable in tests.
    let parse: @Sendable (SourceFile) -> Notebook
    private let macros: TeXMacros

    public init(settings: NoteSettings, theme: Theme, typesetter: MathTypesetter,
                parse: @escaping @Sendable (SourceFile) -> Notebook = { Notebook(parsing: $0) }) {
        self.settings = settings
        self.parse = parse
        renderer = PageRenderer(theme: theme, typesetter: typesetter, version: settings.version, limits: settings.limits)
        renderer.trustsRawHTML = settings.trust.html
        renderer.trustsMath = settings.trust.katex
        macros = TeXMacros(settings.macros)
    }

    /// Reads, checks and renders one note (writes nothing). `reportContext` gives
    /// template values that depend on the notebook and the checker's report (a site
    /// page's status); they take precedence over the placement's. `checked` is the
    /// report of an earlier check of the same bytes with these settings (a site's
    /// cache, when only the theme changed): the note is not checked again.
    public func compile(
        _ source: SourceFile, placement: NotePlacement, checked: Report? = nil,
        reportContext: ((Notebook, Report) -> [String: Any])? = nil
    ) throws(RenderError) -> NoteOutcome {
        let notebook = parse(source)
        // A cold cache or edited math: KaTeX's worker starts while the note is checked.
        renderer.prepare(notebook, macros: settings.macros)
        let report: Report
        if var checked {
            // The note's time to typeset counts from now, as it would from a check just begun.
            checked.deadline = ContinuousClock.now + settings.limits.timePerNote
            report = checked
        } else {
            report = check(notebook)
        }
        let page = try render(notebook, report: report, placement: placement, context: reportContext?(notebook, report) ?? [:])
        return NoteOutcome(notebook: notebook, report: report, page: page, settings: settings)
    }

    /// The Render stage alone: a page rendered again with other template values
    /// (a site page whose status changes once its own errors are known).
    public func render(_ notebook: Notebook, report: Report, placement: NotePlacement,
                       context: [String: Any] = [:]) throws(RenderError) -> RenderedPage {
        try renderer.render(
            notebook, root: placement.root, files: placement.files, outputPath: placement.outputPath,
            publishedPath: placement.publishedPath, assetBase: placement.assetBase, macros: settings.macros,
            context: context.merging(placement.context) { given, _ in given }, report: report
        )
    }

    /// The Verify stage with these settings' seed, limits and macros.
    public func check(_ notebook: Notebook) -> Report {
        var verifier = Verifier(seed: settings.seed)
        verifier.limits = settings.limits
        return verifier.check(notebook, macros: macros)
    }
}
