import Diagnostics
import Notebook
import Verify

/// One math of a note with the checker's results woven into its TeX.
///
/// Symbols that have values, the relation sign of every step and every
/// `\nbvalue{…}` become KaTeX hooks, `\htmlData{nb-symbol=3}{w_1}`, numbered
/// within the math. The hooks carry an index, never a value, so the TeX handed
/// to KaTeX — and with it the math cache key — stays the same when only the
/// values change (another seed, another draw). After KaTeX, ``finish(_:)``
/// replaces each hook attribute by what it stands for (`data-value="−0.2315"
/// tabindex="0"`, `data-status="failed" data-line="14"`) and puts the note's
/// original TeX back into KaTeX's `<annotation>`.
///
/// Hooks are added on the original bytes, before equation numbering rewrites
/// the TeX; a span that could not be wrapped without changing what the TeX
/// means (it crosses a brace, `&`, `\\`, a comment, `\label`…) is left alone.
///
/// ```swift
/// let results = report.results(for: cell.id)
/// let checked = CheckedMath(cell: cell, steps: results.steps, values: results.values)
/// let html = checked.finish(katexHTML, typesetTeX: prepared.tex)
/// ```
struct CheckedMath: Sendable {
    /// What a hook stands for, by its index.
    enum Hook: Sendable, Equatable {
        /// A symbol with its value at the drawn inputs.
        case symbol(value: String)
        /// The relation sign of a step.
        case step(status: StepStatus, line: Int)
        /// A `\nbvalue{…}` replaced by its value; the expression's TeX is kept for the page.
        case computed(expression: String)
        /// A `\nbvalue{…}` without a value: the expression is shown instead, with the reason.
        case missing(reason: String)
        /// A sub-term where a failed step's sides part ways (`left` or `right`).
        case differs(side: String)
    }

    let cell: MathCell
    /// The original TeX with hooks (equal to `cell.tex` when there is nothing to hook).
    private(set) var tex: String
    private(set) var hooks: [Hook] = []
    /// For inline math that is exactly one `\nbvalue{…}` with a value: shown as
    /// prose, never typeset.
    private(set) var proseValue: (value: String, expression: String)?

    init(cell: MathCell, steps: [StepResult] = [], values: [ValueResult] = []) {
        self.cell = cell
        self.tex = cell.tex
        let commands = ValueCommand.all(in: cell.tex)
        guard !steps.isEmpty || !commands.isEmpty else { return }

        let base = cell.contentRange.start.offset
        let bytes = Array(cell.tex.utf8)
        let tokens = TeXTokens(bytes)
        var edits: [Edit] = []
        var hooks: [Hook] = []

        let valuesByOffset = Dictionary(values.map { ($0.range.start.offset, $0) }, uniquingKeysWith: { first, _ in first })
        for command in commands {
            let inserted = valuesByOffset[base + command.start]
            let expression = String(decoding: bytes[command.argumentStart..<command.argumentEnd], as: UTF8.self)
            if let value = inserted?.value {
                if !cell.display, commands.count == 1, Self.isOnlyCommand(command, in: bytes) {
                    proseValue = (value, expression)
                }
                edits.append(Edit(start: command.start, end: command.end,
                                  replacement: "{\\htmlData{nb-computed=\(hooks.count)}{\(Self.texNumber(value))}}"))
                hooks.append(.computed(expression: expression))
            } else {
                let reason = inserted?.message ?? ""
                edits.append(Edit(start: command.start, end: command.end,
                                  replacement: "{\\htmlData{nb-missing=\(hooks.count)}{\(expression)}}"))
                hooks.append(.missing(reason: reason.isEmpty ? "no value computed" : reason))
            }
        }
        var wrappedSymbols: Set<Int> = []   // start * (count + 1) + end: one hook per span, however many steps report it
        for step in steps {
            let start = step.location.start.offset - base
            let end = step.location.end.offset - base
            guard tokens.isWrappable(start, end) else { continue }
            edits.append(Edit(start: start, end: end, prefix: "\\htmlData{nb-step=\(hooks.count)}{", suffix: "}"))
            hooks.append(.step(status: step.status, line: step.line))
            if step.status == .failed || step.status == .expectedFailure {
                for (range, side) in zip(step.differingRanges, ["left", "right"]) {
                    let start = range.start.offset - base
                    let end = range.end.offset - base
                    guard start >= 0, end <= bytes.count, tokens.isWrappable(start, end), !tokens.isOperatorWithLimits(start, end) else { continue }
                    edits.append(Edit(start: start, end: end, prefix: "{\\htmlData{nb-differs=\(hooks.count)}{", suffix: "}}"))
                    hooks.append(.differs(side: side))
                }
            }
            for symbol in step.symbolValues {
                let start = symbol.range.start.offset - base
                let end = symbol.range.end.offset - base
                guard tokens.isWrappable(start, end), !tokens.isOperatorWithLimits(start, end),
                      wrappedSymbols.insert(start * (bytes.count + 1) + end).inserted else { continue }
                edits.append(Edit(start: start, end: end, prefix: "{\\htmlData{nb-symbol=\(hooks.count)}{", suffix: "}}"))
                hooks.append(.symbol(value: symbol.value))
            }
        }
        guard let rewritten = Edit.apply(edits, to: bytes) else { return }
        self.tex = rewritten
        self.hooks = hooks
    }

