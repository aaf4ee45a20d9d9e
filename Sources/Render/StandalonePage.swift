import Foundation

/// Where `nbrun FILE.md` puts one page and what the page needs: the theme's and
/// KaTeX's files in one `_assets/` folder beside the page (not strewn among the
/// notes of a vault or `_posts/`), and — when the page is written away from its
/// note (`-o /tmp/page.html`) — copies of the images and files it links to, at
/// the same relative paths, so its links keep working.
///
/// ```swift
/// let placement = StandalonePage(note: "vault/a.md", outputPath: "/tmp/a.html", root: "vault")
/// let page = try renderer.render(notebook, root: "vault", outputPath: "/tmp/a.html",
///                                publishedPath: placement.publishedPath, assetBase: StandalonePage.assetBase)
/// try placement.copyUsedFiles()   // vault/dot.png → /tmp/dot.png
/// ```
public final class StandalonePage: @unchecked Sendable {
    /// The folder beside the page that holds its stylesheets, fonts and script.
    public static let assetFolder = "_assets"
    /// `assetBase` for the page template.
    public static let assetBase = assetFolder + "/"

    /// Absolute, symlink-free folders.
    private let noteDirectory: String
    private let root: String
    public let pageDirectory: String
    /// Whether the page is written elsewhere than beside its note (then what it links to is copied).
    public let isMoved: Bool
    private let lock = NSLock()
    /// Source → destination of every file the page links to, while it is rendered.
    private var used: [String: String] = [:]

    public init(note: String, outputPath: String, root: String) {
        noteDirectory = (LinkResolver.canonical(note) as NSString).deletingLastPathComponent
        pageDirectory = (LinkResolver.canonical(outputPath) as NSString).deletingLastPathComponent
        self.root = LinkResolver.canonical(root)
        isMoved = noteDirectory != pageDirectory
    }

    /// The folder the theme's and KaTeX's files go to.
    public var assetDirectory: String { pageDirectory + "/" + Self.assetFolder }

    /// For `PageRenderer.render(publishedPath:)`: notes' pages beside their notes; files
    /// beside the page at their path from the note's folder (from the root, under
    /// `_assets/files/`, for one outside the note's folder), remembered for `copyUsedFiles`.
    public var publishedPath: @Sendable (String) -> String {
        { [self] path in
            guard isMoved, !NoteFiles.isNote(path) else { return LinkResolver.besideSource(path) }
            let destination: String
            if path.hasPrefix(noteDirectory + "/") {
                destination = pageDirectory + "/" + path.dropFirst(noteDirectory.count + 1)
            } else if path.hasPrefix(root + "/") {
                destination = assetDirectory + "/files/" + path.dropFirst(root.count + 1)
            } else {
                return path
            }
            lock.withLock { used[path] = destination }
            return destination
        }
    }

    /// Copies every file the page linked to beside it (a moved page only; one already
    /// there with the same size is left alone). Returns the copies' paths.
    @discardableResult
    public func copyUsedFiles() throws(RenderError) -> [String] {
        let copies = lock.withLock { used }
        for (source, destination) in copies.sorted(by: { $0.key < $1.key }) where source != destination {
            try AssetCopier.copy(from: source, to: destination)
        }
        return copies.values.sorted()
    }
}
