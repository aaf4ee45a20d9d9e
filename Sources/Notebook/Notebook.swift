import Diagnostics

/// A Markdown note read as a notebook: its front matter, its blocks in
/// document order, and the diagnostics found while reading it.
///
/// ```swift
/// let notebook = Notebook(parsing: SourceFile(path: "a.md", text: text))
/// for cell in notebook.cells { … }
/// ```
public struct Notebook: Sendable {
    public var source: SourceFile
    public var frontMatter: FrontMatter
    public var blocks: [Block]
    public var diagnostics: [Diagnostic]
    /// Codes the note silences with `<!-- nb: allow CODE -->` (docs/diagnostics.md);
    /// the reader records them, the command leaves their warnings out.
    public var allowed: Set<MessageID> = []

    public init(source: SourceFile, frontMatter: FrontMatter, blocks: [Block], diagnostics: [Diagnostic]) {
        self.source = source
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.diagnostics = diagnostics
    }

    public var path: String { source.path }

    /// Code cells and math cells (display and inline) in document order.
    public var cells: [Cell] {
        CellCollector().walking(blocks).cells
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Every heading in document order, including those in quotes and lists.
    public var headings: [Heading] {
        HeadingCollector().walking(blocks).headings
    }
}

/// A unit that runs: a code cell of our language, or a piece of math.
public enum Cell: Sendable, Equatable {
    case code(CodeCell)
    case math(MathCell)

    public var range: SourceRange {
        switch self {
        case .code(let cell): cell.range
        case .math(let cell): cell.range
        }
    }
}

/// The YAML between `---` lines at the top of a note.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var tags: [String]
    public var date: String?
    /// Every key as written, as plain values (strings, numbers, lists, maps).
    public var values: [String: FrontMatterValue]
    public var range: SourceRange?

    public init(title: String? = nil, tags: [String] = [], date: String? = nil,
                values: [String: FrontMatterValue] = [:], range: SourceRange? = nil) {
        self.title = title
        self.tags = tags
        self.date = date
        self.values = values
        self.range = range
    }

    public static let empty = FrontMatter()
}

public indirect enum FrontMatterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([FrontMatterValue])
    case map([String: FrontMatterValue])
    case null

    public var string: String? {
        switch self {
        case .string(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }
}

public indirect enum Block: Sendable, Equatable {
    case heading(Heading)
    case paragraph([Inline], range: SourceRange)
    /// Display math standing as its own block (`$$…$$` on its own lines, `\[…\]`, a bare `\begin{align}`).
    case math(MathCell)
    /// A fenced block in our cell language (```` ```nb {#setup hide} ````).
    case cell(CodeCell)
    /// Any other code block, shown as written.
    case code(CodeBlock)
    case quote([Block], range: SourceRange)
    /// An Obsidian callout: a quote whose first line is `[!note] Title` (`[!tip]-` folded, `+` foldable and open).
    case callout(Callout)
    case list(ListBlock)
    case table(Table)
    /// Raw HTML, as written. HTML comments carrying `nb:` annotations are also
    /// attached to the math that follows them.
    case html(String, range: SourceRange)
    case thematicBreak(range: SourceRange)
    case footnoteDefinition(label: String, blocks: [Block], range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .heading(let heading): heading.range
        case .paragraph(_, let range), .quote(_, let range), .html(_, let range),
             .thematicBreak(let range), .footnoteDefinition(_, _, let range): range
        case .math(let cell): cell.range
        case .callout(let callout): callout.range
        case .cell(let cell): cell.range
        case .code(let block): block.range
        case .list(let list): list.range
        case .table(let table): table.range
        }
    }
}

/// `> [!warning]- Mind the sign` and the quote's lines after it.
public struct Callout: Sendable, Equatable {
    public enum Fold: Sendable, Equatable {
        /// `[!note]`: always open.
        case none
        /// `[!note]+`: foldable, open at first.
        case open
        /// `[!note]-`: foldable, folded at first.
        case folded
    }

    /// The type as written, lowercased (`note`, `tip`, `warning`, `my-own`).
    public var kind: String
    /// The title after the marker; empty when none is written (the page shows the type's name).
    public var title: [Inline]
    public var fold: Fold
    public var blocks: [Block]
    public var range: SourceRange

    public init(kind: String, title: [Inline], fold: Fold, blocks: [Block], range: SourceRange) {
        self.kind = kind
        self.title = title
        self.fold = fold
        self.blocks = blocks
        self.range = range
    }
}

