/// The checker's plain forms (`∂E/∂w_1`, `-(t_1 - y_1) * h_{ij}`) as HTML
/// text: subscripts and superscripts as `<sub>`/`<sup>`, minus signs as `−`,
/// everything else escaped.
///
/// ```swift
/// PlainMath.html("∂E/∂w_1")        // "∂E/∂w<sub>1</sub>"
/// PlainMath.html("∂J/∂W^(2)")      // "∂J/∂W<sup>(2)</sup>"
/// PlainMath.typographic("-0.2315")  // "−0.2315"
/// ```
enum PlainMath {
    static func html(_ plain: String) -> String {
        var out = ""
        out.reserveCapacity(plain.utf8.count + 16)
        let characters = Array(typographic(plain))
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if (character == "_" || character == "^") && index + 1 < characters.count {
                let tag = character == "_" ? "sub" : "sup"
                var body: [Character] = []
                var next = index + 1
                if characters[next] == "{" {
                    var depth = 1
                    next += 1
                    while next < characters.count {
                        if characters[next] == "{" { depth += 1 }
                        if characters[next] == "}" { depth -= 1; if depth == 0 { break } }
                        body.append(characters[next])
                        next += 1
                    }
                    next += 1
                } else if characters[next] == "(" {
                    // A layer label in brackets (`Z^(2)`, `a^(l - 1)`): the whole group, brackets included.
                    var depth = 0
                    while next < characters.count {
                        body.append(characters[next])
                        if characters[next] == "(" { depth += 1 }
                        if characters[next] == ")" { depth -= 1 }
                        next += 1
                        if depth == 0 { break }
                    }
                } else {
                    // A run of letters and digits (`h_ij`, `w_1`), or one character.
                    while next < characters.count, characters[next].isLetter || characters[next].isNumber {
                        body.append(characters[next])
                        next += 1
                    }
                    if body.isEmpty { body.append(characters[next]); next += 1 }
                }
                out += "<\(tag)>\(html(String(body)))</\(tag)>"
                index = next
                continue
            }
            out += HTML.escape(String(character))
            index += 1
        }
        return out
    }

    /// Every `-` becomes `−` (U+2212), except in exponent notation (`1e-5`).
    static func typographic(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "-")) else { return text }
        let characters = Array(text)
        var out = ""
        for (index, character) in characters.enumerated() {
            let isExponent = index >= 2 && (characters[index - 1] == "e" || characters[index - 1] == "E")
                && characters[index - 2].isNumber
            out.append(character == "-" && !isExponent ? "−" : character)
        }
        return out
    }
}
