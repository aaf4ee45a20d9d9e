import Foundation
import Render

/// The two files that tell the rest of the web about a site: an Atom feed of
/// its dated notes (a blog's posts), newest first, and a `sitemap.xml` of
/// every page. Both need absolute addresses, so both are written only when
/// `site.yml` gives an absolute `baseURL`. No build time goes into them: a
/// feed's `updated` is its newest note's date, so two builds are identical.
///
/// ```swift
/// SiteFeeds(baseURL: "https://example.org/notes/", …).atom   // "<?xml version=\"1.0\" …"
/// ```
struct SiteFeeds {
    static let feedPath = "feed.xml"
    static let sitemapPath = "sitemap.xml"
    /// The newest entries a feed holds (readers keep their own history).
    static let feedLength = 20

    let baseURL: String
    let siteTitle: String
    /// Notes in listing order (dated ones newest first), with their page paths.
    let notes: [(summary: NoteSummary, page: String)]
    /// Other pages of the site (index, tag pages).
    let otherPages: [String]

    /// Nil when `baseURL` is not absolute.
    var root: String? {
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else { return nil }
        return baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
    }

    func url(_ page: String) -> String? {
        root.map { $0 + LinkResolver.url(ofRelativePath: page) }
    }

    var atom: Data? {
        guard let root else { return nil }
        let dated = notes.compactMap { note in note.summary.date.flatMap { NoteDate($0) }.map { (note, $0) } }
        guard let newest = dated.first?.1 else { return nil }
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(HTML.escape(siteTitle))</title>
            <id>\(HTML.escape(root))</id>
            <link href="\(HTML.escape(root))"/>
            <link rel="self" href="\(HTML.escape(root + Self.feedPath))"/>
            <updated>\(Self.timestamp(newest))</updated>

            """
        for (note, date) in dated.prefix(Self.feedLength) {
            let link = HTML.escape(url(note.page) ?? root)
            xml += "<entry><title>\(HTML.escape(note.summary.title))</title><id>\(link)</id><link href=\"\(link)\"/>"
                + "<updated>\(Self.timestamp(date))</updated><author><name>\(HTML.escape(siteTitle))</name></author>"
                + note.summary.tags.map { "<category term=\"\(HTML.escape($0))\"/>" }.joined() + "</entry>\n"
        }
        return Data((xml + "</feed>\n").utf8)
    }

    var sitemap: Data? {
        guard root != nil else { return nil }
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for note in notes.sorted(by: { $0.page < $1.page }) {
            guard let location = url(note.page) else { continue }
            let modified = note.summary.date.flatMap { NoteDate($0) }.map { "<lastmod>\(String($0.iso.prefix(10)))</lastmod>" } ?? ""
            xml += "<url><loc>\(HTML.escape(location))</loc>\(modified)</url>\n"
        }
        for page in otherPages.sorted() {
            guard let location = url(page) else { continue }
            xml += "<url><loc>\(HTML.escape(location))</loc></url>\n"
        }
        return Data((xml + "</urlset>\n").utf8)
    }

    /// RFC 3339, as Atom wants it; a date without a time is taken at midnight UTC.
    static func timestamp(_ date: NoteDate) -> String {
        let iso = date.iso
        return (iso.count == 10 ? iso + "T00:00:00" : iso) + "Z"
    }
}
