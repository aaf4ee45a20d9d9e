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
    /// formatting tags without attributes pass, everything else shows as text.
    package static func sanitize(_ raw: String) -> String {
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
            }
            out += "&lt;"
            rest = after.dropFirst()
        }
        out += escape(String(rest))
        return out
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
        ["b", "i", "em", "strong", "sub", "sup", "kbd", "mark", "small", "u", "s", "code", "details", "summary", "p", "div", "span"]
            .flatMap { [$0, "/" + $0] } + ["br", "br/", "br /", "hr", "hr/", "hr /"]
    )
}
