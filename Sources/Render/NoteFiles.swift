import Diagnostics
import Foundation
import Notebook

/// The files of a notes folder, listed once, so that resolving a page's links
/// costs no file-system calls: `nbrun build` makes one from the folder it
/// already walked and gives it to every page; `nbrun FILE.md` scans the folder
/// once. Only files whose real path is inside the folder are listed (a
/// symbolic link is listed with its target), so a link resolved from the list
/// can never lead outside it.
///
/// ```swift
/// let files = NoteFiles(root: "/abs/notes", files: ["a.md", "img/plot.png"])
/// files.target(of: "img/plot.png")   // "img/plot.png"
/// files.named("a")                   // ["a.md"]
/// ```
public struct NoteFiles: Sendable {
    /// The folder, absolute and symlink-free.
    public let root: String
    /// Folder-relative path → folder-relative path of the file it is (itself, or
    /// where a symbolic link leads).
    private let targets: [String: String]
    /// Lowercased file name, and a note's name without `.md` → folder-relative paths.
    private let byName: [String: [String]]
    /// Notes in the folder that are not published (drafts): links to them lead nowhere,
    /// even though the file is there.
    public var unpublished: Set<String> = []
    /// Obsidian aliases, lowercased → the note that has them: a wiki link no file name matches may name one.
    public var aliases: [String: String] = [:]

    /// - Parameters:
    ///   - root: the folder, absolute and symlink-free.
    ///   - files: folder-relative paths with `/` separators, all inside the folder.
    ///   - links: for symbolic links among `files`, the relative path they lead to.
    public init(root: String, files: [String], links: [String: String] = [:]) {
        self.root = root
        var targets: [String: String] = [:]
        var byName: [String: [String]] = [:]
        targets.reserveCapacity(files.count)
        for path in files {
            targets[path] = links[path] ?? path
            let name = (path as NSString).lastPathComponent.lowercased()
            byName[name, default: []].append(path)
            if Self.isNote(name) { byName[Self.withoutNoteExtension(name), default: []].append(path) }
        }
        self.targets = targets
        self.byName = byName
    }

    /// Walks a folder (hidden files and `node_modules` left out, at most 50,000
    /// files), for one note rendered on its own.
    public static func scan(root: String) -> NoteFiles {
        let root = LinkResolver.canonical(root)
        var files: [String] = []
        var links: [String: String] = [:]
        let inside = root.hasSuffix("/") ? root : root + "/"
        FolderWalk.walk(root) { entry in
            guard files.count < 50_000, !entry.name.hasPrefix("."), entry.name != "node_modules" else { return false }
            switch entry.kind {
            case .file:
                files.append(entry.path)
            case .symbolicLink:
                let resolved = LinkResolver.canonical(inside + entry.path)
                // Only a regular file is a note or an asset (a pipe would hang whoever reads it).
                var info = stat()
                guard resolved.hasPrefix(inside), stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { break }
                files.append(entry.path)
                links[entry.path] = String(resolved.dropFirst(inside.count))
            case .folder, .other:
                break
            }
            return true
        }
        return NoteFiles(root: root, files: files, links: links)
    }

    /// The list with `aliases` read from the notes' own front matter, for a note rendered on
    /// its own (a site gathers them while it reads every note). Only the first `maxBytes` of a
    /// note are read, and only one that starts with `---` and says `alias` is parsed; where two
    /// notes claim a name, the first in path order has it.
    public func readingAliases(maxBytes: Int = 64 << 10) -> NoteFiles {
        var copy = self
        let marker = Array("alias".utf8)
        for relative in targets.keys.sorted() where Self.isNote(relative) && targets[relative] == relative {
            guard let handle = FileHandle(forReadingAtPath: root + "/" + relative) else { continue }
            let bytes = Array((try? handle.read(upToCount: maxBytes)) ?? Data())
            try? handle.close()
            guard bytes.starts(with: Array("---".utf8)),
                  bytes.indices.dropLast(marker.count - 1).contains(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }) else { continue }
            for alias in FrontMatter(readingFrontOf: SourceFile(path: relative, bytes: bytes)).aliases where !alias.isEmpty {
                if copy.aliases[alias.lowercased()] == nil { copy.aliases[alias.lowercased()] = relative }
            }
        }
        return copy
    }

    /// The file a folder-relative path names, as a folder-relative path; nil when it is not listed.
    public func target(of relative: String) -> String? {
        targets[relative]
    }

    /// Files called `name` (any case), or `name.md`.
    public func named(_ name: String) -> [String] {
        byName[name] ?? []
    }

    public var count: Int { targets.count }

    /// The endings of a note's file name: `.md`, and Jekyll's `.markdown`.
    public static let noteExtensions = [".md", ".markdown"]

    /// Whether a path names a note (`a/b.md`, `post.markdown`).
    public static func isNote(_ path: String) -> Bool {
        noteExtensions.contains { path.hasSuffix($0) }
    }

    /// `a/b.md` → `a/b`, `post.markdown` → `post`; other paths as they are.
    public static func withoutNoteExtension(_ path: String) -> String {
        noteExtensions.first { path.hasSuffix($0) }.map { String(path.dropLast($0.count)) } ?? path
    }

    /// `/root/a/./b/../c` → `a/c` when the path, with `.` and `..` worked out
    /// without following links, is inside the root; nil otherwise.
    func relativePath(of absolute: String) -> String? {
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
            } else {
                parts.append(part)
            }
        }
        let normalized = "/" + parts.joined(separator: "/")
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard normalized.hasPrefix(prefix) else { return nil }
        return String(normalized.dropFirst(prefix.count))
    }
}
