import Diagnostics
import Notebook

/// A site's math macros (`site.yml`'s `macros:`), expanded for the checker the
/// way KaTeX expands them for the page: `\R` → `\mathbb{R}`, `\sq{x}` with the
/// body `#1^2` → `x^2`. A macro takes as many arguments as the highest `#n` in
/// its body; an argument is a `{…}` group or a single token.
///
/// ```swift
/// let macros = TeXMacros(["\\sq": "#1^2"])
/// let report = Verifier(seed: 7).check(notebook, macros: macros)   // `\sq{x} = 9` is checked as `x^2 = 9`
/// ```
public struct TeXMacros: Sendable, Equatable {
    /// Name without the backslash → body and argument count.
    private var definitions: [String: (body: [UInt8], arity: Int)]

    /// Expansion stops after this many rounds (a macro that uses itself never ends).
    static let roundLimit = 32
    /// Nor may it grow the math past this many bytes; such math is checked as written.
    static let growthLimit = 1 << 16

    public init(_ macros: [String: String]) {
        var definitions: [String: (body: [UInt8], arity: Int)] = [:]
        for (name, body) in macros where name.hasPrefix("\\") && name.utf8.count > 1 {
            let bytes = Array(body.utf8)
            var arity = 0
            for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: "#") {
                let digit = Int(bytes[index + 1]) - Int(UInt8(ascii: "0"))
                if (1...9).contains(digit) { arity = max(arity, digit) }
            }
            definitions[String(name.dropFirst())] = (bytes, arity)
        }
        self.definitions = definitions
    }

    public var isEmpty: Bool { definitions.isEmpty }

    public static func == (lhs: TeXMacros, rhs: TeXMacros) -> Bool {
        lhs.definitions.keys == rhs.definitions.keys
            && lhs.definitions.allSatisfy { rhs.definitions[$0.key]?.body == $0.value.body }
    }

    /// The TeX with every macro expanded, and where each of its bytes came from;
    /// nil when it uses none (or expanding does not end within the limits).
    public func expand(_ tex: String) -> Expansion? {
        guard !definitions.isEmpty else { return nil }
        let bytes = Array(tex.utf8)
        // Most math calls no macro: find out before building the maps of places.
        guard callsAMacro(bytes) else { return nil }
        var current = Expansion(identity: bytes)
        var changed = false
        for _ in 0..<Self.roundLimit {
            guard let next = expandOnce(current) else { return changed ? current : nil }
            guard next.bytes.count <= Self.growthLimit else { return nil }
            current = next
            changed = true
        }
        return nil
    }

    private func callsAMacro(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while let slash = bytes[index...].firstIndex(of: UInt8(ascii: "\\")), slash + 1 < bytes.count {
            let end = Self.commandEnd(bytes, from: slash + 1)
            if definitions[String(decoding: bytes[(slash + 1)..<end], as: UTF8.self)] != nil { return true }
            index = end
        }
        return false
    }

    /// One left-to-right pass; nil when the TeX calls no macro.
    private func expandOnce(_ input: Expansion) -> Expansion? {
        let bytes = input.bytes
        var output = Expansion(bytes: [], starts: [], ends: [0])
        var expanded = false
        var index = 0
        func copy(_ position: Int) {
            output.bytes.append(bytes[position])
            output.starts.append(input.starts[position])
            output.ends.append(input.ends[position + 1])
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                // A comment is copied as it is, up to its line break.
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
                    copy(index)
                    index += 1
                }
                continue
            }
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                copy(index)
                index += 1
                continue
            }
            let nameEnd = Self.commandEnd(bytes, from: index + 1)
            let name = String(decoding: bytes[(index + 1)..<nameEnd], as: UTF8.self)
            guard let definition = definitions[name] else {
                for position in index..<nameEnd { copy(position) }
                index = nameEnd
                continue
            }
            var arguments: [Range<Int>] = []
            var cursor = nameEnd
            for _ in 0..<definition.arity {
                guard let argument = Self.argument(bytes, from: cursor) else { break }
                arguments.append(argument.content)
                cursor = argument.end
            }
            guard arguments.count == definition.arity else {
                for position in index..<nameEnd { copy(position) }
                index = nameEnd
                continue
            }
            // The body stands for the whole call; an argument's bytes keep their own places.
            let callStart = input.starts[index]
            let callEnd = input.ends[cursor]
            let body = definition.body
            var position = 0
            while position < body.count {
                if body[position] == UInt8(ascii: "#"), position + 1 < body.count {
                    let digit = Int(body[position + 1]) - Int(UInt8(ascii: "0"))
                    if (1...9).contains(digit) {
                        for source in arguments[digit - 1] { copy(source) }
                        position += 2
                        continue
                    }
                }
                output.bytes.append(body[position])
                output.starts.append(callStart)
                output.ends.append(callEnd)
                position += 1
            }
            // `\R x` must not become `\mathbb{R}x`… but `\Rx` stays a different command: keep one space.
            output.bytes.append(UInt8(ascii: " "))
            output.starts.append(callStart)
            output.ends.append(callEnd)
            expanded = true
            index = cursor
        }
        return expanded ? output : nil
    }

    /// Just past a command's name: letters, or the one character after `\`.
    private static func commandEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[end] | 0x20), bytes[end] & 0x80 == 0 {
            end += 1
        }
        return end == start ? min(start + 1, bytes.count) : end
    }

    /// A `{…}` group (its content) or a single token, after spaces.
    private static func argument(_ bytes: [UInt8], from start: Int) -> (content: Range<Int>, end: Int)? {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") { index += 1 }
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var depth = 0
            var position = index
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\\"): position += 1
                case UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return ((index + 1)..<position, position + 1) }
                default: break
                }
                position += 1
            }
            return nil
        case UInt8(ascii: "}"):
            return nil
        case UInt8(ascii: "\\"):
            let end = commandEnd(bytes, from: index + 1)
            return (index..<end, end)
        default:
            return (index..<(index + 1), index + 1)
        }
    }

    /// Expanded TeX and the byte range of the written TeX each of its bytes stands for.
    public struct Expansion: Sendable, Equatable {
        public var bytes: [UInt8]
        /// `starts[i]`: where in the written TeX a range starting at byte `i` starts.
        var starts: [Int]
        /// `ends[i]`: where in the written TeX a range ending before byte `i` ends.
        var ends: [Int]

        init(bytes: [UInt8], starts: [Int], ends: [Int]) {
            self.bytes = bytes
            self.starts = starts
            self.ends = ends
        }

        init(identity bytes: [UInt8]) {
            self.init(bytes: bytes, starts: Array(bytes.indices), ends: Array(0...bytes.count))
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }

        /// The written range `[start, end)` for the expanded range `[start, end)`.
        public func written(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
            let first = start < starts.count ? starts[max(0, start)] : ends[ends.count - 1]
            let last = ends[min(max(0, end), ends.count - 1)]
            return (first, max(first, last))
        }
    }
}

