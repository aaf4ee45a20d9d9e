import Foundation
import Testing
@testable import Site

/// A page's sidebar, made from one shared render per folder depth and open group with the
/// page's own entry marked in it, is the sidebar the theme's templates give for that page.
@Suite struct SidebarTests {
    static let notes = ["intro.md", "a/one.md", "a/two.md", "a/b/deep.md", "a/b/deeper.md", "c/three.md", "z.md"]

    static func chrome(navigation yaml: [SiteConfiguration.NavigationEntry] = []) throws -> SiteChrome {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let theme = try ThemeFiles(base: repository + "/site", project: nil, cacheDirectory: NSTemporaryDirectory() + "nbrun-sidebar-tests")
        var configuration = SiteConfiguration()
        configuration.navigation = yaml
        let titles = Dictionary(uniqueKeysWithValues: notes.map { ($0, "Title of " + $0) })
        return SiteChrome(theme: theme, layout: SiteLayout(notes: notes), navigation: SiteNavigation(notes: notes, configuration: configuration),
                          titles: titles, siteTitle: "Notes")
    }

    @Test(arguments: [false, true])
    func everyPagesSidebarIsTheOneItsTemplatesGive(_ configured: Bool) throws {
        let chrome = try Self.chrome(navigation: configured
            ? [.group(title: "Start", entries: [.note("z.md"), .group(title: "Inner", entries: [.note("a/b/deep.md")])]), .note("intro.md")]
            : [])
        // Twice over: the second time every sidebar comes from the shared renders.
        for _ in 0..<2 {
            for note in Self.notes {
                let page = chrome.layout.page(for: note)
                let expected = chrome.renderedSidebar(prefix: chrome.layout.rootPrefix(forPage: page), opening: note, current: note)
                let sidebar = chrome.sidebar(forPage: page, current: note)
                #expect(sidebar == expected, "\(note)")
                #expect(sidebar.components(separatedBy: "aria-current=\"page\"").count == 2, "\(note): \(sidebar)")
            }
        }
        let index = chrome.sidebar(forPage: "index.html", current: nil)
        #expect(index == chrome.renderedSidebar(prefix: "", opening: nil, current: nil))
        #expect(!index.contains("aria-current"))
    }

    @Test func theCurrentEntryIsMarkedInItsGroup() throws {
        let chrome = try Self.chrome()
        let sidebar = chrome.sidebar(forPage: "a/b/deep.html", current: "a/b/deep.md")
        #expect(sidebar.contains("<li class=\"current\"><a href=\"../../a/b/deep.html\" aria-current=\"page\">Title of a/b/deep.md</a></li>"))
        #expect(sidebar.contains("<li><a href=\"../../a/b/deeper.html\">Title of a/b/deeper.md</a></li>"))
    }
}
