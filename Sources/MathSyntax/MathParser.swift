import Diagnostics

/// Parses TeX math as people write it in notes into statements of
/// semantic expressions, each node carrying its range in the original file.
///
/// ```swift
/// let math = MathParser.parse(#"\frac{\partial E}{\partial w_1} = -(t_1 - y_1) h_1"#)
/// math.statements[0].relations[0].kind   // .equal
/// MathParser.parse(cell.tex, in: notebook.source, at: cell.contentRange.start.offset)
/// ```
public enum MathParser {
    /// How deeply math may nest before the parser stops reading it.
    public static let defaultDepthLimit = 200

    /// Parses a bare string, as if it were the file `<math>`.
    public static func parse(_ tex: String) -> ParsedMath {
        parse(tex, in: SourceFile(path: "<math>", text: tex), at: 0)
    }

    /// Parses `tex`, whose byte 0 is byte `offset` of `source`, so that every range points into `source`.
    ///
    /// `names` are multi-letter names the note declares (`nb: names out, net, total`), read as one
    /// symbol when their letters are written together: `out_{o1}`, `E_{total}`. `% nb: names …`
    /// comments in the tex add to them.
    public static func parse(_ tex: String, in source: SourceFile, at offset: Int,
                             names: Set<String> = [], depthLimit: Int = defaultDepthLimit) -> ParsedMath {
        parse(tex, in: source, at: offset, notation: NoteNotation(names: names), depthLimit: depthLimit)
    }

    /// Parses `tex` the way `notation` decided for its whole note (`NoteNotation(inferringFrom:)`).
    public static func parse(_ tex: String, in source: SourceFile, at offset: Int,
                             notation: NoteNotation, depthLimit: Int = defaultDepthLimit) -> ParsedMath {
        var reader = StatementReader(tex: tex, source: source, offset: offset, names: notation.names, depthLimit: depthLimit)
        reader.digitsIndexLetters = notation.digitsIndexLetters
        return reader.read()
    }

    /// The names declared by `nb: names a, b, c` annotations (`nil` when the text is another annotation).
    public static func declaredNames(in annotation: String) -> Set<String>? {
        let words = annotation.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ":" })
        guard let first = words.first, first == "names" || first == "name" else { return nil }
        return Set(words.dropFirst().map(String.init))
    }
}

/// Splits math into rows and statements and hands each operand to `ExpressionParser`.
///
/// Rows break at `\\`; in a row, every second `&` separates columns (`align`);
/// statements are separated by `\quad`, `,`, `;`, prose `\text{…}`, `\because`, `\therefore`.
struct StatementReader {
    private let bytes: [UInt8]
    private let locator: MathLocator
    private var parser: ExpressionParser
    private let comments: [MathComment]
    private var statements: [MathStatement] = []
    private var environment: String?
    var digitsIndexLetters: Bool {
        get { parser.digitsIndexLetters }
        set { parser.digitsIndexLetters = newValue }
    }

    init(tex: String, source: SourceFile, offset: Int, names: Set<String>, depthLimit: Int) {
        bytes = Array(tex.utf8)
        locator = MathLocator(source: source, offset: offset, bytes: bytes)
        let (lexed, comments, extra) = MathLexer.tokenize(bytes)
        self.comments = comments
        let text = TokenText(bytes: extra.isEmpty ? bytes : bytes + extra)
        let tokens = Self.withoutLineBreaksInBrackets(lexed, text)
        parser = ExpressionParser(tokens: tokens, locator: locator, text: text, texCount: bytes.count, depthLimit: depthLimit)
        var allNames = names
        for comment in comments {
            if let declared = MathParser.declaredNames(in: comment.text) { allNames.formUnion(declared) }
        }
        parser.names = allNames
    }

