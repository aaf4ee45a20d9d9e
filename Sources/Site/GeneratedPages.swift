import Foundation
import Render

/// The pages a site has besides its notes: the list of every note (title,
/// tags, check status, date), a page per tag and a list of tags, the 404 page,
/// and the search index. Site-relative path → bytes, in a stable order.
///
/// ```swift
/// let pages = GeneratedPages(chrome: chrome, summaries: summaries, statuses: [:], basePath: "/", version: "0.1.0")
/// pages.files["tags/backprop.html"]
/// ```
public struct GeneratedPages: Sendable {
    public let files: [(path: String, bytes: Data)]

    /// - Parameter search: write the search index (`_assets/search-index.js`) too;
    ///   `includeListings` the index, tag and 404 pages.
    /// - Parameter baseURL: `site.yml`'s; when absolute, an Atom feed and a sitemap are written with the listings.
    public init(chrome: SiteChrome, summaries: [String: NoteSummary], statuses: [String: NoteStatus], basePath: String, version: String,
                includeListings: Bool = true, search: Bool = true, baseURL: String = "") {
        let layout = chrome.layout
        let navigationOrder = chrome.navigation.order.filter { summaries[$0] != nil }
        // Dated notes (a blog's posts) newest first, then the others in reading order.
        let dated = navigationOrder.enumerated().compactMap { position, path in
            summaries[path]?.date.flatMap { NoteDate($0) }.map { (path: path, date: $0, position: position) }
        }
        let datedPaths = Set(dated.map(\.path))
        let order = dated.sorted { ($0.date, $1.position) > ($1.date, $0.position) }.map(\.path)
            + navigationOrder.filter { !datedPaths.contains($0) }
        var files: [(String, Data)] = []
        let tagPages = layout.tagPages(for: order.flatMap { summaries[$0]?.tags ?? [] })
        func tagPage(_ tag: String) -> String { tagPages[tag] ?? layout.tagPage(for: tag) }

        func noteEntry(_ path: String, from page: String) -> [String: Any] {
            let summary = summaries[path]
            let folder = (path as NSString).deletingLastPathComponent
            let entry: [String: Any] = [
                "title": summary?.title ?? path,
                "url": layout.link(from: page, to: layout.page(for: path)),
                "folder": folder.isEmpty ? false as Any : folder,
                "tags": (summary?.tags ?? []).map { ["name": $0, "url": layout.link(from: page, to: tagPage($0))] },
                "date": summary?.date.map { NoteDate($0)?.readable ?? $0 } ?? false,
                "dateTime": summary?.date.map { NoteDate($0)?.iso ?? $0 } ?? false,
                "hasStatus": false,
            ]
            return entry.merging(statuses[path]?.context ?? [:]) { _, status in status }
        }
        func common(_ page: String) -> [String: Any] {
            let prefix = layout.rootPrefix(forPage: page)
            return [
                "siteTitle": chrome.siteTitle,
                "assetBase": layout.assetBase(forPage: page),
                "rootPrefix": prefix,
                "homeURL": prefix + layout.listingPage,
                "version": version,
                "siteHeader": chrome.header(rootPrefix: prefix),
                "sidebar": chrome.sidebar(forPage: page, current: nil),
            ]
        }

        if includeListings {
            let listing = layout.listingPage
            var context = common(listing)
            context["notes"] = order.map { noteEntry($0, from: listing) }
            context["noteCount"] = order.count
            context["noteCountText"] = order.count == 1 ? "1 note" : "\(order.count) notes"
            let verified = order.count { statuses[$0] == .verified }
            let failed = order.count { statuses[$0]?.kind == "failed" }
            let unchecked = order.count { statuses[$0] == .unchecked }
            let partly = order.count { statuses[$0]?.kind == "partly-checked" }
            context["partlyCount"] = partly > 0 ? partly as Any : false
            context["verifiedCount"] = verified > 0 ? verified as Any : false
            context["failedCount"] = failed > 0 ? failed as Any : false
            context["uncheckedCount"] = unchecked > 0 ? unchecked as Any : false
            files.append((listing, Data(chrome.theme.render("index", context).utf8)))

            var byTag: [String: [String]] = [:]
            for path in order {
                for tag in Set(summaries[path]?.tags ?? []) { byTag[tag, default: []].append(path) }
            }
            // Each tag has its own page (`tagPages`); a note is listed once on it.
            var bySlug: [String: (name: String, notes: [String])] = [:]
            for tag in byTag.keys.sorted() {
                let slug = tagPage(tag)
                let merged = (bySlug[slug]?.notes ?? []) + (byTag[tag] ?? [])
                bySlug[slug] = (bySlug[slug]?.name ?? tag, order.filter(merged.contains))
            }
            for slug in bySlug.keys.sorted() {
                guard let entry = bySlug[slug] else { continue }
                var context = common(slug)
                context["heading"] = "Tagged “\(entry.name)”"
                context["isTagList"] = false
                context["notes"] = entry.notes.map { noteEntry($0, from: slug) }
                files.append((slug, Data(chrome.theme.render("tag", context).utf8)))
            }
            let tagIndex = SiteLayout.tagFolder + "/index.html"
            var tagsContext = common(tagIndex)
            tagsContext["heading"] = "Tags"
            tagsContext["isTagList"] = true
            tagsContext["tags"] = bySlug.keys.sorted().compactMap { slug -> [String: Any]? in
                guard let entry = bySlug[slug] else { return nil }
                return ["name": entry.name, "url": layout.link(from: tagIndex, to: slug), "count": entry.notes.count]
            }
            files.append((tagIndex, Data(chrome.theme.render("tag", tagsContext).utf8)))

            // Served for a missing page at any depth: links from the site's base path.
            var notFound = common(SiteLayout.notFoundPage)
            notFound["assetBase"] = basePath + SiteLayout.assetFolder + "/"
            notFound["rootPrefix"] = basePath
            notFound["homeURL"] = basePath + layout.listingPage
            notFound["siteHeader"] = chrome.header(rootPrefix: basePath)
            files.append((SiteLayout.notFoundPage, Data(chrome.theme.render("404", notFound).utf8)))

            let feeds = SiteFeeds(baseURL: baseURL, siteTitle: chrome.siteTitle,
                                  notes: order.compactMap { path in summaries[path].map { ($0, layout.page(for: path)) } },
                                  otherPages: [listing, tagIndex] + bySlug.keys.sorted())
            if let atom = feeds.atom { files.append((SiteFeeds.feedPath, atom)) }
            if let sitemap = feeds.sitemap { files.append((SiteFeeds.sitemapPath, sitemap)) }
        }

        if search {
            let index = SearchIndex(entries: order.compactMap { path in summaries[path].map { ($0, LinkResolver.url(ofRelativePath: layout.page(for: path))) } })
            files.append((SiteLayout.searchIndex, index.script()))
        }
        self.files = files
    }
}
