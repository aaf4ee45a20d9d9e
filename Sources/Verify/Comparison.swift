import Backprop

/// Whether two values agree: same shape, and at every element
/// |a − b| ≤ tolerance·max(|a|, |b|) + 1e−12·S, with S the largest magnitude
/// on either side (and 1e−12 more against an exact 0). NaN or infinity never agrees.
struct Comparison {
    var holds: Bool
    var shapeMessage: String?

    init(_ left: Tensor, _ right: Tensor, relativeTolerance: Double) {
        let a = left.shape
        let b = right.shape
        // A number, a 1-vector and a 1×1 matrix are the same thing here.
        guard a.rows == b.rows && a.columns == b.columns || a.count == 1 && b.count == 1 else {
            holds = false
            shapeMessage = VerifyMessages.shapesDiffer(a, b)
            return
        }
        // The largest magnitude on either side, without joining them: two 256×784 sides would
        // otherwise be copied into a 3 MB array and again into its magnitudes at every draw.
        var scale = 0.0
        for value in left.scalars { scale = Swift.max(scale, Swift.abs(value)) }
        for value in right.scalars { scale = Swift.max(scale, Swift.abs(value)) }
        // Against an exact 0 (`\sum_i \frac{\partial p_i}{\partial z_j} = 0`) the other side's own size is
        // only what cancellation left: rounding below 1e-12 of the drawn values' order (1) is 0.
        let againstZero = left.scalars.allSatisfy { $0 == 0 } || right.scalars.allSatisfy { $0 == 0 }
        let floor = againstZero ? 1e-12 : 0
        holds = zip(left.scalars, right.scalars).allSatisfy { x, y in
            guard x.isFinite, y.isFinite else { return false }
            return Swift.abs(x - y) <= relativeTolerance * Swift.max(Swift.abs(x), Swift.abs(y)) + 1e-12 * scale + floor
        }
        shapeMessage = nil
    }
}

/// Numbers for people: four significant digits, short vectors in full, long ones elided.
enum ValueFormat {
    static func text(_ tensor: Tensor) -> String {
        if tensor.shape.count == 1, let value = tensor.scalars.first { return number(value) }
        if tensor.shape.rank == 2 && tensor.shape.columns > 1 {
            let rows = (0..<min(tensor.shape.rows, 4)).map { row in
                let entries = (0..<min(tensor.shape.columns, 4)).map { number(tensor.scalars[row * tensor.shape.columns + $0]) }
                return "[" + entries.joined(separator: ", ") + (tensor.shape.columns > 4 ? ", …" : "") + "]"
            }
            return "[" + rows.joined(separator: ", ") + (tensor.shape.rows > 4 ? ", …" : "") + "] (\(tensor.shape.rows)×\(tensor.shape.columns))"
        }
        let shown = tensor.scalars.prefix(6).map(number)
        return "[" + shown.joined(separator: ", ") + (tensor.scalars.count > 6 ? ", … (\(tensor.scalars.count))" : "") + "]"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        if value == 0 { return "0" }
        if value == value.rounded(), Swift.abs(value) < 1e6 { return String(Int(value)) }
        let magnitude = Swift.abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let digits = max(0, 3 - Int(magnitude.log10Floor))
            return trimmed(printed(value, digits: digits, style: "f"))
        }
        return printed(value, digits: 3, style: "e")
    }

    /// C's `%.{digits}f` / `%.{digits}e`: what `String(format:)` gives, without Foundation's
    /// formatter, which dominated pages that show thousands of values.
    static func printed(_ value: Double, digits: Int, style: Character) -> String {
        let format = "%.\(min(max(digits, 0), 17))" + String(style)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buffer in
            let count = withVaList([value]) { vsnprintf(buffer.baseAddress, 352, format, $0) }
            guard count > 0, count < 352 else { return String(describing: value) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(count)), as: UTF8.self)
        }
    }

    /// Input names as the note would write them: `w^{2}[1,1]` → `w_{1,1}^{2}`.
    static func name(_ key: String) -> String {
        guard let open = key.firstIndex(of: "["), key.hasSuffix("]") else { return key }
        let base = key[..<open]
        let indices = key[key.index(after: open)..<key.index(before: key.endIndex)]
        if let caret = base.firstIndex(of: "^") {
            return "\(base[..<caret])_{\(indices)}\(base[caret...])"
        }
        return "\(base)_{\(indices)}"
    }

    private static func trimmed(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: ".")) else { return text }
        var out = text
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return out
    }
}

import Foundation

private extension Double {
    var log10Floor: Double { Foundation.floor(Foundation.log10(self)) }
}