    /// The tokens less the `\\` and `&` that only break a long line inside a bracket, as in
    /// `=& \Bigg( 2 (f - t) \frac{\partial f}{\partial w} \\ +& 2 (g - s) \frac{\partial g}{\partial w} \Bigg)`.
    /// A bracket never closed (`[0, 1)`) keeps them, and so does a matrix inside a bracket.
    static func withoutLineBreaksInBrackets(_ tokens: [MathToken], _ text: TokenText) -> [MathToken] {
        guard tokens.contains(where: { text.isCommand($0, "\\") || $0.isPunctuation("&") }) else { return tokens }
        // Open brackets (true) and environments (false), with the line breaks met directly in each.
        var open: [(isBracket: Bool, breaks: [Int])] = []
        var dropped = Set<Int>()
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .begin {
                open.append((false, []))
            } else if token.kind == .end {
                while let last = open.popLast(), last.isBracket {}
            } else if token.isPunctuation("(") || token.isPunctuation("[") || text.isCommand(token, "left") {
                open.append((true, []))
                if text.isCommand(token, "left") { index += 1 }
            } else if token.isPunctuation(")") || token.isPunctuation("]") || text.isCommand(token, "right") {
                if let last = open.last, last.isBracket {
                    open.removeLast()
                    dropped.formUnion(last.breaks)
                }
                if text.isCommand(token, "right") { index += 1 }
            } else if text.isCommand(token, "\\") || token.isPunctuation("&"), !open.isEmpty, open[open.count - 1].isBracket {
                open[open.count - 1].breaks.append(index)
            } else if token.isPunctuation("&"), index >= 2, tokens[index - 1].isPunctuation("+") || tokens[index - 1].isPunctuation("-"),
                      text.isCommand(tokens[index - 2], "\\") {
                // `\\ +& b`: a row that goes on with the sum, its sign set before the alignment mark.
                dropped.insert(index)
            }
            index += 1
        }
        guard !dropped.isEmpty else { return tokens }
        return tokens.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

    private var tokens: [MathToken] { parser.tokens }
    private var text: TokenText { parser.text }

    mutating func read() -> ParsedMath {
        var lo = 0
        var hi = tokens.count
        // Unwrap `\begin{align} … \end{align}` and nested `equation` + `split`.
        while lo < hi, tokens[lo].kind == .begin, MathVocabulary.statementEnvironments.contains(text.string(tokens[lo])),
              parser.matchingEnd(lo) == hi - 1 {
            let name = text.string(tokens[lo])
            if environment == nil { environment = name }
            lo += 1
            hi -= 1
            if name.hasPrefix("alignat") || name == "alignedat", lo < hi, tokens[lo].isOpeningBrace,
               let close = parser.matchingBrace(lo) {
                lo = close + 1
            }
        }
        if comments.isEmpty {
            // No annotations to place: read the rows as they are found.
            var rowStart = lo
            var isFirst = true
            while true {
                let (rowEnd, next) = nextRow(rowStart, hi)
                readRow(rowStart, rowEnd, isFirst: isFirst, annotations: [])
                isFirst = false
                guard let next else { break }
                rowStart = next
            }
            return ParsedMath(statements: statements, environment: environment, annotations: [],
                              diagnostics: parser.diagnostics, range: locator.range(0, bytes.count))
        }
        let rows = splitRows(lo, hi)
        var rowAnnotations = Array(repeating: [MathText](), count: rows.count)
        var looseAnnotations: [MathText] = []
        for comment in comments {
            let text = MathText(text: comment.text, range: locator.range(comment.start, comment.end))
            if let row = rows.lastIndex(where: { $0.0 < $0.1 && tokens[$0.0].start <= comment.start }) {
                rowAnnotations[row].append(text)
            } else if !rows.isEmpty {
                rowAnnotations[0].append(text)
            } else {
                looseAnnotations.append(text)
            }
        }
        for (index, row) in rows.enumerated() {
            readRow(row.0, row.1, isFirst: index == 0, annotations: rowAnnotations[index])
        }
        if !looseAnnotations.isEmpty, !statements.isEmpty {
            statements[statements.count - 1].annotations += looseAnnotations
        }
        return ParsedMath(statements: statements, environment: environment,
                          annotations: comments.map { MathText(text: $0.text, range: locator.range($0.start, $0.end)) },
                          diagnostics: parser.diagnostics, range: locator.range(0, bytes.count))
    }

    // MARK: Rows

    private func splitRows(_ lo: Int, _ hi: Int) -> [(Int, Int)] {
        var rows: [(Int, Int)] = []
        var rowStart = lo
        while true {
            let (rowEnd, next) = nextRow(rowStart, hi)
            rows.append((rowStart, rowEnd))
            guard let next else { break }
            rowStart = next
        }
        return rows
    }

