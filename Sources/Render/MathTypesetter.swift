import Diagnostics
import Foundation

/// One piece of TeX to typeset, with everything that changes its output.
package struct MathRequest: Sendable, Hashable {
    package var tex: String
    package var display: Bool
    package var macros: [String: String]
    /// KaTeX's `trust` on for every command (`\href`, `\includegraphics`, `\htmlClass`): only for
    /// notes a site declares trusted. Otherwise only nbrun's own annotations are admitted.
    package var trusted: Bool

    package init(tex: String, display: Bool, macros: [String: String] = [:], trusted: Bool = false) {
        self.tex = tex
        self.display = display
        self.macros = macros
        self.trusted = trusted
    }
}

/// KaTeX's answer: HTML (with MathML for screen readers), or its error.
package enum MathResult: Sendable, Hashable {
    case html(String)
    /// `position` counts UTF-16 code units into the TeX that was sent, when KaTeX knows it.
    case error(message: String, position: Int?)
}

/// Typesets math with Debian's KaTeX, through a disk cache keyed on the
/// content of each request, so an unchanged equation is never typeset twice.
///
/// ```swift
/// let typesetter = try MathTypesetter(environment: .current)
/// let results = try typesetter.typeset([MathRequest(tex: "x^2", display: false)])
/// ```
public final class MathTypesetter {
    private let katex: KaTeXInstallation
    private let cache: MathCache?
    private var worker: KaTeXWorker?
    /// Answers already read or typeset by this typesetter, so a process that
    /// renders a page again (or many pages sharing equations) reads no file twice.
    private var remembered: [MathRequest: MathResult] = [:]
    private var rememberedBytes = 0
    /// Beyond this, answers are no longer kept in memory (the disk cache still has them).
    private static let rememberedLimit = 64 << 20
    /// How many requests this typesetter sent to KaTeX (the rest came from the cache).
    public private(set) var typesetCount = 0
    public private(set) var cachedCount = 0
    /// Whether node has been started (ahead of time by `prepare`, or for a miss).
    public var startedKaTeX: Bool { worker != nil }
    /// `maxMathBytes`, `maxMathNesting` and `maxPageMathBytes` bound what is sent to KaTeX; `timePerNote` how
    /// long one page's typesetting may take.
    public var limits = Limits()
    /// The longest one equation may typeset (everyday math takes milliseconds; a
    /// 3,000-row matrix 0.6 s); `timePerNote` is the most for a whole page.
    package var equationDeadline = Duration.seconds(5)
    /// Workers a page may start after one stopped.
    static let maxRestarts = 3
    /// When the note's time runs out (its `Report.deadline`): the page's typesetting gets what
    /// checking left of `timePerNote`, not a `timePerNote` of its own.
    package var noteDeadline: ContinuousClock.Instant?
    /// Bytes of TeX the page being rendered may still send (`maxPageMathBytes`, set by
    /// `PageRenderer` for one page, its embeds included); nil outside a page. Counted on every
    /// request, typeset or from the cache, so a page's outcome never depends on the cache.
    package var pageMathLeft: Int?

    public init(katex: KaTeXInstallation, cacheDirectory: String?) {
        self.katex = katex
        self.cache = cacheDirectory.map { MathCache(directory: $0, katexIdentity: katex.identity) }
    }

