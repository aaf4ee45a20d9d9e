import CCmarkGFM

// The only file in nbrun that talks to cmark-gfm's C API. It parses bytes,
// copies the node tree into plain Swift values (`MarkdownNode`), and frees it.

/// One cmark node copied into Swift. Positions are cmark's: 1-based lines,
/// 1-based byte columns, end inclusive; 0 when cmark has none.
struct MarkdownNode: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, paragraph, heading
        case thematicBreak, footnoteDefinition, table, tableRow, tableCell
        case text, softBreak, lineBreak, code, htmlInline, emphasis, strong, link, image
        case footnoteReference, strikethrough
        /// A subtree deeper than `CmarkTree.maximumDepth`, kept as its text only.
        case flattened
        case other(String)
    }

    var kind: Kind
    var startLine = 0
    var startColumn = 0
    var endLine = 0
    var endColumn = 0
    /// Text of text, code, HTML and code-block nodes; the label of footnotes.
    var literal = ""
    var url = ""
    var title = ""
    var info = ""
    var fenced = false
    var level = 0
    var ordered = false
    var listStart = 1
    var tight = false
    var checked: Bool?
    var isHeaderRow = false
    var alignments: [UInt8] = []
    var children: [MarkdownNode] = []
}

enum CmarkTree {
    /// The GFM additions a text may use.
    struct Syntax: OptionSet, Sendable {
        let rawValue: UInt8
        static let tables = Syntax(rawValue: 1 << 0)
        static let strikethrough = Syntax(rawValue: 1 << 1)
        static let autolinks = Syntax(rawValue: 1 << 2)
        static let taskLists = Syntax(rawValue: 1 << 3)
        static let footnotes = Syntax(rawValue: 1 << 4)
        static let all: Syntax = [.tables, .strikethrough, .autolinks, .taskLists, .footnotes]

        /// What cmark must look for in `bytes`, from the characters each addition
        /// cannot do without: a table needs `|`, strikethrough `~`, an extended
        /// autolink `www.`, `://` or `@`, a task `[ ]` (any blank), `[x]` or `[X]`, a footnote `[^`.
        static func needed(in bytes: [UInt8]) -> Syntax {
            var found: Syntax = []
            bytes.withUnsafeBufferPointer { text in
                let count = text.count
                var index = 0
                while index < count {
                    switch text[index] {
                    case UInt8(ascii: "|"): found.insert(.tables)
                    case UInt8(ascii: "~"): found.insert(.strikethrough)
                    case UInt8(ascii: "@"): found.insert(.autolinks)
                    case UInt8(ascii: ":"):
                        if index + 2 < count, text[index + 1] == UInt8(ascii: "/"), text[index + 2] == UInt8(ascii: "/") { found.insert(.autolinks) }
                    case UInt8(ascii: "."):
                        // `www.`, in any case.
                        if index >= 3, text[index - 3] | 0x20 == UInt8(ascii: "w"), text[index - 2] | 0x20 == UInt8(ascii: "w"),
                           text[index - 1] | 0x20 == UInt8(ascii: "w") { found.insert(.autolinks) }
                    case UInt8(ascii: "["):
                        if index + 1 < count {
                            let next = text[index + 1]
                            if next == UInt8(ascii: "^") { found.insert(.footnotes) }
                            let blank = next == UInt8(ascii: " ") || (0x09...0x0D).contains(next)
                            if blank || next | 0x20 == UInt8(ascii: "x"), index + 2 < count, text[index + 2] == UInt8(ascii: "]") {
                                found.insert(.taskLists)
                            }
                        }
                    default:
                        break
                    }
                    index += 1
                }
            }
            return found
        }
    }

    /// Deeper subtrees are flattened to their text, so that converting and
    /// destroying the Swift tree never recurses deeper than this.
    static let maximumDepth = 128

