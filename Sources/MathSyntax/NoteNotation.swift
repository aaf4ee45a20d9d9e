/// How one note writes its names, decided once for the whole note before any
/// formula is read, so that every formula of the note is read the same way
/// (a wrong step can never pick the reading that excuses it).
///
/// Real notes spell names with several letters (`net_{h1}`, `out_{o1}`,
/// `E_{total}`, `target - output`) and glue digits to letters (`w5`, `z1`,
/// `\hat{y1}`). Read one formula at a time these are products (`n·e·t`) and
/// index pairs (`h`, `1`); read across the note they are names:
///
/// - a run of three or more letters with a vowel, written together, is one name
///   when it is followed by a subscript, a superscript or `(`, or when the same
///   run appears twice in the note (`target`, `output`, `Cost`);
/// - a subscript that is a word (`{total}`, `{out}`: two or more letters, one of
///   them a, e, o or u) is one label, not one index per letter;
/// - a subscript that is a letter then digits (`{h1}`, `{o2}`) is one label when
///   its letter is not the variable of a sum with bounds (`\sum_{h=1}^{n}`) in the note;
/// - a letter with digits glued on in the formula itself (`w5`, `z1`) is that
///   letter indexed by the digits (`w_5`), when the note does so at least once
///   and never writes a letter before a number in another sense.
///
/// ```swift
/// let notation = NoteNotation(inferringFrom: [#"net_{h1} = w_1 i_1"#, #"E_{total} = E_{o1}"#])
/// notation.names        // ["net", "h1", "total", "o1"]
/// notation.readings     // ["read `net` as one name", …]
/// ```
public struct NoteNotation: Sendable, Equatable {
    /// Multi-letter names and labels, read as one symbol where their letters are written together.
    public var names: Set<String>
    /// Whether digits glued to a letter are its index (`w5` is `w_5`).
    public var digitsIndexLetters: Bool
    /// What was decided, one sentence each, for the report: "read `net` as one name".
    public var readings: [String]

    public init(names: Set<String> = [], digitsIndexLetters: Bool = false, readings: [String] = []) {
        self.names = names
        self.digitsIndexLetters = digitsIndexLetters
        self.readings = readings
    }

    /// Decides the note's names from the TeX of all of its math, display and inline.
    public init(inferringFrom texts: [String]) {
        var scan = NotationScan()
        for tex in texts { scan.add(tex) }
        self = scan.decision()
    }
}

/// The evidence gathered over a note's math, turned into a `NoteNotation` at the end.
private struct NotationScan {
    /// Base-position letter runs of three or more letters: how often, and whether a script or `(` followed.
    var runs: [String: (count: Int, scripted: Bool)] = [:]
    /// Subscripts that are words (`total`) or letters then digits (`h1`), with the letters of the latter.
    var subscriptWords: Set<String> = []
    var letterDigitLabels: [String: String] = [:]
    /// Letters bound by a sum with bounds (`\sum_{k=1}^{n}`): index variables, never the start of a label.
    var sumVariables: Set<String> = []
    /// `w5`: a letter with digits glued on, outside scripts.
    var gluedDigits = 0
    /// `E_y1`: a letter and digits after `_` without braces.
    var unbracedLabels = 0
    var firstGlued: String?

    private static let vowels: Set<UInt8> = Set("aeouAEOU".utf8)
    private static let anyVowel: Set<UInt8> = Set("aeiouyAEIOUY".utf8)

