import Diagnostics
import Notebook

/// An `nb` code cell read into statements, one per line:
///
/// ```nb
/// network: 3 -> 5 -> 4 -> 2     # widths, input first
/// activation: tanh               # g, for the hidden layers
/// output: softmax                # the output layer's activation
/// loss: cross-entropy
/// seed: 7
/// let x = -4                     # a symbol's value, written in TeX
/// train: data=xor steps=2000      # see docs/verify.md, "Figures from cells"
/// show: plot \tanh(z), \tanh'(z) for z from -3 to 3
/// ```
///
/// Each statement keeps its location; unknown keys and bad values are
/// diagnostics at the word that is wrong.
package struct CellProgram: Sendable, Equatable {
    package var statements: [CellStatement]
    package var diagnostics: [Diagnostic]

    package init(statements: [CellStatement], diagnostics: [Diagnostic]) {
        self.statements = statements
        self.diagnostics = diagnostics
    }
}

package struct CellStatement: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// `network: 3 -> 5 -> 2`
        case network(widths: [Int])
        /// `activation: tanh`
        case activation(String)
        /// `output: softmax`
        case output(String)
        /// `loss: cross-entropy`
        case loss(String)
        /// `init: xavier`
        case initialization(String)
        /// `seed: 7`
        case seed(UInt64)
        /// `names: weights W, activations h` — the letters the note uses.
        case names([(role: String, tex: String)])
        /// `input: [0.5, -1, 2]`
        case input([Double])
        /// `target: [0, 1]`
        case target([Double])
        /// `let x = -4`, `let w_{11}^2 = [1, 2]` — TeX on the left, numbers on the right.
        case assignment(tex: String, values: [Double], isVector: Bool)
        /// `train: steps=200 rate=0.1 optimizer=adam data=xor`; read word by word by `TrainingRequest`.
        case train([(key: String, value: String)])
        /// `show: plot …`, `show: paths w_1 -> E`, `show: graph E`; read by `ShowCommand`.
        case show(String)

        package static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.network(let a), .network(let b)): a == b
            case (.activation(let a), .activation(let b)), (.output(let a), .output(let b)),
                 (.loss(let a), .loss(let b)), (.initialization(let a), .initialization(let b)),
                 (.show(let a), .show(let b)): a == b
            case (.seed(let a), .seed(let b)): a == b
            case (.names(let a), .names(let b)): a.map(\.role) == b.map(\.role) && a.map(\.tex) == b.map(\.tex)
            case (.input(let a), .input(let b)), (.target(let a), .target(let b)): a == b
            case (.assignment(let t1, let v1, let s1), .assignment(let t2, let v2, let s2)): t1 == t2 && v1 == v2 && s1 == s2
            case (.train(let a), .train(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
            default: false
            }
        }
    }

    package var kind: Kind
    /// The whole line.
    package var range: SourceRange
    /// The value after the key (or the TeX of an assignment), for messages.
    package var valueRange: SourceRange
}

extension CellProgram {
    package static let activations = ["identity", "sigmoid", "tanh", "relu", "softmax"]
    package static let losses = ["squared-error", "mse", "cross-entropy", "softmax-cross-entropy"]
    package static let initializations = ["uniform", "xavier", "he"]
    package static let roles = [
        "weights", "biases", "pre-activations", "activations", "activation", "loss",
        "input", "target", "prediction", "layers", "widths",
    ]
    /// Keep absurd networks out before anything is allocated.
    package static let maximumWidth = 100_000
    package static let maximumLayers = 1_000

