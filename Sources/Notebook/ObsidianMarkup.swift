import Diagnostics

extension Callout {
    /// The callout a block quote is, when its first line is `[!type]`, `[!type]-` or `[!type]+`
    /// followed by an optional title; nil for an ordinary quote.
    init?(quoting blocks: [Block], range: SourceRange) {
        guard case .paragraph(let inlines, let paragraphRange)? = blocks.first else { return nil }
        // cmark may split `[!note]` into several text nodes; read the leading text as one.
        var leading = ""
        var textCount = 0
        for inline in inlines {
            guard case .text(let text) = inline else { break }
            leading += text
            textCount += 1
        }
        guard leading.hasPrefix("[!"), let close = leading.firstIndex(of: "]") else { return nil }
        let kind = leading[leading.index(leading.startIndex, offsetBy: 2)..<close]
        guard !kind.isEmpty, kind.count <= 40, kind.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        var rest = leading[leading.index(after: close)...]
        var fold = Fold.none
        if rest.first == "-" { fold = .folded; rest = rest.dropFirst() } else if rest.first == "+" { fold = .open; rest = rest.dropFirst() }
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        while rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() }

        // The title runs to the end of the first line; the rest of the paragraph is content.
        var remaining = Array(inlines.dropFirst(textCount))
        if !rest.isEmpty { remaining.insert(.text(String(rest)), at: 0) }
        var title: [Inline] = []
        while let first = remaining.first, !first.isLineBreak {
            title.append(first)
            remaining.removeFirst()
        }
        if !remaining.isEmpty { remaining.removeFirst() }
        var content = Array(blocks.dropFirst())
        if !remaining.isEmpty { content.insert(.paragraph(remaining, range: paragraphRange), at: 0) }
        self.init(kind: kind.lowercased(), title: title, fold: fold, blocks: content, range: range)
    }
}

extension Inline {
    /// Obsidian's block id: a paragraph ending in ` ^id` (letters, digits, `-`) loses the
    /// marker and gains `.blockID(id)` at its end; returns the id.
    static func takeBlockID(from inlines: inout [Inline]) -> String? {
        guard case .text(let text)? = inlines.last, let caret = text.lastIndex(of: "^") else { return nil }
        let id = text[text.index(after: caret)...]
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
              caret == text.startIndex ? inlines.count > 1 : text[text.index(before: caret)].isWhitespace else { return nil }
        var before = text[..<caret]
        while let last = before.last, last == " " || last == "\t" { before.removeLast() }
        inlines.removeLast()
        if !before.isEmpty { inlines.append(.text(String(before))) }
        while let last = inlines.last, last.isLineBreak { inlines.removeLast() }
        inlines.append(.blockID(String(id)))
        return String(id)
    }

    /// Obsidian's `==highlight==` within one run of inlines: an opening `==` followed by a
    /// non-space, a closing `==` after a non-space (so `a == b` stays as written).
    static func highlighting(_ inlines: [Inline]) -> [Inline] {
        guard inlines.contains(where: { if case .text(let text) = $0 { text.contains("==") } else { false } }) else { return inlines }
        var out: [Inline] = []
        var openAt: Int?
        for inline in inlines {
            guard case .text(let text) = inline, text.contains("==") else {
                out.append(inline)
                continue
            }
            let characters = Array(text)
            var pieceStart = 0
            var index = 0
            while index + 1 < characters.count {
                guard characters[index] == "=", characters[index + 1] == "=" else { index += 1; continue }
                // At the start of a text, what ends the inline before it (`*idea*==`: not a space).
                let before: Character? = index > 0 ? characters[index - 1] : out.last.map { $0.lastCharacter ?? "x" }
                let after: Character? = index + 2 < characters.count ? characters[index + 2] : nil
                if let start = openAt, let before, !before.isWhitespace, before != "=" {
                    if index > pieceStart { out.append(.text(String(characters[pieceStart..<index]))) }
                    let inner = Array(out[(start + 1)...])
                    out.removeSubrange(start...)
                    out.append(.highlight(inner))
                    openAt = nil
                    index += 2
                    pieceStart = index
                    continue
                }
                if openAt == nil, let after, !after.isWhitespace, after != "=" {
                    if index > pieceStart { out.append(.text(String(characters[pieceStart..<index]))) }
                    openAt = out.count
                    out.append(.text("=="))
                    index += 2
                    pieceStart = index
                    continue
                }
                index += 2
            }
            if pieceStart < characters.count { out.append(.text(String(characters[pieceStart...]))) }
        }
        // Merge the text pieces an unclosed `==` left apart.
        var merged: [Inline] = []
        for inline in out {
            if case .text(let text) = inline, case .text(let previous)? = merged.last {
                merged[merged.count - 1] = .text(previous + text)
            } else {
                merged.append(inline)
            }
        }
        return merged
    }

    fileprivate var lastCharacter: Character? {
        if case .text(let text) = self { return text.last }
        return nil
    }
}
