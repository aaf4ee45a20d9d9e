import Diagnostics

/// A piece of the note that must not go through cmark's inline parsing:
/// math, a wiki link, or an equation reference. Offsets are original bytes.
struct ScannedSpan: Sendable {
    enum Kind: Sendable, Equatable {
        case math(MathCell.Delimiter)
        case wikiLink(embed: Bool)
        case reference(parenthesized: Bool)
    }

    var kind: Kind
    /// The whole span, delimiters included: `start..<end`.
    var start: Int
    var end: Int
    /// The content between the delimiters.
    var contentStart: Int
    var contentEnd: Int
    /// How many `>` quote markers open the span's first line; as many are
    /// kept (in cmark's input) and blanked (in `text`) on its later lines.
    var quoteDepth: Int
    /// The content as text. For math inside block quotes the quote markers on
    /// continuation lines are blanked to spaces, so lengths and offsets still match.
    var text: String
}

/// Finds math, wiki links and `\ref`s in the original bytes before cmark sees
/// them, and builds cmark's input with each span replaced by a placeholder of
/// the same length that keeps its line breaks: `0x0E` then `0x0F` bytes.
///
/// Rules (documented in docs/notebook-format.md):
/// - Nothing inside fenced or indented code, code spans, HTML comments or autolinks.
/// - No span crosses a blank line or a code fence; `$…$` and `\(…\)` also stop
///   at a line that starts a list item or a heading.
/// - `$`: Pandoc's rule. `$$`, `\[…\]`, `\\[…\\]`, `\(…\)`, `\\(…\\)`,
///   and `\begin{env}…\end{env}` at the start of a line for the display environments.
struct SpanScanner {
    static let placeholderStart: UInt8 = 0x0E
    static let placeholderFill: UInt8 = 0x0F
    /// Stands in cmark's input for bytes cmark would mangle (NUL) or that
    /// would look like a placeholder; read back as U+FFFD.
    static let substitute: UInt8 = 0x1A
    /// Stands for text no reader sees (an Obsidian `%%` comment, a dropped Liquid tag):
    /// cmark reads it as an ordinary character, so it makes no blank line, indentation
    /// or hard line break, and the reader drops it.
    static let hidden: UInt8 = 0x1F

    static let environments: Set<String> = [
        "align", "align*", "aligned", "alignat", "alignat*", "equation", "equation*",
        "gather", "gather*", "gathered", "split", "multline", "multline*", "flalign", "flalign*",
        "eqnarray", "eqnarray*",
    ]

    let bytes: [UInt8]
    let source: SourceFile
    /// The bytes with code spans, comments and autolinks blanked to 0x01.
    private var work: [UInt8]
    private(set) var spans: [ScannedSpan] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Byte ranges of text lines grouped into paragraphs-to-be (no blank lines, no code).
    private var runs: [(start: Int, end: Int, barriers: [Int])] = []

    /// - Parameter visible: the note's bytes with what no reader sees blanked (`%%` comments); defaults to the file's.
    init(source: SourceFile, visible: [UInt8]? = nil, bodyStart: Int) {
        self.source = source
        self.bytes = visible ?? source.bytes
        self.work = self.bytes
        classifyLines(from: bodyStart)
        for run in runs {
            blankCode(run.start, run.end)
            findSpans(run.start, run.end, barriers: run.barriers)
        }
        // `$`…`$` spans are found with code spans, before the others of their run.
        if spans.contains(where: { $0.kind == .math(.dollarBacktick) }) {
            spans.sort { $0.start < $1.start }
        }
    }

