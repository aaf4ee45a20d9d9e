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
    /// Sidebars rendered so far with nothing marked current, by folder depth and open groups.
    private let unmarkedSidebars = SidebarMemo()

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
    ///
    /// Pages at the same depth in the same group share all of their sidebar but the current
    /// entry: it is rendered once for them (a tenth of a re-render was 200 sidebars of 200
    /// entries each through Mustache), and the page's own entry, rendered alone, is marked
    /// in it — when that entry is found exactly once, else the whole sidebar is rendered.
    public func sidebar(forPage page: String, current: String?) -> String {
        let prefix = layout.rootPrefix(forPage: page)
        guard let current, let groups = Self.groupPath(to: current, in: navigation.tree) else {
            return renderedSidebar(prefix: prefix, opening: current, current: current)
        }
        let unmarked = unmarkedSidebars.value(for: prefix + "\u{0}" + groups.map(String.init).joined(separator: ",")) {
            renderedSidebar(prefix: prefix, opening: current, current: nil)
        }
        let plain = theme.render("sidebar-entry", noteEntry(current, prefix: prefix, isCurrent: false))
        let marked = theme.render("sidebar-entry", noteEntry(current, prefix: prefix, isCurrent: true))
        guard !plain.isEmpty, plain != marked, let only = Self.onlyRange(of: plain, in: unmarked) else {
            return renderedSidebar(prefix: prefix, opening: current, current: current)
        }
        return unmarked.replacingCharacters(in: only, with: marked)
    }

    /// The sidebar through the theme's templates: the groups that hold `opening` open, `current` marked.
    func renderedSidebar(prefix: String, opening: String?, current: String?) -> String {
        func entries(_ nodes: [SiteNavigation.Node]) -> [[String: Any]] {
            nodes.map { node in
                switch node {
                case .note(let path):
                    return noteEntry(path, prefix: prefix, isCurrent: path == current)
                case .group(let title, let children):
                    let open = opening.map { Self.contains(children, $0) } ?? false
                    let first = Self.firstNote(children).map { url(prefix, layout.page(for: $0)) } ?? "#"
                    return ["isNote": false, "isGroup": true, "open": open, "current": false, "title": title,
                            "url": first, "children": open ? entries(children) : [[String: Any]]()]
                }
            }
        }
        return theme.render("sidebar", ["entries": entries(navigation.tree)])
    }

    private func noteEntry(_ path: String, prefix: String, isCurrent: Bool) -> [String: Any] {
        ["isNote": true, "isGroup": false, "open": false, "current": isCurrent,
         "title": titles[path] ?? path, "url": url(prefix, layout.page(for: path)), "children": [[String: Any]]()]
    }

    /// The positions of the groups that hold `note`, outermost first; nil when the tree does not show it.
    private static func groupPath(to note: String, in nodes: [SiteNavigation.Node]) -> [Int]? {
        for (index, node) in nodes.enumerated() {
            switch node {
            case .note(let path) where path == note: return []
            case .note: continue
            case .group(_, let children): if let inner = groupPath(to: note, in: children) { return [index] + inner }
            }
        }
        return nil
    }

    /// Where `needle` occurs in `text`, when it occurs there once and only once.
    private static func onlyRange(of needle: String, in text: String) -> Range<String.Index>? {
        let bytes = Array(text.utf8), pattern = Array(needle.utf8)
        var found: Int?
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                guard found == nil else { return nil }
                found = index
                index += pattern.count
            } else {
                index += 1
            }
        }
        guard let found else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: found)
        return start..<utf8.index(start, offsetBy: pattern.count)
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

/// The sidebars one build has rendered, shared by the threads that render its pages.
private final class SidebarMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func value(for key: String, making make: () -> String) -> String {
        if let known = lock.withLock({ values[key] }) { return known }
        let made = make()
        lock.withLock { values[key] = made }
        return made
    }
}
