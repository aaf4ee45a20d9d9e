import Foundation
import Render

/// Where each thing goes in the site folder. Notes keep their folders
/// (`derivation/hidden-layers.md` → `derivation/hidden-layers.html`); the
/// generated pages and the theme's files have fixed places.
///
/// ```swift
/// let layout = SiteLayout(notes: ["a.md", "b/c.md"])
/// layout.page(for: "b/c.md")          // "b/c.html"
/// layout.assetBase(forPage: "b/c.html") // "../_assets/"
/// ```
public struct SiteLayout: Sendable, Equatable {
    /// The theme's stylesheets and scripts, KaTeX's stylesheet and fonts, the search index.
    public static let assetFolder = "_assets"
    /// A script, not JSON: a page opened from `file://` may load a script but not fetch a file.
    public static let searchIndex = "_assets/search-index.js"
    public static let notFoundPage = "404.html"
    public static let tagFolder = "tags"

    /// The list of every note: `index.html`, or `notes.html` when a note of
    /// the folder's top (`index.md`) takes `index.html`.
    public let listingPage: String

    public init(notes: [String]) {
        listingPage = notes.contains("index.md") ? "notes.html" : "index.html"
    }

    public func page(for note: String) -> String {
        NoteFiles.withoutNoteExtension(note) + ".html"
    }

    public func tagPage(for tag: String) -> String {
        Self.tagFolder + "/" + Self.slug(tag) + ".html"
    }

    /// A page for each tag, no two alike: of tags that share a slug (`c`, `C`, `c#`, `C++`),
    /// all but the one written as the slug, and a tag whose slug is the tag list's (`index`),
    /// get a hash of their text after the slug.
    public func tagPages(for tags: some Sequence<String>) -> [String: String] {
        let bySlug = Dictionary(grouping: Set(tags), by: { Self.slug($0) })
        var pages: [String: String] = [:]
        for (slug, group) in bySlug {
            for tag in group {
                pages[tag] = (group.count == 1 || tag == slug) && slug != "index"
                    ? tagPage(for: tag)
                    : Self.tagFolder + "/" + slug + "-" + ContentHash.hex(of: tag).prefix(12) + ".html"
            }
        }
        return pages
    }

    /// `../` once per folder between the page and the site's top.
    public func rootPrefix(forPage page: String) -> String {
        String(repeating: "../", count: page.split(separator: "/").count - 1)
    }

    public func assetBase(forPage page: String) -> String {
        rootPrefix(forPage: page) + Self.assetFolder + "/"
    }

    /// A URL from one page of the site to another file of the site.
    public func link(from page: String, to target: String) -> String {
        let url = rootPrefix(forPage: page) + target
        return LinkResolver.url(ofRelativePath: url)
    }

    /// Whether a note's page or asset would land on a generated page, the theme's folder
    /// (its script, stylesheet and the search index) or the build's own records.
    public func isReserved(page: String) -> Bool {
        page == listingPage || page == Self.notFoundPage || page.hasPrefix(Self.assetFolder + "/") || page.hasPrefix(Self.tagFolder + "/")
            || page == SiteManifest.fileName || page.hasPrefix(SiteStaging.folderName + "/")
    }

    /// `Neural Networks` → `neural-networks`; never empty, never a path.
    public static func slug(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "_" {
                out.append(character)
            } else if !out.hasSuffix("-"), !out.isEmpty {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "tag" : out
    }
}
