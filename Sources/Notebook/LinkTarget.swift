/// What a link destination points at, decided from its text alone (no file
/// system access). The Render stage resolves notes and assets to pages.
///
/// ```swift
/// LinkTarget("talking-to-output-layer")   // .note(path: "talking-to-output-layer", anchor: nil)
/// LinkTarget("img/nn.png")                // .asset(path: "img/nn.png")
/// LinkTarget("#output-layer")             // .anchor("output-layer")
/// LinkTarget("https://example.org")       // .external("https://example.org")
/// ```
public enum LinkTarget: Sendable, Equatable {
    /// A URL with a scheme (`https:`, `mailto:`) or a protocol-relative `//host/…`.
    case external(String)
    /// `#heading-id` on this page.
    case anchor(String)
    /// A note named without an extension (`talking-to-output-layer`, `../b#part`), Obsidian style.
    case note(path: String, anchor: String?)
    /// A Markdown file named with its extension (`other.md#part`).
    case markdownFile(path: String, anchor: String?)
    /// A file of any other extension (`nn.png`, `data.csv`, `paper.pdf`).
    case asset(path: String)

    /// Extensions that name Markdown notes.
    public static let markdownExtensions: Set<String> = ["md", "markdown", "mdown", "mkd"]

    /// Classifies a destination as written in the note. Percent escapes in
    /// paths are decoded (`my%20note` → `my note`).
    public init(_ destination: String) {
        let trimmed = destination.trimming(" \t\n")
        if trimmed.hasPrefix("#") {
            self = .anchor(String(trimmed.dropFirst()))
            return
        }
        if trimmed.hasPrefix("//") || Self.hasScheme(trimmed) {
            self = .external(trimmed)
            return
        }
        var path = Substring(trimmed)
        var anchor: String?
        if let hash = path.firstIndex(of: "#") {
            anchor = String(path[path.index(after: hash)...])
            path = path[..<hash]
        }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        let decoded = Self.percentDecoded(String(path))
        let fileName = decoded.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex {
            let fileExtension = fileName[fileName.index(after: dot)...].lowercased()
            if Self.markdownExtensions.contains(fileExtension) {
                self = .markdownFile(path: decoded, anchor: anchor)
            } else if !fileExtension.isEmpty, fileExtension.allSatisfy({ $0.isLetter || $0.isNumber }) {
                self = .asset(path: decoded)
            } else {
                self = .note(path: decoded, anchor: anchor)
            }
            return
        }
        self = .note(path: decoded, anchor: anchor)
    }

    /// `scheme:` per RFC 3986: a letter, then letters, digits, `+`, `-`, `.`.
    private static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter, scheme.count >= 2 else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension WikiLink {
    /// What the wiki link names: `[[note]]` → `.note`, `![[nn.png]]` → `.asset`,
    /// `[[#Part]]` → `.anchor("part")` (the heading's id on this page).
    public var linkTarget: LinkTarget {
        if target.isEmpty { return .anchor(Heading.anchor(forLinkHeading: heading ?? "")) }
        switch LinkTarget(target) {
        case .asset(let path): return .asset(path: path)
        case .markdownFile(let path, _): return .markdownFile(path: path, anchor: heading.map(Heading.anchor(forLinkHeading:)))
        default: return .note(path: target, anchor: heading.map(Heading.anchor(forLinkHeading:)))
        }
    }

    /// Reads the text between `[[` and `]]`: `target#heading|label`.
    init(parsing text: String, isEmbed: Bool, range: SourceRange) {
        var body = Substring(text)
        var label: String?
        if let bar = body.firstIndex(of: "|") {
            label = String(body[body.index(after: bar)...]).trimming(" ")
            body = body[..<bar]
        }
        var heading: String?
        if let hash = body.firstIndex(of: "#") {
            heading = String(body[body.index(after: hash)...]).trimming(" ")
            body = body[..<hash]
        }
        self.init(target: String(body).trimming(" "), heading: heading, label: label, isEmbed: isEmbed, range: range)
        // Obsidian's image sizes: `|120` or `|120x80` after an embed is a size, not a caption.
        if isEmbed, let text = label, let size = Self.size(text) {
            self.label = nil
            width = size.width
            height = size.height
        }
    }

    /// `120` → (120, nil); `120x80` → (120, 80); anything else nil.
    static func size(_ text: String) -> (width: Int, height: Int?)? {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let width = Int(parts[0]) else { return nil }
        return (width, parts.count == 2 ? Int(parts[1]) : nil)
    }
}

import Diagnostics
