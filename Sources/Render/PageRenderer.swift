import Diagnostics
import Foundation
import Notebook
import Verify

/// A rendered page and what was noticed while rendering it.
public struct RenderedPage: Sendable {
    public var html: String
    public var diagnostics: [Diagnostic]
    public var mathCount: Int
}

/// Turns a notebook into one HTML page: math typeset by KaTeX at build time
/// (the page needs no JavaScript), equation numbers and references linked,
/// notes and assets linked relative to the page.
///
/// ```swift
/// let renderer = PageRenderer(theme: theme, typesetter: typesetter)
/// let page = try renderer.render(notebook, root: "notebooks", outputPath: "notebooks/a.html")
/// ```
public final class PageRenderer {
    public let theme: Theme
    public let typesetter: MathTypesetter
    public let version: String
    /// Page size and math bounds (`maxPageBytes`, `maxMathBytes`, `maxPageMathBytes`, `maxMathNesting`).
    public let limits: Limits

    /// Raw HTML in notes as written (no sanitizing): only for sources a site declares trusted.
    public var trustsRawHTML = false
    /// KaTeX's `trust` for every command in math: only for sources a site declares trusted.
    public var trustsMath = false

    public init(theme: Theme, typesetter: MathTypesetter, version: String = Version.nbrun, limits: Limits = Limits()) {
        self.theme = theme
        self.typesetter = typesetter
        self.version = version
        self.limits = limits
        typesetter.limits = limits
    }

