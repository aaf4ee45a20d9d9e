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

    /// - Parameter search: write the search index (`_assets/search-index.json`) too;
    ///   `includeListings` the index, tag and 404 pages.
    public init(chrome: SiteChrome, summaries: [String: NoteSummary], statuses: [String: NoteStatus], basePath: String, version: String,
                includeListings: Bool = true, search: Bool = true) {
        let layout = chrome.layout
        let order = chrome.navigation.order.filter { summaries[$0] != nil }
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
                "date": summary?.date.map { $0 as Any } ?? false,
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
            let verified = order.count { statuses[$0] == .verified }
            let failed = order.count { statuses[$0]?.kind == "failed" }
            let unchecked = order.count { statuses[$0] == .unchecked }
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
        }

        if search {
            let index = SearchIndex(entries: order.compactMap { path in summaries[path].map { ($0, LinkResolver.url(ofRelativePath: layout.page(for: path))) } })
            files.append((SiteLayout.searchIndex, index.json()))
        }
        self.files = files
    }
}
