import Diagnostics
import Foundation
import Notebook
import Render

/// What the rest of the site needs to know about one note without rendering
/// it: its title, tags and date for the index, its headings and prose for
/// search, what it links to for dependencies and broken-link checks, and the
/// equation labels it defines for `\eqref` from other pages.
///
/// Summaries are cached by the hash of the note's bytes, so a warm build never
/// parses an unchanged note.
///
/// ```swift
/// let summary = NoteSummary(notebook, relativePath: "derivation/hidden-layers.md")
/// summary.title      // "Hidden layers"
/// ```
public struct NoteSummary: Sendable, Equatable, Codable {
    public struct HeadingEntry: Sendable, Equatable, Codable {
        public var level: Int
        public var id: String
        public var text: String
    }

    /// Something the note points at, with where it is written.
    public struct Reference: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable {
            /// `[text](destination)`
            case link
            /// `![alt](source)`
            case image
            /// `[[target]]` or `[[target#heading]]`
            case wikiLink
            /// `![[file]]`
            case embed
        }
        public var kind: Kind
        public var target: String
        public var heading: String?
        public var line: Int
        public var column: Int
        public var offset: Int
        public var endOffset: Int
    }

    /// `\eqref{label}` or `\ref{label}` written in prose.
    public struct EquationReference: Sendable, Equatable, Codable {
        public var label: String
        public var parenthesized: Bool
        public var line: Int
        public var column: Int
        public var offset: Int
        public var endOffset: Int
    }

    /// Path relative to the notes folder, with `/` separators (`derivation/hidden-layers.md`).
    public var path: String
    public var title: String
    public var tags: [String]
    public var date: String?
    /// `draft: true`, `published: false`, or a note under `_drafts/`: left out of a build without `--drafts`.
    public var isDraft: Bool
    /// Obsidian's `aliases:`: other names wiki links may use for this note.
    public var aliases: [String]
    public var headings: [HeadingEntry]
    /// The distinct words of title, headings and prose (math and code left
    /// out), in order of first appearance, for the search index.
    public var words: [String] {
        get { wordList.words }
        set { wordList.words = newValue }
    }
    private var wordList: WordList
    public var references: [Reference]
    public var equationReferences: [EquationReference]
    /// Labels defined with `\label{…}` in this note's math, with their anchor and number
    /// (numbered the way the page numbers them).
    public var equationTargets: [String: EquationTarget]
    /// The note's own problems from reading it (front matter, Markdown).
    public var diagnostics: [Diagnostic]

    public init(_ notebook: Notebook, relativePath: String) {
        path = relativePath
        let collector = SummaryCollector().walking(notebook.blocks)
        let firstTitle = collector.headings.first { $0.level == 1 }?.text
        var fileTitle = ((relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
        // A Jekyll post's file name starts with its date: `2024-06-10-first-steps` is titled "First steps".
        if NoteDate(fileName: relativePath) != nil, fileTitle.count > 11 {
            let words = fileTitle.dropFirst(11).replacingOccurrences(of: "-", with: " ")
            fileTitle = words.prefix(1).uppercased() + words.dropFirst()
        }
        title = notebook.frontMatter.title ?? firstTitle ?? fileTitle
        tags = notebook.allTags
        aliases = notebook.frontMatter.aliases
        date = notebook.frontMatter.date ?? NoteDate(fileName: relativePath)?.iso
        isDraft = notebook.frontMatter.isDraft || relativePath.split(separator: "/").dropLast().contains("_drafts")
        headings = collector.headings
        var seen = Set<String>()
        wordList = WordList(words: ([title] + collector.headings.map(\.text) + [collector.text]).flatMap(SearchIndex.words).filter { seen.insert($0).inserted })
        references = collector.references
        equationReferences = collector.equationReferences
        let mathCells = notebook.cells.compactMap { cell -> MathCell? in
            if case .math(let math) = cell { return math }
            return nil
        }
        let numbering = EquationNumbering(cells: mathCells, source: notebook.source)
        equationTargets = numbering.targets.mapValues { EquationTarget(anchor: $0.anchor, number: $0.number) }
        // A note's `nb: allow` applies here; site.yml's `allow:` when the build reports.
        diagnostics = notebook.diagnostics.filter { NoteSettings().reports($0, allowedByNote: notebook.allowed) }
    }

    /// Whether the page of this note shows its title from the template (no `# Title` of its own).
    public var fileName: String { (path as NSString).lastPathComponent }
}

/// Words stored as one string, separated by spaces (a word never holds one):
/// a summary is read on every build, and one JSON string decodes many times
/// faster than an array of hundreds.
private struct WordList: Sendable, Equatable, Codable {
    var words: [String]

    init(words: [String]) {
        self.words = words
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        words = text.split(separator: " ").map(String.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(words.joined(separator: " "))
    }
}

/// Where an equation label points: the anchor on its page and its number (nil when unnumbered).
public struct EquationTarget: Sendable, Equatable, Codable {
    public var anchor: String
    public var number: String?
}

/// Walks blocks in the order the page shows them (the order `HTMLWriter` writes them),
/// into every container: what a callout, a list, a table or a quote holds is searched
/// and its links checked like a paragraph's.
private struct SummaryCollector: NotebookWalker {
    var headings: [NoteSummary.HeadingEntry] = []
    var text = ""
    var references: [NoteSummary.Reference] = []
    var equationReferences: [NoteSummary.EquationReference] = []

    mutating func visit(_ block: Block) -> NotebookDescent {
        // Blocks never run together into one word (a callout's title and its first paragraph).
        text += "\n"
        switch block {
        case .heading(let heading):
            headings.append(.init(level: heading.level, id: heading.id, text: Inline.plainText(heading.content)))
        case .html(let raw, let range):
            // The images of README-style HTML (`<p align="center"><img src="logo.png"></p>`) are the note's assets too.
            for source in HTML.imageSources(in: raw) { references.append(reference(.image, source, nil, range)) }
        case .table(let table):
            // Nor do two cells of a row.
            for cell in table.header { walk(cell); text += " " }
            for row in table.rows { for cell in row { walk(cell); text += " " } }
            return .skipChildren
        default:
            break
        }
        return .children
    }

    mutating func visit(_ inline: Inline) -> NotebookDescent {
        switch inline {
        case .text(let value), .code(let value):
            text += value
        case .link(let destination, _, _, let range):
            if let range { references.append(reference(.link, destination, nil, range)) }
        case .image(let source, _, let alt, let range):
            if let range { references.append(reference(.image, source, nil, range)) }
            text += Inline.plainText(alt)
            return .skipChildren
        case .wikiLink(let link):
            references.append(reference(link.isEmbed ? .embed : .wikiLink, link.target, link.heading, link.range))
            text += link.label ?? link.target
        case .equationReference(let label, let parenthesized, let range):
            equationReferences.append(.init(label: label, parenthesized: parenthesized, line: range.start.line,
                                            column: range.start.column, offset: range.start.offset, endOffset: range.end.offset))
        case .softBreak, .lineBreak:
            text += " "
        case .math, .emphasis, .strong, .strikethrough, .highlight, .html, .footnoteReference, .blockID:
            // Math is left out of the words; containers are descended into by the walker.
            break
        }
        return .children
    }

    private func reference(_ kind: NoteSummary.Reference.Kind, _ target: String, _ heading: String?, _ range: SourceRange) -> NoteSummary.Reference {
        .init(kind: kind, target: target, heading: heading, line: range.start.line, column: range.start.column,
              offset: range.start.offset, endOffset: range.end.offset)
    }
}

// MARK: - Binary form

/// Every build reads every note's summary from the cache, so they are stored
/// in a compact binary form rather than JSON (`JSONDecoder` took a quarter of
/// a one-note rebuild): lengths and numbers as LEB128 varints, strings as
/// UTF-8, fields in declaration order, after a version tag.
extension NoteSummary {
    static let binaryTag: [UInt8] = Array("nbrun-summary-3\n".utf8)

    /// The summary as bytes; `NoteSummary(binary:)` reads them back.
    public var binary: [UInt8] {
        var out = BinaryWriter()
        out.bytes = Self.binaryTag
        out.string(path)
        out.string(title)
        out.strings(tags)
        out.optional(date)
        out.int(headings.count)
        for heading in headings {
            out.int(heading.level)
            out.string(heading.id)
            out.string(heading.text)
        }
        out.string(words.joined(separator: " "))
        out.int(references.count)
        for reference in references {
            out.string(reference.kind.rawValue)
            out.string(reference.target)
            out.optional(reference.heading)
            out.ints([reference.line, reference.column, reference.offset, reference.endOffset])
        }
        out.int(equationReferences.count)
        for reference in equationReferences {
            out.string(reference.label)
            out.int(reference.parenthesized ? 1 : 0)
            out.ints([reference.line, reference.column, reference.offset, reference.endOffset])
        }
        out.int(equationTargets.count)
        for label in equationTargets.keys.sorted() {
            out.string(label)
            out.string(equationTargets[label]?.anchor ?? "")
            out.optional(equationTargets[label]?.number)
        }
        out.int(diagnostics.count)
        for diagnostic in diagnostics {
            let (start, end) = (diagnostic.range.start, diagnostic.range.end)
            out.string(diagnostic.severity.rawValue)
            out.string(diagnostic.message)
            out.string(start.file)
            out.ints([start.line, start.column, start.offset, end.line, end.column, end.offset])
            out.strings(diagnostic.notes)
            out.string(diagnostic.id?.code ?? "")
        }
        out.int(isDraft ? 1 : 0)
        out.strings(aliases)
        return out.bytes
    }

    /// Nil when the bytes are not a summary of this version (the caller reads the note again).
    public init?(binary: [UInt8]) {
        guard binary.starts(with: Self.binaryTag) else { return nil }
        var input = BinaryReader(bytes: binary, position: Self.binaryTag.count)
        guard let path = input.string(), let title = input.string(), let tags = input.strings(), let date = input.optional(),
              let headingCount = input.count() else { return nil }
        var headings: [HeadingEntry] = []
        for _ in 0..<headingCount {
            guard let level = input.int(), let id = input.string(), let text = input.string() else { return nil }
            headings.append(HeadingEntry(level: level, id: id, text: text))
        }
        guard let words = input.string(), let referenceCount = input.count() else { return nil }
        var references: [Reference] = []
        for _ in 0..<referenceCount {
            guard let kind = input.string().flatMap(Reference.Kind.init(rawValue:)), let target = input.string(),
                  let heading = input.optional(), let numbers = input.ints(4) else { return nil }
            references.append(Reference(kind: kind, target: target, heading: heading, line: numbers[0], column: numbers[1],
                                        offset: numbers[2], endOffset: numbers[3]))
        }
        guard let equationReferenceCount = input.count() else { return nil }
        var equationReferences: [EquationReference] = []
        for _ in 0..<equationReferenceCount {
            guard let label = input.string(), let parenthesized = input.int(), let numbers = input.ints(4) else { return nil }
            equationReferences.append(EquationReference(label: label, parenthesized: parenthesized == 1, line: numbers[0],
                                                        column: numbers[1], offset: numbers[2], endOffset: numbers[3]))
        }
        guard let targetCount = input.count() else { return nil }
        var equationTargets: [String: EquationTarget] = [:]
        for _ in 0..<targetCount {
            guard let label = input.string(), let anchor = input.string(), let number = input.optional() else { return nil }
            equationTargets[label] = EquationTarget(anchor: anchor, number: number)
        }
        guard let diagnosticCount = input.count() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<diagnosticCount {
            guard let severity = input.string(), let message = input.string(), let file = input.string(),
                  let numbers = input.ints(6), let notes = input.strings(), let id = input.string() else { return nil }
            let start = SourceLocation(file: file, line: numbers[0], column: numbers[1], offset: numbers[2])
            let end = SourceLocation(file: file, line: numbers[3], column: numbers[4], offset: numbers[5])
            diagnostics.append(Diagnostic(Diagnostic.Severity(rawValue: severity) ?? .error, message, at: SourceRange(start: start, end: end),
                                          notes: notes, id: id.isEmpty ? nil : MessageID(id)))
        }
        guard let isDraft = input.int(), let aliases = input.strings(), input.isAtEnd else { return nil }
        self.isDraft = isDraft == 1
        self.aliases = aliases
        self.path = path
        self.title = title
        self.tags = tags
        self.date = date
        self.headings = headings
        self.wordList = WordList(words: words.split(separator: " ").map(String.init))
        self.references = references
        self.equationReferences = equationReferences
        self.equationTargets = equationTargets
        self.diagnostics = diagnostics
    }
}

private struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        // Zigzag, so the odd negative number stays short too.
        var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1))))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func ints(_ values: [Int]) { for value in values { int(value) } }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes += value.utf8
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    mutating func optional(_ value: String?) {
        if let value {
            bytes.append(1)
            string(value)
        } else {
            bytes.append(0)
        }
    }
}

