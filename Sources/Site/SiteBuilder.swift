import Diagnostics
import Foundation
import Notebook
import Render
import Verify

/// How to build a site.
public struct SiteBuildOptions: Sendable {
    /// The notes folder, as the user wrote it (diagnostics name files from it).
    public var notes: String
    /// The site folder.
    public var output: String
    /// The default theme folder (`site/` of nbrun); `NOTES/site/` overrides it file by file.
    public var theme: String
    /// `$NBRUN_CACHE_DIR` or the like; nil builds without a page cache.
    public var cacheDirectory: String?
    /// Broken links and references are errors.
    public var strict = false
    /// Build only this part of the notes' pages (and no site-wide pages).
    public var shard: Shard?
    /// Site folders built with `--shard`: take their pages instead of rendering.
    public var mergeParts: [String] = []
    /// Threads rendering pages (each with its own KaTeX process).
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    public var version = Version.nbrun
    /// The seed the checker draws free inputs with.
    public var seed = Verifier.defaultSeed
    /// Replaces `baseURL` of `site.yml` (the preview server serves at `/`).
    public var baseURL: String?
    /// `--limit NAME=VALUE` settings, applied over `site.yml`'s `limits:`.
    public var limitSettings: [Limits.Setting] = []
    /// A note's file modified less than this many seconds before a build looks
    /// at it is read again by the next build, whatever its stamp (file times are coarse).
    var stampTrustDelay: TimeInterval = 2
    /// Publish drafts too (`--drafts`): notes with `draft: true`, `published: false` or under `_drafts/`.
    public var includeDrafts = false
    /// Reads a note (the Notebook stage); replaceable in tests.
    public var parse: @Sendable (SourceFile) -> Notebook = { Notebook(parsing: $0) }

    public init(notes: String, output: String, theme: String, cacheDirectory: String?) {
        self.notes = notes
        self.output = output
        self.theme = theme
        self.cacheDirectory = cacheDirectory
    }
}

/// What a build did and found.
public struct SiteBuildReport: Sendable {
    /// Note pages this build is responsible for (a shard's share, or all).
    public var pages = 0
    /// Pages rendered now (the rest came from the site folder or the cache).
    public var rendered = 0
    public var fromCache = 0
    public var mathCount = 0
    /// Files whose bytes changed, site-relative, sorted.
    public var written: [String] = []
    /// Files an earlier build wrote that this one removed.
    public var removed: [String] = []
    /// Every problem, notes' and configuration's, in file order.
    public var diagnostics: [Diagnostic] = []
    /// Links and references that lead nowhere (also in `diagnostics`).
    public var brokenLinks: [Diagnostic] = []

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
}

/// Builds a folder of notes into a static site: a page per note (with header,
/// sidebar and previous/next), the assets the notes use, an index, tag pages,
/// a 404 page and a search index. Incremental (pages whose inputs did not
/// change are neither rendered nor written), parallel, and deterministic: two
/// builds of the same input give the same bytes.
///
/// ```swift
/// var options = SiteBuildOptions(notes: "notebooks", output: "_site", theme: "site", cacheDirectory: cache)
/// let report = try SiteBuilder(options: options, katex: try KaTeXInstallation.locate()).build()
/// report.errorCount   // 0
/// ```
public struct SiteBuilder: Sendable {
    public let options: SiteBuildOptions
    public let katex: KaTeXInstallation

    public init(options: SiteBuildOptions, katex: KaTeXInstallation) {
        self.options = options
        self.katex = katex
    }

    /// The empty file that tells GitHub Pages to publish the site as it is.
    static let noJekyll = ".nojekyll"

    /// A note read for this build.
    struct NoteInput: Sendable {
        var relative: String
        var display: String
        var sourceHash: String
        var summary: NoteSummary
        /// The file as it was when read; nil when too fresh to trust next time.
        var stamp: NoteStamps.Stamp?
    }

    /// A page to produce, with everything that decides its bytes.
    struct PagePlan: Sendable {
        var note: NoteInput
        var page: String
        var key: String
    }

