import Diagnostics
import Yams

/// Finds and reads the YAML front matter at the top of a note.
enum FrontMatterReader {
    struct Result {
        var frontMatter: FrontMatter = .empty
        /// Bytes `0..<bodyStart` belong to the front matter (0 when there is none).
        var bodyStart = 0
        var diagnostics: [Diagnostic] = []
    }

    /// Front matter exists only when the file starts with a `---` line
    /// (after an optional UTF-8 byte order mark); it ends at the next `---` or `...` line.
    static func read(_ source: SourceFile) -> Result {
        var result = Result()
        let bytes = source.bytes
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard let firstEnd = lineEnd(bytes, from: start), trimmedLine(bytes, start, firstEnd) == "---" else {
            return result
        }
        // The first line must be exactly `---` (trailing spaces allowed).
        var lineStart = firstEnd + 1
        var closing: (start: Int, end: Int)?
        while lineStart <= bytes.count {
            let end = lineEnd(bytes, from: lineStart) ?? bytes.count
            let line = trimmedLine(bytes, lineStart, end)
            if line == "---" || line == "..." {
                closing = (lineStart, end)
                break
            }
            if end >= bytes.count { break }
            lineStart = end + 1
        }
        guard let closing else {
            result.diagnostics.append(.error(NotebookMessages.unterminatedFrontMatter,
                                             at: source.range(from: start, to: firstEnd)))
            return result
        }
        let yamlStart = firstEnd + 1
        let yamlEnd = closing.start
        result.bodyStart = min(bytes.count, closing.end + 1)
        var frontMatter = FrontMatter(range: source.range(from: start, to: closing.end))
        let yaml = String(decoding: bytes[yamlStart..<yamlEnd], as: UTF8.self)
        let firstLine = source.location(ofOffset: yamlStart).line
        // Yams counts lines from 1 within the YAML and columns in Unicode scalars.
        func offsetOf(line: Int, column: Int) -> Int {
            let lineStart = source.offset(line: firstLine + line - 1, column: 1)
            return min(yamlEnd, byteOffset(bytes, lineStart: lineStart, scalarColumn: column))
        }
        do {
            guard let node = try BoundedYAML.compose(yaml) else {
                result.frontMatter = frontMatter
                return result
            }
            guard let mapping = node.mapping else {
                result.diagnostics.append(.error(NotebookMessages.frontMatterNotMapping,
                                                 at: source.range(from: yamlStart, to: yamlEnd)))
                result.frontMatter = frontMatter
                return result
            }
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? keyNode.scalar?.string ?? ""
                var heldNUL = false
                let value = convert(valueNode, depth: 0, heldNUL: &heldNUL)
                frontMatter.values[key] = value
                let location = range(of: valueNode, in: source, firstLine: firstLine)
                if heldNUL { result.diagnostics.append(.error(NotebookMessages.frontMatterNUL, at: location)) }
                switch key {
                case "title":
                    if let text = value.string { frontMatter.title = text } else if value != .null {
                        result.diagnostics.append(.warning(NotebookMessages.frontMatterTitleNotText, at: location))
                    }
                case "tags":
                    switch value {
                    case .list(let items): frontMatter.tags = items.compactMap(\.string)
                    case .string(let text): frontMatter.tags = splitTags(text)
                    case .null: break
                    default:
                        result.diagnostics.append(.warning(NotebookMessages.frontMatterTagsNotList, at: location))
                    }
                case "date":
                    frontMatter.date = valueNode.scalar.map { withoutNUL($0.string) } ?? value.string
                default: break
                }
            }
        } catch let excess as BoundedYAML.Excess {
            let offset = offsetOf(line: excess.line, column: excess.column)
            result.diagnostics.append(.error(NotebookMessages.frontMatterTooLarge(excess.message),
                                             at: source.range(from: offset, to: offset)))
        } catch {
            // At the note's line and column, not at the closing `---` where an unclosed quote is noticed.
            let problem = YAMLSyntaxProblem(error)
            let offset = problem.line.map { offsetOf(line: $0, column: problem.column ?? 1) } ?? yamlStart
            let notes = problem.noticed.map { noticed -> [String] in
                let location = source.location(ofOffset: offsetOf(line: noticed.line, column: noticed.column))
                return [YAMLSyntaxProblem.noticedNote(line: location.line, column: location.column)]
            } ?? []
            result.diagnostics.append(.error(NotebookMessages.invalidFrontMatter(problem.message),
                                             at: source.range(from: offset, to: offset), notes: notes))
        }
        result.frontMatter = frontMatter
        return result
    }

    /// `"a, b ,c"` → `["a", "b", "c"]`
    static func splitTags(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimming(" \t") }.filter { !$0.isEmpty }
    }

    /// A YAML escape (`"\u0000"`) can put a NUL in a value; it never reaches a page.
    private static func withoutNUL(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    private static func convert(_ node: Node, depth: Int, heldNUL: inout Bool) -> FrontMatterValue {
        // YAML can nest arbitrarily; past 64 levels the value is dropped.
        guard depth < 64 else { return .null }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if node.null != nil { return .null }
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .number(Double(int)) }
                if let double = node.float, scalar.tag.description.hasSuffix("float") || Double(scalar.string) != nil {
                    return .number(double)
                }
            }
            let text = withoutNUL(scalar.string)
            if text != scalar.string { heldNUL = true }
            return .string(text)
        case .sequence(let sequence):
            return .list(sequence.map { convert($0, depth: depth + 1, heldNUL: &heldNUL) })
        case .mapping(let mapping):
            var map: [String: FrontMatterValue] = [:]
            for (key, value) in mapping { map[withoutNUL(key.string ?? "")] = convert(value, depth: depth + 1, heldNUL: &heldNUL) }
            return .map(map)
        }
    }

    private static func range(of node: Node, in source: SourceFile, firstLine: Int) -> SourceRange {
        guard let mark = node.mark else { return source.range(from: 0, to: 0) }
        let lineStart = source.offset(line: firstLine + mark.line - 1, column: 1)
        let offset = byteOffset(source.bytes, lineStart: lineStart, scalarColumn: mark.column)
        return source.range(from: offset, to: offset)
    }

    /// The byte offset of a 1-based column counted in Unicode scalars.
    private static func byteOffset(_ bytes: [UInt8], lineStart: Int, scalarColumn: Int) -> Int {
        var offset = lineStart
        var scalars = 1
        while scalars < scalarColumn, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            scalars += 1
        }
        return offset
    }

    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
    }

    private static func trimmedLine(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self).trimming(" \t\r")
    }
}

extension StringProtocol {
    /// Drops the given characters from both ends.
    func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
