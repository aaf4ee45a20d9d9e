import Diagnostics

/// The brace list after a cell's language: ```` ```nb {#setup hide .wide timeout=5 title="A b"} ````.
struct CellAttributes {
    var id: String?
    var flags: [String] = []
    var attributes: [CodeCell.Attribute] = []
    var diagnostics: [Diagnostic] = []

    /// Parses `bytes[start..<end]`, the info string after the language word.
    static func parse(_ bytes: [UInt8], from start: Int, to end: Int, source: SourceFile) -> CellAttributes {
        var result = CellAttributes()
        var index = start
        skipSpaces(bytes, &index, end)
        guard index < end else { return result }
        guard bytes[index] == UInt8(ascii: "{") else {
            result.diagnostics.append(.warning(NotebookMessages.attributesOutsideBraces, at: source.range(from: index, to: end)))
            return result
        }
        let open = index
        index += 1
        while true {
            skipSpaces(bytes, &index, end)
            guard index < end else {
                result.diagnostics.append(.error(NotebookMessages.unterminatedAttributes, at: source.range(from: open, to: open + 1)))
                return result
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                skipSpaces(bytes, &index, end)
                if index < end {
                    result.diagnostics.append(.error(NotebookMessages.malformedAttribute("unexpected text after '}'"),
                                                     at: source.range(from: index, to: end)))
                }
                return result
            }
            let tokenStart = index
            let word = readWord(bytes, &index, end)
            if word.isEmpty {
                // A character that cannot start an attribute (`=`, a quote, `{`).
                result.diagnostics.append(.error(NotebookMessages.malformedAttribute("unexpected '\(String(decoding: [bytes[index]], as: UTF8.self))'"),
                                                 at: source.range(from: index, to: index + 1)))
                index += 1
                continue
            }
            if index < end, bytes[index] == UInt8(ascii: "=") {
                index += 1
                guard let value = readValue(bytes, &index, end) else {
                    result.diagnostics.append(.error(NotebookMessages.malformedAttribute("unterminated quoted value for '\(word)'"),
                                                     at: source.range(from: tokenStart, to: end)))
                    return result
                }
                if word.hasPrefix("#") || word.hasPrefix(".") {
                    result.diagnostics.append(.error(NotebookMessages.malformedAttribute("'\(word)' cannot take a value"),
                                                     at: source.range(from: tokenStart, to: index)))
                } else {
                    result.attributes.append(CodeCell.Attribute(key: word, value: value))
                }
                continue
            }
            if word.hasPrefix("#") {
                let name = String(word.dropFirst())
                if name.isEmpty {
                    result.diagnostics.append(.error(NotebookMessages.malformedAttribute("'#' needs a name"),
                                                     at: source.range(from: tokenStart, to: index)))
                } else if result.id != nil {
                    result.diagnostics.append(.error(NotebookMessages.duplicateCellID, at: source.range(from: tokenStart, to: index)))
                } else {
                    result.id = name
                }
            } else if word == "." {
                result.diagnostics.append(.error(NotebookMessages.malformedAttribute("'.' needs a class name"),
                                                 at: source.range(from: tokenStart, to: index)))
            } else {
                result.flags.append(word)
            }
        }
    }

    private static func skipSpaces(_ bytes: [UInt8], _ index: inout Int, _ end: Int) {
        while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    /// Letters, digits and `-_:.#` (plus any non-ASCII).
    private static func readWord(_ bytes: [UInt8], _ index: inout Int, _ end: Int) -> String {
        let start = index
        while index < end {
            let byte = bytes[index]
            let allowed = byte >= 0x80 || isLetter(byte) || isDigit(byte)
                || [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "#")].contains(byte)
            guard allowed else { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A bare value up to a space or `}`, or a `"…"`/`'…'` quoted one with `\"` escapes.
    private static func readValue(_ bytes: [UInt8], _ index: inout Int, _ end: Int) -> String? {
        guard index < end else { return "" }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            index += 1
            var value: [UInt8] = []
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\"), index + 1 < end, bytes[index + 1] == quote || bytes[index + 1] == UInt8(ascii: "\\") {
                    value.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == quote {
                    index += 1
                    return String(decoding: value, as: UTF8.self)
                }
                value.append(byte)
                index += 1
            }
            return nil
        }
        let start = index
        while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "}") { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }
}
