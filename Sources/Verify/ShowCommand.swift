import Diagnostics

/// What a `show:` statement of an `nb` cell asks for, with the place of every
/// part of it, so that a problem is reported at the word that causes it:
///
/// ```nb
/// show: plot \sigma(z), \sigma'(z) for z from -6 to 6
/// show: plot \tanh(x) for x from -3 to 3 ylim=-1.5..1.5
/// show: paths w_1 -> E
/// show: graph E
/// ```
struct ShowCommand: Sendable, Equatable {
    /// A piece of the statement: its text and where it stands in the note.
    struct Piece: Sendable, Equatable {
        var text: String
        /// The file offset of its first byte.
        var offset: Int
        var range: SourceRange
    }

    enum Kind: Sendable, Equatable {
        case plot(expressions: [Piece], variable: Piece, low: Double, high: Double, yLimits: ClosedRange<Double>?)
        case paths(from: Piece, to: Piece)
        case graph(target: Piece?)
    }

    var kind: Kind
    /// The whole value after `show:`.
    var whole: Piece

    /// The most points a plot samples.
    static let plotPoints = 241

    static func parse(_ statement: CellStatement, source: SourceFile) -> Result<ShowCommand, Diagnostic> {
        let start = statement.valueRange.start.offset
        let bytes = Array(source.bytes[start..<min(source.bytes.count, statement.valueRange.end.offset)])
        let reader = Reader(bytes: bytes, base: start, source: source)
        let whole = reader.piece(0, bytes.count)
        let (formEnd, form) = reader.word(from: 0)
        switch form {
        case "plot":
            return plot(reader, from: formEnd, whole: whole)
        case "paths", "path":
            let rest = reader.trimmed(formEnd, bytes.count)
            guard let arrow = reader.find(["->", "\\to ", "\\rightarrow "], from: rest.0, to: rest.1) else {
                return .failure(.error(VerifyMessages.badPaths(whole.text), at: whole.range))
            }
            let from = reader.trimmed(rest.0, arrow.start)
            let to = reader.trimmed(arrow.end, rest.1)
            guard from.0 < from.1, to.0 < to.1 else { return .failure(.error(VerifyMessages.badPaths(whole.text), at: whole.range)) }
            return .success(ShowCommand(kind: .paths(from: reader.piece(from.0, from.1), to: reader.piece(to.0, to.1)), whole: whole))
        case "graph":
            let rest = reader.trimmed(formEnd, bytes.count)
            return .success(ShowCommand(kind: .graph(target: rest.0 < rest.1 ? reader.piece(rest.0, rest.1) : nil), whole: whole))
        default:
            let word = reader.piece(reader.trimmed(0, formEnd).0, formEnd)
            return .failure(.error(VerifyMessages.unknownShow(word.text), at: word.range))
        }
    }