    /// cmark's input: the front matter blanked, spans replaced by placeholders,
    /// `rejected` spans (indices into `spans`) left as written.
    func cmarkInput(bodyStart: Int, rejected: Set<Int> = []) -> [UInt8] {
        var input = bytes
        for index in input.indices {
            switch input[index] {
            case 0, Self.placeholderStart, Self.placeholderFill, Self.substitute: input[index] = Self.substitute
            default: break
            }
        }
        for index in 0..<min(bodyStart, input.count) where input[index] != UInt8(ascii: "\n") {
            input[index] = UInt8(ascii: " ")
        }
        for (number, span) in spans.enumerated() where !rejected.contains(number) {
            input[span.start] = Self.placeholderStart
            var index = span.start + 1
            while index < span.end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n"), bytes[index - 1] == UInt8(ascii: "\n") {
                    // An empty line inside display math would end cmark's paragraph: its line break
                    // becomes part of the placeholder (`MarkdownReader` maps lines back by offset).
                    input[index] = Self.placeholderFill
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "\n") {
                    index += 1
                    // Keep the continuation line's indentation and quote markers.
                    var markers = 0
                    while index < span.end, isPrefixByte(bytes[index]) {
                        if bytes[index] == UInt8(ascii: ">") {
                            if markers == span.quoteDepth { break }
                            markers += 1
                        }
                        index += 1
                    }
                    continue
                }
                input[index] = byte == UInt8(ascii: "\r") ? byte : Self.placeholderFill
                index += 1
            }
        }
        return input
    }

    private func isPrefixByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: ">")
    }

    // MARK: - Lines

    private mutating func classifyLines(from bodyStart: Int) {
        var fence: (byte: UInt8, count: Int)?
        var previousBlank = true
        var previousIndentedCode = false
        var inList = false
        var runStart: Int?
        var runEnd = 0
        var barriers: [Int] = []
        var lineStart = bodyStart

        var openDoubleDollar = false
        // A math environment begun at the start of a line and not yet ended: `\end{eqnarray}` as bytes.
        var openEnvironmentEnd: [UInt8]?
        var blankLinesInMath = 0

        func closeRun(_ scanner: inout SpanScanner) {
            if let start = runStart { scanner.runs.append((start, runEnd, barriers)) }
            runStart = nil
            barriers = []
        }

        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }

            // Quote markers, then indentation.
            var index = lineStart
            while true {
                var probe = index
                while probe < lineEnd, probe - index < 4, bytes[probe] == UInt8(ascii: " ") { probe += 1 }
                if probe < lineEnd, bytes[probe] == UInt8(ascii: ">") {
                    index = probe + 1
                    if index < lineEnd, bytes[index] == UInt8(ascii: " ") { index += 1 }
                } else { break }
            }
            var indent = 0
            while index < lineEnd, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
                indent += bytes[index] == UInt8(ascii: "\t") ? 4 - indent % 4 : 1
                index += 1
            }
            var contentEnd = lineEnd
            while contentEnd > index, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[contentEnd - 1]) {
                contentEnd -= 1
            }
            let blank = index >= contentEnd

            if let open = fence {
                let run = fenceRun(index, contentEnd)
                if run.byte == open.byte, run.count >= open.count, index + run.count == contentEnd {
                    fence = nil
                }
                previousBlank = false
                continue
            }
            if blank {
                // kramdown and MathJax read `$$ … $$` across blank lines: a run with an open `$$`
                // goes on, up to 64 blank lines (a stray `$$` then stays unclosed, as before).
                // So does MathJax a `\begin{eqnarray} … \end{eqnarray}` written without dollars.
                if openDoubleDollar || openEnvironmentEnd != nil, runStart != nil, blankLinesInMath < 64 {
                    blankLinesInMath += 1
                    continue
                }
                closeRun(&self)
                openDoubleDollar = false
                openEnvironmentEnd = nil
                blankLinesInMath = 0
                previousBlank = true
                previousIndentedCode = false
                continue
            }
            if indent >= 4, runStart == nil, (previousBlank || previousIndentedCode), !inList {
                previousIndentedCode = true
                previousBlank = false
                continue
            }
            let run = fenceRun(index, contentEnd)
            if run.count >= 3, indent < 4 || inList,
               run.byte == UInt8(ascii: "~") || !bytes[(index + run.count)..<contentEnd].contains(UInt8(ascii: "`")) {
                closeRun(&self)
                fence = (run.byte, run.count)
                previousBlank = false
                previousIndentedCode = false
                continue
            }
            let listItem = startsListItem(index, contentEnd)
            if listItem { inList = true } else if indent == 0, previousBlank { inList = false }
            let heading = bytes[index] == UInt8(ascii: "#")
            if isRule(index, contentEnd) {
                // A thematic break or setext underline ends the paragraph.
                closeRun(&self)
            } else {
                if runStart == nil { runStart = lineStart }
                if listItem || heading { barriers.append(lineStart) }
                runEnd = lineEnd
                if doubleDollarCount(index, contentEnd) % 2 == 1 { openDoubleDollar.toggle() }
                if !openDoubleDollar {
                    if let closing = openEnvironmentEnd {
                        if contains(closing, index, contentEnd) { openEnvironmentEnd = nil }
                    } else if let closing = environmentEnd(begunAt: index, contentEnd), !contains(closing, index, contentEnd) {
                        openEnvironmentEnd = closing
                    }
                }
                if !openDoubleDollar, openEnvironmentEnd == nil { blankLinesInMath = 0 }
                if heading { barriers.append(lineEnd) }
            }
            previousBlank = false
            previousIndentedCode = false
        }
        closeRun(&self)
    }

    /// `\end{name}` for a line that begins a math environment (`\begin{name}` first on it), else nil.
    private func environmentEnd(begunAt start: Int, _ end: Int) -> [UInt8]? {
        let begin = Array("\\begin{".utf8)
        guard end - start > begin.count, bytes[start..<(start + begin.count)].elementsEqual(begin),
              let close = bytes[(start + begin.count)..<end].firstIndex(of: UInt8(ascii: "}")) else { return nil }
        let name = String(decoding: bytes[(start + begin.count)..<close], as: UTF8.self)
        guard Self.environments.contains(name) else { return nil }
        return Array("\\end{\(name)}".utf8)
    }

    private func contains(_ needle: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard end - start >= needle.count else { return false }
        for at in start...(end - needle.count) where bytes[at] == needle[0] {
            if bytes[at..<(at + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// How many unescaped `$$` a line holds.
    private func doubleDollarCount(_ start: Int, _ end: Int) -> Int {
        var count = 0
        var index = start
        while index + 1 < end {
            if bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "$"),
               index == start || bytes[index - 1] != UInt8(ascii: "\\") {
                count += 1
                index += 2
            } else {
                index += 1
            }
        }
        return count
    }

    private func fenceRun(_ start: Int, _ end: Int) -> (byte: UInt8, count: Int) {
        guard start < end, bytes[start] == UInt8(ascii: "`") || bytes[start] == UInt8(ascii: "~") else { return (0, 0) }
        var index = start
        while index < end, bytes[index] == bytes[start] { index += 1 }
        return (bytes[start], index - start)
    }

    private func startsListItem(_ start: Int, _ end: Int) -> Bool {
        let first = bytes[start]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "*") {
            return start + 1 == end || bytes[start + 1] == UInt8(ascii: " ") || bytes[start + 1] == UInt8(ascii: "\t")
        }
        var index = start
        while index < end, index - start < 9, isDigit(bytes[index]) { index += 1 }
        guard index > start, index < end, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ")") else { return false }
        return index + 1 == end || bytes[index + 1] == UInt8(ascii: " ") || bytes[index + 1] == UInt8(ascii: "\t")
    }

    /// `---`, `***`, `___`, `===` lines (spaces allowed between).
    private func isRule(_ start: Int, _ end: Int) -> Bool {
        let first = bytes[start]
        guard [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "=")].contains(first) else { return false }
        var count = 0
        for byte in bytes[start..<end] {
            if byte == first { count += 1 } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { return false }
        }
        return count >= 3 || (first == UInt8(ascii: "=") && count >= 1)
    }

    // MARK: - Code spans, comments, autolinks

    private mutating func blankCode(_ start: Int, _ end: Int) {
        // Backtick runs, for matching code spans in linear time.
        var runs: [(position: Int, length: Int)] = []
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "`") {
                let runStart = index
                while index < end, bytes[index] == UInt8(ascii: "`") { index += 1 }
                runs.append((runStart, index - runStart))
                continue
            }
            index += 1
        }
        var nextSameLength = [Int](repeating: -1, count: runs.count)
        var lastByLength: [Int: Int] = [:]
        for runIndex in runs.indices.reversed() {
            nextSameLength[runIndex] = lastByLength[runs[runIndex].length] ?? -1
            lastByLength[runs[runIndex].length] = runIndex
        }

        var commentEnd = Finder()
        var runIndex = 0
        index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "`") {
                while runIndex < runs.count, runs[runIndex].position < index { runIndex += 1 }
                guard runIndex < runs.count, runs[runIndex].position == index else { index += 1; continue }
                let run = runs[runIndex]
                let match = nextSameLength[runIndex]
                if match >= 0 {
                    let closeEnd = runs[match].position + runs[match].length
                    // GitHub's inline math: $`…`$ is math, not a code span.
                    if index > start, bytes[index - 1] == UInt8(ascii: "$"), !(index >= start + 2 && bytes[index - 2] == UInt8(ascii: "\\")),
                       closeEnd < end, bytes[closeEnd] == UInt8(ascii: "$"), runs[match].position > index + run.length {
                        var lineStart = index - 1
                        while lineStart > start, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
                        _ = addSpan(.math(.dollarBacktick), index - 1, closeEnd + 1, index + run.length, runs[match].position, lineStart: &lineStart)
                        blank(index - 1, closeEnd + 1)
                        index = closeEnd + 1
                        runIndex = match + 1
                        continue
                    }
                    blank(index, closeEnd)
                    index = closeEnd
                    runIndex = match + 1
                } else {
                    index += run.length
                    runIndex += 1
                }
                continue
            }
            if byte == UInt8(ascii: "<") {
                if matches("<!--", at: index, end: end) {
                    let close = commentEnd.next(from: index + 4, end: end, in: bytes) { bytes, at in
                        at + 2 < end && bytes[at] == UInt8(ascii: "-") && bytes[at + 1] == UInt8(ascii: "-")
                            && bytes[at + 2] == UInt8(ascii: ">")
                    }
                    let stop = close.map { $0 + 3 } ?? end
                    blank(index, stop)
                    index = stop
                    continue
                }
                if let stop = autolinkEnd(index, end) {
                    blank(index, stop)
                    index = stop
                    continue
                }
            }
            index += 1
        }
    }

    /// `<scheme:…>` with no spaces, or nil.
    private func autolinkEnd(_ start: Int, _ end: Int) -> Int? {
        var index = start + 1
        while index < end, index - start <= 33, isLetter(bytes[index]) || isDigit(bytes[index])
            || bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "-") {
            index += 1
        }
        guard index - start >= 3, index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") { return index + 1 }
            if byte <= 0x20 || byte == UInt8(ascii: "<") { return nil }
            index += 1
        }
        return nil
    }

    private mutating func blank(_ start: Int, _ end: Int) {
        for index in start..<min(end, work.count) where work[index] != UInt8(ascii: "\n") { work[index] = 0x01 }
    }

    // MARK: - Spans

    private mutating func findSpans(_ start: Int, _ end: Int, barriers: [Int]) {
        var doubleDollar = Finder()
        var singleDollar = Finder()
        var closeParenthesis = Finder()
        var closeBracket = Finder()
        var doubledCloseParenthesis = Finder()
        var doubledCloseBracket = Finder()
        var environmentEnds: [String: Finder] = [:]
        var barrierIndex = 0
        var lineStart = start
        var index = start

        func nextBarrier(after position: Int) -> Int {
            while barrierIndex < barriers.count, barriers[barrierIndex] <= position { barrierIndex += 1 }
            return barrierIndex < barriers.count ? barriers[barrierIndex] : end
        }

        while index < end {
            let byte = work[index]
            if byte == UInt8(ascii: "\n") {
                index += 1
                lineStart = index
                continue
            }
            if byte == UInt8(ascii: "\\") {
                var count = 0
                while index + count < end, work[index + count] == UInt8(ascii: "\\") { count += 1 }
                let after = index + count
                guard after < end else { break }
                let next = work[after]
                if next == UInt8(ascii: "$") {
                    index = count % 2 == 1 ? after + 1 : after
                    continue
                }
                if (next == UInt8(ascii: "(") || next == UInt8(ascii: "[")) && (count == 1 || count == 2) {
                    let bracket = next == UInt8(ascii: "[")
                    let doubled = count == 2
                    let closer = bracket ? UInt8(ascii: "]") : UInt8(ascii: ")")
                    let contentStart = after + 1
                    var finder: Finder
                    switch (bracket, doubled) {
                    case (false, false): finder = closeParenthesis
                    case (true, false): finder = closeBracket
                    case (false, true): finder = doubledCloseParenthesis
                    case (true, true): finder = doubledCloseBracket
                    }
                    let found = finder.next(from: contentStart + 1, end: end, in: work) { work, at in
                        guard work[at] == closer, at >= 1, work[at - 1] == UInt8(ascii: "\\") else { return false }
                        var run = 0
                        while at - run - 1 >= contentStart, work[at - run - 1] == UInt8(ascii: "\\") { run += 1 }
                        return doubled ? run >= 2 : run % 2 == 1
                    }
                    switch (bracket, doubled) {
                    case (false, false): closeParenthesis = finder
                    case (true, false): closeBracket = finder
                    case (false, true): doubledCloseParenthesis = finder
                    case (true, true): doubledCloseBracket = finder
                    }
                    let limit = bracket ? end : nextBarrier(after: index)
                    if let close = found, close < limit {
                        let delimiter: MathCell.Delimiter = switch (bracket, doubled) {
                        case (false, false): .parenthesis
                        case (true, false): .bracket
                        case (false, true): .doubledParenthesis
                        case (true, true): .doubledBracket
                        }
                        let contentEnd = close - count
                        if contentEnd > contentStart {
                            index = addSpan(.math(delimiter), index, close + 1, contentStart, contentEnd, lineStart: &lineStart)
                            continue
                        }
                    }
                    index = after + 1
                    continue
                }
                if count == 1, let span = reference(at: index, end: end) {
                    index = addSpan(.reference(parenthesized: span.parenthesized), index, span.end,
                                    span.labelStart, span.labelEnd, lineStart: &lineStart)
                    continue
                }
                if count == 1, matches("\\begin{", at: index, end: end), onlyPrefixBefore(index, lineStart: lineStart),
                   let nameEnd = work[(index + 7)..<end].firstIndex(of: UInt8(ascii: "}")), nameEnd - index < 40 {
                    let name = String(decoding: work[(index + 7)..<nameEnd], as: UTF8.self)
                    if Self.environments.contains(name) {
                        let closing = Array("\\end{\(name)}".utf8)
                        var finder = environmentEnds[name] ?? Finder()
                        let found = finder.next(from: nameEnd + 1, end: end, in: work) { work, at in
                            at + closing.count <= end && work[at] == closing[0]
                                && work[at..<(at + closing.count)].elementsEqual(closing)
                        }
                        environmentEnds[name] = finder
                        if let close = found {
                            let stop = close + closing.count
                            index = addSpan(.math(.environment), index, stop, index, stop, lineStart: &lineStart)
                        } else {
                            diagnostics.append(.error(NotebookMessages.unterminatedEnvironment(name),
                                                      at: source.range(from: index, to: nameEnd + 1)))
                            index = nameEnd + 1
                        }
                        continue
                    }
                }
                // A backslash escape: skip the escaped punctuation.
                index = after + (isPunctuation(next) ? 1 : 0)
                continue
            }
            if byte == UInt8(ascii: "$") {
                if index + 1 < end, work[index + 1] == UInt8(ascii: "$") {
                    let found = doubleDollar.next(from: index + 2, end: end, in: work) { work, at in
                        guard work[at] == UInt8(ascii: "$"), at + 1 < end, work[at + 1] == UInt8(ascii: "$") else { return false }
                        var run = 0
                        while at - run - 1 >= 0, work[at - run - 1] == UInt8(ascii: "\\") { run += 1 }
                        return run % 2 == 0
                    }
                    if let close = found {
                        if close > index + 2 {
                            index = addSpan(.math(.doubleDollar), index, close + 2, index + 2, close, lineStart: &lineStart)
                        } else {
                            index = close + 2   // `$$$$`: nothing between
                        }
                    } else {
                        diagnostics.append(.error(NotebookMessages.unterminatedMath("$$"),
                                                  at: source.range(from: index, to: index + 2)))
                        index += 2
                    }
                    continue
                }
                // Pandoc: a non-space after the opener; the closer has a non-space
                // before it and no digit after it.
                if index + 1 < end, !isSpace(work[index + 1]) {
                    let found = singleDollar.next(from: index + 2, end: end, in: work) { work, at in
                        // Half of a `$$` never closes a `$` (`$L $` then a display on the next line).
                        guard work[at] == UInt8(ascii: "$"), !isSpace(work[at - 1]), work[at - 1] != UInt8(ascii: "$"),
                              at + 1 >= end || work[at + 1] != UInt8(ascii: "$") else { return false }
                        if at + 1 < end, isDigit(work[at + 1]) { return false }
                        var run = 0
                        while at - run - 1 >= 0, work[at - run - 1] == UInt8(ascii: "\\") { run += 1 }
                        return run % 2 == 0
                    }
                    if let close = found, close < nextBarrier(after: index) {
                        index = addSpan(.math(.dollar), index, close + 1, index + 1, close, lineStart: &lineStart)
                        continue
                    }
                }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "["), index + 1 < end, work[index + 1] == UInt8(ascii: "[") {
                if let stop = wikiLinkEnd(index + 2, end) {
                    let embed = index > lineStart && work[index - 1] == UInt8(ascii: "!")
                        && !(index >= 2 && work[index - 2] == UInt8(ascii: "\\"))
                    let spanStart = embed ? index - 1 : index
                    index = addSpan(.wikiLink(embed: embed), spanStart, stop, index + 2, stop - 2, lineStart: &lineStart)
                    continue
                }
            }
            index += 1
        }
    }

    /// `\ref{label}` / `\eqref{label}` at `start` (the backslash).
    private func reference(at start: Int, end: Int) -> (parenthesized: Bool, labelStart: Int, labelEnd: Int, end: Int)? {
        let parenthesized: Bool
        let labelStart: Int
        if matches("\\ref{", at: start, end: end) {
            parenthesized = false
            labelStart = start + 5
        } else if matches("\\eqref{", at: start, end: end) {
            parenthesized = true
            labelStart = start + 7
        } else {
            return nil
        }
        var index = labelStart
        while index < end, index - labelStart < 200 {
            let byte = work[index]
            if byte == UInt8(ascii: "}") {
                return index > labelStart ? (parenthesized, labelStart, index, index + 1) : nil
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || byte == 0x01 { return nil }
            index += 1
        }
        return nil
    }

    /// The end of `[[…]]` whose content starts at `start`: no brackets or line breaks inside.
    private func wikiLinkEnd(_ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end {
            let byte = work[index]
            if byte == UInt8(ascii: "]") {
                guard index > start, index + 1 < end, work[index + 1] == UInt8(ascii: "]") else { return nil }
                return index + 2
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\n") || byte == 0x01 { return nil }
            index += 1
        }
        return nil
    }

    private func onlyPrefixBefore(_ position: Int, lineStart: Int) -> Bool {
        work[lineStart..<position].allSatisfy(isPrefixByte)
    }

    /// Records a span and returns where scanning continues.
    private mutating func addSpan(_ kind: ScannedSpan.Kind, _ start: Int, _ end: Int,
                                  _ contentStart: Int, _ contentEnd: Int, lineStart: inout Int) -> Int {
        // Quote markers on the opening line decide how many `>` to blank on later lines.
        var quoteDepth = 0
        for byte in work[lineStart..<start] {
            guard isPrefixByte(byte) else { break }
            if byte == UInt8(ascii: ">") { quoteDepth += 1 }
        }
        // Hidden text (a `%%` comment inside math) is spaces to TeX: same length, nothing typeset.
        var content = bytes[contentStart..<contentEnd].map { $0 == Self.hidden ? UInt8(ascii: " ") : $0 }
        var index = start
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                lineStart = index + 1
                var markers = 0
                var probe = index + 1
                while probe < end, isPrefixByte(bytes[probe]) {
                    if bytes[probe] == UInt8(ascii: ">") {
                        if markers == quoteDepth { break }
                        markers += 1
                        if probe >= contentStart, probe < contentEnd {
                            content[probe - contentStart] = UInt8(ascii: " ")
                        }
                    }
                    probe += 1
                }
            }
            index += 1
        }
        spans.append(ScannedSpan(kind: kind, start: start, end: end, contentStart: contentStart,
                                 contentEnd: contentEnd, quoteDepth: quoteDepth, text: String(decoding: content, as: UTF8.self)))
        return end
    }

    private func matches(_ literal: StaticString, at index: Int, end: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= end else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0..<count where work[index + offset] != buffer[offset] { return false }
            return true
        }
    }
}

/// The first position at or after `from` where a predicate holds, cached so
/// that a left-to-right scan asks in amortised linear time.
struct Finder {
    private var askedFrom = Int.max
    private var found: Int?

    mutating func next(from: Int, end: Int, in bytes: [UInt8], where predicate: ([UInt8], Int) -> Bool) -> Int? {
        if from >= askedFrom {
            if let found, found >= from { return found }
            if found == nil { return nil }
        }
        askedFrom = from
        var index = from
        while index < end {
            if predicate(bytes, index) {
                found = index
                return index
            }
            index += 1
        }
        found = nil
        return nil
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
@inline(__always) func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
@inline(__always) func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
}
@inline(__always) func isPunctuation(_ byte: UInt8) -> Bool {
    (byte >= 0x21 && byte <= 0x2F) || (byte >= 0x3A && byte <= 0x40) || (byte >= 0x5B && byte <= 0x60) || (byte >= 0x7B && byte <= 0x7E)
}
