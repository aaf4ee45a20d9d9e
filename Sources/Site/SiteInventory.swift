import Diagnostics
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
        FolderWalk.walk(root) { entry in
            let name = entry.name
            let relative = entry.path
            let absolute = root + "/" + relative
            if name.hasPrefix(".") || skippedNames.contains(String(name)) || excludedPaths.contains(relative)
                || excludedPaths.contains(String(name)) || excludedFolders.contains(where: { absolute == $0 || absolute.hasPrefix($0 + "/") })
                || (relative == ThemeFiles.projectFolder && files.fileExists(atPath: absolute + "/templates")) {
                return false
            }
            var isLink = false
            switch entry.kind {
            case .file:
                break
            case .symbolicLink:
                var info = stat()
                guard stat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
                isLink = true
            case .folder:
                return true
            case .other:
                return false
            }
            if relative == SiteConfiguration.fileName { return false }
            // A symbolic link is followed only when it stays inside the folder.
            if isLink {
                let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
                guard resolved.hasPrefix(root + "/") else { return false }
                links[relative] = String(resolved.dropFirst(root.count + 1))
            }
            if NoteFiles.isNote(String(name)) {
                notes.append(relative)
            } else if !name.hasSuffix(".html") {
                assets.append(relative)
            }
            return false
        }
        return SiteInventory(root: root, notes: notes.sorted(), assets: assets.sorted(), links: links)
    }
}
