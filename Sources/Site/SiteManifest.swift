import Diagnostics
import Foundation
import Render

/// What the last build wrote into a site folder (`.nbrun-site.json`): every
/// file it owns with the SHA-256 of its bytes, and for each note's page the
/// cache key it was rendered from and what rendering reported. The next build
/// skips a page whose key has not changed, removes only files an earlier
/// build wrote and this one did not, and a merge reads the parts' manifests.
public struct SiteManifest: Sendable, Codable, Equatable {
    public static let fileName = ".nbrun-site.json"

    public struct Page: Sendable, Codable, Equatable {
        public var note: String
        public var key: String
        public var diagnostics: [Diagnostic]
        public var mathCount: Int
        public var status: NoteStatus
    }

    public var version: String = ""
    /// `I/N` for a part built with `--shard`, nil for a whole site.
    public var shard: String?
    /// Same configuration, theme and nbrun in every part of a merge.
    public var fingerprint: String = ""
    /// Site-relative path → SHA-256 of the bytes written there.
    public var files: [String: String] = [:]
    /// By page path.
    public var pages: [String: Page] = [:]
    /// The key the index, tag pages, 404 page and search index were made from, and their paths.
    public var generatedKey: String = ""
    public var generated: [String] = []

    public init() {}

    public static func read(from site: String) -> SiteManifest? {
        guard let data = FileManager.default.contents(atPath: site + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(SiteManifest.self, from: data)
    }

    public func write(to site: String) throws(SiteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            try AtomicFile.write(try encoder.encode(self), to: site + "/" + Self.fileName)
        } catch {
            throw .cannotWrite(path: site + "/" + Self.fileName, reason: "\(error)")
        }
    }
}
