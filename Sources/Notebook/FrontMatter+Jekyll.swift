/// What Jekyll reads from a post's front matter besides title, tags and date.
extension FrontMatter {
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
