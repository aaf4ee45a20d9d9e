import Diagnostics
import Foundation
import Notebook

/// A tiny stand-in for the Markdown reader, so Site's tests do not depend on
/// the Notebook stage: front matter (`title:`, `tags: [a, b]`, `date:`),
/// `#` headings, one-line `$$…$$` display math, and paragraphs with
/// `[[wiki]]`, `[text](link)`, `![alt](image)` and `\eqref{label}`.
enum TestNoteReader {
    static func parse(_ source: SourceFile) -> Notebook {
        let text = String(decoding: source.bytes, as: UTF8.self)
        var frontMatter = FrontMatter()
        var blocks: [Block] = []
        var offset = 0
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") {
            for line in lines[1..<end] {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "title": frontMatter.title = parts[1]
                case "date": frontMatter.date = parts[1]
                case "tags": frontMatter.tags = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                default: break
                }
            }
            for line in lines[0...end] { offset += line.utf8.count + 1 }
            lines = Array(lines[(end + 1)...])
        }
        for line in lines {
            defer { offset += line.utf8.count + 1 }
            let range = source.range(from: offset, to: offset + line.utf8.count)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let level = line.prefix { $0 == "#" }.count
                let title = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
                let id = title.lowercased().replacingOccurrences(of: " ", with: "-")
                blocks.append(.heading(Heading(level: level, content: [.text(title)], id: id, range: range)))
            } else if line.hasPrefix("$$"), line.hasSuffix("$$"), line.count > 4 {
                let tex = String(line.dropFirst(2).dropLast(2))
                let content = source.range(from: offset + 2, to: offset + line.utf8.count - 2)
                blocks.append(.math(MathCell(tex: tex, display: true, delimiter: .doubleDollar, range: range, contentRange: content)))
            } else {
                blocks.append(.paragraph(inlines(line, at: offset, in: source), range: range))
            }
        }
        return Notebook(source: source, frontMatter: frontMatter, blocks: blocks, diagnostics: [])
    }

    private static func inlines(_ line: String, at base: Int, in source: SourceFile) -> [Inline] {
        var out: [Inline] = []
        let bytes = Array(line.utf8)
        var index = 0
        var text = ""
        func flush() { if !text.isEmpty { out.append(.text(text)); text = "" } }
        func find(_ needle: String, from start: Int) -> Int? {
            let pattern = Array(needle.utf8)
            guard start + pattern.count <= bytes.count else { return nil }
            for position in start...(bytes.count - pattern.count) where Array(bytes[position..<(position + pattern.count)]) == pattern { return position }
            return nil
        }
        func string(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        while index < bytes.count {
            let rest = string(index, bytes.count)
            if rest.hasPrefix("[["), let close = find("]]", from: index) {
                flush()
                let target = string(index + 2, close)
                out.append(.wikiLink(WikiLink(target: target, heading: nil, label: nil, isEmbed: false, range: source.range(from: base + index, to: base + close + 2))))
                index = close + 2
            } else if rest.hasPrefix("!["), let middle = find("](", from: index), let close = find(")", from: middle) {
                flush()
                out.append(.image(source: string(middle + 2, close), title: "", alt: [.text(string(index + 2, middle))], range: source.range(from: base + index, to: base + close + 1)))
                index = close + 1
            } else if rest.hasPrefix("["), let middle = find("](", from: index), let close = find(")", from: middle) {
                flush()
                out.append(.link(destination: string(middle + 2, close), title: "", content: [.text(string(index + 1, middle))], range: source.range(from: base + index, to: base + close + 1)))
                index = close + 1
            } else if rest.hasPrefix("\\eqref{"), let close = find("}", from: index) {
                flush()
                out.append(.equationReference(label: string(index + 7, close), parenthesized: true, range: source.range(from: base + index, to: base + close + 1)))
                index = close + 1
            } else {
                text += string(index, index + 1)
                index += 1
            }
        }
        flush()
        return out
    }
}
