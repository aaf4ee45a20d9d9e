import Foundation

/// Escaping for text and attribute values.
package enum HTML {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Raw HTML from a note, made safe: comments are dropped, a few plain
    /// formatting tags without attributes pass, and the tags GitHub READMEs use
    /// with the attributes they use (`HTMLTag`); everything else shows as text.
    /// `url(attribute, value)` resolves an `<img src>` or `<a href>`; nil leaves it out.
    package static func sanitize(_ raw: String, url: (String, String) -> String? = { _, value in
        LinkResolver.isSafe(url: value) ? value : nil
    }) -> String {
        var out = ""
        var rest = Substring(raw)
        while let open = rest.firstIndex(of: "<") {
            out += escape(String(rest[..<open]))
            let after = rest[open...]
            if after.hasPrefix("<!--") {
                if let end = after.range(of: "-->") {
                    rest = after[end.upperBound...]
                } else {
                    rest = ""
                }
                continue
            }
            if let close = after.firstIndex(of: ">") {
                let tag = after[after.index(after: open)..<close].lowercased()
                if allowedTags.contains(tag) {
                    out += "<\(tag)>"
                    rest = after[after.index(after: close)...]
                    continue
                }
                if let parsed = HTMLTag(parsing: after[after.index(after: open)..<close]), parsed.isAllowed,
                   let written = parsed.written(url: { attribute, value in
                       // A URL is written only when it is safe after the browser's own clean-up.
                       let cleaned = String(value.unicodeScalars.filter { $0.value > 0x20 }.map(Character.init))
                       guard LinkResolver.isSafe(url: cleaned) else { return nil }
                       return url(attribute, value)
                   }) {
                    out += written
                    rest = after[after.index(after: close)...]
                    continue
                }
            }
            out += "&lt;"
            rest = after.dropFirst()
        }
        out += escape(String(rest))
        return out
    }

    /// The `src` of every `<img>` the sanitizer lets through (a site copies these assets).
    package static func imageSources(in raw: String) -> [String] {
        var sources: [String] = []
        var rest = Substring(removingComments(raw))
        while let open = rest.range(of: "<img", options: .caseInsensitive) {
            let after = rest[open.lowerBound...]
            guard let close = after.firstIndex(of: ">") else { break }
            if let tag = HTMLTag(parsing: after[after.index(after: after.startIndex)..<close]), tag.isAllowed, let source = tag.value(of: "src"),
               !LinkResolver.isExternal(source) {
                sources.append(source)
            }
            rest = after[after.index(after: close)...]
        }
        return sources
    }

    /// Raw HTML without its `<!-- … -->` comments (an unclosed one hides the rest).
    package static func removingComments(_ raw: String) -> String {
        guard raw.contains("<!--") else { return raw }
        var out = ""
        var rest = Substring(raw)
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static let allowedTags: Set<String> = Set(
        ["b", "i", "em", "strong", "sub", "sup", "kbd", "mark", "small", "u", "s", "code", "details", "summary", "p", "div", "span",
         "h1", "h2", "h3", "h4", "h5", "h6", "a", "ins", "del", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "tt", "var", "samp"]
            .flatMap { [$0, "/" + $0] } + ["br", "br/", "br /", "hr", "hr/", "hr /"]
    )
}