    public func build() throws(SiteError) -> SiteBuildReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.notes, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(options.notes)
        }
        let root = LinkResolver.canonical(options.notes)
        let site = LinkResolver.canonical(options.output)
        guard site != root, !(root + "/").hasPrefix(site + "/") else {
            throw .cannotWrite(path: options.output, reason: "the site folder must not be the notes folder or hold it")
        }
        var displayRoot = options.notes
        while displayRoot.count > 1, displayRoot.hasSuffix("/") { displayRoot.removeLast() }
        var report = SiteBuildReport()

        var (configuration, configurationProblems) = try SiteConfiguration.load(from: displayRoot)
        if let baseURL = options.baseURL { configuration.baseURL = baseURL }
        configuration.limits = configuration.limits.applying(options.limitSettings)
        report.diagnostics += configurationProblems
        let configurationSource = SourceFile(path: displayRoot + "/" + SiteConfiguration.fileName, text: configuration.fingerprint)

        let mergeFolders = options.mergeParts.map(LinkResolver.canonical)
        var inventory = SiteInventory.scan(root: root, excluding: [site] + mergeFolders, exclude: configuration.exclude)
        if inventory.notes.count > configuration.limits.maxNotes {
            report.diagnostics.append(.error(SiteMessages.tooManyNotes(inventory.notes.count, limit: configuration.limits.maxNotes),
                                             at: configurationSource.range(from: 0, to: 0)))
            inventory.notes = Array(inventory.notes.prefix(configuration.limits.maxNotes))
        }
        // Every page resolves its links against this one listing (no walk of the folder per page).
        var noteFiles = inventory.files
        let cacheDirectory = options.cacheDirectory ?? NSTemporaryDirectory() + "nbrun-site-cache"
        let projectTheme = root + "/" + ThemeFiles.projectFolder
        let theme = try ThemeFiles(
            base: options.theme,
            project: FileManager.default.fileExists(atPath: projectTheme + "/templates") || FileManager.default.fileExists(atPath: projectTheme + "/assets") ? projectTheme : nil,
            cacheDirectory: cacheDirectory
        )
        let cache = options.cacheDirectory.map(SiteCache.init)
        for path in theme.refused {
            let shown = path.hasPrefix(root + "/") ? displayRoot + "/" + path.dropFirst(root.count + 1) : path
            report.diagnostics.append(.warning(SiteMessages.themeFileOutside, at: range(1, 1, 0, 0, in: shown)))
        }

        // 1. Read every note (its summary comes from the cache when its bytes are unchanged).
        let stampsKey = NoteStamps.key(version: options.version, root: root, displayRoot: displayRoot, site: site)
        let previousStamps: NoteStamps? = cache?.lookup(kind: "stamps", key: stampsKey)
        let inputs = readNotes(inventory.notes, root: root, displayRoot: displayRoot, limits: configuration.limits, cache: cache,
                               stamps: previousStamps ?? NoteStamps())
        var stamps = NoteStamps()
        var notes: [NoteInput] = []
        for input in inputs {
            switch input {
            case .success(let note):
                notes.append(note)
                if var stamp = note.stamp {
                    stamp.sourceHash = note.sourceHash
                    stamps.notes[note.relative] = stamp
                }
            case .failure(let problem): report.diagnostics.append(problem.diagnostic)
            }
        }
        if stamps != previousStamps { cache?.store(stamps, kind: "stamps", key: stampsKey) }
        // Drafts are read (their stamps and summaries kept warm) but not published: no page, no
        // listing, no search entry, and links to them are broken links.
        var drafts = Set<String>()
        if !options.includeDrafts {
            drafts = Set(notes.filter(\.summary.isDraft).map(\.relative))
            notes.removeAll { drafts.contains($0.relative) }
        }
        inventory.notes = notes.map(\.relative)
        noteFiles = inventory.files
        noteFiles.unpublished = drafts
        // Obsidian aliases: the first note (by path) to claim a name has it.
        var aliases: [String: String] = [:]
        for note in notes {
            for alias in note.summary.aliases where aliases[alias.lowercased()] == nil { aliases[alias.lowercased()] = note.relative }
        }
        noteFiles.aliases = aliases
        var summaries: [String: NoteSummary] = [:]
        for note in notes {
            summaries[note.relative] = note.summary
            report.diagnostics += note.summary.diagnostics
        }

        // 2. Navigation, links, the chrome every page shares.
        let layout = SiteLayout(notes: inventory.notes)
        let navigation = SiteNavigation(notes: inventory.notes, configuration: configuration)
        for entry in navigation.unknownEntries {
            let offset = configuration.navigationOffsets[entry] ?? 0
            report.diagnostics.append(.warning(SiteMessages.unknownNavigationEntry(entry, folder: displayRoot),
                                               at: configurationSource.range(from: offset, to: offset + entry.utf8.count)))
        }
        let chrome = SiteChrome(theme: theme, layout: layout, navigation: navigation,
                                titles: summaries.mapValues(\.title), siteTitle: configuration.title)
        let targets = LinkTargets(inventory: inventory, aliases: aliases)
        let crossReferences = CrossReferences(summaries: summaries)
        var usedAssets = Set<String>()
        var linkFingerprints: [String: String] = [:]
        let sourceHashes = Dictionary(notes.map { ($0.relative, $0.sourceHash) }) { first, _ in first }
        for note in notes {
            var fingerprint = ""
            for reference in note.summary.references {
                let target = targets.resolve(reference, from: note.relative)
                fingerprint += "\(reference.kind.rawValue)\u{1}\(reference.target)\u{1}\(target)\u{0}"
                // A page that embeds a note shows its text: it changes with that note's bytes.
                if reference.kind == .embed, case .note(let embedded) = target { fingerprint += (sourceHashes[embedded] ?? "") + "\u{0}" }
                switch target {
                case .asset(let path) where layout.isReserved(page: path):
                    // The site's own files (its script, stylesheet, search index) are never a note's to replace.
                    report.diagnostics.append(.error(SiteMessages.reservedAsset(path),
                                                     at: range(reference.line, reference.column, reference.offset, reference.endOffset, in: note.display)))
                case .asset(let path): usedAssets.insert(path)
                case .missing, .outside:
                    let problem = Diagnostic(options.strict ? .error : .warning, SiteMessages.brokenLink(reference.target, outside: target == .outside),
                                             at: range(reference.line, reference.column, reference.offset, reference.endOffset, in: note.display))
                    report.brokenLinks.append(problem)
                case .note, .external: break
                }
            }
            for reference in note.summary.equationReferences where note.summary.equationTargets[reference.label] == nil {
                let range = range(reference.line, reference.column, reference.offset, reference.endOffset, in: note.display)
                if let target = crossReferences.target(for: reference.label, from: note.relative) {
                    fingerprint += "eq\u{1}\(reference.label)\u{1}\(target.note)\u{1}\(target.number)\u{0}"
                } else {
                    report.brokenLinks.append(Diagnostic(options.strict ? .error : .warning, SiteMessages.unknownLabel(reference.label), at: range))
                }
            }
            linkFingerprints[note.relative] = fingerprint
        }
        report.diagnostics += report.brokenLinks

        // 3. Plan this build's pages: each with its chrome and its cache key.
        var settings = NoteSettings(configuration: configuration)
        settings.seed = options.seed
        settings.strict = options.strict
        settings.version = options.version
        let fingerprint = ContentHash.hex(of: [SiteCache.format, options.version, katex.identity, configuration.fingerprint,
                                                configuration.baseURL, theme.fingerprint, String(settings.seed),
                                                Limits.Key.allCases.map { configuration.limits.value(of: $0) }.joined(separator: ",")].joined(separator: "\u{0}"))
        // The chrome of a page (header, sidebar, previous/next) is a function of these; keying on
        // them, not on the rendered chrome, keeps an unchanged page from being rendered at all.
        var chromeInputs = [layout.listingPage, String(describing: navigation.tree)]
        for path in inventory.notes { chromeInputs += [path, summaries[path]?.title ?? ""] }
        let chromeKey = ContentHash.hex(of: chromeInputs.joined(separator: "\u{0}"))
        // What a note's check depends on besides its bytes and path: not the theme, so a theme
        // change renders every page again without checking any note again.
        let checkKey = ContentHash.hex(of: [SiteCache.format, options.version, configuration.fingerprint, String(settings.seed),
                                            Limits.Key.allCases.map { configuration.limits.value(of: $0) }.joined(separator: ",")].joined(separator: "\u{0}"))
        var plans: [PagePlan] = []
        for (position, note) in notes.enumerated() where options.shard?.contains(position: position) ?? true {
            let page = layout.page(for: note.relative)
            if layout.isReserved(page: page) {
                report.diagnostics.append(.error(SiteMessages.reservedPath(page), at: range(1, 1, 0, 0, in: note.display)))
                continue
            }
            let keyParts = [fingerprint, chromeKey, note.display, page, note.sourceHash, linkFingerprints[note.relative] ?? ""]
            plans.append(PagePlan(note: note, page: page, key: ContentHash.hex(of: keyParts.joined(separator: "\u{0}"))))
        }
        report.pages = plans.count

        // 4. Pages: unchanged ones stay, the cache gives others, the rest are rendered in parallel.
        try FileManager.createFolder(site)
        // Everything this build writes waits aside until the end (SiteStaging): stopped half-way,
        // it leaves the previous site as it was.
        let staging = try SiteStaging(site: site, spares: cache.flatMap { SpareFiles(folder: $0.directory + "/" + SpareFiles.folderName, site: site) })
        var committed = false
        defer { if !committed { staging.discard() } }
        let previous = SiteManifest.read(from: site)
        var manifest = SiteManifest()
        manifest.version = options.version
        manifest.shard = options.shard?.description
        manifest.fingerprint = fingerprint
        let parts = try mergeParts(fingerprint: fingerprint)
        var toRender: [Int] = []
        // A note's status comes with its page: checked when the page is rendered, kept with it after.
        var statuses: [String: NoteStatus] = [:]
        // Pages are written as soon as they are had, never all held at once (5,000 pages of HTML
        // would be hundreds of MB).
        func record(_ plan: PagePlan, _ page: CachedPage, hash: String) {
            manifest.files[plan.page] = hash
            manifest.pages[plan.page] = SiteManifest.Page(note: plan.note.relative, key: plan.key, diagnostics: page.diagnostics,
                                                          mathCount: page.mathCount, status: page.status)
            statuses[plan.note.relative] = page.status
            report.mathCount += page.mathCount
            report.diagnostics += page.diagnostics
        }
        for (index, plan) in plans.enumerated() {
            if let part = parts[plan.page] {
                guard let entry = part.manifest.pages[plan.page], entry.key == plan.key,
                      let data = FileManager.default.contents(atPath: part.folder + "/" + plan.page) else {
                    throw .merge("\(part.folder) has no up-to-date \(plan.page); build its shard again")
                }
                let page = CachedPage(html: "", diagnostics: entry.diagnostics, mathCount: entry.mathCount, status: entry.status)
                let written = try Self.writeFile(data, to: plan.page, in: site, previousHash: previous?.files[plan.page], staging: staging)
                if written.wrote { report.written.append(plan.page) }
                record(plan, page, hash: written.hash)
            } else if !mergeFolders.isEmpty {
                throw .merge("no part has \(plan.page): merge every shard 1/N…N/N of one build")
            } else if let entry = previous?.pages[plan.page], entry.key == plan.key, let hash = previous?.files[plan.page],
                      FileManager.default.fileExists(atPath: site + "/" + plan.page) {
                record(plan, CachedPage(html: "", diagnostics: entry.diagnostics, mathCount: entry.mathCount, status: entry.status), hash: hash)
            } else if let cached = cache?.lookupPage(key: plan.key) {
                let written = try Self.writeFile(Data(cached.html.utf8), to: plan.page, in: site, previousHash: previous?.files[plan.page], staging: staging)
                if written.wrote { report.written.append(plan.page) }
                record(plan, cached, hash: written.hash)
                report.fromCache += 1
            } else {
                toRender.append(index)
            }
        }
        let rendered = renderPages(toRender.map { plans[$0] }, root: root, files: noteFiles, site: site, chrome: chrome, settings: settings,
                                   pageTheme: theme.pageThemeDirectory, crossReferences: crossReferences, checkKey: checkKey,
                                   previous: previous, cache: cache, staging: staging)
        for (index, result) in zip(toRender, rendered) {
            switch result {
            case .success(let outcome):
                if outcome.wrote { report.written.append(plans[index].page) }
                record(plans[index], outcome.page, hash: outcome.hash)
                report.rendered += 1
            case .failure(let error):
                throw .render("\(plans[index].note.display): \(error)")
            }
        }

        // 5. The assets the notes of this build use.
        let shardNotes = Set(plans.map(\.note.relative))
        var assets = Set<String>()
        for note in notes where shardNotes.contains(note.relative) {
            for reference in note.summary.references {
                if case .asset(let path) = targets.resolve(reference, from: note.relative), !layout.isReserved(page: path) { assets.insert(path) }
            }
        }
        for asset in assets.sorted() {
            manifest.files[asset] = try copyAsset(asset, root: root, site: site, previous: previous,
                                                  limit: configuration.limits.maxAssetBytes, staging: staging, report: &report)
        }

        // 6. Site-wide files: theme and KaTeX assets, index, tags, 404, search (not in a shard).
        if options.shard == nil {
            do {
                let renderer = PageRenderer(theme: try Theme(directory: theme.pageThemeDirectory),
                                            typesetter: MathTypesetter(katex: katex, cacheDirectory: nil), version: options.version)
                try renderer.installAssets(in: site + "/" + SiteLayout.assetFolder, katex: katex)
            } catch {
                throw .cannotWrite(path: site + "/" + SiteLayout.assetFolder, reason: "\(error)")
            }
            for name in ["katex/katex.min.css", "nbrun.css"] { manifest.files[SiteLayout.assetFolder + "/" + name] = "theme" }
            // GitHub Pages runs Jekyll over a site unless it finds this file, and Jekyll drops
            // folders starting with `_` — the site's `_assets/` among them.
            manifest.files[Self.noJekyll] = try writeIfChanged(Data(), to: Self.noJekyll, in: site, previous: previous, staging: staging, report: &report)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: katex.fontsDirectory)) ?? []) where !name.hasPrefix(".") {
                manifest.files[SiteLayout.assetFolder + "/katex/fonts/" + name] = "theme"
            }
            for name in theme.assets.keys.sorted() where name != "nbrun.css" {
                guard let path = theme.assets[name], let data = FileManager.default.contents(atPath: path) else { continue }
                manifest.files[SiteLayout.assetFolder + "/" + name] = try writeIfChanged(data, to: SiteLayout.assetFolder + "/" + name, in: site, previous: previous, staging: staging, report: &report)
            }
            // Index, tags and 404 change only with titles, tags, dates, the chrome or the configuration;
            // the search index with some note's bytes. Unchanged, they are not even rendered.
            var listingInputs = [fingerprint, chromeKey]
            for note in notes {
                listingInputs += [note.relative, note.summary.title, note.summary.date ?? "-", statuses[note.relative].map { $0.mark + $0.label } ?? "-"]
                    + note.summary.tags + ["\u{1}"]
            }
            let listingKey = ContentHash.hex(of: listingInputs.joined(separator: "\u{0}"))
            let searchKey = ContentHash.hex(of: ([fingerprint] + notes.map(\.sourceHash)).joined(separator: "\u{0}"))
            manifest.generatedKey = listingKey + "+" + searchKey
            let previousKeys = (previous?.generatedKey ?? "").split(separator: "+").map(String.init)
            let intact = previous.map { previous in
                previous.generated.allSatisfy { previous.files[$0] != nil && FileManager.default.fileExists(atPath: site + "/" + $0) }
            } ?? false
            let listingsUnchanged = intact && previousKeys.first == listingKey
            let searchUnchanged = intact && previousKeys.last == searchKey
            if let previous {
                for path in previous.generated where (path == SiteLayout.searchIndex ? searchUnchanged : listingsUnchanged) {
                    manifest.files[path] = previous.files[path]
                    manifest.generated.append(path)
                }
            }
            let generated = GeneratedPages(chrome: chrome, summaries: summaries, statuses: statuses,
                                           basePath: configuration.basePath, version: options.version,
                                           includeListings: !listingsUnchanged, search: !searchUnchanged, baseURL: configuration.baseURL)
            for file in generated.files {
                manifest.files[file.path] = try writeIfChanged(file.bytes, to: file.path, in: site, previous: previous, staging: staging, report: &report)
                manifest.generated.append(file.path)
            }
            manifest.generated.sort()
        }

        // 7. Every page is made: the new files go into place, and only now is removed
        // what an earlier build wrote and this one did not.
        try staging.commit()
        committed = true
        for stale in (previous?.files.keys.sorted() ?? []) where manifest.files[stale] == nil {
            guard !stale.contains(".."), !stale.hasPrefix("/") else { continue }
            if (try? FileManager.default.removeItem(atPath: site + "/" + stale)) != nil { report.removed.append(stale) }
        }
        try manifest.write(to: site)
        report.written.sort()
        // site.yml's `allow:` (a note's own `nb: allow` was applied with its summary and page).
        report.diagnostics = dropDuplicates(report.diagnostics).filter { settings.reports($0) }
        report.brokenLinks = report.brokenLinks.filter { settings.reports($0) }
        return report
    }

    // MARK: - Steps

    private func readNotes(_ notes: [String], root: String, displayRoot: String, limits: Limits,
                           cache: SiteCache?, stamps: NoteStamps) -> [Result<NoteInput, NoteProblem>] {
        let parse = options.parse
        let version = options.version
        let now = Date(timeIntervalSinceNow: 2 - options.stampTrustDelay)
        let results = WorkerPool.run(count: notes.count, jobs: options.jobs, makeWorker: { () }) { _, index -> Result<NoteInput, NoteProblem> in
            let relative = notes[index]
            let display = displayRoot + "/" + relative
            // A file whose size, times and inode are as the last build saw them has the bytes it hashed then.
            let stamp = NoteStamps.Stamp(path: root + "/" + relative, trustedBefore: now)
            if let stamp, let known = stamps.notes[relative], known.matches(stamp), stamp.size <= limits.maxNoteBytes,
               let summary = cache?.lookupBytes(kind: "summaries", key: known.sourceHash).flatMap(NoteSummary.init(binary:)) {
                return .success(NoteInput(relative: relative, display: display, sourceHash: known.sourceHash, summary: summary, stamp: stamp))
            }
            // The size is checked before a byte is read (a sparse 2 GB file costs nothing to make).
            let bytes: [UInt8]
            do {
                bytes = try SourceFile.read(path: root + "/" + relative, sizeLimit: limits.maxNoteBytes).bytes
            } catch SourceFileError.tooLarge(_, let size, _) {
                return .failure(NoteProblem(path: display, message: SiteMessages.noteTooLarge(size, limit: limits.maxNoteBytes)))
            } catch {
                return .failure(NoteProblem(path: display, message: SiteMessages.unreadableNote))
            }
            let sourceHash = ContentHash.hex(of: Array((version + "\u{0}" + display + "\u{0}").utf8) + bytes)
            // The stamp taken before reading: a write after it changes the file's times, so the next build reads again.
            let readStamp = stamp.flatMap { $0.size == bytes.count ? $0 : nil }
            if let summary = cache?.lookupBytes(kind: "summaries", key: sourceHash).flatMap(NoteSummary.init(binary:)) {
                return .success(NoteInput(relative: relative, display: display, sourceHash: sourceHash, summary: summary, stamp: readStamp))
            }
            let summary = NoteSummary(parse(SourceFile(path: display, bytes: bytes)), relativePath: relative)
            cache?.storeBytes(summary.binary, kind: "summaries", key: sourceHash)
            return .success(NoteInput(relative: relative, display: display, sourceHash: sourceHash, summary: summary, stamp: readStamp))
        }
        return results.map { result in
            switch result {
            case .success(let inner): inner
            case .failure(let error): .failure(NoteProblem(path: displayRoot, message: Message("site.unreadable-folder", "\(error)")))
            }
        }
    }

    /// A page rendered and written: its hash, whether its bytes changed, what rendering reported (no HTML).
    struct RenderOutcome: Sendable {
        var page: CachedPage
        var hash: String
        var wrote: Bool
    }

    private func renderPages(_ plans: [PagePlan], root: String, files: NoteFiles, site: String, chrome: SiteChrome, settings: NoteSettings,
                             pageTheme: String, crossReferences: CrossReferences, checkKey: String, previous: SiteManifest?,
                             cache: SiteCache?, staging: SiteStaging) -> [Result<RenderOutcome, any Error>] {
        let layout = chrome.layout
        let katex = katex
        let options = options
        let published: @Sendable (String) -> String = { path in
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : (path as NSString).lastPathComponent
            return site + "/" + (NoteFiles.isNote(relative) ? layout.page(for: relative) : relative)
        }
        return WorkerPool.run(count: plans.count, jobs: options.jobs, makeWorker: { () throws -> NotePipeline in
            let typesetter = MathTypesetter(katex: katex, cacheDirectory: options.cacheDirectory)
            return NotePipeline(settings: settings, theme: try Theme(directory: pageTheme), typesetter: typesetter, parse: options.parse)
        }) { pipeline, index -> RenderOutcome in
            let plan = plans[index]
            guard let data = FileManager.default.contents(atPath: root + "/" + plan.note.relative) else {
                throw SiteError.render("\(plan.note.display): \(SiteMessages.unreadableNote)")
            }
            let prefix = layout.rootPrefix(forPage: plan.page)
            var placement = NotePlacement(root: root, files: files, outputPath: site + "/" + plan.page)
            placement.publishedPath = published
            placement.assetBase = layout.assetBase(forPage: plan.page)
            // The status marks come from the report, so they are merged in once it exists (below).
            placement.context = [
                "isSite": true,
                "siteTitle": chrome.siteTitle,
                "siteHeader": chrome.header(rootPrefix: prefix),
                "sidebar": chrome.sidebar(forPage: plan.page, current: plan.note.relative),
                "pageNav": chrome.pageNavigation(forPage: plan.page, note: plan.note.relative),
                "rootPrefix": prefix,
            ]
            // Errors of reading the note count against its status; the page's own (math KaTeX
            // refused) are known only once it is rendered.
            func noteStatus(_ notebook: Notebook, _ report: Report, page: RenderedPage? = nil) -> NoteStatus {
                NoteStatus(report, pageErrors: notebook.diagnostics.count { $0.severity == .error }
                                               + (page?.diagnostics.count { $0.severity == .error } ?? 0))
            }
            let reportKey = ContentHash.hex(of: [checkKey, plan.note.display, plan.note.sourceHash].joined(separator: "\u{0}"))
            let checked: Report? = cache?.lookup(kind: "reports", key: reportKey)
            var outcome = try pipeline.compile(SourceFile(path: plan.note.display, bytes: [UInt8](data)), placement: placement,
                                               checked: checked) { notebook, report in
                noteStatus(notebook, report).context
            }
            // A report with errors is not kept: one may be the note's time running out on a busy machine.
            if checked == nil, !outcome.report.steps.contains(where: { $0.status == .error }),
               !outcome.report.diagnostics.contains(where: { $0.severity == .error }) {
                cache?.store(outcome.report, kind: "reports", key: reportKey)
            }
            var status = noteStatus(outcome.notebook, outcome.report)
            let truthful = noteStatus(outcome.notebook, outcome.report, page: outcome.page)
            if truthful != status {
                // Render it again to say them in its header (its math comes from the typesetter's cache).
                status = truthful
                outcome.page = try pipeline.render(outcome.notebook, report: outcome.report, placement: placement, context: status.context)
            }
            let page = outcome.page
            let (html, resolved) = crossReferences.link(html: page.html, summary: plan.note.summary, page: plan.page, layout: layout)
            // The reader's problems come with the note's summary (step 1).
            let diagnostics = outcome.checkingAndRenderingDiagnostics.filter { !(resolved.contains($0.range.start.offset) && SiteMessages.isRendererLinkWarning($0)) }
            let rendered = CachedPage(html: html, diagnostics: diagnostics, mathCount: page.mathCount, status: status)
            let bytes = Data(html.utf8)
            let hash = ContentHash.hex(of: [UInt8](bytes))
            cache?.storePage(rendered, key: plan.key, htmlHash: hash, spares: staging.spares)
            // The entry of this page's previous key is most likely dead (its theme, chrome or note
            // changed): its file becomes a spare, so that the cache makes no file and grows no more
            // on a re-render. A theme changed back renders its pages again, from cached math.
            if let cache, let spares = staging.spares, let old = previous?.pages[plan.page]?.key, old != plan.key {
                _ = spares.keep(cache.path(kind: "pages", key: old))
            }
            let written = try Self.writeFile(bytes, hash: hash, to: plan.page, in: site, previousHash: previous?.files[plan.page], staging: staging)
            return RenderOutcome(page: CachedPage(html: "", diagnostics: rendered.diagnostics, mathCount: rendered.mathCount, status: status),
                                 hash: written.hash, wrote: written.wrote)
        }
    }

    private struct Part {
        var folder: String
        var manifest: SiteManifest
    }

    /// The parts of a merge by the pages they hold, after checking they come from one build.
    private func mergeParts(fingerprint: String) throws(SiteError) -> [String: Part] {
        guard !options.mergeParts.isEmpty else { return [:] }
        var byPage: [String: Part] = [:]
        var shards = Set<String>()
        var count: Int?
        for folder in options.mergeParts {
            guard let manifest = SiteManifest.read(from: folder) else {
                throw .merge("\(folder) is not a site part (no \(SiteManifest.fileName)); build it with --shard I/N")
            }
            guard let shardText = manifest.shard, let shard = try? Shard(parsing: shardText) else {
                throw .merge("\(folder) was not built with --shard")
            }
            guard manifest.fingerprint == fingerprint else {
                throw .merge("\(folder) was built from another configuration, theme or nbrun version; build it again")
            }
            if let count, count != shard.count { throw .merge("the parts were built with different N in --shard I/N") }
            count = shard.count
            shards.insert(shardText)
            let canonical = LinkResolver.canonical(folder)
            for page in manifest.pages.keys { byPage[page] = Part(folder: canonical, manifest: manifest) }
        }
        if let count, shards.count != count {
            throw .merge("merging \(shards.count) of \(count) parts; every shard 1/\(count)…\(count)/\(count) is needed")
        }
        return byPage
    }

    /// Writes a site file atomically unless it already has these bytes; returns their hash.
    private func writeIfChanged(_ data: Data, to relative: String, in site: String, previous: SiteManifest?,
                                staging: SiteStaging, report: inout SiteBuildReport) throws(SiteError) -> String {
        let written = try Self.writeFile(data, to: relative, in: site, previousHash: previous?.files[relative], staging: staging)
        if written.wrote { report.written.append(relative) }
        return written.hash
    }

    /// `hash`: the SHA-256 of `data`, when the caller has it already.
    static func writeFile(_ data: Data, hash known: String? = nil, to relative: String, in site: String, previousHash: String?,
                          staging: SiteStaging? = nil) throws(SiteError) -> (hash: String, wrote: Bool) {
        let hash = known ?? ContentHash.hex(of: [UInt8](data))
        let path = site + "/" + relative
        if previousHash == hash, FileManager.default.fileExists(atPath: path) { return (hash, false) }
        if let existing = FileManager.default.contents(atPath: path), existing == data { return (hash, false) }
        if let staging {
            try staging.write(data, to: relative)
            return (hash, true)
        }
        do {
            try FileManager.createFolder((path as NSString).deletingLastPathComponent)
            try AtomicFile.write(data, to: path)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        return (hash, true)
    }

    /// Copies an asset a note uses, unless the copy is newer and of the same size.
    private func copyAsset(_ relative: String, root: String, site: String, previous: SiteManifest?, limit: Int,
                           staging: SiteStaging, report: inout SiteBuildReport) throws(SiteError) -> String {
        let source = root + "/" + relative
        let target = site + "/" + relative
        let files = FileManager.default
        let sourceAttributes = try? files.attributesOfItem(atPath: source)
        let targetAttributes = try? files.attributesOfItem(atPath: target)
        let sourceSize = (sourceAttributes?[.size] as? NSNumber)?.intValue ?? -1
        if sourceSize > limit {
            report.diagnostics.append(.warning(SiteMessages.assetTooLarge(relative, sourceSize, limit: limit),
                                               at: range(1, 1, 0, 0, in: options.notes + "/" + relative)))
            return "skipped"
        }
        if let hash = previous?.files[relative], let targetAttributes,
           (targetAttributes[.size] as? NSNumber)?.intValue == sourceSize,
           let sourceDate = sourceAttributes?[.modificationDate] as? Date,
           let targetDate = targetAttributes[.modificationDate] as? Date, targetDate >= sourceDate {
            return hash
        }
        guard let data = files.contents(atPath: source) else { return "unreadable" }
        return try writeIfChanged(data, to: relative, in: site, previous: nil, staging: staging, report: &report)
    }

    private func range(_ line: Int, _ column: Int, _ offset: Int, _ endOffset: Int, in file: String) -> SourceRange {
        let start = SourceLocation(file: file, line: line, column: column, offset: offset)
        let end = SourceLocation(file: file, line: line, column: column + max(0, endOffset - offset), offset: endOffset)
        return SourceRange(start: start, end: end)
    }

    /// The renderer reports some broken links too; keep one report per place and message.
    private func dropDuplicates(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        var brokenAt = Set<String>()
        for diagnostic in diagnostics where diagnostic.id.map(SiteMessages.brokenLinkIDs.contains) ?? false {
            brokenAt.insert(diagnostic.range.start.description)
        }
        return diagnostics.filter { diagnostic in
            let location = diagnostic.range.start.description
            if brokenAt.contains(location), SiteMessages.isRendererLinkWarning(diagnostic) {
                return false
            }
            return seen.insert(location + "\u{0}" + diagnostic.message).inserted
        }.sorted { ($0.range.start.file, $0.range.start.offset) < ($1.range.start.file, $1.range.start.offset) }
    }
}

/// A note that could not be read, with where.
struct NoteProblem: Error, Sendable {
    var path: String
    var message: Message

    var diagnostic: Diagnostic {
        let location = SourceLocation(file: path, line: 1, column: 1, offset: 0)
        return .error(message, at: SourceRange(at: location))
    }
}

extension FileManager {
    static func createFolder(_ path: String) throws(SiteError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