    /// - Parameters:
    ///   - root: the folder links may point into; nothing outside it is followed.
    ///   - files: the root's files, when many pages share one listing (a site);
    ///     nil walks the root once for this page.
    ///   - outputPath: where the page will be written (links are made relative to it).
    ///   - publishedPath: where a note's page or an asset ends up, from its absolute
    ///     source path (default: pages beside their notes, assets where they are).
    ///   - assetBase: the prefix of the theme and KaTeX assets, relative to the page.
    ///   - macros: TeX macros given to KaTeX with every piece of math (`["\\R": "\\mathbb{R}"]`).
    ///   - context: more values for the page template (a site's header, sidebar,
    ///     navigation); they never replace the renderer's own.
    ///   - report: the checker's results; each math then shows a mark per step,
    ///     its symbols carry their values, failures are shown in place
    ///     (docs/rendering.md).
    ///
    /// ```swift
    /// let report = Verifier(seed: 7).check(notebook)
    /// let page = try renderer.render(notebook, root: ".", outputPath: "a.html", report: report)
    /// ```
    public func render(
        _ notebook: Notebook, root: String, files: NoteFiles? = nil, outputPath: String,
        publishedPath: (@Sendable (String) -> String)? = nil, assetBase: String = "",
        macros: [String: String] = [:], context extra: [String: Any] = [:],
        report: Report? = nil
    ) throws(RenderError) -> RenderedPage {
        let mathCells = notebook.cells.compactMap { cell -> MathCell? in
            if case .math(let math) = cell { return math }
            return nil
        }
        let resultsByMath = report?.resultsByMath ?? [:]
        let checked = mathCells.map { cell in
            let results = resultsByMath[cell.id] ?? MathResults()
            return CheckedMath(cell: cell, steps: results.steps, values: results.values)
        }
        var rewritten: [MathCell.ID: String] = [:]
        for math in checked where math.isRewritten { rewritten[math.cell.id] = math.tex }
        var numbering = EquationNumbering(cells: mathCells, source: notebook.source, rewrittenTeX: rewritten)
        let toTypeset = checked.filter { $0.proseValue == nil }
        typesetter.noteDeadline = report?.deadline
        typesetter.pageMathLeft = limits.maxPageMathBytes
        defer {
            typesetter.noteDeadline = nil
            typesetter.pageMathLeft = nil
        }
        // Code blocks go to highlight.js in the same batch as the math: one trip to the worker.
        let codeBlocks = CodeHTML.requests(in: notebook.blocks)
        let batch = try typesetter.typeset(toTypeset.map { math in
            MathRequest(tex: numbering.preparedMath(for: math.cell).tex, display: math.cell.display, macros: macros, trusted: trustsMath)
        }, highlighting: codeBlocks.map(\.request))
        var results = batch.math
        // A hook that KaTeX refuses must never cost the equation: typeset those without hooks.
        let refused = results.indices.filter { index in
            if case .error = results[index] { return toTypeset[index].isRewritten }
            return false
        }
        if !refused.isEmpty {
            let plain = EquationNumbering(cells: mathCells, source: notebook.source)
            let retried = try typesetter.typeset(refused.map { index in
                MathRequest(tex: plain.preparedMath(for: toTypeset[index].cell).tex, display: toTypeset[index].cell.display, macros: macros, trusted: trustsMath)
            })
            for (index, result) in zip(refused, retried) { results[index] = result }
            numbering = numbering.replacingPrepared(of: refused.map { toTypeset[$0].cell }, from: plain)
        }
        typesetter.recordRendered(page: pageKey(notebook, macros: macros))
        var typeset: [MathCell.ID: MathResult] = [:]
        var diagnostics = numbering.diagnostics
        // Past maxPageMathBytes, or once the note's time has run out, every later equation has the
        // same error: the first one says it (11,885 copies of one message took longer to print
        // than the page to make).
        let reportedOnce: Set<String> = [RenderMessages.pageMathTooLarge(limits.maxPageMathBytes).text,
                                         RenderMessages.noteOutOfTime(limits.timePerNote)]
        var reported: Set<String> = []
        for (math, result) in zip(toTypeset, results) {
            let cell = math.cell
            let prepared = numbering.preparedMath(for: cell)
            switch result {
            case .html(let html):
                let usesHooks = rewritten[cell.id] != nil && !refused.contains { toTypeset[$0].cell == cell }
                let finished = usesHooks ? math : CheckedMath(cell: cell)
                typeset[cell.id] = .html(finished.finish(html, typesetTeX: prepared.tex))
            case .error(let message, let position):
                typeset[cell.id] = result
                if reportedOnce.contains(message), !reported.insert(message).inserted { continue }
                diagnostics.append(.error(RenderMessages.katexError(message), at: errorRange(in: cell, position: position, numbering: numbering, source: notebook.source)))
            }
        }
        var proseValues: [MathCell.ID: (value: String, expression: String)] = [:]
        for math in checked { if let value = math.proseValue { proseValues[math.cell.id] = value } }
        let pageDirectory = ((LinkResolver.canonical(outputPath)) as NSString).deletingLastPathComponent
        var links = LinkResolver(
            root: root, notePath: notebook.path, pageDirectory: pageDirectory, files: files,
            publishedPath: publishedPath ?? LinkResolver.besideSource
        )
        // A note rendered on its own: a wiki link no file name matches may name another note's
        // `aliases:`, which are read only then (a site gives them with its listing).
        if files == nil, WikiTargets.names(in: notebook.blocks).contains(where: { links.resolve(wikiTarget: $0, heading: nil) == .missing }) {
            links = LinkResolver(root: root, notePath: notebook.path, pageDirectory: pageDirectory, files: links.files.readingAliases(),
                                 publishedPath: publishedPath ?? LinkResolver.besideSource)
        }
        var writer = HTMLWriter(source: notebook.source, numbering: numbering, math: typeset, links: links,
                                steps: resultsByMath.mapValues(\.steps), proseValues: proseValues,
                                figures: Dictionary(grouping: report?.figures ?? [], by: \.offset))
        for ((offset, _), html) in zip(codeBlocks, batch.code) { writer.highlightedCode[offset] = html }
        writer.embeds = try NoteEmbeds.html(for: notebook, links: links, renderer: self, macros: macros)
        writer.maxBytes = limits.maxPageBytes
        writer.trustsRawHTML = trustsRawHTML
        let body = writer.write(notebook.blocks)
        diagnostics += writer.diagnostics

        let headings = notebook.blocks.compactMap { block -> Heading? in
            if case .heading(let heading) = block { return heading }
            return nil
        }
        let firstTitle = headings.first { $0.level == 1 }.map { Inline.plainText($0.content) }
        let fileTitle = ((notebook.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let title = notebook.frontMatter.title ?? firstTitle ?? fileTitle
        let tags = notebook.allTags
        var context: [String: Any] = [
            "title": title,
            "showTitle": firstTitle == nil,
            "tags": tags,
            "hasTags": !tags.isEmpty,
            "body": body,
            // Only a page with code blocks loads the copy button's script.
            "hasCode": body.containsBytes("<pre>"),
            "toc": TableOfContents(headings: headings, parsedMath: report?.parsedMath ?? [:]).html,
            "assetBase": assetBase,
            "language": notebook.frontMatter.values["lang"]?.string ?? "en",
            "version": version,
            "sourceName": (notebook.path as NSString).lastPathComponent,
        ]
        // How the checker read the note's notation (names, labels, a network it assumed): said on the page.
        if let readings = report?.readings, !readings.isEmpty {
            context["readings"] = Self.readingsHTML(readings)
        }
        if let date = NoteDate(frontMatter: notebook.frontMatter.date, path: notebook.path) {
            context["date"] = date.readable
            context["dateTime"] = date.iso
        } else if let date = notebook.frontMatter.date {
            context["date"] = date
            context["dateTime"] = date
        }
        context.merge(extra) { own, _ in own }
        return RenderedPage(html: theme.renderPage(context), diagnostics: diagnostics, mathCount: mathCells.count)
    }

    /// Starts KaTeX's worker while the caller still checks the note, when the math
    /// cache has never rendered this note's math (a cold cache, an edited equation).
    ///
    /// ```swift
    /// renderer.prepare(notebook)
    /// let report = verifier.check(notebook)   // node starts meanwhile
    /// let page = try renderer.render(notebook, root: ".", outputPath: "a.html", report: report)
    /// ```
    public func prepare(_ notebook: Notebook, macros: [String: String] = [:]) {
        typesetter.prepare(forPage: pageKey(notebook, macros: macros))
    }

    /// Names the math and code of a page: every math cell's TeX, the macros, the trust
    /// setting, the code blocks and nbrun's version (checked math is rewritten by the checker).
    private func pageKey(_ notebook: Notebook, macros: [String: String]) -> String {
        var key = "\(version)\u{0}\(trustsMath)\u{0}"
        for (name, body) in macros.sorted(by: { $0.key < $1.key }) { key += name + "\u{1}" + body + "\u{0}" }
        for cell in notebook.cells {
            if case .math(let math) = cell { key += math.tex + "\u{0}" }
        }
        for (_, code) in CodeHTML.requests(in: notebook.blocks) { key += "\u{1}" + code.language + "\u{0}" + code.code + "\u{0}" }
        return key
    }

    /// Writes the page atomically.
    public func write(_ page: RenderedPage, to outputPath: String) throws(RenderError) {
        try AtomicFile.write(page.html, to: outputPath)
    }

    /// Puts the theme's stylesheet and script and KaTeX's stylesheet and fonts in a folder
    /// (`nbrun.css`, `copy.js`, `katex/`), where pages find them through `assetBase`.
    public func installAssets(in directory: String, katex: KaTeXInstallation) throws(RenderError) {
        try AssetCopier.copy(from: katex.stylesheetPath, to: directory + "/katex/katex.min.css")
        try AssetCopier.copyFolder(from: katex.fontsDirectory, to: directory + "/katex/fonts")
        try AssetCopier.copy(from: theme.stylesheetPath, to: directory + "/nbrun.css")
        try AssetCopier.copy(from: theme.directory + "/assets/diagrams.css", to: directory + "/diagrams.css")
        // The copy button is an extra: a theme of its own without it still renders.
        if FileManager.default.fileExists(atPath: theme.directory + "/assets/copy.js") {
            try AssetCopier.copy(from: theme.directory + "/assets/copy.js", to: directory + "/copy.js")
        }
    }

    /// The readings as a list under "How nbrun read this note", `code` marked as in the report's text.
    static func readingsHTML(_ readings: [String]) -> String {
        var html = "<details class=\"nb-readings\"><summary>How nbrun read this note</summary><ul>"
        for reading in readings {
            // Backquotes pair up as code: "read `net` as one name".
            let parts = reading.split(separator: "`", omittingEmptySubsequences: false)
            html += "<li>"
            for (index, part) in parts.enumerated() {
                let text = HTML.escape(String(part))
                html += index % 2 == 1 && index < parts.count - 1 ? "<code>\(text)</code>" : text
            }
            html += "</li>"
        }
        return html + "</ul></details>"
    }

    /// KaTeX reports UTF-16 positions in the TeX it was given; when that TeX is
    /// the note's own, the position maps to the exact byte in the file.
    private func errorRange(in cell: MathCell, position: Int?, numbering: EquationNumbering, source: SourceFile) -> SourceRange {
        let start = cell.contentRange.start.offset
        guard let position, numbering.preparedMath(for: cell).isVerbatim else {
            return source.range(from: start, to: start + min(cell.tex.utf8.count, 1))
        }
        let utf16 = cell.tex.utf16
        let index = utf16.index(utf16.startIndex, offsetBy: min(max(0, position), utf16.count))
        var byteOffset = cell.tex.utf8.distance(from: cell.tex.startIndex, to: index)
        // "At end of input" is clearer just after the last character than on the closing delimiter's line.
        let contentEnd = cell.tex.utf8.count - cell.tex.utf8.reversed().prefix { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
        byteOffset = min(byteOffset, contentEnd)
        return source.range(from: start + byteOffset, to: start + byteOffset + 1)
    }
}

/// Copies theme and KaTeX files next to pages, skipping files already there
/// with the same size, so a warm run touches nothing.
enum AssetCopier {
    static func copy(from source: String, to destination: String) throws(RenderError) {
        let files = FileManager.default
        // stat, not `attributesOfItem`: a build looks at every KaTeX font, and each attribute lookup costs several calls.
        var sourceInfo = stat(), targetInfo = stat()
        if stat(source, &sourceInfo) == 0, stat(destination, &targetInfo) == 0, sourceInfo.st_size == targetInfo.st_size { return }
        guard let data = files.contents(atPath: source) else {
            throw RenderError.cannotWrite(path: destination, reason: "cannot read \(source)")
        }
        do {
            try files.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw RenderError.cannotWrite(path: destination, reason: error.localizedDescription)
        }
        try AtomicFile.write(data, to: destination)
    }

    static func copyFolder(from source: String, to destination: String) throws(RenderError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            try copy(from: source + "/" + name, to: destination + "/" + name)
        }
    }
}

/// The names wiki links and embeds of a page point to (`[[a#b|c]]` → `a`).
private struct WikiTargets: NotebookWalker {
    var names: [String] = []

    static func names(in blocks: [Block]) -> [String] {
        var walker = WikiTargets()
        walker.walk(blocks)
        return walker.names
    }

    mutating func visit(_ inline: Inline) -> NotebookDescent {
        if case .wikiLink(let link) = inline { names.append(link.target) }
        return .children
    }
}