    var isRewritten: Bool { tex != cell.tex }

    /// KaTeX's HTML with every hook attribute replaced and, when the TeX that
    /// was typeset is not the note's own, the note's TeX put back into the
    /// `<annotation encoding="application/x-tex">` (so copying gives the source).
    func finish(_ html: String, typesetTeX: String) -> String {
        guard !hooks.isEmpty || typesetTeX != cell.tex else { return html }
        var out: [UInt8] = []
        let bytes = Array(html.utf8)
        out.reserveCapacity(bytes.count + hooks.count * 24)
        let marker = Array(" data-nb-".utf8)
        let annotationOpen = Array("<annotation encoding=\"application/x-tex\">".utf8)
        let annotationClose = Array("</annotation>".utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: " "), bytes.hasPrefix(marker, at: index),
               let (replacement, next) = hookAttribute(in: bytes, at: index + marker.count) {
                out += replacement.utf8
                index = next
                continue
            }
            if bytes[index] == UInt8(ascii: "<"), bytes.hasPrefix(annotationOpen, at: index),
               let close = bytes.firstIndex(of: annotationClose, from: index + annotationOpen.count) {
                out += annotationOpen
                out += HTML.escape(cell.tex).utf8
                index = close
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads `kind="k"` after ` data-nb-` and returns the attributes it stands for.
    private func hookAttribute(in bytes: [UInt8], at start: Int) -> (String, Int)? {
        guard let equals = bytes[start...].prefix(16).firstIndex(of: UInt8(ascii: "=")),
              equals + 1 < bytes.count, bytes[equals + 1] == UInt8(ascii: "\""),
              let quote = bytes[(equals + 2)...].prefix(8).firstIndex(of: UInt8(ascii: "\"")),
              let number = Int(String(decoding: bytes[(equals + 2)..<quote], as: UTF8.self)),
              number >= 0, number < hooks.count else { return nil }
        let kind = String(decoding: bytes[start..<equals], as: UTF8.self)
        let attributes: String
        switch (kind, hooks[number]) {
        case ("symbol", .symbol(let value)):
            attributes = " data-value=\"\(HTML.escape(PlainMath.typographic(value)))\" tabindex=\"0\""
        case ("step", .step(let status, let line)):
            attributes = " data-status=\"\(status.rawValue)\" data-line=\"\(line)\""
        case ("computed", .computed(let expression)):
            attributes = " data-computed=\"\(HTML.escape(expression))\""
        case ("missing", .missing(let reason)):
            attributes = " data-missing=\"\(HTML.escape(reason))\" tabindex=\"0\""
        case ("differs", .differs(let side)):
            attributes = " data-differs=\"\(side)\""
        default:
            return nil
        }
        return (attributes, quote + 1)
    }

    /// A formatted value as TeX: digits, signs and points as they are, the rest as text.
    static func texNumber(_ value: String) -> String {
        var out = ""
        for scalar in PlainMath.typographic(value).unicodeScalars {
            switch scalar {
            case "0"..."9", ".", "−", "+", "-", " ", ",", "(", ")", "[", "]", "×", "e", "E", "∞": out.unicodeScalars.append(scalar)
            case "\\": out += "\\backslash "
            case "{", "}", "$", "&", "#", "_", "%": out += "\\" + String(scalar)
            case "^": out += "\\hat{}"
            case "~": out += "\\sim "
            default: out += "\\text{\(scalar)}"
            }
        }
        return out
    }

    private static func isOnlyCommand(_ command: ValueCommand, in bytes: [UInt8]) -> Bool {
        bytes[..<command.start].allSatisfy(\.isASCIIWhitespace) && bytes[command.end...].allSatisfy(\.isASCIIWhitespace)
    }
}

/// `\nbvalue{expr}` or `\nbvalue[format]{expr}` in TeX, as byte offsets.
struct ValueCommand: Sendable, Equatable {
    var start: Int
    var end: Int
    var argumentStart: Int
    var argumentEnd: Int

    static let name = Array("\\nbvalue".utf8)

    /// Every well-formed `\nbvalue` command outside comments, in order.
    static func all(in tex: String) -> [ValueCommand] {
        guard tex.utf8.count >= name.count, tex.containsBytes("\\nbvalue") else { return [] }
        let bytes = Array(tex.utf8)
        var found: [ValueCommand] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            guard byte == UInt8(ascii: "\\") else { index += 1; continue }
            guard bytes.hasPrefix(name, at: index) else { index += 2; continue }
            var cursor = index + name.count
            if cursor < bytes.count, bytes[cursor].isASCIILetter { index = cursor; continue }
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "[") {
                guard let close = bytes[cursor...].firstIndex(of: UInt8(ascii: "]")) else { index = cursor; continue }
                cursor = close + 1
            }
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{"),
                  let close = TeXTokens.matchingBrace(in: bytes, from: cursor) else { index = cursor; continue }
            found.append(ValueCommand(start: index, end: close + 1, argumentStart: cursor + 1, argumentEnd: close))
            index = close + 1
        }
        return found
    }
}

/// A change to TeX bytes: text put around a span, or a span replaced.
struct Edit: Sendable, Equatable {
    var start: Int
    var end: Int
    var prefix = ""
    var suffix = ""
    var replacement: String?