    /// The end of the row starting at `start` (a top-level `\\`, or `hi`), and where the next row starts.
    private func nextRow(_ start: Int, _ hi: Int) -> (end: Int, next: Int?) {
        var level = 0
        var index = start
        while index < hi {
            let token = tokens[index]
            if token.isOpener { level += 1 } else if token.isCloser { level = max(0, level - 1) }
            if level == 0, text.isCommand(token, "\\") {
                return (index, parser.skipRowSpacing(index + 1, hi))
            }
            index += 1
        }
        return (hi, nil)
    }

    /// Whether the row is one statement as it stands: no `\label`/`\tag`, no top-level `&`,
    /// and nothing at the top level that `splitStatements` would split at.
    private func isPlainRow(_ lo: Int, _ hi: Int) -> Bool {
        var level = 0
        var index = lo
        while index < hi {
            let token = tokens[index]
            // Only `mayBreakStatement` commands are `\label`, `\tag`, `\because`, `\therefore` or prose.
            let mayBreak = token.kind == .command && token.flags.contains(.mayBreakStatement)
            if mayBreak, text.equals(token, "label") || text.equals(token, "tag") { return false }
            if level == 0 {
                if token.flags.contains(.wideSpace) || token.isPunctuation(",") || token.isPunctuation(";") { return false }
                if mayBreak, text.equals(token, "because") || text.equals(token, "therefore") || isProseCommand(token) {
                    return false
                }
                if token.isPunctuation("[") || token.isPunctuation("("), index + 1 < hi,
                   text.isCommand(tokens[index + 1], "because") || text.isCommand(tokens[index + 1], "therefore") {
                    return false
                }
            }
            if token.isOpener { level += 1 } else if token.isCloser { level = max(0, level - 1) }
            if level == 0, token.isPunctuation("&") { return false }
            index += 1
        }
        return true
    }

    private mutating func readRow(_ lo: Int, _ hi: Int, isFirst: Bool, annotations: [MathText]) {
        if isPlainRow(lo, hi) {
            // One column, one piece: the tokens themselves, less a trailing `.` or `,`.
            var end = hi
            while end > lo, tokens[end - 1].isPunctuation(".") || tokens[end - 1].isPunctuation(",") { end -= 1 }
            let statementsBefore = statements.count
            var continued = false
            if lo < end, readStatement(TokenIndices(from: lo, to: end), role: .claim, continuing: !isFirst) {
                continued = true
            }
            let target: Int? = continued ? statementsBefore - 1 : (statements.count > statementsBefore ? statementsBefore : statements.indices.last)
            if let target, target >= 0, !annotations.isEmpty {
                statements[target].annotations += annotations
            }
            return
        }
        // `\label{…}` and `\tag{…}` belong to the row, wherever they are.
        var labels: [MathText] = []
        var tags: [MathText] = []
        var kept: [Int] = []
        kept.reserveCapacity(hi - lo)
        var index = lo
        while index < hi {
            let token = tokens[index]
            if token.kind == .command, text.equals(token, "label") || text.equals(token, "tag") {
                var stop = token.end
                var words = ""
                if index + 1 < hi, tokens[index + 1].kind == .raw {
                    stop = tokens[index + 1].end
                    words = text.string(tokens[index + 1])
                    index += 1
                }
                let item = MathText(text: words, range: locator.range(token.start, stop))
                if text.equals(token, "label") { labels.append(item) } else { tags.append(item) }
                index += 1
                continue
            }
            kept.append(index)
            index += 1
        }
        // The tokens of a row are contiguous except for labels; work on index lists.
        let columns = splitColumns(kept)
        let statementsBefore = statements.count
        var continued = false
        for (columnIndex, column) in columns.enumerated() {
            for (pieceIndex, piece) in splitStatements(column).enumerated() {
                let allowContinuation = columnIndex == 0 && pieceIndex == 0 && !isFirst
                if readStatement(TokenIndices(piece.indices), role: piece.role, continuing: allowContinuation) {
                    continued = true
                }
            }
        }
        // Attach the row's labels, tags and annotations to its first statement.
        let target: Int? = continued ? statementsBefore - 1 : (statements.count > statementsBefore ? statementsBefore : statements.indices.last)
        if let target, target >= 0 {
            statements[target].labels += labels
            statements[target].tags += tags
            statements[target].annotations += annotations
        }
    }

