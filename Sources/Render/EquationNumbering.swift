import Diagnostics
import Notebook

/// Equation numbers and references are ours, not KaTeX's: KaTeX knows neither
/// `\label` nor `\eqref`, and numbers `align` with CSS counters we cannot link to.
///
/// Rules (see docs/notebook-format.md):
/// - In display math, every row of an unstarred `equation`, `align` or `gather`
///   gets the next number unless it has `\nonumber`/`\notag` or its own `\tag`.
/// - Any other display row with a `\label` also gets the next number.
/// - `\tag{t}` keeps its text; a `\label` on that row refers to `t`.
/// - `\eqref{x}` becomes a link `(n)` to the equation, `\ref{x}` a link `n`,
///   in math and in prose; an unknown label is a warning.
/// - Inline math has no numbers: `align`/`gather` become `aligned`/`gathered`.
package struct EquationNumbering {
    struct Prepared: Sendable, Equatable {
        /// The TeX handed to KaTeX.
        var tex: String
        /// Anchor ids (`eq-…`) this math defines.
        var anchors: [String]
        /// False when the TeX was rewritten, so KaTeX's error positions no longer map 1:1.
        var isVerbatim: Bool
    }

    /// What a label refers to.
    package struct Target: Sendable, Equatable {
        package var anchor: String
        package var number: String?
    }

    package private(set) var targets: [String: Target] = [:]
    private(set) var prepared: [MathCell.ID: Prepared] = [:]
    private(set) var diagnostics: [Diagnostic] = []

    private static let numberedEnvironments: Set<String> = ["equation", "align", "gather", "eqnarray"]

    /// - Parameter rewrittenTeX: TeX to number instead of a cell's own, by the
    ///   cell (its TeX with check hooks, see `CheckedMath`).
    ///   Diagnostics still point into the note's own TeX.
    package init(cells: [MathCell], source: SourceFile, rewrittenTeX: [MathCell.ID: String] = [:]) {
        var counter = 0
        var pending: [(MathCell, String, [String])] = []
        // A note that numbers its equations itself (`\tag{5}`) numbers them by hand, as MathJax's
        // default does: an `align` row without a tag then gets no number, which would repeat the
        // author's (1) and (2).
        let numbersByHand = cells.contains { $0.display && $0.tex.containsBytes("\\tag") }
        for cell in cells {
            var anchors: [String] = []
            let original = rewrittenTeX[cell.id] ?? cell.tex
            let tex = cell.display
                ? numberDisplay(original, counter: &counter, anchors: &anchors, numbersByHand: numbersByHand)
                : inlineForm(original, anchors: &anchors)
            pending.append((cell, tex, anchors))
        }
        for (cell, tex, anchors) in pending {
            let linked = linkReferences(in: tex, cell: cell, source: source)
            prepared[cell.id] = Prepared(tex: linked, anchors: anchors, isVerbatim: linked == cell.tex)
        }
    }

    func preparedMath(for cell: MathCell) -> Prepared {
        prepared[cell.id] ?? Prepared(tex: cell.tex, anchors: [], isVerbatim: true)
    }

    package func target(for label: String) -> Target? { targets[label] }

    /// This numbering, with the prepared TeX of these cells taken from another
    /// (same cells, same numbers: used when TeX with hooks had to be typeset without them).
    func replacingPrepared(of cells: [MathCell], from other: EquationNumbering) -> EquationNumbering {
        var copy = self
        for cell in cells { copy.prepared[cell.id] = other.prepared[cell.id] }
        return copy
    }

    static func anchor(for label: String) -> String {
        "eq-" + String(label.unicodeScalars.map { scalar -> Character in
            let allowed = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_:.-".unicodeScalars.contains(scalar)
            return allowed && scalar.isASCII ? Character(scalar) : "-"
        })
    }

    // MARK: Display math

    private mutating func numberDisplay(_ written: String, counter: inout Int, anchors: inout [String], numbersByHand: Bool) -> String {
        var tex = written
        // MathJax's `\require{cancel}` loads an extension; KaTeX has them all and knows no `\require`.
        _ = Self.extract(command: "require", from: &tex)
        var body = tex
        var numberedByDefault = false
        var environment: (name: String, starred: String, inner: String)?
        if let found = Self.outerEnvironment(of: tex) {
            environment = found
            numberedByDefault = Self.numberedEnvironments.contains(found.name) && !numbersByHand
            body = found.inner
        }
        var rows = environment == nil ? [body] : Self.splitRows(body)
        var gathersRows = false
        if environment?.name.hasPrefix("equation") == true, rows.count > 1 {
            // `equation` is one equation, however many lines (MathJax draws them; KaTeX wants
            // them gathered): one number for all, after the last line.
            rows = [body]
            gathersRows = true
        }
        if environment?.name.hasPrefix("eqnarray") == true {
            // `a &=& b` has three columns; align's `a &= b` has two.
            rows = rows.map(Self.joiningEqnarrayColumns)
        }
        var rewritten: [String] = []
        for row in rows {
            var text = row
            let labels = Self.extract(command: "label", from: &text)
            let noNumber = !Self.extract(command: "nonumber", from: &text, hasArgument: false).isEmpty
                || !Self.extract(command: "notag", from: &text, hasArgument: false).isEmpty
            var tags = Self.extract(command: "tag", from: &text)
            let starredTag = Self.extract(command: "tag*", from: &text)
            if gathersRows { text = "\\begin{gathered}" + text + "\\end{gathered}" }
            var number: String?
            if let tag = tags.first ?? starredTag.first {
                number = tag
                tags = [tag]
                text += starredTag.isEmpty ? "\\tag{\(tag)}" : "\\tag*{\(tag)}"
            } else if !noNumber && (numberedByDefault || !labels.isEmpty) && !Self.isBlank(text) {
                counter += 1
                number = String(counter)
                text += "\\tag{\(counter)}"
            }
            for label in labels {
                let anchor = Self.anchor(for: label)
                anchors.append(anchor)
                if targets[label] == nil { targets[label] = Target(anchor: anchor, number: number) }
            }
            rewritten.append(text)
        }
        let joined = rewritten.joined(separator: "\\\\")
        guard let environment else { return joined }
        return "\\begin{\(environment.starred)}" + joined + "\\end{\(environment.starred)}"
    }

    private mutating func inlineForm(_ tex: String, anchors: inout [String]) -> String {
        var text = tex
        _ = Self.extract(command: "require", from: &text)
        for label in Self.extract(command: "label", from: &text) {
            let anchor = Self.anchor(for: label)
            if targets[label] == nil { targets[label] = Target(anchor: anchor, number: nil) }
        }
        let replacements = [
            ("align*", "aligned"), ("align", "aligned"), ("gather*", "gathered"), ("gather", "gathered"),
            ("equation*", ""), ("equation", ""),
        ]
        for (from, to) in replacements {
            text = text.replacingAll("\\begin{\(from)}", with: to.isEmpty ? "" : "\\begin{\(to)}")
            text = text.replacingAll("\\end{\(from)}", with: to.isEmpty ? "" : "\\end{\(to)}")
        }
        return text
    }

    // MARK: References

    private mutating func linkReferences(in tex: String, cell: MathCell, source: SourceFile) -> String {
        guard tex.containsBytes("\\eqref") || tex.containsBytes("\\ref") else { return tex }
        var out = ""
        var rest = Substring(tex)
        while let range = rest.range(of: "\\") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let command: String
            if after.hasPrefix("eqref{") { command = "eqref" } else if after.hasPrefix("ref{") { command = "ref" } else {
                out += "\\"
                rest = after
                if let next = rest.first { out.append(next); rest = rest.dropFirst() }
                continue
            }
            let argumentStart = after.index(after.startIndex, offsetBy: command.count + 1)
            guard let close = after[argumentStart...].firstIndex(of: "}") else {
                out += "\\"
                rest = after
                continue
            }
            let label = String(after[argumentStart..<close])
            out += referenceTeX(label: label, parenthesized: command == "eqref",
                                cell: cell, offsetInTeX: tex.utf8.distance(from: tex.startIndex, to: range.lowerBound), source: source)
            rest = after[after.index(after: close)...]
        }
        out += rest
        return out
    }

    private mutating func referenceTeX(label: String, parenthesized: Bool, cell: MathCell, offsetInTeX: Int, source: SourceFile) -> String {
        guard let target = targets[label] else {
            let start = cell.contentRange.start.offset
            // The rewritten TeX may differ from the original before this point; find the label in the original.
            let originalOffset = cell.tex.range(of: "ref{\(label)}").map { cell.tex.utf8.distance(from: cell.tex.startIndex, to: $0.lowerBound) - (parenthesized ? 3 : 1) } ?? offsetInTeX
            diagnostics.append(.warning(RenderMessages.unknownLabel(label), at: source.range(from: start + max(0, originalOffset), to: start + max(0, originalOffset) + label.utf8.count + 6)))
            return "\\text{(??)}"
        }
        let number = target.number ?? "↑"
        let text = parenthesized ? "(\(number))" : number
        return "\\href{#\(target.anchor)}{\\text{\(text)}}"
    }

    // MARK: TeX scanning

    /// `\begin{name}…\end{name}` around the whole math (spaces aside).
    static func outerEnvironment(of tex: String) -> (name: String, starred: String, inner: String)? {
        let trimmed = tex.trimmingWhitespace()
        guard trimmed.hasPrefix("\\begin{"), let close = trimmed.firstIndex(of: "}") else { return nil }
        let name = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 7)..<close])
        let base = name.hasSuffix("*") ? String(name.dropLast()) : name
        guard ["equation", "align", "gather", "flalign", "multline", "eqnarray"].contains(base) else { return nil }
        let ending = "\\end{\(name)}"
        guard trimmed.hasSuffix(ending) else { return nil }
        let innerStart = trimmed.index(after: close)
        let innerEnd = trimmed.index(trimmed.endIndex, offsetBy: -ending.count)
        guard innerStart <= innerEnd else { return nil }
        // KaTeX has no eqnarray: its rows are typeset as align's (numbered the same way).
        let starred = base == "flalign" || base == "multline" || base == "eqnarray" ? "align*" : base + "*"
        return (name.hasSuffix("*") ? name : base, starred, String(trimmed[innerStart..<innerEnd]))
    }

    /// An eqnarray row `a &=& b` as an align row `a &= b`: its second column separator at the top level goes.
    static func joiningEqnarrayColumns(_ row: String) -> String {
        var depth = 0
        var separators = 0
        var previous: Character = " "
        for index in row.indices {
            let character = row[index]
            defer { previous = character }
            if character == "{" { depth += 1 } else if character == "}" { depth = max(0, depth - 1) }
            guard character == "&", previous != "\\", depth == 0 else { continue }
            separators += 1
            if separators == 2 {
                var joined = row
                joined.remove(at: index)
                return joined
            }
        }
        return row
    }

    /// Splits at `\\` that stand at the top level (not inside braces or a nested environment).
    static func splitRows(_ body: String) -> [String] {
        var rows: [String] = []
        var current = ""
        var braces = 0
        var environments = 0
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "\\" {
                let next = body.index(after: index)
                let rest = body[next...]
                if braces == 0 && environments == 0 && rest.first == "\\" {
                    rows.append(current)
                    current = ""
                    index = body.index(after: next)
                    continue
                }
                if rest.hasPrefix("begin{") { environments += 1 }
                if rest.hasPrefix("end{") { environments = max(0, environments - 1) }
                current.append(character)
                if next < body.endIndex {
                    current.append(body[next])
                    index = body.index(after: next)
                } else {
                    index = next
                }
                continue
            }
            if character == "{" { braces += 1 }
            if character == "}" { braces = max(0, braces - 1) }
            current.append(character)
            index = body.index(after: index)
        }
        rows.append(current)
        return rows
    }

    /// Removes every `\command{argument}` (or bare `\command`) and returns the arguments.
    static func extract(command: String, from text: inout String, hasArgument: Bool = true) -> [String] {
        var found: [String] = []
        let needle = "\\" + command + (hasArgument ? "{" : "")
        // Most rows have none: a byte search first (Foundation's `range(of:)` is slow on Linux).
        guard Array(text.utf8).firstIndex(of: Array(needle.utf8), from: 0) != nil else { return found }
        while let range = text.range(of: needle) {
            if !hasArgument {
                // `\notag` must not match `\notagged`.
                if let next = text[range.upperBound...].first, next.isLetter {
                    break
                }
                found.append("")
                text.removeSubrange(range)
                continue
            }
            var depth = 1
            var index = range.upperBound
            while index < text.endIndex, depth > 0 {
                if text[index] == "{" { depth += 1 }
                if text[index] == "}" { depth -= 1 }
                if depth > 0 { index = text.index(after: index) }
            }
            guard index < text.endIndex else { break }
            found.append(String(text[range.upperBound..<index]))
            text.removeSubrange(range.lowerBound...index)
        }
        return found
    }

    static func isBlank(_ text: String) -> Bool {
        text.allSatisfy { $0.isWhitespace }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, containsBytes(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
