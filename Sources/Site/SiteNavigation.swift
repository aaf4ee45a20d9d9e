import Foundation

/// The reading order of the notes and the tree the sidebar shows: the order
/// of `navigation` in `site.yml` when it names notes (the rest follow in
/// folder order), else the folder structure — a folder's notes by name,
/// then its subfolders.
///
/// ```swift
/// let navigation = SiteNavigation(notes: ["b.md", "a.md", "x/c.md"], configuration: SiteConfiguration())
/// navigation.order                 // ["a.md", "b.md", "x/c.md"]
/// navigation.neighbours(of: "b.md") // (previous: "a.md", next: "x/c.md")
/// ```
public struct SiteNavigation: Sendable, Equatable {
    public indirect enum Node: Sendable, Equatable {
        case note(String)
        case group(title: String, children: [Node])
    }

    public let tree: [Node]
    public let order: [String]
    /// Notes `site.yml` names that are not in the folder.
    public let unknownEntries: [String]
    private let position: [String: Int]

    public init(notes: [String], configuration: SiteConfiguration) {
        let known = Set(notes)
        var placed = Set<String>()
        var unknown: [String] = []
        func build(_ entries: [SiteConfiguration.NavigationEntry]) -> [Node] {
            entries.compactMap { entry in
                switch entry {
                case .note(let raw):
                    let path = Self.normalized(raw)
                    guard known.contains(path), !placed.contains(path) else {
                        if !known.contains(path) { unknown.append(raw) }
                        return nil
                    }
                    placed.insert(path)
                    return .note(path)
                case .group(let title, let entries):
                    let children = build(entries)
                    return children.isEmpty ? nil : .group(title: title, children: children)
                }
            }
        }
        var tree = build(configuration.navigation)
        tree += Self.folderTree(notes.filter { !placed.contains($0) }, prefix: "")
        self.tree = tree
        var order: [String] = []
        func flatten(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .note(let path): order.append(path)
                case .group(_, let children): flatten(children)
                }
            }
        }
        flatten(tree)
        self.order = order
        self.unknownEntries = unknown
        var position: [String: Int] = [:]
        for (index, path) in order.enumerated() { position[path] = index }
        self.position = position
    }

    public func neighbours(of note: String) -> (previous: String?, next: String?) {
        guard let index = position[note] else { return (nil, nil) }
        return (index > 0 ? order[index - 1] : nil, index + 1 < order.count ? order[index + 1] : nil)
    }

    /// `./a.md`, `a` and `a.md` all name `a.md`.
    static func normalized(_ raw: String) -> String {
        var path = raw.trimmingCharacters(in: .whitespaces)
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        return path.hasSuffix(".md") ? path : path + ".md"
    }

    private static func folderTree(_ notes: [String], prefix: String) -> [Node] {
        var here: [String] = []
        var folders: [String: [String]] = [:]
        for note in notes {
            let rest = note.dropFirst(prefix.count)
            if let slash = rest.firstIndex(of: "/") {
                folders[String(rest[..<slash]), default: []].append(note)
            } else {
                here.append(note)
            }
        }
        var nodes = here.sorted().map(Node.note)
        for folder in folders.keys.sorted() {
            let children = folderTree(folders[folder] ?? [], prefix: prefix + folder + "/")
            nodes.append(.group(title: folder.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " "), children: children))
        }
        return nodes
    }
}