extension Verifier {
    /// Checks a note whose math may call the site's macros: the checker reads
    /// each math cell expanded, and every place in the report points back into
    /// the note as written (a place inside a macro's body points at the call).
    public func check(_ notebook: Notebook, macros: TeXMacros) -> Report {
        guard !macros.isEmpty else { return check(notebook) }
        var expansions: [(start: Int, expansion: TeXMacros.Expansion)] = []
        let expanded = notebook.rewritingMath { cell in
            guard let expansion = macros.expand(cell.tex) else { return cell }
            var cell = cell
            cell.tex = expansion.text
            expansions.append((cell.contentRange.start.offset, expansion))
            return cell
        }
        guard !expansions.isEmpty else { return check(notebook) }
        let places = ExpandedPlaces(source: notebook.source, expansions: expansions.sorted { $0.start < $1.start })
        return places.written(check(expanded))
    }
}

/// Maps places in expanded math back to the note's bytes.
private struct ExpandedPlaces {
    let source: SourceFile
    let expansions: [(start: Int, expansion: TeXMacros.Expansion)]

    func written(_ range: SourceRange) -> SourceRange {
        guard range.start.file == source.path,
              let cell = expansions.last(where: { $0.start <= range.start.offset && range.start.offset <= $0.start + $0.expansion.bytes.count })
        else { return range }
        let local = cell.expansion.written(range.start.offset - cell.start, range.end.offset - cell.start)
        return source.range(from: cell.start + local.start, to: cell.start + local.end)
    }

    func written(_ diagnostic: Diagnostic) -> Diagnostic {
        var diagnostic = diagnostic
        diagnostic.range = written(diagnostic.range)
        return diagnostic
    }

    func written(_ report: Report) -> Report {
        var report = report
        // The trees of expanded math have places in the expanded TeX: the renderer parses those cells itself.
        for (start, _) in expansions { report.parsedMath[MathCell.ID(offset: start)] = nil }
        report.diagnostics = report.diagnostics.map(written)
        for index in report.steps.indices {
            report.steps[index].location = written(report.steps[index].location)
            report.steps[index].differingRanges = report.steps[index].differingRanges.map(written)
            for value in report.steps[index].symbolValues.indices {
                report.steps[index].symbolValues[value].range = written(report.steps[index].symbolValues[value].range)
            }
        }
        for index in report.values.indices {
            report.values[index].range = written(report.values[index].range)
        }
        return report
    }
}
