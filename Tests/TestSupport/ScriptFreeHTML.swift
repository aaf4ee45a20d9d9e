import Foundation

/// What a page must never contain for a note's content to be harmless in a
/// browser: a script element, an event-handler attribute, a URL with a script
/// or data scheme, an element that loads or navigates elsewhere (iframe,
/// object, embed, form, base, meta refresh), or a style that loads something.
/// Tags are read the way a browser tokenizes them, entities in attribute
/// values decoded, so `&#106;avascript:` and ` java\tscript:` count too.
/// Shared by the Render and Site tests (the TestSupport target).
package struct ScriptFreeHTML {
    package struct Tag: Equatable {
        package var name: String
        package var attributes: [(name: String, value: String)]
        package static func == (a: Tag, b: Tag) -> Bool { a.name == b.name && a.attributes.map(\.name) == b.attributes.map(\.name) }
    }

    /// Every problem found, as short descriptions (empty: the page is safe).
    package static func problems(in html: String, allowedScripts: Set<String> = []) -> [String] {
        var problems: [String] = []
        for tag in tags(in: html) {
            switch tag.name {
            case "script":
                let source = tag.attributes.first { $0.name == "src" }?.value ?? "(inline)"
                if !allowedScripts.contains(source), !isThemeScript(source) { problems.append("<script> \(source)") }
            case "iframe", "frame", "object", "embed", "form", "base", "style", "applet", "portal":
                problems.append("<\(tag.name)>")
            case "meta" where tag.attributes.contains { $0.name == "http-equiv" }:
                problems.append("<meta http-equiv>")
            case "link" where !(tag.attributes.contains { $0.name == "rel" && $0.value == "stylesheet" }):
                problems.append("<link> that is not a stylesheet")
            default:
                break
            }
            for (name, value) in tag.attributes {
                if name.hasPrefix("on") { problems.append("\(name)= on <\(tag.name)>") }
                if ["href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster", "background"].contains(name),
                   isScriptURL(value) {
                    problems.append("\(name)=\"\(value)\" on <\(tag.name)>")
                }
                if name == "style", value.lowercased().contains("url(") || value.lowercased().contains("expression(") {
                    problems.append("style with \(value)")
                }
            }
        }
        return problems
    }

    /// The theme's own copy button (`copy.js` in the page's asset folder), which pages with code load.
    package static func isThemeScript(_ source: String) -> Bool {
        source.wholeMatch(of: /(\.\.\/)*(_assets\/)?copy\.js/) != nil || source.wholeMatch(of: /(\/[A-Za-z0-9_.-]+)*\/_assets\/copy\.js/) != nil
    }

    /// A URL a browser would run or treat as inline content, after the browser's own clean-up
    /// (leading spaces and controls dropped, tabs and newlines removed anywhere).
    package static func isScriptURL(_ value: String) -> Bool {
        let cleaned = String(value.unicodeScalars.filter { $0.value > 0x20 }.map(Character.init)).lowercased()
        return ["javascript:", "vbscript:", "data:", "livescript:"].contains { cleaned.hasPrefix($0) }
    }

    /// Start tags with their attributes; comments, text and end tags are skipped.
    package static func tags(in html: String) -> [Tag] {
        let bytes = Array(html.utf8)
        var tags: [Tag] = []
        var index = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            if bytes[index...].starts(with: Array("<!--".utf8)) {
                var end = index + 4
                while end < bytes.count, !bytes[end...].starts(with: Array("-->".utf8)) { end += 1 }
                index = end + 3
                continue
            }
            var cursor = index + 1
            guard cursor < bytes.count, (bytes[cursor] >= UInt8(ascii: "a") && bytes[cursor] <= UInt8(ascii: "z"))
                || (bytes[cursor] >= UInt8(ascii: "A") && bytes[cursor] <= UInt8(ascii: "Z")) else { index += 1; continue }
            var name = ""
            while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "/") {
                name.append(Character(UnicodeScalar(bytes[cursor]))); cursor += 1
            }
            var attributes: [(String, String)] = []
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ">") {
                if isSpace(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "/") { cursor += 1; continue }
                var attribute = [UInt8]()
                while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: "="), bytes[cursor] != UInt8(ascii: ">") {
                    attribute.append(bytes[cursor]); cursor += 1
                }
                var value = [UInt8]()
                while cursor < bytes.count, isSpace(bytes[cursor]) { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < bytes.count, isSpace(bytes[cursor]) { cursor += 1 }
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                        let quote = bytes[cursor]; cursor += 1
                        while cursor < bytes.count, bytes[cursor] != quote { value.append(bytes[cursor]); cursor += 1 }
                        cursor += 1
                    } else {
                        while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">") { value.append(bytes[cursor]); cursor += 1 }
                    }
                }
                if !attribute.isEmpty {
                    attributes.append((String(decoding: attribute, as: UTF8.self).lowercased(), decodeEntities(String(decoding: value, as: UTF8.self))))
                }
            }
            tags.append(Tag(name: name.lowercased(), attributes: attributes))
            index = cursor + 1
        }
        return tags
    }

    package static func decodeEntities(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            let entity = after.prefix { $0 != ";" && $0 != "&" && $0 != " " }
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t", "newline": "\n"]
            var decoded: String?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init).map { String(Character($0)) }
            } else if entity.hasPrefix("#") {
                decoded = UInt32(entity.dropFirst()).flatMap(UnicodeScalar.init).map { String(Character($0)) }
            } else {
                decoded = named[entity.lowercased()]
            }
            if let decoded {
                out += decoded
                rest = after.dropFirst(entity.count)
                if rest.first == ";" { rest = rest.dropFirst() }
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
