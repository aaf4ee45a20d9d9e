import Foundation

/// Typeset math and highlighted code on disk, one file per request, named by the
/// SHA-256 of the request and the KaTeX (or highlight.js) installation. Each file starts with the hash of that
/// name and its body, so a torn or corrupt entry, or one moved to another
/// request's place, is noticed and typeset again.
struct MathCache {
    let directory: String
    let katexIdentity: String
    var highlighterIdentity = ""

    /// `$NBRUN_CACHE_DIR`, else `$XDG_CACHE_HOME/nbrun`, else `~/.cache/nbrun`.
    static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["NBRUN_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/nbrun" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/nbrun"
    }

    func path(for request: WorkerRequest) -> String {
        path(forKey: key(for: request))
    }

    private func path(forKey hash: String) -> String {
        "\(directory)/math/\(hash.prefix(2))/\(hash)"
    }

    /// An entry's check: its body bound to its request's key (hashed once per lookup, not
    /// once for the path and again for the check: 1,600 equations a re-render).
    private func check(_ body: [UInt8], forKey key: String) -> String {
        ContentHash.hex(of: Array((key + "\u{0}").utf8) + body)
    }

    private func key(for request: WorkerRequest) -> String {
        switch request {
        case .math(let math): return key(for: math)
        case .code(let code): return ContentHash.hex(of: highlighterIdentity + "\u{0}code\u{0}" + code.language + "\u{0}" + code.code)
        }
    }

    private func key(for request: MathRequest) -> String {
        var key = katexIdentity + "\u{0}" + (request.display ? "display" : "inline") + "\u{0}"
        if request.trusted { key += "trusted\u{0}" }
        for (name, body) in request.macros.sorted(by: { $0.key < $1.key }) {
            key += name + "\u{1}" + body + "\u{0}"
        }
        key += request.tex
        return ContentHash.hex(of: key)
    }

    func lookup(_ request: WorkerRequest) -> MathResult? {
        let key = key(for: request)
        guard let data = FileManager.default.contents(atPath: path(forKey: key)) else { return nil }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let stored = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = Array(bytes[(newline + 1)...])
        guard stored == check(body, forKey: key), let kind = body.first else { return nil }
        let text = String(decoding: body.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "H"):
            return .html(text)
        case UInt8(ascii: "E"):
            let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let position = parts.first.flatMap { Int($0) }
            return .error(message: parts.count > 1 ? String(parts[1]) : "", position: position)
        default:
            return nil
        }
    }

    /// Best effort: a cache that cannot be written only costs speed.
    func store(_ result: MathResult, for request: WorkerRequest) {
        let body: String
        switch result {
        case .html(let html): body = "H" + html
        case .error(let message, let position): body = "E" + (position.map(String.init) ?? "") + "\n" + message
        }
        let bodyBytes = Array(body.utf8)
        let key = key(for: request)
        let contents = Data(Array((check(bodyBytes, forKey: key) + "\n").utf8) + bodyBytes)
        try? AtomicFile.write(contents, to: path(forKey: key), makingFolders: true)
    }

    /// Whether a page with this math (`pageKey`) was rendered against this cache
    /// before: then its equations are most likely all here, and no worker need
    /// be started ahead of time.
    func hasRendered(page pageKey: String) -> Bool {
        FileManager.default.fileExists(atPath: pagePath(pageKey))
    }

    /// Best effort, like `store`.
    func recordRendered(page pageKey: String) {
        let file = pagePath(pageKey)
        guard !FileManager.default.fileExists(atPath: file) else { return }
        try? AtomicFile.write(Data(), to: file, makingFolders: true)
    }

    /// V8's code cache for KaTeX, kept by the worker (see `KaTeXWorker`); one per
    /// KaTeX installation, and V8 itself refuses one from another node.
    var codeCachePath: String {
        "\(directory)/katex-code/\(ContentHash.hex(of: katexIdentity).prefix(16))"
    }

    private func pagePath(_ pageKey: String) -> String {
        "\(directory)/pages/\(ContentHash.hex(of: katexIdentity + "\u{0}" + pageKey))"
    }
}

