import Foundation
import Notebook

/// Turns what a note links to — `[[note]]`, `[text](sibling)`, `![[image.png]]` —
/// into URLs of rendered pages and assets, never following a path outside
/// the notebook root. Links are looked up in the root's file list
/// (`NoteFiles`); only a path the list does not hold is looked for on disk.
public struct LinkResolver: Sendable {
    package enum Resolution: Sendable, Equatable {
        case url(String)
        case missing
        case outsideRoot
    }

    /// Absolute, symlink-free folder that holds the notes.
    package let root: String
    /// Absolute folder of the note being rendered (links are relative to it).
    package let noteDirectory: String
    /// Absolute folder the page is written to (URLs are relative to it).
    package let pageDirectory: String
    /// Where a note's page or an asset is published, given its absolute source path.
    package let publishedPath: @Sendable (String) -> String
    package let files: NoteFiles

    /// - Parameter files: the root's files, listed once for many pages; nil scans the root now.
    package init(root: String, notePath: String, pageDirectory: String, files: NoteFiles? = nil,
                 publishedPath: @escaping @Sendable (String) -> String = LinkResolver.besideSource) {
        let resolvedRoot = Self.canonical(root)
        self.root = resolvedRoot
        self.noteDirectory = (Self.canonical(notePath) as NSString).deletingLastPathComponent
        self.pageDirectory = Self.canonical(pageDirectory)
        self.publishedPath = publishedPath
        self.files = files.flatMap { $0.root == resolvedRoot ? $0 : nil } ?? NoteFiles.scan(root: resolvedRoot)
    }

    /// Pages beside their notes (`a/b.md` → `a/b.html`), assets where they are.
    public static let besideSource: @Sendable (String) -> String = { path in
        NoteFiles.isNote(path) ? NoteFiles.withoutNoteExtension(path) + ".html" : path
    }

    /// A Markdown link's destination as written.
    package func resolve(link destination: String) -> Resolution {
        if Self.isExternal(destination) || destination.hasPrefix("#") { return .url(destination) }
        let (path, fragment) = Self.splitFragment(destination)
        let decoded = path.removingPercentEncoding ?? path
        let candidate = decoded.hasPrefix("/") ? root + decoded : noteDirectory + "/" + decoded
        return resolveFile(candidate, fragment: fragment, treatAsNote: true)
    }

    /// An Obsidian wiki link or embed target (`note`, `folder/note`, `image.png`).
    package func resolve(wikiTarget target: String, heading: String?) -> Resolution {
        let fragment = heading.map { "#" + Heading.anchor(forLinkHeading: $0) } ?? ""
        let name = target.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return .url(fragment.isEmpty ? "#" : fragment) }
        if name.contains("/") {
            return resolveFile(root + "/" + name, fragment: fragment, treatAsNote: true)
        }
        let key = name.lowercased()
        let candidates = files.named(key).isEmpty ? files.named(key + ".md") : files.named(key)
        guard let best = candidates.min(by: { ($0.count, $0) < ($1.count, $1) }) ?? files.aliases[key] else { return .missing }
        return resolveFile(root + "/" + best, fragment: fragment, treatAsNote: true)
    }

    /// The absolute path of the note a wiki link names, when it names a note that is published.
    package func notePath(wikiTarget target: String) -> String? {
        let name = target.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        let relative: String?
        if name.contains("/") {
            relative = [name, name + ".md", name + ".markdown"].first { files.target(of: $0) != nil }.flatMap { files.target(of: $0) }
        } else {
            let key = name.lowercased()
            let candidates = files.named(key).isEmpty ? files.named(key + ".md") : files.named(key)
            relative = (candidates.min { ($0.count, $0) < ($1.count, $1) } ?? files.aliases[key]).flatMap { files.target(of: $0) ?? $0 }
        }
        guard let relative, NoteFiles.isNote(relative), !files.unpublished.contains(relative) else { return nil }
        return root + "/" + relative
    }

    private func resolveFile(_ path: String, fragment: String, treatAsNote: Bool) -> Resolution {
        if !files.unpublished.isEmpty, let relative = files.relativePath(of: path),
           files.unpublished.contains(relative) || (treatAsNote && files.unpublished.contains(relative + ".md")) {
            return .missing
        }
        // The list holds only files whose real path is inside the root: a path it knows needs no disk.
        if let relative = files.relativePath(of: path),
           let target = files.target(of: relative)
            ?? (treatAsNote ? files.target(of: relative + ".md") ?? files.target(of: relative + ".markdown") : nil) {
            return url(for: root + "/" + target, fragment: fragment)
        }
        let files = FileManager.default
        var target = Self.canonical(path)
        if treatAsNote, !files.fileExists(atPath: target), files.fileExists(atPath: target + ".md") {
            target = Self.canonical(target + ".md")
        }
        guard target == root || target.hasPrefix(root + "/") else { return .outsideRoot }
        // Only a regular file is a note or an asset: not a folder, a pipe or a device.
        var info = stat()
        guard stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .missing }
        return url(for: target, fragment: fragment)
    }

    private func url(for target: String, fragment: String) -> Resolution {
        let output = publishedPath(target)
        return .url(Self.url(ofRelativePath: Self.relativePath(from: pageDirectory, to: output)) + fragment)
    }

    static func isExternal(_ destination: String) -> Bool {
        guard let colon = destination.firstIndex(of: ":") else { return destination.hasPrefix("//") }
        let scheme = destination[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// URLs whose scheme can run script in a browser are never emitted.
    package static func isSafe(url: String) -> Bool {
        guard isExternal(url) else { return true }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        return ["http", "https", "mailto", "ftp"].contains(scheme) || url.hasPrefix("//")
    }

    /// A relative path as a URL: percent-encoded, and never read as a scheme —
    /// a note named `javascript:alert(1).md` is linked as `./javascript:alert(1).html`.
    public static func url(ofRelativePath path: String) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""
        return encoded.prefix { $0 != "/" }.contains(":") ? "./" + encoded : encoded
    }

    static func splitFragment(_ destination: String) -> (String, String) {
        guard let hash = destination.firstIndex(of: "#") else { return (destination, "") }
        return (String(destination[..<hash]), String(destination[hash...]))
    }

    /// The absolute path with `.`/`..` and symlinks resolved.
    public static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
    }

    public static func relativePath(from directory: String, to file: String) -> String {
        let from = directory.split(separator: "/")
        let to = file.split(separator: "/")
        var common = 0
        while common < min(from.count, to.count - 1), from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...].map(String.init)).joined(separator: "/")
    }
}