    /// Reads a cell; `source` is the note, so locations are the note's.
    package init(cell: CodeCell, source: SourceFile) {
        var statements: [CellStatement] = []
        var diagnostics: [Diagnostic] = []
        let base = cell.contentRange.start.offset
        var lineStart = 0
        let bytes = Array(cell.source.utf8)
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let line = Self.line(bytes, from: lineStart, to: lineEnd)
            if let (text, start, end) = line {
                let range = source.range(from: base + start, to: base + end)
                switch Self.statement(text, at: base + start, source: source) {
                case .success(let statement):
                    statements.append(CellStatement(kind: statement.kind, range: range, valueRange: statement.valueRange))
                case .failure(let diagnostic):
                    diagnostics.append(diagnostic)
                }
            }
            lineStart = lineEnd + 1
        }
        self.init(statements: statements, diagnostics: diagnostics)
    }

    /// The line without its `#` comment and surrounding spaces, with its byte span; nil when blank.
    private static func line(_ bytes: [UInt8], from start: Int, to end: Int) -> (String, Int, Int)? {
        var stop = end
        // A `#` starts a comment unless it is inside TeX braces (`\#` stays).
        var depth = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{") { depth += 1 }
            if byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
            if byte == UInt8(ascii: "#"), depth == 0, index == start || bytes[index - 1] != UInt8(ascii: "\\") {
                stop = index
                break
            }
            index += 1
        }
        var first = start
        while first < stop, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") || bytes[first] == UInt8(ascii: "\r") { first += 1 }
        var last = stop
        while last > first, bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t") || bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
        guard last > first else { return nil }
        return (String(decoding: bytes[first..<last], as: UTF8.self), first, last)
    }

    private struct Parsed {
        var kind: CellStatement.Kind
        var valueRange: SourceRange
    }

    private static func statement(_ text: String, at offset: Int, source: SourceFile) -> Result<Parsed, Diagnostic> {
        let whole = source.range(from: offset, to: offset + text.utf8.count)
        if text.hasPrefix("let ") {
            return assignment(String(text.dropFirst(4)), at: offset + 4, source: source)
        }
        guard let colon = text.firstIndex(of: ":") else {
            return .failure(.error(VerifyMessages.expectedKey(text), at: whole))
        }
        let key = text[..<colon].trimmingCharacters(in: " \t").lowercased()
        let afterColon = text[text.index(after: colon)...]
        let leading = afterColon.prefix { $0 == " " || $0 == "\t" }.utf8.count
        let value = afterColon.trimmingCharacters(in: " \t")
        let valueStart = offset + text.utf8.distance(from: text.startIndex, to: colon) + 1 + leading
        let valueRange = source.range(from: valueStart, to: valueStart + value.utf8.count)
        let keyRange = source.range(from: offset, to: offset + key.utf8.count)
        func word(_ allowed: [String], _ make: (String) -> CellStatement.Kind) -> Result<Parsed, Diagnostic> {
            let normalized = value.lowercased()
            guard allowed.contains(normalized) else {
                return .failure(.error(VerifyMessages.unknownValue(value, for: key, allowed: allowed), at: valueRange))
            }
            return .success(Parsed(kind: make(normalized), valueRange: valueRange))
        }
        switch key {
        case "network":
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            var widths: [Int] = []
            for (index, part) in parts.enumerated() {
                var piece = Substring(part)
                if index > 0 {
                    guard piece.first == ">" else {
                        return .failure(.error(VerifyMessages.badNetwork(value), at: valueRange))
                    }
                    piece = piece.dropFirst()
                }
                guard let width = Int(piece.trimmingCharacters(in: " \t")), width >= 1 else {
                    return .failure(.error(VerifyMessages.badNetwork(value), at: valueRange))
                }
                guard width <= maximumWidth else {
                    return .failure(.error(VerifyMessages.tooWide(width, limit: maximumWidth), at: valueRange))
                }
                widths.append(width)
            }
            guard widths.count >= 2, widths.count <= maximumLayers + 1 else {
                return .failure(.error(VerifyMessages.badNetwork(value), at: valueRange))
            }
            return .success(Parsed(kind: .network(widths: widths), valueRange: valueRange))
        case "activation":
            return word(activations.filter { $0 != "softmax" }, CellStatement.Kind.activation)
        case "output":
            return word(activations, CellStatement.Kind.output)
        case "loss":
            return word(losses, CellStatement.Kind.loss)
        case "init", "initialization":
            return word(initializations, CellStatement.Kind.initialization)
        case "seed":
            guard let seed = UInt64(value) else {
                return .failure(.error(VerifyMessages.badSeed(value), at: valueRange))
            }
            return .success(Parsed(kind: .seed(seed), valueRange: valueRange))
        case "names":
            var pairs: [(role: String, tex: String)] = []
            for entry in value.split(separator: ",") {
                let trimmed = entry.trimmingCharacters(in: " \t")
                guard let role = roles.sorted(by: { $0.count > $1.count }).first(where: { trimmed.hasPrefix($0 + " ") }) else {
                    return .failure(.error(VerifyMessages.badName(trimmed, roles: roles), at: valueRange))
                }
                let tex = trimmed.dropFirst(role.count).trimmingCharacters(in: " \t")
                guard !tex.isEmpty else { return .failure(.error(VerifyMessages.badName(trimmed, roles: roles), at: valueRange)) }
                pairs.append((role, tex))
            }
            return .success(Parsed(kind: .names(pairs), valueRange: valueRange))
        case "input", "target":
            guard let numbers = numberList(value) else {
                return .failure(.error(VerifyMessages.badNumbers(value), at: valueRange))
            }
            return .success(Parsed(kind: key == "input" ? .input(numbers.values) : .target(numbers.values), valueRange: valueRange))
        case "train":
            var options: [(key: String, value: String)] = []
            for item in value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { return .failure(.error(VerifyMessages.badTrain(String(item)), at: valueRange)) }
                options.append((String(pair[0]), String(pair[1])))
            }
            return .success(Parsed(kind: .train(options), valueRange: valueRange))
        case "show":
            guard !value.isEmpty else { return .failure(.error(VerifyMessages.emptyShow, at: valueRange)) }
            return .success(Parsed(kind: .show(value), valueRange: valueRange))
        default:
            return .failure(.error(VerifyMessages.unknownKey(key), at: keyRange))
        }
    }

    private static func assignment(_ text: String, at offset: Int, source: SourceFile) -> Result<Parsed, Diagnostic> {
        let whole = source.range(from: offset, to: offset + text.utf8.count)
        guard let equals = text.lastIndex(of: "=") else {
            return .failure(.error(VerifyMessages.badAssignment(text), at: whole))
        }
        let tex = text[..<equals].trimmingCharacters(in: " \t")
        let value = text[text.index(after: equals)...].trimmingCharacters(in: " \t")
        let texStart = offset + (text.utf8.count - text.drop { $0 == " " }.utf8.count)
        let texRange = source.range(from: texStart, to: texStart + tex.utf8.count)
        guard !tex.isEmpty, let numbers = numberList(value) else {
            return .failure(.error(VerifyMessages.badAssignment(text), at: whole))
        }
        return .success(Parsed(kind: .assignment(tex: tex, values: numbers.values, isVector: numbers.isList), valueRange: texRange))
    }

    /// `-4`, `0.5`, or `[1, 2, 3]`.
    private static func numberList(_ text: String) -> (values: [Double], isList: Bool)? {
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            let items = inner.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
            guard !items.isEmpty, items.count <= maximumWidth else { return nil }
            var values: [Double] = []
            for item in items {
                guard let value = Double(item), value.isFinite else { return nil }
                values.append(value)
            }
            return (values, true)
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return ([value], false)
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        let start = firstIndex { !characters.contains($0) } ?? endIndex
        let end = lastIndex { !characters.contains($0) }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