    /// Applies properly nested edits; an edit that overlaps another partly, or
    /// falls inside a replaced span, is dropped. Nil when nothing applied.
    static func apply(_ edits: [Edit], to bytes: [UInt8]) -> String? {
        let sorted = edits.enumerated().sorted {
            ($0.element.start, -$0.element.end, $0.offset) < ($1.element.start, -$1.element.end, $1.offset)
        }.map(\.element)
        var accepted: [Edit] = []
        var open: [Edit] = []
        for edit in sorted where edit.start >= 0 && edit.end <= bytes.count && edit.start < edit.end {
            while let last = open.last, last.end <= edit.start { open.removeLast() }
            if let last = open.last, edit.end > last.end || last.replacement != nil { continue }
            accepted.append(edit)
            open.append(edit)
        }
        guard !accepted.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + accepted.count * 32)
        var position = 0
        var stack: [Edit] = []
        func close(upTo offset: Int) {
            while let last = stack.last, last.end <= offset {
                out += bytes[position..<last.end]
                position = last.end
                out += last.suffix.utf8
                stack.removeLast()
            }
        }
        for edit in accepted {
            close(upTo: edit.start)
            out += bytes[position..<edit.start]
            position = edit.start
            if let replacement = edit.replacement {
                out += replacement.utf8
                position = edit.end
            } else {
                out += edit.prefix.utf8
                stack.append(edit)
            }
        }
        close(upTo: bytes.count)
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }
}