    /// Parses `bytes` as GitHub-flavoured Markdown with source positions
    /// (tables, strikethrough, autolinks, task lists, tagfilter, footnotes).
    ///
    /// An extension is attached only when the text holds what it looks for
    /// (`Syntax.needed(in:)`): cmark's autolink pass alone costs a third of a
    /// 1 MB parse, and a note without `www.`, `://` or `@` can have no autolink.
    /// The tree is the same either way; `syntax: .all` attaches everything.
    static func parse(_ bytes: [UInt8], syntax: Syntax? = nil) -> MarkdownNode {
        cmark_gfm_core_extensions_ensure_registered()
        let syntax = syntax ?? Syntax.needed(in: bytes)
        var options = CMARK_OPT_SOURCEPOS | CMARK_OPT_UNSAFE
        if syntax.contains(.footnotes) { options |= CMARK_OPT_FOOTNOTES }
        guard let parser = cmark_parser_new(options) else { return MarkdownNode(kind: .document) }
        defer { cmark_parser_free(parser) }
        let extensions: [(Syntax, String)] = [
            (.tables, "table"), (.strikethrough, "strikethrough"), (.autolinks, "autolink"), (.taskLists, "tasklist"), ([], "tagfilter"),
        ]
        for (needed, name) in extensions where syntax.contains(needed) {
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else { return MarkdownNode(kind: .document) }
        defer { cmark_node_free(document) }
        return copy(document, depth: 0)
    }

    private static func copy(_ node: OpaquePointer, depth: Int) -> MarkdownNode {
        var result = MarkdownNode(kind: kind(of: node))
        result.startLine = Int(cmark_node_get_start_line(node))
        result.startColumn = Int(cmark_node_get_start_column(node))
        result.endLine = Int(cmark_node_get_end_line(node))
        result.endColumn = Int(cmark_node_get_end_column(node))
        switch result.kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock, .footnoteReference, .footnoteDefinition:
            result.literal = string(cmark_node_get_literal(node))
        default: break
        }
        switch result.kind {
        case .codeBlock:
            result.info = string(cmark_node_get_fence_info(node))
            // cmark writes through all three pointers.
            var length: Int32 = 0
            var offset: Int32 = 0
            var character: CChar = 0
            result.fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
        case .heading:
            result.level = Int(cmark_node_get_heading_level(node))
        case .list:
            result.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            result.listStart = Int(cmark_node_get_list_start(node))
            result.tight = cmark_node_get_list_tight(node) != 0
        case .item:
            if string(cmark_node_get_type_string(node)) == "tasklist" {
                result.checked = cmark_gfm_extensions_get_tasklist_item_checked(node)
            }
        case .link, .image:
            result.url = string(cmark_node_get_url(node))
            result.title = string(cmark_node_get_title(node))
        case .table:
            let columns = Int(cmark_gfm_extensions_get_table_columns(node))
            if let pointer = cmark_gfm_extensions_get_table_alignments(node) {
                result.alignments = (0..<columns).map { pointer[$0] }
            }
        case .tableRow:
            result.isHeaderRow = cmark_gfm_extensions_get_table_row_is_header(node) != 0
        default: break
        }
        if depth >= maximumDepth, cmark_node_first_child(node) != nil {
            var flat = MarkdownNode(kind: .flattened)
            flat.literal = flattenedText(node)
            result.children = [flat]
            return result
        }
        var child = cmark_node_first_child(node)
        while let current = child {
            result.children.append(copy(current, depth: depth + 1))
            child = cmark_node_next(current)
        }
        return result
    }

    /// All literal text under a node, gathered without recursion.
    private static func flattenedText(_ node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(current))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH: text += " "
            default: break
            }
        }
        return text
    }

    private static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        case CMARK_NODE_FOOTNOTE_REFERENCE: return .footnoteReference
        default:
            // Extension nodes have dynamic type numbers; their names are stable.
            let name = string(cmark_node_get_type_string(node))
            switch name {
            case "table": return .table
            case "table_row", "table_header": return .tableRow
            case "table_cell": return .tableCell
            case "strikethrough": return .strikethrough
            case "tasklist": return .item
            default: return .other(name)
            }
        }
    }

    /// Decodes a C string as UTF-8, replacing invalid bytes with U+FFFD.
    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