    /// Every second `&` at the top level separates columns; the others mark alignment.
    private func splitColumns(_ indices: [Int]) -> [[Int]] {
        var columns: [[Int]] = []
        columns.reserveCapacity(2)
        var column: [Int] = []
        column.reserveCapacity(indices.count)
        var level = 0
        var ampersands = 0
        for index in indices {
            let token = tokens[index]
            if parser.isOpener(token) { level += 1 } else if parser.isCloser(token) { level = max(0, level - 1) }
            if level == 0, token.isPunctuation("&") {
                ampersands += 1
                // eqnarray's `a &=& b` is one column around its relation, not two.
                if ampersands % 2 == 0, !column.isEmpty, environment?.hasPrefix("eqnarray") != true {
                    columns.append(column)
                    column = []
                    column.reserveCapacity(indices.count)
                }
                continue
            }
            column.append(index)
        }
        if !column.isEmpty { columns.append(column) }
        return columns
    }

    private struct Piece {
        var indices: [Int]
        var role: MathStatement.Role
    }

    /// The role of a statement after a word in text: `because` gives a reason, `where` a premise.
    private static func role(introducedBy word: String) -> MathStatement.Role {
        switch word {
        case "because": .reason
        case "where", "given", "with": .premise
        default: .claim
        }
    }

    private static let connectives: Set<String> = [
        "and", "or", "where", "for", "if", "with", "since", "so", "then", "hence", "thus", "i.e.", "e.g.",
        "because", "therefore", "when", "as", "by", "using", "since", "note",
    ]

    private func splitStatements(_ indices: [Int]) -> [Piece] {
        var pieces: [Piece] = []
        pieces.reserveCapacity(1)
        var current = Piece(indices: [], role: .claim)
        current.indices.reserveCapacity(indices.count)
        var level = 0
        var cursor = 0
        func flush(next role: MathStatement.Role) {
            var piece = current
            while let last = piece.indices.last, tokens[last].isPunctuation(".") || tokens[last].isPunctuation(",") {
                piece.indices.removeLast()
            }
            if !piece.indices.isEmpty { pieces.append(piece) }
            current = Piece(indices: [], role: role)
            current.indices.reserveCapacity(indices.count)
        }
        while cursor < indices.count {
            let token = tokens[indices[cursor]]
            if level == 0 {
                if token.flags.contains(.wideSpace) {
                    flush(next: .claim); cursor += 1; continue
                }
                if token.isPunctuation(",") || token.isPunctuation(";") {
                    flush(next: .claim); cursor += 1; continue
                }
                if text.isCommand(token, "because") || text.isCommand(token, "therefore") {
                    flush(next: text.equals(token, "because") ? .reason : .conclusion); cursor += 1; continue
                }
                if token.kind == .command, isProseCommand(token),
                   cursor + 1 < indices.count, tokens[indices[cursor + 1]].kind == .raw {
                    let words = text.string(tokens[indices[cursor + 1]]).trimmingCharacters(in: " ")
                    if words.utf8.contains(UInt8(ascii: " ")) || Self.connectives.contains(words.lowercased()) || words.isEmpty {
                        flush(next: Self.role(introducedBy: words.lowercased()))
                        cursor += 2
                        continue
                    }
                }
                // `[\because h = g(a)]`: a bracketed reason.
                if token.isPunctuation("[") || token.isPunctuation("("), cursor + 1 < indices.count,
                   text.isCommand(tokens[indices[cursor + 1]], "because") || text.isCommand(tokens[indices[cursor + 1]], "therefore") {
                    let role: MathStatement.Role = text.equals(tokens[indices[cursor + 1]], "because") ? .reason : .conclusion
                    var inner = 0
                    var close = cursor
                    while close < indices.count {
                        let candidate = tokens[indices[close]]
                        if parser.isOpener(candidate) { inner += 1 } else if parser.isCloser(candidate) { inner -= 1 }
                        if inner == 0 { break }
                        close += 1
                    }
                    flush(next: role)
                    current.indices = Array(indices[(cursor + 2)..<min(close, indices.count)])
                    flush(next: .claim)
                    cursor = close + 1
                    continue
                }
            }
            if parser.isOpener(token) { level += 1 } else if parser.isCloser(token) { level = max(0, level - 1) }
            current.indices.append(indices[cursor])
            cursor += 1
        }
        flush(next: .claim)
        return pieces
    }

