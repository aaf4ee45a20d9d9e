import Diagnostics
import Foundation
import MathSyntax

/// `nb:` annotations, from an HTML comment before the math (`<!-- nb: skip -->`)
/// or a LaTeX comment inside it (`% nb: expect-failure`).
///
/// | directive | effect |
/// | --- | --- |
/// | `skip` | the math is not checked |
/// | `expect-failure` (or `wrong`) | the step is wrong on purpose: it must fail |
/// | `define` | the first relation defines its left side, whatever it is |
/// | `fresh` (or `new scope`) | forget the note's definitions from here (the network stays) |
/// | `one-hot y` | draw the family `y` as one-hot vectors |
/// | `no-graph` | the note gets no computation graph drawn without asking |
/// | `let x = 3` | give a symbol a value |
/// | `labels …`, `powers …`, `superscripts are labels` | read by the superscript rule |
/// | `names net, out` | multi-letter names, read before the note's math is parsed |
struct Directives {
    var skip = false
    var expectFailure = false
    var define = false
    var freshScope = false
    var noGraph = false
    var oneHot: [String] = []
    var assignments: [(tex: String, value: Double)] = []
    /// Multi-letter names declared with `names net, out`.
    var names: Set<String> = []

    init() {}

    init(_ texts: [(String, SourceRange)], into diagnostics: inout [Diagnostic]) {
        for (text, range) in texts {
            for part in text.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
                var words = part.trimmingCharacters(in: .whitespaces)
                if words.lowercased().hasPrefix("nb:") { words = String(words.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
                let lowered = words.lowercased()
                switch lowered {
                case "": continue
                case "skip", "ignore": skip = true
                case "expect-failure", "expect failure", "expected-failure", "wrong", "fails": expectFailure = true
                case "define", "definition": define = true
                case "fresh", "new scope", "fresh scope", "reset": freshScope = true
                case "no-graph", "no graph": noGraph = true
                // Read for the whole note by `MatrixShapes.asksForDenominatorLayout`.
                case "layout denominator", "layout numerator": continue
                default:
                    if lowered.hasPrefix("one-hot ") {
                        oneHot.append(String(words.dropFirst(8)).trimmingCharacters(in: .whitespaces))
                    } else if lowered.hasPrefix("let ") || lowered.hasPrefix("bind "), let equals = words.lastIndex(of: "=") {
                        let start = words.index(words.startIndex, offsetBy: lowered.hasPrefix("let ") ? 4 : 5)
                        let tex = words[start..<equals].trimmingCharacters(in: .whitespaces)
                        if let value = Double(words[words.index(after: equals)...].trimmingCharacters(in: .whitespaces)) {
                            assignments.append((tex, value))
                        } else {
                            diagnostics.append(.warning(VerifyMessages.unknownDirective(words), at: range))
                        }
                    } else if lowered.hasPrefix("labels") || lowered.hasPrefix("powers") || lowered.hasPrefix("superscripts") {
                        continue
                    } else if let declared = MathParser.declaredNames(in: words) {
                        // `names net, out`: read before the note's math is parsed (`NoteNotation`).
                        names.formUnion(declared)
                    } else {
                        diagnostics.append(.warning(VerifyMessages.unknownDirective(words), at: range))
                    }
                }
            }
        }
    }

    mutating func merge(_ other: Directives) {
        skip = skip || other.skip
        expectFailure = expectFailure || other.expectFailure
        define = define || other.define
        freshScope = freshScope || other.freshScope
        noGraph = noGraph || other.noGraph
        oneHot += other.oneHot
        assignments += other.assignments
        names.formUnion(other.names)
    }
}

