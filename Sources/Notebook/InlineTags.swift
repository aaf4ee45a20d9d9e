extension Notebook {
    /// Obsidian's inline tags, `#calculus` or `#topic/sub` written in prose, each once in order
    /// of first use. A tag starts after a space or the start of a text and is not all digits
    /// (`#1` is a number); code and math are not prose.
    ///
    /// ```swift
    /// Notebook(parsing: SourceFile(path: "a.md", text: "About #calculus and #1.\n")).inlineTags   // ["calculus"]
    /// ```
    public var inlineTags: [String] {
        var tags: [String] = []
        var seen = Set<String>()
        func scan(_ text: String) {
            guard text.utf8.contains(UInt8(ascii: "#")) else { return }
            var previous: Character = " "
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                if character == "#", previous.isWhitespace {
                    let start = text.index(after: index)
                    let name = text[start...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "/" }
                    if !name.isEmpty, !name.allSatisfy(\.isNumber), seen.insert(String(name)).inserted { tags.append(String(name)) }
                    index = name.endIndex
                    previous = "#"
                    continue
                }
                previous = character
                index = text.index(after: index)
            }
        }
        forEachInline { inline in
            if case .text(let text) = inline { scan(text) }
        }
        return tags
    }

    /// Front matter tags, Jekyll's categories and inline `#tags`, each once: what the note is tagged with.
    public var allTags: [String] {
        var seen = Set<String>()
        return (frontMatter.tagsAndCategories + inlineTags).filter { seen.insert($0).inserted }
    }
}