    package func typeset(_ requests: [MathRequest]) throws(RenderError) -> [MathResult] {
        var results = [MathResult?](repeating: nil, count: requests.count)
        var missing: [Int] = []
        var firstIndexOf: [MathRequest: Int] = [:]
        for (index, request) in requests.enumerated() {
            // KaTeX takes minutes on math nested thousands deep: such math is never sent.
            if let refusal = Self.refusal(for: request, limits: limits) {
                results[index] = .error(message: refusal.message, position: refusal.position)
                continue
            }
            if let left = pageMathLeft {
                // A page of megabytes of math would hold node and nbrun at gigabytes: the equation
                // that crosses the bound and every one after it are left out (-1 marks that).
                guard request.tex.utf8.count <= left else {
                    pageMathLeft = -1
                    results[index] = .error(message: RenderMessages.pageMathTooLarge(limits.maxPageMathBytes).text, position: nil)
                    continue
                }
                pageMathLeft = left - request.tex.utf8.count
            }
            if let known = remembered[request] {
                results[index] = known
                cachedCount += 1
            } else if let cached = cache?.lookup(request) {
                results[index] = cached
                cachedCount += 1
                remember(cached, for: request)
            } else if firstIndexOf[request] == nil {
                firstIndexOf[request] = index
                missing.append(index)
            }
        }
        // A worker that stops or falls silent is killed; its unanswered equation is an error and
        // the rest go to a new worker (a few times at most: a note cannot keep restarting node).
        var pending = missing[...]
        var restarts = 0
        let left = noteDeadline.map { max(.zero, $0 - ContinuousClock.now) } ?? limits.timePerNote
        let batch = min(limits.timePerNote, left)
        let deadlines = KaTeXWorker.Deadlines(equation: min(equationDeadline, batch), batch: batch)
        while !pending.isEmpty {
            let worker = try startedWorker()
            let answers = try worker.typeset(pending.map { requests[$0] }, deadlines: deadlines)
            for (index, answer) in zip(pending, answers) {
                switch answer {
                case .typeset(let result)?:
                    typesetCount += 1
                    results[index] = result
                    cache?.store(result, for: requests[index])
                    remember(result, for: requests[index])
                case .outOfTime(let limit)?:
                    results[index] = .error(message: limit == .equation ? RenderMessages.equationOutOfTime(deadlines.equation)
                                                                        : RenderMessages.noteOutOfTime(limits.timePerNote), position: nil)
                case nil: break
                }
            }
            pending = pending.drop { results[$0] != nil }
            guard worker.isBroken else { break }
            self.worker = nil
            restarts += 1
            if let stuck = pending.first {
                results[stuck] = .error(message: RenderMessages.workerStopped(deadlines.equation), position: nil)
                pending = pending.dropFirst()
            }
            if restarts >= Self.maxRestarts {
                for index in pending { results[index] = .error(message: RenderMessages.workerStopped(deadlines.equation), position: nil) }
                break
            }
        }
        // Duplicates of a missed request share its answer.
        return requests.enumerated().map { index, request in
            results[index] ?? firstIndexOf[request].flatMap { results[$0] } ?? .error(message: "not typeset", position: nil)
        }
    }

    private func remember(_ result: MathResult, for request: MathRequest) {
        let size: Int
        switch result {
        case .html(let html): size = html.utf8.count + request.tex.utf8.count
        case .error(let message, _): size = message.utf8.count + request.tex.utf8.count
        }
        guard rememberedBytes + size <= Self.rememberedLimit else { return }
        rememberedBytes += size
        remembered[request] = result
    }

    /// Starts node and KaTeX now, unless the cache has seen a page with exactly
    /// this math (`pageKey`, see `recordRendered`): node's start-up (~75 ms) and
    /// KaTeX's loading then overlap with parsing and checking the note instead of
    /// following them. A wrong guess costs a node process or the start-up, never
    /// an answer.
    public func prepare(forPage pageKey: String) {
        guard worker == nil, let cache, !cache.hasRendered(page: pageKey) else { return }
        _ = try? startedWorker()
    }

    /// Notes that every equation of the page `pageKey` is now in the cache.
    public func recordRendered(page pageKey: String) {
        cache?.recordRendered(page: pageKey)
    }

    private func startedWorker() throws(RenderError) -> KaTeXWorker {
        if let worker, worker.isRunning { return worker }
        let started = try KaTeXWorker(nodePath: katex.nodePath, katexScript: katex.scriptPath, codeCache: cache?.codeCachePath)
        worker = started
        return started
    }
}

