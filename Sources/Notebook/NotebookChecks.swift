import Diagnostics

/// Checks that need the whole note: environments balanced inside math,
/// equation labels and references, in-page anchors, cell ids.
enum NotebookChecks {
    /// Collected by the reader while it builds the blocks, so that no second walk is needed.
    struct Found {
        var math: [MathCell] = []
        var references: [(label: String, range: SourceRange)] = []
        var anchors: [(anchor: String, range: SourceRange)] = []
        var cellIDs: [(id: String, range: SourceRange)] = []
        var headingIDs = Set<String>()
    }

    static func check(_ found: Found, source: SourceFile) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var labels: [String: SourceRange] = [:]
        var references = found.references

        for math in found.math {
            diagnostics += environmentProblems(math, source: source)
            let base = math.contentRange.start.offset
            guard math.tex.utf8.contains(UInt8(ascii: "\\")) else { continue }
            for label in math.commandArguments("label") {
                let range = source.range(from: base + label.offset, to: base + label.offset + label.text.utf8.count)
                if labels[label.text] != nil {
                    diagnostics.append(.warning(NotebookMessages.duplicateLabel(label.text), at: range))
                } else {
                    labels[label.text] = range
                }
            }
            for name in ["ref", "eqref"] {
                for reference in math.commandArguments(name) {
                    references.append((reference.text, source.range(from: base + reference.offset,
                                                                     to: base + reference.offset + reference.text.utf8.count)))
                }
            }
        }
        var cellIDs = Set<String>()
        for cell in found.cellIDs {
            if cellIDs.contains(cell.id) {
                diagnostics.append(.error(NotebookMessages.duplicateCell(cell.id), at: cell.range))
            }
            cellIDs.insert(cell.id)
        }
        for reference in references where labels[reference.label] == nil {
            diagnostics.append(.warning(NotebookMessages.unknownLabel(reference.label), at: reference.range))
        }
        for anchor in found.anchors where !found.headingIDs.contains(anchor.anchor) {
            diagnostics.append(.warning(NotebookMessages.missingHeading(anchor.anchor), at: anchor.range))
        }
        return diagnostics
    }

    /// `\begin{…}` / `\end{…}` pairing inside one piece of math.
    static func environmentProblems(_ math: MathCell, source: SourceFile) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        guard math.tex.utf8.contains(UInt8(ascii: "\\")) else { return [] }
        var stack: [(name: String, offset: Int, length: Int)] = []
        let base = math.contentRange.start.offset
        for token in math.environmentTokens() {
            let range = source.range(from: base + token.offset, to: base + token.offset + token.length)
            if token.isBegin {
                stack.append((token.name, token.offset, token.length))
            } else if let open = stack.last {
                stack.removeLast()
                if open.name != token.name {
                    diagnostics.append(.error(NotebookMessages.mismatchedEnvironment(open.name, token.name), at: range))
                }
            } else {
                diagnostics.append(.error(NotebookMessages.unmatchedEnd(token.name), at: range))
            }
        }
        for open in stack {
            diagnostics.append(.error(NotebookMessages.unterminatedEnvironment(open.name),
                                      at: source.range(from: base + open.offset, to: base + open.offset + open.length)))
        }
        return diagnostics
    }
}

extension MathCell {
    /// Arguments of `\name{…}` in `tex`, with their byte offsets in `tex`.
    func commandArguments(_ name: String) -> [(text: String, offset: Int)] {
        let bytes = Array(tex.utf8)
        let command = Array("\\\(name){".utf8)
        var result: [(String, Int)] = []
        var index = 0
        while index + command.count <= bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
            if bytes[index..<(index + command.count)].elementsEqual(command), !escaped(bytes, index) {
                let start = index + command.count
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "{"), end - start < 200 { end += 1 }
                if end < bytes.count, bytes[end] == UInt8(ascii: "}") {
                    result.append((String(decoding: bytes[start..<end], as: UTF8.self).trimming(" "), start))
                    index = end + 1
                    continue
                }
            }
            index += 1
        }
        return result
    }

    /// `\begin{name}` and `\end{name}` in `tex`, in order.
    func environmentTokens() -> [(isBegin: Bool, name: String, offset: Int, length: Int)] {
        let bytes = Array(tex.utf8)
        var result: [(Bool, String, Int, Int)] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else { index += 1; continue }
            var isBegin: Bool?
            var nameStart = 0
            if bytes[index...].starts(with: "\\begin{".utf8) {
                isBegin = true
                nameStart = index + 7
            } else if bytes[index...].starts(with: "\\end{".utf8) {
                isBegin = false
                nameStart = index + 5
            }
            guard let isBegin, !escaped(bytes, index) else {
                index += bytes[index...].starts(with: "\\\\".utf8) ? 2 : 1
                continue
            }
            var end = nameStart
            while end < bytes.count, end - nameStart < 40, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "\n") { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "}") else { index = nameStart; continue }
            result.append((isBegin, String(decoding: bytes[nameStart..<end], as: UTF8.self), index, end + 1 - index))
            index = end + 1
        }
        return result
    }

    private func escaped(_ bytes: [UInt8], _ index: Int) -> Bool {
        var run = 0
        while index - run - 1 >= 0, bytes[index - run - 1] == UInt8(ascii: "\\") { run += 1 }
        return run % 2 == 1
    }
}

extension Notebook {
    /// Calls `body` for every inline in document order, inside every container (emphasis,
    /// links, image descriptions, lists, quotes, callouts, footnotes, tables): `NotebookWalker`
    /// descends, so a new kind of container is not skipped here.
    func forEachInline(_ body: (Inline) -> Void) {
        struct Visitor: NotebookWalker {
            let body: (Inline) -> Void
            mutating func visit(_ inline: Inline) -> NotebookDescent {
                body(inline)
                return .children
            }
        }
        withoutActuallyEscaping(body) { body in
            var visitor = Visitor(body: body)
            visitor.walk(blocks)
        }
    }
}
