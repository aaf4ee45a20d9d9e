import MathSyntax
import Notebook

/// The contents of a long note: its section headings (levels 2 and 3), as a
/// nested list of links to their anchors, shown at the top of the page.
///
/// ```swift
/// let contents = TableOfContents(headings: headings, parsedMath: report.parsedMath)
/// contents.html   // "<nav class=\"toc\" aria-label=\"Contents\">…"
/// ```
struct TableOfContents: Equatable {
    struct Entry: Equatable {
        var level: Int
        var id: String
        /// The heading as HTML text (math in plain form, no links).
        var html: String
    }

    /// A note with fewer sections than this reads well without a contents list.
    static let minimumSections = 4

    var entries: [Entry]

    /// - Parameter parsedMath: the checker's parse of each math cell (`Report.parsedMath`);
    ///   a heading's math it lacks is parsed here.
    init(headings: [Heading], parsedMath: [MathCell.ID: ParsedMath] = [:]) {
        entries = headings.filter { $0.level == 2 || $0.level == 3 }.map { heading in
            Entry(level: heading.level, id: heading.id,
                  html: String(Self.text(heading.content, parsedMath).trimmingPrefix { $0 == " " }.reversed().drop { $0 == " " }.reversed()))
        }
    }

    var isWorthShowing: Bool {
        entries.count { $0.level == 2 } >= Self.minimumSections
    }

    /// `<nav>` with an ordered list; level-3 headings nest under the level-2 heading before them.
    var html: String {
        guard isWorthShowing else { return "" }
        var out = "<nav class=\"toc\" aria-label=\"Contents\"><details open><summary>Contents</summary>\n<ol>"
        var inSublist = false
        var open = false
        for entry in entries {
            let link = "<a href=\"#\(HTML.escape(entry.id))\">\(entry.html)</a>"
            if entry.level == 3, open {
                if !inSublist { out += "<ol>"; inSublist = true }
                out += "<li>\(link)</li>"
                continue
            }
            if inSublist { out += "</ol>"; inSublist = false }
            if open { out += "</li>" }
            out += "\n<li>\(link)"
            open = true
        }
        if inSublist { out += "</ol>" }
        if open { out += "</li>" }
        out += "\n</ol></details></nav>\n"
        return out
    }

    private static func text(_ inlines: [Inline], _ parsedMath: [MathCell.ID: ParsedMath]) -> String {
        EntryText(parsedMath: parsedMath).walking(inlines).out
    }
}

/// A heading's text as HTML for its entry: math in plain form, links and emphasis as
/// their text, whatever holds them.
private struct EntryText: NotebookWalker {
    let parsedMath: [MathCell.ID: ParsedMath]
    var out = ""

    mutating func visit(_ inline: Inline) -> NotebookDescent {
        switch inline {
        case .math(let cell):
            let parsed = parsedMath[cell.id] ?? MathParser.parse(cell.tex)
            if let expression = parsed.expression, !expression.containsUninterpretable {
                out += PlainMath.html(expression.plain)
            } else {
                out += HTML.escape(cell.tex)
            }
            return .skipChildren
        case .emphasis, .strong, .strikethrough, .highlight, .link, .image:
            return .children
        default:
            // A leaf, or a kind this walk does not know: its plain text, never nothing.
            out += HTML.escape(Inline.plainText([inline]))
            return .skipChildren
        }
    }
}
