import Foundation
import Render

/// The files of a notes folder that make a site: notes (`*.md`) and every
/// other file (images, data) a note may use, as folder-relative paths with `/`
/// separators, sorted. Hidden files, `node_modules`, the site folder itself,
/// the project's theme override (`site/`) and `site.yml`'s `exclude` are left out;
/// symbolic links that lead outside the folder are not followed.
///
/// ```swift
/// let inventory = SiteInventory.scan(root: "/abs/notebooks", excluding: ["/abs/notebooks/_site"], exclude: [])
/// inventory.notes   // ["hidden-layers.md", "output-layer.md"]
/// ```
public struct SiteInventory: Sendable, Equatable {
    /// The folder, absolute and symlink-free.
    public var root: String
    public var notes: [String]
    public var assets: [String]
    /// Symbolic links among notes and assets → the path inside the folder they lead to.
    public var links: [String: String]

    public init(root: String, notes: [String], assets: [String], links: [String: String] = [:]) {
        self.root = root
        self.notes = notes
        self.assets = assets
        self.links = links
    }

    /// The list every page's links are resolved against (Render's `LinkResolver`).
    public var files: NoteFiles {
        NoteFiles(root: root, files: notes + assets, links: links)
    }

    /// Folder names that are never part of a site.
    static let skippedNames: Set<String> = ["node_modules", "_site"]

    public static func scan(root: String, excluding excludedFolders: [String], exclude: [String]) -> SiteInventory {
        var notes: [String] = []
        var assets: [String] = []
        var links: [String: String] = [:]
        let files = FileManager.default
        let excludedPaths = Set(exclude.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        guard let walker = files.enumerator(atPath: root) else { return SiteInventory(root: root, notes: [], assets: []) }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let absolute = root + "/" + relative
            if name.hasPrefix(".") || skippedNames.contains(name) || excludedPaths.contains(relative)
                || excludedPaths.contains(name) || excludedFolders.contains(where: { absolute == $0 || absolute.hasPrefix($0 + "/") })
                || (relative == ThemeFiles.projectFolder && files.fileExists(atPath: absolute + "/templates")) {
                walker.skipDescendants()
                continue
            }
            // One lstat per entry (FileManager's attributes cost several system calls each).
            var info = stat()
            guard lstat(absolute, &info) == 0 else { continue }
            let isLink = info.st_mode & S_IFMT == S_IFLNK
            if isLink, stat(absolute, &info) != 0 { continue }
            guard info.st_mode & S_IFMT == S_IFREG else { continue }
            if relative == SiteConfiguration.fileName { continue }
            // A symbolic link is followed only when it stays inside the folder.
            if isLink {
                let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
                guard resolved.hasPrefix(root + "/") else { continue }
                links[relative] = String(resolved.dropFirst(root.count + 1))
            }
            if name.hasSuffix(".md") {
                notes.append(relative)
            } else if !name.hasSuffix(".html") {
                assets.append(relative)
            }
        }
        return SiteInventory(root: root, notes: notes.sorted(), assets: assets.sorted(), links: links)
    }
}
