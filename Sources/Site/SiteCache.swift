import Diagnostics
import Foundation
import Render

/// Content-addressed entries on disk under `$NBRUN_CACHE_DIR/site/`: a note's
/// summary keyed on its bytes, a rendered page keyed on everything that
/// changes it. Each file starts with the SHA-256 of its kind, key and body, so a
/// torn or corrupt entry, or one moved to another key's place (a shared cache
/// with two entries swapped), is noticed and rebuilt. Best effort: a cache that
/// cannot be written only costs speed.
///
/// ```swift
/// let cache = SiteCache(directory: "/home/me/.cache/nbrun")
/// cache.storePage(page, key: key)
/// let again = cache.lookupPage(key: key)
/// ```
public struct SiteCache: Sendable {
    /// Bump when the layout of entries changes (v4: unchecked steps' codes name their reason).
    static let format = "site-v4"
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func lookup<Value: Decodable>(kind: String, key: String) -> Value? {
        guard let body = lookupBytes(kind: kind, key: key) else { return nil }
        return try? JSONDecoder().decode(Value.self, from: Data(body))
    }

    public func store<Value: Encodable>(_ value: Value, kind: String, key: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let body = try? encoder.encode(value) else { return }
        storeBytes([UInt8](body), kind: kind, key: key)
    }

    /// An entry's body, when its hash line matches it.
    func lookupBytes(kind: String, key: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path(kind: kind, key: key)) else { return nil }
        let bytes = [UInt8](data)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let body = Array(bytes[(newline + 1)...])
        guard String(decoding: bytes[..<newline], as: UTF8.self) == Self.hash(of: body, kind: kind, key: key) else { return nil }
        return body
    }

    func storeBytes(_ body: [UInt8], kind: String, key: String) {
        try? AtomicFile.write(Data(Array((Self.hash(of: body, kind: kind, key: key) + "\n").utf8) + body), to: path(kind: kind, key: key),
                              makingFolders: true)
    }

    /// The entry's check: its body bound to the place it belongs.
    static func hash(of body: [UInt8], kind: String, key: String) -> String {
        ContentHash.hex(of: Array((kind + "\u{0}" + key + "\u{0}").utf8) + body)
    }

    func path(kind: String, key: String) -> String {
        "\(directory)/\(Self.format)/\(kind)/\(key.prefix(2))/\(key)"
    }
}

/// A rendered page as cached: its HTML, what checking and rendering it
/// reported, and the note's check status (for the index and tag pages).
public struct CachedPage: Sendable, Codable, Equatable {
    public var html: String
    public var diagnostics: [Diagnostic]
    public var mathCount: Int
    public var status: NoteStatus
}

extension SiteCache {
    /// What a page's entry says besides its HTML.
    private struct PageHead: Codable {
        var diagnostics: [Diagnostic]
        var mathCount: Int
        var status: NoteStatus
    }

    /// Stores a page as its check line, one line of JSON (its diagnostics, math count and
    /// status), then its HTML as it is: escaping 40 KB of HTML into a JSON string, and reading
    /// it back, was a twentieth of a re-render. The check binds the JSON line and `htmlHash`,
    /// the SHA-256 of the HTML the build has already computed for its manifest, to the entry's
    /// kind and key, so the HTML is hashed once per page, not twice.
    ///
    /// `spares`: files to write the entry over (then renamed into place) instead of making one.
    func storePage(_ page: CachedPage, key: String, htmlHash: String, spares: SpareFiles? = nil) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let head = try? encoder.encode(PageHead(diagnostics: page.diagnostics, mathCount: page.mathCount, status: page.status)) else { return }
        let check = Self.hash(of: [UInt8](head) + Array(("\u{0}" + htmlHash).utf8), kind: "pages", key: key)
        let bytes = Data(Array((check + "\n").utf8) + [UInt8](head) + [UInt8(ascii: "\n")] + Array(page.html.utf8))
        let path = path(kind: "pages", key: key)
        if let spare = spares?.take() {
            // Written aside, then renamed: another build reading this cache sees the whole entry or none.
            let aside = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
            if (try? SpareFiles.write(bytes, over: spare, at: aside)) == true {
                if rename(aside, path) == 0 { return }
                unlink(aside)
            }
        }
        try? AtomicFile.write(bytes, to: path, makingFolders: true)
    }

    /// A page stored by `storePage`, when its check matches its JSON line and HTML.
    public func lookupPage(key: String) -> CachedPage? {
        guard let data = FileManager.default.contents(atPath: path(kind: "pages", key: key)) else { return nil }
        let bytes = [UInt8](data)
        guard let first = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let head = Array(bytes[(first + 1)..<second])
        let html = Array(bytes[(second + 1)...])
        let check = Self.hash(of: head + Array(("\u{0}" + ContentHash.hex(of: html)).utf8), kind: "pages", key: key)
        guard String(decoding: bytes[..<first], as: UTF8.self) == check,
              let decoded = try? JSONDecoder().decode(PageHead.self, from: Data(head)) else { return nil }
        return CachedPage(html: String(decoding: html, as: UTF8.self), diagnostics: decoded.diagnostics,
                          mathCount: decoded.mathCount, status: decoded.status)
    }
}