private struct BinaryReader {
    let bytes: [UInt8]
    var position: Int

    var isAtEnd: Bool { position == bytes.count }

    mutating func int() -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                let raw = Int(truncatingIfNeeded: value)
                return (raw >> 1) ^ -(raw & 1)
            }
            shift += 7
        }
        return nil
    }

    /// A number of items to come: each takes at least a byte, so never more than the bytes left.
    mutating func count() -> Int? {
        guard let value = int(), value >= 0, value <= bytes.count - position else { return nil }
        return value
    }

    mutating func ints(_ count: Int) -> [Int]? {
        var values: [Int] = []
        for _ in 0..<count {
            guard let value = int() else { return nil }
            values.append(value)
        }
        return values
    }

    mutating func string() -> String? {
        guard let count = int(), count >= 0, count <= bytes.count - position else { return nil }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }

    mutating func strings() -> [String]? {
        guard let count = count() else { return nil }
        var values: [String] = []
        for _ in 0..<count {
            guard let value = string() else { return nil }
            values.append(value)
        }
        return values
    }

    mutating func optional() -> String?? {
        guard position < bytes.count else { return nil }
        position += 1
        switch bytes[position - 1] {
        case 0: return .some(nil)
        case 1: return string().map { .some($0) }
        default: return nil
        }
    }
}
