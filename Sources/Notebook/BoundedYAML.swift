import Foundation
import Yams

/// YAML read with bounds, for front matter and `site.yml`: Yams composes and
/// frees a document by recursion, one level per nesting level (a 10 KB
/// `[[[[…]]]]` overflows the stack), and an alias shares its node, so nine
/// levels of aliases in 366 bytes stand for 9⁹ nodes that any walk would visit.
///
/// ```swift
/// let node = try BoundedYAML.compose("tags: [a, b]\n")   // a mapping
/// try BoundedYAML.compose(String(repeating: "[", count: 5000))  // throws BoundedYAML.Excess at 1:65
/// ```
package enum BoundedYAML {
    /// Deeper than this, a value is refused (nothing a note or a site needs nests past a few levels).
    package static let maxDepth = 64
    /// Nodes of the document with every alias expanded.
    package static let maxNodes = 100_000
    /// Characters that may open a nesting level (see `levelMarks`); more of them than this and
    /// the text is refused before it is parsed, which keeps the composing thread's stack bounded.
    package static let maxLevelMarks = 200_000

    /// Where and why a document was refused; `line` and `column` are 1-based, the column counted in
    /// Unicode scalars within the YAML text, as Yams counts them.
    package struct Excess: Error, Equatable, CustomStringConvertible {
        package var message: String
        package var line: Int
        package var column: Int
        package var description: String { message }
    }

    /// Composes the single document in `yaml`; nil for an empty one. Throws Yams' `YamlError`
    /// for text that is not YAML and `Excess` for a document too deep or too large once its aliases expand.
    package static func compose(_ yaml: String) throws -> Node? {
        let marks = levelMarks(in: yaml)
        guard marks > inlineLevelMarks else { return try composeAndMeasure(yaml) }
        guard marks <= maxLevelMarks else {
            throw Excess(message: "the YAML has \(marks) brackets, dashes, colons and lines, more than \(maxLevelMarks)", line: 1, column: 1)
        }
        // Deep text is composed (and, when refused, freed) on a thread whose stack fits the
        // deepest nesting the text could have: about 1 KiB per level, only what is touched allocated.
        let box = ComposeBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try composeAndMeasure(yaml) }
            done.signal()
        }
        thread.stackSize = (1 << 20) + marks * 2048
        thread.start()
        done.wait()
        return try box.result?.get() ?? nil
    }

    /// With this many marks or fewer the document is at most this deep, which any thread's stack holds.
    static let inlineLevelMarks = 128

    /// An upper bound on how deep `yaml` can nest, short of parsing it: each level of a YAML
    /// document begins with a flow bracket, a new line, a compact `- ` or `? `, or a `:` of a
    /// pair inside flow brackets; counting every such character overcounts, never under.
    static func levelMarks(in yaml: String) -> Int {
        var count = 1
        for byte in yaml.utf8 {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\n"), UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                count += 1
            default: break
            }
        }
        return count
    }

    private static func composeAndMeasure(_ yaml: String) throws -> Node? {
        guard let node = try Yams.compose(yaml: yaml) else { return nil }
        try measure(node)
        return node
    }

    /// Walks the document, every alias expanded, until it is known to stay within
    /// `maxDepth` and `maxNodes`; the walk itself visits at most `maxNodes` nodes.
    static func measure(_ root: Node) throws {
        var visited = 0
        var pending: [(node: Node, depth: Int, entry: Node)] = [(root, 0, root)]
        if case .mapping(let mapping) = root {
            // Each top-level value is charged to its key, where an alias bomb is best reported.
            visited = 1
            pending = mapping.reversed().flatMap { [($0.value, 1, $0.key), ($0.key, 1, $0.key)] }
        }
        while let (node, depth, entry) = pending.popLast() {
            visited += 1
            if depth > maxDepth {
                throw excess("a value nests deeper than \(maxDepth) levels", at: node.mark ?? entry.mark)
            }
            if visited > maxNodes {
                throw excess("the aliases here expand to more than \(maxNodes) values", at: entry.mark)
            }
            switch node {
            case .scalar: break
            case .sequence(let sequence):
                for item in sequence.reversed() { pending.append((item, depth + 1, entry)) }
            case .mapping(let mapping):
                for (key, value) in mapping.reversed() {
                    pending.append((value, depth + 1, entry))
                    pending.append((key, depth + 1, entry))
                }
            }
        }
    }

    private static func excess(_ message: String, at mark: Mark?) -> Excess {
        Excess(message: message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }
}

/// Hands the composed document from the deep-stack thread to the caller.
private final class ComposeBox: @unchecked Sendable {
    var result: Result<Node?, any Error>?
}

/// A YAML syntax error as nbrun shows it: the problem with what libyaml was reading
/// ("found unexpected end of stream while scanning a quoted scalar"), and where to
/// point. libyaml notices an unclosed quote or bracket only where the text ends or
/// the next key begins; the error is where that quote or bracket opens (its context
/// mark), so that is the place, with where it was noticed as a note. Any other
/// problem (a tab, a stray `:`) is where libyaml found it.
///
/// ```swift
/// // title: "Unclosed⏎tags: [a]⏎ → at 1:8, "noticed at 3:1"
/// let problem = YAMLSyntaxProblem(error)
/// ```
package struct YAMLSyntaxProblem: Sendable, Equatable {
    package var message: String
    /// 1-based, the column in Unicode scalars of the YAML text, as Yams counts them; nil when unknown.
    package var line: Int?
    package var column: Int?
    /// Where libyaml noticed the problem, when that is another line than `line`.
    package var noticed: (line: Int, column: Int)?

    package init(_ error: any Error) {
        guard let error = error as? YamlError else {
            message = String(describing: error)
            return
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            message = (context.map { "\(problem) \($0.text)" } ?? problem).trimming(" ")
            // "did not find expected ']'", "found unexpected end of stream": something left open.
            let leftOpen = problem.hasPrefix("did not find expected") || problem.contains("unexpected end of stream")
            if let context, leftOpen, context.mark.line < mark.line {
                (line, column) = (context.mark.line, context.mark.column)
                noticed = (mark.line, mark.column)
            } else {
                (line, column) = (mark.line, mark.column)
            }
        case .reader(let problem, _, _, _):
            message = problem
        default:
            message = String(describing: error)
        }
    }

    /// The note that says where libyaml noticed the problem, at a line and column of the file.
    package static func noticedNote(line: Int, column: Int) -> String {
        "the YAML reader noticed it at \(line):\(column)"
    }

    package static func == (a: Self, b: Self) -> Bool {
        a.message == b.message && a.line == b.line && a.column == b.column && a.noticed?.line == b.noticed?.line && a.noticed?.column == b.noticed?.column
    }
}