    /// `\text` and its kin that may hold prose between statements.
    private func isProseCommand(_ token: MathToken) -> Bool {
        text.equals(token, "text") || text.equals(token, "textrm") || text.equals(token, "mbox")
            || text.equals(token, "textit") || text.equals(token, "textnormal")
    }

    // MARK: Statements

    /// Reads one statement; returns whether it continued the previous statement.
    private mutating func readStatement(_ given: TokenIndices, role: MathStatement.Role, continuing: Bool) -> Bool {
        var indices = given
        // `(i = L)`: a relation wrapped whole in parentheses.
        if indices.count > 2, tokens[indices[0]].isPunctuation("("), tokens[indices[indices.count - 1]].isPunctuation(")"),
           closesAtEnd(indices) {
            let inner = indices.droppingFirstAndLast()
            var scan = SignScan()
            if nextSign(inner, &scan) != nil { indices = inner }
        }
        // Operands are contiguous runs of tokens between relation signs; all are parsed
        // first, in order, then missing sides are reported, in order.
        var left: MathExpression?
        var steps: [MathStep] = []
        var missing: [Int] = []
        var pending: Sign?
        var scan = SignScan()
        var start = 0
        while true {
            let sign = nextSign(indices, &scan)
            let expression = operand(indices, start, sign?.first ?? indices.count)
            if let pending {
                let signRange = locator.range(tokens[indices[pending.first]].start, tokens[indices[pending.last]].end)
                if expression == nil { missing.append(steps.count) }
                steps.append(MathStep(relation: pending.kind, signRange: signRange,
                                      right: expression ?? MathExpression(.wildcard, range: signRange)))
            } else {
                left = expression
            }
            guard let sign else { break }
            pending = sign
            start = sign.last + 1
        }
        let range = locator.range(tokens[indices[0]].start, tokens[indices[indices.count - 1]].end)
        for index in missing {
            steps[index].right = missingSide(at: steps[index].signRange)
        }
        if left == nil, steps.isEmpty { return false }
        if let leading = left, continuing, role == .claim, !statements.isEmpty,
           tokens[indices[0]].isPunctuation("+") || tokens[indices[0]].isPunctuation("-") {
            // `=& A \\ +& B`: a row that starts with a sign goes on with the last side of the row before.
            var last = statements[statements.count - 1]
            if let previous = last.steps.last?.right ?? last.left {
                let joined = MathExpression(.binary(.add, previous, leading), range: previous.range.union(leading.range))
                if last.steps.isEmpty { last.left = joined } else { last.steps[last.steps.count - 1].right = joined }
                last.steps += steps
                last.range = last.range.union(range)
                statements[statements.count - 1] = last
                return true
            }
        }
        if left == nil, continuing, role == .claim, !statements.isEmpty {
            statements[statements.count - 1].steps += steps
            statements[statements.count - 1].range = statements[statements.count - 1].range.union(range)
            return true
        }
        statements.append(MathStatement(role: role, left: left, steps: steps, range: range))
        return false
    }

    private mutating func missingSide(at range: SourceRange) -> MathExpression {
        let start = range.end.offset - locator.baseOffset
        return parser.uninterpretable(MathSyntaxMessages.emptyRelationSide, start, start)
    }

    private func closesAtEnd(_ indices: TokenIndices) -> Bool {
        var level = 0
        for position in 0..<indices.count {
            let token = tokens[indices[position]]
            if parser.isOpener(token) { level += 1 } else if parser.isCloser(token) { level -= 1 }
            if level == 0 { return position == indices.count - 1 }
        }
        return false
    }

    /// Parses `indices[from..<to]`, which must be contiguous token indices, as one operand.
    private mutating func operand(_ indices: TokenIndices, _ from: Int, _ to: Int) -> MathExpression? {
        guard from < to else { return nil }
        let first = indices[from]
        let last = indices[to - 1]
        if last - first == to - from - 1 {
            return parser.parseOperand(first, last + 1)
        }
        // A label sat inside the operand; parse the pieces around it as one run.
        var expression: MathExpression?
        var runStart = from
        for position in from..<to where position == to - 1 || indices[position + 1] != indices[position] + 1 {
            let part = parser.parseOperand(indices[runStart], indices[position] + 1)
            if let previous = expression {
                expression = MathExpression(.binary(.implicitProduct, previous, part), range: previous.range.union(part.range))
            } else {
                expression = part
            }
            runStart = position + 1
        }
        return expression
    }