public struct Heading: Sendable, Equatable {
    public var level: Int
    public var content: [Inline]
    /// The anchor id, from the heading's text (`## Output layer` → `output-layer`).
    public var id: String
    public var range: SourceRange

    public init(level: Int, content: [Inline], id: String, range: SourceRange) {
        self.level = level
        self.content = content
        self.id = id
        self.range = range
    }

    /// GitHub's heading slug: lowercased; letters, digits, `_` and `-` kept,
    /// spaces become `-`, everything else dropped. The reader de-duplicates
    /// (`x`, `x-1`, `x-2`) and uses `section` for an empty slug.
    ///
    /// ```swift
    /// Heading.slug("Output layer: ∂L/∂W")   // "output-layer-lw"
    /// ```
    /// The id a link's `#part` points at: a heading's slug, or for `#^id` (an Obsidian
    /// block reference) the block's anchor, `block-id`.
    public static func anchor(forLinkHeading text: String) -> String {
        text.hasPrefix("^") ? "block-" + text.dropFirst() : slug(text)
    }

    public static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character == " " {
                slug.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                slug.append(character)
            } else if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) {
                slug.append(character)
            }
        }
        return slug
    }
}

public struct ListBlock: Sendable, Equatable {
    public var ordered: Bool
    public var start: Int
    public var tight: Bool
    public var items: [ListItem]
    public var range: SourceRange

    public init(ordered: Bool, start: Int, tight: Bool, items: [ListItem], range: SourceRange) {
        self.ordered = ordered
        self.start = start
        self.tight = tight
        self.items = items
        self.range = range
    }
}

public struct ListItem: Sendable, Equatable {
    /// `nil` for an ordinary item; `true`/`false` for a task-list item.
    public var checked: Bool?
    public var blocks: [Block]

    public init(checked: Bool? = nil, blocks: [Block]) {
        self.checked = checked
        self.blocks = blocks
    }
}

public struct Table: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case none, left, center, right }
    public var alignments: [Alignment]
    public var header: [[Inline]]
    public var rows: [[[Inline]]]
    public var range: SourceRange

    public init(alignments: [Alignment], header: [[Inline]], rows: [[[Inline]]], range: SourceRange) {
        self.alignments = alignments
        self.header = header
        self.rows = rows
        self.range = range
    }
}

public struct CodeBlock: Sendable, Equatable {
    /// The info string's first word (`swift`, `python`), empty when none.
    public var language: String
    public var code: String
    public var range: SourceRange

    public init(language: String, code: String, range: SourceRange) {
        self.language = language
        self.code = code
        self.range = range
    }
}

/// A fenced block in our cell language: ```` ```nb {#setup hide} ````.
public struct CodeCell: Sendable, Equatable {
    /// Info-string words that make a fenced block a cell: `nb`, and `nbrun` as a synonym.
    public static let languages: Set<String> = ["nb", "nbrun"]

    /// The language word as written (`nb`).
    public var language: String
    /// `#name` in the braces, if any.
    public var id: String?
    /// Bare words and `.class` words in the braces (`hide`, `.wide`), in order.
    public var flags: [String]
    /// `key=value` pairs in the braces, in order.
    public var attributes: [Attribute]
    /// The cell's body, byte for byte.
    public var source: String
    /// The whole fence, opening to closing.
    public var range: SourceRange
    /// Where the body starts in the file (its first byte).
    public var contentRange: SourceRange

    public struct Attribute: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(language: String, id: String?, flags: [String], attributes: [Attribute],
                source: String, range: SourceRange, contentRange: SourceRange) {
        self.language = language
        self.id = id
        self.flags = flags
        self.attributes = attributes
        self.source = source
        self.range = range
        self.contentRange = contentRange
    }

    public func attribute(_ key: String) -> String? {
        attributes.last { $0.key == key }?.value
    }

    public func has(flag: String) -> Bool { flags.contains(flag) }
}

/// A piece of LaTeX math exactly as written in the file.
public struct MathCell: Sendable, Equatable {
    public enum Delimiter: String, Sendable, Equatable {
        /// `$…$`
        case dollar
        /// `$$…$$`
        case doubleDollar
        /// `\(…\)`
        case parenthesis
        /// `\[…\]`
        case bracket
        /// `\\(…\\)` as written in kramdown sources
        case doubledParenthesis
        /// `\\[…\\]` as written in kramdown sources
        case doubledBracket
        /// A bare `\begin{align}…\end{align}` (or equation, gather…) standing as a block.
        case environment
        /// GitHub's inline math: `` $`…`$ ``.
        case dollarBacktick
        /// GitHub's display math: a fenced code block in the `math` language.
        case fence
    }