/// TeX split into tokens — control words (`\partial`), control symbols (`\,`),
/// single characters — to tell whether a span can be wrapped in a group.
struct TeXTokens: Sendable {
    private let bytes: [UInt8]
    /// `boundaries[i]`: a token starts at byte `i` outside a comment (and `i == count`).
    private var boundaries: [Bool]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        boundaries = [Bool](repeating: false, count: bytes.count + 1)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            boundaries[index] = true
            index = Self.tokenEnd(in: bytes, at: index)
        }
        boundaries[bytes.count] = true
    }

    static func tokenEnd(in bytes: [UInt8], at index: Int) -> Int {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
            var end = index + 1
            if bytes[end].isASCIILetter {
                while end < bytes.count, bytes[end].isASCIILetter { end += 1 }
                return end
            }
            return end + scalarLength(bytes[end])
        }
        return min(bytes.count, index + scalarLength(byte))
    }

    private static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The index of the `}` closing the `{` at `open`, skipping `\{` and `\}`.
    static func matchingBrace(in bytes: [UInt8], from open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2; continue
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }

    private static let forbidden: Set<String> = [
        "&", "%", "\\\\", "\\label", "\\tag", "\\nonumber", "\\notag", "\\begin", "\\end", "\\cr", "\\newline",
        "\\over", "\\choose", "\\atop", "\\above", "\\limits", "\\nolimits",
    ]

    /// True when `{…}` around `start..<end` keeps the TeX well-formed: both ends
    /// on token boundaries outside comments, braces balanced inside, no row or
    /// column break, label, tag, environment or infix command inside, and
    /// `\left`/`\right` paired.
    func isWrappable(_ start: Int, _ end: Int) -> Bool {
        guard start >= 0, end <= bytes.count, start < end, boundaries[start], boundaries[end] else { return false }
        var depth = 0
        var lefts = 0
        var index = start
        while index < end {
            guard boundaries[index] else { return false }
            let next = Self.tokenEnd(in: bytes, at: index)
            switch bytes[index] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth < 0 { return false }
            case UInt8(ascii: "&"), UInt8(ascii: "%"): return false
            case UInt8(ascii: "\\"):
                // Only control sequences need their text.
                let token = String(decoding: bytes[index..<next], as: UTF8.self)
                if Self.forbidden.contains(token) { return false }
                switch token {
                case "\\left": lefts += 1
                case "\\right":
                    lefts -= 1
                    if lefts < 0 { return false }
                case "\\middle": if lefts == 0 { return false }
                default: break
                }
            default: break
            }
            index = next
        }
        return depth == 0 && lefts == 0
    }

    private static let operatorsWithLimits: Set<String> = [
        "\\sum", "\\prod", "\\coprod", "\\int", "\\iint", "\\iiint", "\\oint", "\\lim", "\\max", "\\min",
        "\\sup", "\\inf", "\\bigcup", "\\bigcap", "\\bigoplus", "\\bigotimes", "\\argmax", "\\argmin", "\\limsup", "\\liminf",
    ]

    /// A lone `\sum` (or another operator with limits) followed by `_`/`^`:
    /// wrapping it would move its limits to the side.
    func isOperatorWithLimits(_ start: Int, _ end: Int) -> Bool {
        let token = String(decoding: bytes[start..<end], as: UTF8.self).trimmingWhitespace()
        guard Self.operatorsWithLimits.contains(String(token)) else { return false }
        var index = end
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") { index += 1 }
        return index < bytes.count && (bytes[index] == UInt8(ascii: "_") || bytes[index] == UInt8(ascii: "^"))
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

extension Array where Element == UInt8 {
    func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= count else { return false }
        for offset in 0..<prefix.count where self[index + offset] != prefix[offset] { return false }
        return true
    }

    func firstIndex(of needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var index = start
        while index + needle.count <= count {
            if self[index] == first, hasPrefix(needle, at: index) { return index }
            index += 1
        }
        return nil
    }
}