    private struct Sign {
        var first: Int
        var last: Int
        var kind: MathRelationKind
    }

    /// Where `nextSign` has got to in a statement: a position in its indices and the nesting level.
    private struct SignScan {
        var position = 0
        var level = 0
    }

    /// The next relation sign at the top level of a statement, as positions in `indices`.
    private func nextSign(_ indices: TokenIndices, _ scan: inout SignScan) -> Sign? {
        while scan.position < indices.count {
            let position = scan.position
            let token = tokens[indices[position]]
            if token.isOpener { scan.level += 1 } else if token.isCloser { scan.level = max(0, scan.level - 1) }
            guard scan.level == 0 else { scan.position += 1; continue }
            var next: MathToken? { position + 1 < indices.count ? tokens[indices[position + 1]] : nil }
            if token.kind == .punctuation {
                switch token.byte {
                case UInt8(ascii: "="):
                    if let next, next.isPunctuation(":") {
                        scan.position += 2
                        return Sign(first: position, last: position + 1, kind: .definition)
                    }
                    scan.position += 1
                    return Sign(first: position, last: position, kind: .equal)
                case UInt8(ascii: ":") where next?.isPunctuation("=") == true:
                    scan.position += 2
                    return Sign(first: position, last: position + 1, kind: .definition)
                case UInt8(ascii: "<"):
                    scan.position += 1
                    return Sign(first: position, last: position, kind: .less)
                case UInt8(ascii: ">"):
                    scan.position += 1
                    return Sign(first: position, last: position, kind: .greater)
                default: break
                }
            } else if token.kind == .command, token.flags.contains(.relation) {
                if let kind = token.vocabulary?.relation {
                    scan.position += 1
                    return Sign(first: position, last: position, kind: kind)
                } else if text.equals(token, "not"), let next, next.isPunctuation("=") {
                    scan.position += 2
                    return Sign(first: position, last: position + 1, kind: .notEqual)
                } else if text.equals(token, "stackrel") || text.equals(token, "overset"), let sign = stackedSign(indices, position) {
                    scan.position = sign.last + 1
                    return sign
                }
            }
            scan.position += 1
        }
        return nil
    }

    /// `\stackrel{\text{def}}{=}`, `\overset{?}{=}`: `=` with a note above; "def" makes a definition.
    private func stackedSign(_ indices: TokenIndices, _ position: Int) -> Sign? {
        guard position + 1 < indices.count, tokens[indices[position + 1]].isOpeningBrace else { return nil }
        var cursor = position + 1
        var level = 0
        var above = ""
        while cursor < indices.count {
            let token = tokens[indices[cursor]]
            if token.isOpeningBrace { level += 1 }
            if token.isClosingBrace { level -= 1; if level == 0 { break } }
            if token.kind == .raw || token.kind == .letter { above += text.string(token) }
            cursor += 1
        }
        guard cursor + 3 < indices.count, tokens[indices[cursor + 1]].isOpeningBrace,
              tokens[indices[cursor + 2]].isPunctuation("="), tokens[indices[cursor + 3]].isClosingBrace else { return nil }
        let kind: MathRelationKind = above.containsBytes("def") || above == ":" ? .definition : .equal
        return Sign(first: position, last: cursor + 3, kind: kind)
    }
}

/// The token indices of a statement: `lo..<lo + count` when contiguous (the usual case,
/// with no array), else `list`.
struct TokenIndices {
    private let lo: Int
    let count: Int
    private let list: [Int]
    private let isContiguous: Bool

    init(_ list: [Int]) {
        lo = 0
        count = list.count
        self.list = list
        isContiguous = false
    }

    init(from lo: Int, to hi: Int) {
        self.lo = lo
        count = hi - lo
        list = []
        isContiguous = true
    }

    @inline(__always)
    subscript(position: Int) -> Int {
        isContiguous ? lo + position : list[position]
    }

    /// Without the first and the last index.
    func droppingFirstAndLast() -> TokenIndices {
        isContiguous ? TokenIndices(from: lo + 1, to: lo + count - 1) : TokenIndices(Array(list.dropFirst().dropLast()))
    }
}
