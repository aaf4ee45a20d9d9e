import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

/// `\nbvalue{expr}` and `\nbvalue[.3f]{expr}` inside math: the value of `expr`
/// at the first draw, put into the page by the renderer.
struct InsertedValueCommand {
    /// File offsets of the whole command.
    var start: Int
    var end: Int
    var format: String?
    var argument: String
    /// File offset of the argument's first byte.
    var argumentStart: Int

    /// Every command in a piece of math, in order.
    static func find(in cell: MathCell) -> [InsertedValueCommand] {
        let bytes = Array(cell.tex.utf8)
        let name = Array("\\nbvalue".utf8)
        var found: [InsertedValueCommand] = []
        var index = 0
        while index + name.count <= bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"), Array(bytes[index..<(index + name.count)]) == name,
                  index + name.count == bytes.count || !Character(UnicodeScalar(bytes[index + name.count])).isLetter else {
                index += 1
                continue
            }
            var cursor = index + name.count
            var format: String?
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "[") {
                guard let close = bytes[cursor...].firstIndex(of: UInt8(ascii: "]")) else { break }
                format = String(decoding: bytes[(cursor + 1)..<close], as: UTF8.self)
                cursor = close + 1
            }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{") else { index = cursor; continue }
            var depth = 0
            var end = cursor
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "{") { depth += 1 }
                if bytes[end] == UInt8(ascii: "}") { depth -= 1; if depth == 0 { break } }
                end += 1
            }
            guard end < bytes.count else { break }
            let base = cell.contentRange.start.offset
            found.append(InsertedValueCommand(
                start: base + index, end: base + end + 1, format: format,
                argument: String(decoding: bytes[(cursor + 1)..<end], as: UTF8.self), argumentStart: base + cursor + 1
            ))
            index = end + 1
        }
        return found
    }

    /// printf-style: `.3f`, `.2e`, `.4g`, `f`.
    static func format(_ value: Double, _ format: String?) -> String? {
        guard let format else { return nil }
        let allowed = format.range(of: #"^\.?[0-9]{0,2}[feg]$"#, options: .regularExpression) != nil
        guard allowed else { return nil }
        return String(format: "%" + format, value).replacingOccurrences(of: "-", with: "−")
    }
}
