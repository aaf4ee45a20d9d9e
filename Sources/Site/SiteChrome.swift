import Foundation
import Render

/// The parts every page of a site shares, rendered from the theme's partials
/// for one page at a time (their links are relative to that page): the header
/// with the search box, the sidebar following the navigation, previous/next.
///
/// ```swift
/// let chrome = SiteChrome(theme: theme, layout: layout, navigation: navigation, titles: titles, siteTitle: "Notes")
/// chrome.sidebar(forPage: "a.html", current: "a.md")   // "<nav class=\"sidebar\" …"
/// ```
public struct SiteChrome: Sendable {
    public let theme: ThemeFiles
    public let layout: SiteLayout
    public let navigation: SiteNavigation
    /// Note path → title.
    public let titles: [String: String]
    public let siteTitle: String

    public init(theme: ThemeFiles, layout: SiteLayout, navigation: SiteNavigation, titles: [String: String], siteTitle: String) {
        self.theme = theme
        self.layout = layout
        self.navigation = navigation
        self.titles = titles
        self.siteTitle = siteTitle
    }

    /// `rootPrefix` is how the page reaches the site's top: `../` per folder,
    /// or an absolute base path for pages served at any depth (404).
    public func header(rootPrefix: String) -> String {
        theme.render("site-header", [
            "siteTitle": siteTitle,
            "homeURL": rootPrefix + layout.listingPage,
            "tagsURL": rootPrefix + SiteLayout.tagFolder + "/index.html",
            "assetBase": rootPrefix + SiteLayout.assetFolder + "/",
            "rootPrefix": rootPrefix,
        ])
    }

    /// The groups that hold `current` are open; the others show as one link to their first note.
    public func sidebar(forPage page: String, current: String?) -> String {
        let prefix = layout.rootPrefix(forPage: page)
        func entries(_ nodes: [SiteNavigation.Node]) -> [[String: Any]] {
            nodes.map { node in
                switch node {
                case .note(let path):
                    return ["isNote": true, "isGroup": false, "open": false, "current": path == current,
                            "title": titles[path] ?? path, "url": url(prefix, layout.page(for: path)), "children": [[String: Any]]()]
                case .group(let title, let children):
                    let open = current.map { Self.contains(children, $0) } ?? false
                    let first = Self.firstNote(children).map { url(prefix, layout.page(for: $0)) } ?? "#"
                    return ["isNote": false, "isGroup": true, "open": open, "current": false, "title": title,
                            "url": first, "children": open ? entries(children) : [[String: Any]]()]
                }
            }
        }
        return theme.render("sidebar", ["entries": entries(navigation.tree)])
    }

    public func pageNavigation(forPage page: String, note: String) -> String {
        let prefix = layout.rootPrefix(forPage: page)
        let (previous, next) = navigation.neighbours(of: note)
        var context: [String: Any] = [:]
        if let previous { context["previous"] = ["title": titles[previous] ?? previous, "url": url(prefix, layout.page(for: previous))] }
        if let next { context["next"] = ["title": titles[next] ?? next, "url": url(prefix, layout.page(for: next))] }
        return theme.render("page-nav", context)
    }

    private func url(_ prefix: String, _ target: String) -> String {
        let url = prefix + target
        return LinkResolver.url(ofRelativePath: url)
    }

    private static func contains(_ nodes: [SiteNavigation.Node], _ note: String) -> Bool {
        nodes.contains { node in
            switch node {
            case .note(let path): path == note
            case .group(_, let children): contains(children, note)
            }
        }
    }

    private static func firstNote(_ nodes: [SiteNavigation.Node]) -> String? {
        for node in nodes {
            switch node {
            case .note(let path): return path
            case .group(_, let children): if let first = firstNote(children) { return first }
            }
        }
        return nil
    }
}