    /// The TeX between the delimiters, byte for byte as in the file
    /// (for `.environment`, including `\begin…\end`).
    public var tex: String
    public var display: Bool
    public var delimiter: Delimiter
    /// The whole math including its delimiters.
    public var range: SourceRange
    /// The bytes of `tex` in the file: `tex`'s byte `i` is the file's byte
    /// `contentRange.start.offset + i`.
    public var contentRange: SourceRange
    /// `nb:` annotations that apply to this math, from an HTML comment just
    /// before it (`<!-- nb: skip -->`). `% nb:` comments inside the math stay in `tex`.
    public var annotations: [Annotation]

    /// `\label{…}` names in `tex`, in order (`align` rows may have several).
    public var labels: [String] { commandArguments("label").map(\.text) }
    /// `\tag{…}` texts in `tex`, in order.
    public var tags: [String] { commandArguments("tag").map(\.text) }
    /// Labels named by `\ref{…}` and `\eqref{…}` in `tex`, in order of appearance.
    public var references: [String] {
        (commandArguments("ref") + commandArguments("eqref")).sorted { $0.offset < $1.offset }.map(\.text)
    }
    /// Names of the `\begin{…}` environments in `tex`, outermost first (`["align"]`).
    public var environments: [String] { environmentTokens().filter(\.isBegin).map(\.name) }

    public init(tex: String, display: Bool, delimiter: Delimiter, range: SourceRange,
                contentRange: SourceRange, annotations: [Annotation] = []) {
        self.tex = tex
        self.display = display
        self.delimiter = delimiter
        self.range = range
        self.contentRange = contentRange
        self.annotations = annotations
    }
}

/// An `nb:` directive written in a comment: `<!-- nb: expect-failure -->`.
public struct Annotation: Sendable, Equatable {
    /// The text after `nb:`, trimmed (`expect-failure`, `bind g = tanh`).
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// `[[note]]`, `[[note|label]]`, `[[note#heading]]`, `![[image.png]]`.
public struct WikiLink: Sendable, Equatable {
    public var target: String
    public var heading: String?
    public var label: String?
    public var isEmbed: Bool
    public var range: SourceRange
    /// `![[image.png|120]]` → width 120; `![[image.png|120x80]]` → 120 by 80 (then `label` is nil).
    public var width: Int?
    public var height: Int?

    public init(target: String, heading: String?, label: String?, isEmbed: Bool, range: SourceRange) {
        self.init(target: target, heading: heading, label: label, isEmbed: isEmbed, range: range, width: nil, height: nil)
    }

    public init(target: String, heading: String?, label: String?, isEmbed: Bool, range: SourceRange,
                width: Int?, height: Int?) {
        self.target = target
        self.heading = heading
        self.label = label
        self.isEmbed = isEmbed
        self.range = range
        self.width = width
        self.height = height
    }
}

public indirect enum Inline: Sendable, Equatable {
    case text(String)
    case emphasis([Inline])
    case strong([Inline])
    case strikethrough([Inline])
    /// Obsidian's `==highlight==`.
    case highlight([Inline])
    case code(String)
    case link(destination: String, title: String, content: [Inline], range: SourceRange?)
    case image(source: String, title: String, alt: [Inline], range: SourceRange?)
    case wikiLink(WikiLink)
    case math(MathCell)
    /// `\ref{label}` or `\eqref{label}` written in prose.
    case equationReference(label: String, parenthesized: Bool, range: SourceRange)
    case html(String)
    case softBreak
    case lineBreak
    case footnoteReference(String)
    /// Obsidian's block id, ` ^id` at the end of a paragraph: `[[note#^id]]` links here.
    case blockID(String)

    /// The text a reader sees, without markup (for ids, titles, search).
    public static func plainText(_ inlines: [Inline]) -> String {
        PlainTextWriter().walking(inlines).out
    }
}

/// `Inline.plainText`: the text of each leaf, in order; the walker descends into
/// emphasis, links and an image's alt text.
private struct PlainTextWriter: NotebookWalker {
    var out = ""

    mutating func visit(_ inline: Inline) -> NotebookDescent {
        switch inline {
        case .text(let text), .code(let text): out += text
        case .wikiLink(let link): out += link.label ?? link.heading.map { "\(link.target) > \($0)" } ?? link.target
        case .math(let cell): out += cell.tex
        case .equationReference(let label, _, _): out += label
        case .softBreak, .lineBreak: out += " "
        case .emphasis, .strong, .strikethrough, .highlight, .link, .image, .html, .footnoteReference, .blockID: break
        }
        return .children
    }
}
