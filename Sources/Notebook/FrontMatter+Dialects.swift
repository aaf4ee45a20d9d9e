import Diagnostics

/// What Jekyll and Obsidian read from a note's front matter besides title, tags and date.
extension FrontMatter {
    /// Only the front matter of a note (its problems dropped): for reading another note's
    /// `aliases:` without parsing its Markdown.
    ///
    /// ```swift
    /// FrontMatter(readingFrontOf: SourceFile(path: "a.md", text: "---\naliases: [b]\n---\n")).aliases   // ["b"]
    /// ```
    public init(readingFrontOf source: SourceFile) {
        self = FrontMatterReader.read(source).frontMatter
    }

    /// Obsidian's `aliases: [other name]` (or one name as a string): names a wiki link may use for this note.
    public var aliases: [String] {
        switch values["aliases"] ?? values["alias"] {
        case .list(let items)?: items.compactMap(\.string)
        case .string(let text)?: [text]
        default: []
        }
    }

    /// `categories: [a, b]` or Jekyll's space-separated `categories: a b` (also `category: a`).
    public var categories: [String] {
        var out: [String] = []
        for key in ["categories", "category"] {
            switch values[key] {
            case .list(let items)?: out += items.compactMap(\.string)
            case .string(let text)?: out += text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            default: break
            }
        }
        return out
    }

    /// Tags and categories, each once, tags first: both are shown and listed as tags.
    public var tagsAndCategories: [String] {
        var seen = Set<String>()
        return (tags + categories).filter { seen.insert($0).inserted }
    }

    /// `draft: true` or `published: false`: a note being written, left out of a published site.
    public var isDraft: Bool {
        values["draft"] == .bool(true) || values["published"] == .bool(false)
    }
}