    mutating func add(_ tex: String) {
        let bytes = Array(tex.utf8)
        let tokens = MathLexer.tokenize(bytes).tokens
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            // `\sum_j`, `\sum_{j=1}`, `\prod_k`: the bound letter.
            if token.kind == .command, case .bigOperator = token.command,
               index + 2 < tokens.count, tokens[index + 1].isPunctuation("_") {
                let next = tokens[index + 2]
                let letter = next.isOpeningBrace && index + 3 < tokens.count ? tokens[index + 3] : next
                // Only a sum with bounds makes the letter a number: `\sum_o out_o` may run over labels `o1`, `o2`.
                let bounded = next.isOpeningBrace && index + 4 < tokens.count && tokens[index + 4].isPunctuation("=")
                if letter.kind == .letter, letter.isASCII, bounded { sumVariables.insert(Self.text(bytes, letter)) }
            }
            guard token.kind == .letter, token.isASCII else {
                index += 1
                continue
            }
            // A run of single ASCII letters written together.
            var end = index + 1
            while end < tokens.count, tokens[end].kind == .letter, tokens[end].isASCII, tokens[end].start == tokens[end - 1].end {
                end += 1
            }
            let run = String(decoding: bytes[token.start..<tokens[end - 1].end], as: UTF8.self)
            let inSubscript = index >= 2 && tokens[index - 1].isOpeningBrace && tokens[index - 2].isPunctuation("_")
            let before = index > 0 ? tokens[index - 1] : nil
            let isCommandArgument = before.map { $0.isOpeningBrace && index >= 2 && tokens[index - 2].kind == .command } ?? false
            if inSubscript {
                let closes = end < tokens.count && tokens[end].isClosingBrace
                let digitsThenClose = end + 1 < tokens.count && tokens[end].kind == .number
                    && tokens[end].start == tokens[end - 1].end && tokens[end + 1].isClosingBrace
                    && !Self.text(bytes, tokens[end]).contains(".")
                if closes, end - index >= 2, run.utf8.contains(where: { Self.vowels.contains($0) }) {
                    subscriptWords.insert(run)
                } else if digitsThenClose, end - index == 1 {
                    letterDigitLabels[run + Self.text(bytes, tokens[end]), default: run] = run
                }
            } else if before?.isPunctuation("_") == true, end - index == 1, end < tokens.count, tokens[end].kind == .number,
                      tokens[end].start == token.end, !Self.text(bytes, tokens[end]).contains(".") {
                // `E_y1`: written without braces, still the label `y1` when the note glues digits to letters.
                letterDigitLabels[run + Self.text(bytes, tokens[end]), default: run] = run
                unbracedLabels += 1
            } else if !isCommandArgument, end - index >= 3, run.utf8.contains(where: { Self.anyVowel.contains($0) }) {
                let follower = end < tokens.count ? tokens[end] : nil
                let scripted = follower.map { $0.start == tokens[end - 1].end
                    && ($0.isPunctuation("_") || $0.isPunctuation("^") || $0.isPunctuation("(")) } ?? false
                let seen = runs[run] ?? (0, false)
                runs[run] = (seen.count + 1, seen.scripted || scripted)
            } else if !inSubscript, before?.isPunctuation("_") != true, before?.isPunctuation("^") != true,
                      end - index == 1, end < tokens.count, tokens[end].kind == .number, tokens[end].start == token.end,
                      !Self.text(bytes, tokens[end]).contains(".") {
                // `w5`, outside a script (`x_1 2` or `x^2` are something else).
                gluedDigits += 1
                if firstGlued == nil { firstGlued = run + Self.text(bytes, tokens[end]) }
            }
            index = end
        }
    }

    func decision() -> NoteNotation {
        var names: Set<String> = []
        var readings: [String] = []
        for (run, seen) in runs.sorted(by: { $0.key < $1.key }) where seen.scripted || seen.count >= 2 {
            names.insert(run)
            readings.append("read `\(run)` as one name")
        }
        for word in subscriptWords.sorted() where !names.contains(word) {
            names.insert(word)
            readings.append("read the subscript `\(word)` as one label")
        }
        for (label, letter) in letterDigitLabels.sorted(by: { $0.key < $1.key }) where !sumVariables.contains(letter) {
            names.insert(label)
            readings.append("read the subscript `\(label)` as one label")
        }
        let glued = gluedDigits > 0
        if glued, let example = firstGlued {
            readings.append("read `\(example)` as `\(example.prefix(1))_{\(example.dropFirst())}`: digits after a letter index it")
        }
        return NoteNotation(names: names, digitsIndexLetters: glued, readings: readings)
    }

    private static func text(_ bytes: [UInt8], _ token: MathToken) -> String {
        String(decoding: bytes[token.start..<token.end], as: UTF8.self)
    }
}