/// Where node and Debian's KaTeX are on this machine.
public struct KaTeXInstallation: Sendable {
    public var nodePath: String
    /// `katex.js` (CommonJS build).
    public var scriptPath: String
    /// `katex.min.css`, next to its `fonts/` folder.
    public var stylesheetPath: String
    public var fontsDirectory: String
    /// Changes whenever the installed KaTeX changes: part of every cache key.
    public var identity: String

    /// Finds node on `PATH` and KaTeX in `$NBRUN_KATEX_DIR` or `/usr/share/javascript/katex`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(RenderError) -> KaTeXInstallation {
        let directory = environment["NBRUN_KATEX_DIR"] ?? "/usr/share/javascript/katex"
        let script = directory + "/katex.js"
        let stylesheet = directory + "/katex.min.css"
        let files = FileManager.default
        guard files.fileExists(atPath: script), files.fileExists(atPath: stylesheet) else {
            throw RenderError.missingTool("KaTeX (\(directory)/katex.js)", install: "apt-get install libjs-katex")
        }
        let searchPath = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        let node = ["node", "nodejs"].lazy.flatMap { name in searchPath.map { "\($0)/\(name)" } }
            .first { files.isExecutableFile(atPath: $0) }
        guard let node else {
            throw RenderError.missingTool("node", install: "apt-get install nodejs")
        }
        let attributes = try? files.attributesOfItem(atPath: script)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return KaTeXInstallation(
            nodePath: node, scriptPath: script, stylesheetPath: stylesheet,
            fontsDirectory: directory + "/fonts",
            identity: "katex \(script) \(size) \(Int(modified)) options-v3"
        )
    }
}

extension MathTypesetter {
    /// Why a request is not sent to KaTeX, or nil when it may be: KaTeX takes
    /// minutes on math nested thousands deep, so such math is never sent.
    /// Why `request` is never sent to KaTeX, and where in its TeX (UTF-16 units, as KaTeX counts), if it is not.
    package static func refusal(for request: MathRequest, limits: Limits = Limits()) -> (message: String, position: Int?)? {
        guard request.tex.utf8.count <= limits.maxMathBytes else {
            return (RenderMessages.mathTooLong(request.tex.utf8.count, limit: limits.maxMathBytes).text, nil)
        }
        // KaTeX 0.16.4 does not count what \edef and \xdef expand against maxExpand (fixed in
        // 0.16.10): twelve doublings of a macro typeset for minutes. They are never sent.
        if let found = Self.unboundedDefinition(in: request.tex) {
            return (RenderMessages.unboundedDefinition(found.name), request.tex.utf8.index(request.tex.utf8.startIndex, offsetBy: found.offset).utf16Offset(in: request.tex))
        }
        for macro in request.macros.keys.sorted() {
            if let body = request.macros[macro], let found = Self.unboundedDefinition(in: body) { return (RenderMessages.unboundedDefinitionInMacro(found.name, macro: macro), nil) }
        }
        var depth = 0
        var deepest = 0
        var escaped = false
        for byte in request.tex.utf8 {
            if escaped { escaped = false; continue }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                depth = max(0, depth - 1)
            default: break
            }
        }
        guard deepest <= limits.maxMathNesting else {
            return (RenderMessages.mathTooDeep(deepest, limit: limits.maxMathNesting).text, nil)
        }
        return nil
    }

    /// The first `\edef` or `\xdef` control word in `tex`, and its UTF-8 offset.
    static func unboundedDefinition(in tex: String) -> (name: String, offset: Int)? {
        let bytes = Array(tex.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
            var end = index + 1
            while end < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end] | 0x20) { end += 1 }
            let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            if name == "edef" || name == "xdef" { return ("\\" + name, index) }
            index = max(end, index + 2)
        }
        return nil
    }

    /// `$NBRUN_CACHE_DIR`, else `$XDG_CACHE_HOME/nbrun`, else `~/.cache/nbrun`.
    public static func defaultCacheDirectory() -> String {
        MathCache.defaultDirectory()
    }
}
