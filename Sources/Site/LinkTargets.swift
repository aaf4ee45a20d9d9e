import Diagnostics
import Foundation
import Render

/// What each note's links point at, worked out once for the whole site from
/// the list of its files (the way `Render.LinkResolver` resolves them on a
/// page): a note, an asset, or nothing. The site uses it to copy only the
/// assets notes use, to list broken links with their locations, and to key a
/// page's cache on the targets of its links.
///
/// ```swift
/// let targets = LinkTargets(inventory: inventory)
/// targets.resolve(.init(kind: .wikiLink, target: "hidden-layers", …), from: "index.md")  // .note("derivation/hidden-layers.md")
/// ```
public struct LinkTargets: Sendable {
    public enum Target: Sendable, Equatable {
        case note(String)
        case asset(String)
        case external
        case missing
        case outside
    }

    private let notes: Set<String>
    private let assets: Set<String>
    private let byName: [String: [String]]
    /// Obsidian aliases, lowercased → the note that has them.
    private let aliases: [String: String]

    /// - Parameter aliases: lowercased alias → folder-relative path of the note (`SiteBuilder` gathers them).
    public init(inventory: SiteInventory, aliases: [String: String] = [:]) {
        self.aliases = aliases
        notes = Set(inventory.notes)
        assets = Set(inventory.assets)
        var byName: [String: [String]] = [:]
        for path in inventory.notes + inventory.assets {
            let name = (path as NSString).lastPathComponent.lowercased()
            byName[name, default: []].append(path)
            if NoteFiles.isNote(name) { byName[NoteFiles.withoutNoteExtension(name), default: []].append(path) }
        }
        self.byName = byName
    }

    public func resolve(_ reference: NoteSummary.Reference, from note: String) -> Target {
        switch reference.kind {
        case .wikiLink, .embed:
            let name = reference.target.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { return .external }
            if name.contains("/") { return file(Self.normalize(name), asNote: true) }
            let key = name.lowercased()
            let candidates = byName[key] ?? byName[key + ".md"] ?? []
            guard let best = candidates.min(by: { ($0.count, $0) < ($1.count, $1) }) else {
                return aliases[key].map { .note($0) } ?? .missing
            }
            return file(best, asNote: true)
        case .link, .image:
            let destination = reference.target
            if Self.isExternal(destination) || destination.hasPrefix("#") || destination.isEmpty { return .external }
            var path = destination
            if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
            if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
            path = path.removingPercentEncoding ?? path
            let folder = (note as NSString).deletingLastPathComponent
            let joined = path.hasPrefix("/") ? String(path.dropFirst()) : (folder.isEmpty ? path : folder + "/" + path)
            guard let normalized = Self.normalizeInside(joined) else { return .outside }
            return file(normalized, asNote: true)
        }
    }

    private func file(_ path: String, asNote: Bool) -> Target {
        if notes.contains(path) { return .note(path) }
        if assets.contains(path) { return .asset(path) }
        if asNote, let note = [path + ".md", path + ".markdown"].first(where: notes.contains) { return .note(note) }
        return .missing
    }

    static func isExternal(_ destination: String) -> Bool {
        guard let colon = destination.firstIndex(of: ":") else { return destination.hasPrefix("//") }
        let scheme = destination[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    static func normalize(_ path: String) -> String {
        normalizeInside(path) ?? path
    }

    /// `a/./b/../c` → `a/c`; nil when `..` climbs out of the folder.
    static func normalizeInside(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
