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
    public var diagnostics: [StoredDiagnostic]

    public init(_ notebook: Notebook, relativePath: String) {
        path = relativePath
        var collector = SummaryCollector()
        for block in notebook.blocks { collector.visit(block) }
        let firstTitle = collector.headings.first { $0.level == 1 }?.text
        let fileTitle = ((relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
        title = notebook.frontMatter.title ?? firstTitle ?? fileTitle
        tags = notebook.frontMatter.tags
        date = notebook.frontMatter.date
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
        diagnostics = notebook.diagnostics.map(StoredDiagnostic.init)
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

/// A diagnostic as stored in a cache: everything but the source text, which
/// the command line reads again when it prints one.
public struct StoredDiagnostic: Sendable, Equatable, Codable {
    public var severity: String
    public var message: String
    public var file: String
    public var line: Int
    public var column: Int
    public var offset: Int
    public var endLine: Int
    public var endColumn: Int
    public var endOffset: Int
    public var notes: [String]

    public init(_ diagnostic: Diagnostic) {
        severity = diagnostic.severity.rawValue
        message = diagnostic.message
        file = diagnostic.range.start.file
        line = diagnostic.range.start.line
        column = diagnostic.range.start.column
        offset = diagnostic.range.start.offset
        endLine = diagnostic.range.end.line
        endColumn = diagnostic.range.end.column
        endOffset = diagnostic.range.end.offset
        notes = diagnostic.notes
    }

    public var diagnostic: Diagnostic {
        let start = SourceLocation(file: file, line: line, column: column, offset: offset)
        let end = SourceLocation(file: file, line: endLine, column: endColumn, offset: endOffset)
        return Diagnostic(Diagnostic.Severity(rawValue: severity) ?? .error, message, at: SourceRange(start: start, end: end), notes: notes)
    }
}

/// Walks blocks in the order the page shows them (the order `HTMLWriter` writes them).
private struct SummaryCollector {
    var headings: [NoteSummary.HeadingEntry] = []
    var text = ""
    var references: [NoteSummary.Reference] = []
    var equationReferences: [NoteSummary.EquationReference] = []

    mutating func visit(_ block: Block) {
        switch block {
        case .heading(let heading):
            headings.append(.init(level: heading.level, id: heading.id, text: Inline.plainText(heading.content)))
            visit(heading.content)
            text += "\n"
        case .paragraph(let inlines, _):
            visit(inlines)
            text += "\n"
        case .math, .cell, .code, .html, .thematicBreak:
            break
        case .quote(let blocks, _), .footnoteDefinition(_, let blocks, _):
            for child in blocks { visit(child) }
        case .list(let list):
            for item in list.items { for child in item.blocks { visit(child) } }
        case .table(let table):
            for cell in table.header { visit(cell); text += " " }
            for row in table.rows { for cell in row { visit(cell); text += " " } }
            text += "\n"
        }
    }

    mutating func visit(_ inlines: [Inline]) {
        for inline in inlines { visit(inline) }
    }

    mutating func visit(_ inline: Inline) {
        switch inline {
        case .text(let value), .code(let value):
            text += value
        case .emphasis(let children), .strong(let children), .strikethrough(let children):
            visit(children)
        case .link(let destination, _, let content, let range):
            if let range { references.append(reference(.link, destination, nil, range)) }
            visit(content)
        case .image(let source, _, let alt, let range):
            if let range { references.append(reference(.image, source, nil, range)) }
            text += Inline.plainText(alt)
        case .wikiLink(let link):
            references.append(reference(link.isEmbed ? .embed : .wikiLink, link.target, link.heading, link.range))
            text += link.label ?? link.target
        case .math:
            break
        case .equationReference(let label, let parenthesized, let range):
            equationReferences.append(.init(label: label, parenthesized: parenthesized, line: range.start.line,
                                            column: range.start.column, offset: range.start.offset, endOffset: range.end.offset))
        case .softBreak, .lineBreak:
            text += " "
        case .html, .footnoteReference:
            break
        }
    }

    private func reference(_ kind: NoteSummary.Reference.Kind, _ target: String, _ heading: String?, _ range: SourceRange) -> NoteSummary.Reference {
        .init(kind: kind, target: target, heading: heading, line: range.start.line, column: range.start.column,
              offset: range.start.offset, endOffset: range.end.offset)
    }
}
