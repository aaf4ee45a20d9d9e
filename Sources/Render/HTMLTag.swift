/// One start tag of a note's raw HTML, read the way `HTML.sanitize` needs:
/// its name and attributes, entities in values decoded. Only what GitHub
/// READMEs use passes (`<p align="center">`, `<img src alt width height>`,
/// `<a href>`, `<details open>`); a tag with any other attribute is not
/// trusted and stays text.
///
/// ```swift
/// HTMLTag(parsing: #"p align="center""#)?.attributes   // [("align", "center")]
/// ```
struct HTMLTag {
    var name: String
    var attributes: [(name: String, value: String)]
    var selfClosing: Bool

    /// Attributes each tag may keep; `align` only with these values.
    static let allowed: [String: Set<String>] = [
        "p": ["align"], "div": ["align"], "h1": ["align"], "h2": ["align"], "h3": ["align"], "h4": ["align"],
        "h5": ["align"], "h6": ["align"], "img": ["src", "alt", "title", "width", "height", "align"],
        "a": ["href", "title"], "details": ["open"],
    ]
    static let alignments: Set<String> = ["left", "center", "right"]

    /// `text` is what lies between `<` and `>`.
    init?(parsing text: Substring) {
        var rest = text[...]
        let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard !name.isEmpty else { return nil }
        self.name = name.lowercased()
        rest = rest.dropFirst(name.count)
        attributes = []
        selfClosing = false
        while true {
            let spaces = rest.prefix { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            rest = rest.dropFirst(spaces.count)
            if rest.isEmpty { break }
            if rest == "/" { selfClosing = true; break }
            guard !spaces.isEmpty else { return nil }
            let attribute = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            guard !attribute.isEmpty else { return nil }
            rest = rest.dropFirst(attribute.count)
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst()
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    rest = rest.dropFirst()
                    guard let close = rest.firstIndex(of: quote) else { return nil }
                    value = String(rest[..<close])
                    rest = rest[rest.index(after: close)...]
                } else {
                    let bare = rest.prefix { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\"" || $0 == "'" || $0 == "`" || $0 == "<" || $0 == "=") }
                    guard !bare.isEmpty else { return nil }
                    value = String(bare)
                    rest = rest.dropFirst(bare.count)
                }
            }
            attributes.append((attribute.lowercased(), Self.decodingEntities(value)))
        }
    }

    /// Whether every attribute is one this tag may keep, with a value it may have.
    var isAllowed: Bool {
        guard let names = Self.allowed[name] else { return false }
        return attributes.allSatisfy { attribute in
            guard names.contains(attribute.name) else { return false }
            switch attribute.name {
            case "align": return Self.alignments.contains(attribute.value.lowercased())
            case "width", "height": return !attribute.value.isEmpty && attribute.value.count <= 6
                && attribute.value.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "%") }
            case "open": return attribute.value.isEmpty
            default: return true
            }
        }
    }

    func value(of attribute: String) -> String? {
        attributes.first { $0.name == attribute }?.value
    }

    /// The tag written again from its parts, every value escaped; `url` rewrites `src`/`href`
    /// (nil: the URL leads nowhere safe, and the tag is not written at all).
    func written(url: (String, String) -> String?) -> String? {
        var out = "<" + name
        for (attribute, value) in attributes {
            if attribute == "src" || attribute == "href" {
                guard let resolved = url(attribute, value) else { return nil }
                out += " \(attribute)=\"\(HTML.escape(resolved))\""
            } else if attribute == "open" {
                out += " open"
            } else {
                out += " \(attribute)=\"\(HTML.escape(attribute == "align" ? value.lowercased() : value))\""
            }
        }
        return out + ">"
    }

    /// `&amp;`, `&quot;`, `&lt;`, `&gt;`, `&#39;`, `&#NN;` and `&#xNN;`; other `&` stay.
    static func decodingEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(10).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let entity = after[..<semicolon]
            var decoded: String?
            switch entity {
            case "amp": decoded = "&"
            case "quot": decoded = "\""
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "apos": decoded = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16) {
                    decoded = Unicode.Scalar(code).map { String(Character($0)) }
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()) {
                    decoded = Unicode.Scalar(code).map { String(Character($0)) }
                }
            }
            if let decoded {
                out += decoded
                rest = after[after.index(after: semicolon)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