    private static func plot(_ reader: Reader, from: Int, whole: Piece) -> Result<ShowCommand, Diagnostic> {
        let end = reader.bytes.count
        guard let forWord = reader.find([" for "], from: from, to: end) else {
            return .failure(.error(VerifyMessages.badPlot(whole.text), at: whole.range))
        }
        guard let fromWord = reader.find([" from "], from: forWord.end, to: end) else {
            return .failure(.error(VerifyMessages.badPlot(whole.text), at: whole.range))
        }
        let variableSpan = reader.trimmed(forWord.end, fromWord.start)
        guard variableSpan.0 < variableSpan.1 else { return .failure(.error(VerifyMessages.badPlot(whole.text), at: whole.range)) }
        let variable = reader.piece(variableSpan.0, variableSpan.1)

        var expressions: [Piece] = []
        for (low, high) in reader.split(from: from, to: forWord.start) {
            let span = reader.trimmed(low, high)
            guard span.0 < span.1 else {
                return .failure(.error(VerifyMessages.emptyPlotExpression, at: reader.piece(low, max(low, high)).range))
            }
            expressions.append(reader.piece(span.0, span.1))
        }
        guard !expressions.isEmpty else { return .failure(.error(VerifyMessages.badPlot(whole.text), at: whole.range)) }

        // `A to B`, then optional `ylim=A..B`.
        let rangeSpan = reader.trimmed(fromWord.end, end)
        let words = reader.words(from: rangeSpan.0, to: rangeSpan.1)
        guard words.count >= 3, words[1].text == "to" else {
            return .failure(.error(VerifyMessages.badPlot(whole.text), at: whole.range))
        }
        guard let low = Double(words[0].text), low.isFinite else { return .failure(.error(VerifyMessages.notABound(words[0].text), at: words[0].range)) }
        guard let high = Double(words[2].text), high.isFinite else { return .failure(.error(VerifyMessages.notABound(words[2].text), at: words[2].range)) }
        guard low < high else {
            return .failure(.error(VerifyMessages.emptyRange(words[0].text, words[2].text), at: reader.source.range(from: words[0].offset, to: words[2].range.end.offset)))
        }
        var yLimits: ClosedRange<Double>?
        for word in words.dropFirst(3) {
            guard word.text.hasPrefix("ylim=") else { return .failure(.error(VerifyMessages.unknownPlotOption(word.text), at: word.range)) }
            let limits = word.text.dropFirst(5)
            guard let dots = limits.range(of: ".."),
                  let bottom = Double(limits[..<dots.lowerBound]), let top = Double(limits[dots.upperBound...]),
                  bottom.isFinite, top.isFinite, bottom < top else {
                return .failure(.error(VerifyMessages.badYLimits(word.text), at: word.range))
            }
            yLimits = bottom...top
        }
        return .success(ShowCommand(kind: .plot(expressions: expressions, variable: variable, low: low, high: high, yLimits: yLimits), whole: whole))
    }

    /// Byte-level reading of the statement, keeping file offsets.
    private struct Reader {
        let bytes: [UInt8]
        let base: Int
        let source: SourceFile

        func piece(_ low: Int, _ high: Int) -> Piece {
            Piece(text: String(decoding: bytes[low..<high], as: UTF8.self), offset: base + low,
                  range: source.range(from: base + low, to: base + high))
        }

        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

        func trimmed(_ low: Int, _ high: Int) -> (Int, Int) {
            var a = low, b = high
            while a < b, isSpace(bytes[a]) { a += 1 }
            while b > a, isSpace(bytes[b - 1]) { b -= 1 }
            return (a, b)
        }

        /// The first word from `start` (leading spaces skipped): its end and its text.
        func word(from start: Int) -> (Int, String) {
            var a = start
            while a < bytes.count, isSpace(bytes[a]) { a += 1 }
            var b = a
            while b < bytes.count, !isSpace(bytes[b]) { b += 1 }
            return (b, String(decoding: bytes[a..<b], as: UTF8.self).lowercased())
        }

        func words(from low: Int, to high: Int) -> [Piece] {
            var found: [Piece] = []
            var index = low
            while index < high {
                while index < high, isSpace(bytes[index]) { index += 1 }
                let start = index
                while index < high, !isSpace(bytes[index]) { index += 1 }
                if index > start { found.append(piece(start, index)) }
            }
            return found
        }

        /// The first of `needles` outside braces, parentheses and brackets.
        func find(_ needles: [String], from low: Int, to high: Int) -> (start: Int, end: Int)? {
            let patterns = needles.map { Array($0.utf8) }
            var depth = 0
            var index = low
            while index < high {
                let byte = bytes[index]
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") { depth = max(0, depth - 1) }
                if depth == 0 {
                    for pattern in patterns where index + pattern.count <= high && Array(bytes[index..<(index + pattern.count)]) == pattern {
                        return (index, index + pattern.count)
                    }
                }
                index += 1
            }
            return nil
        }

        /// Spans between top-level commas.
        func split(from low: Int, to high: Int) -> [(Int, Int)] {
            var spans: [(Int, Int)] = []
            var depth = 0
            var start = low
            for index in low..<max(low, high) {
                let byte = bytes[index]
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") { depth = max(0, depth - 1) }
                if depth == 0, byte == UInt8(ascii: ",") {
                    spans.append((start, index))
                    start = index + 1
                }
            }
            spans.append((start, high))
            return spans
        }
    }
}
