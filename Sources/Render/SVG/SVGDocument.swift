/// An SVG figure being written: elements are appended to `body` with
/// coordinates at one decimal and every text escaped, and `svg(…)` wraps
/// them in an accessible root element (`role="img"`, `aria-label`,
/// `<title>`, optional `<desc>`) whose ids all start with a caller's prefix.
///
/// ```swift
/// var document = SVGDocument()
/// document.line(x1: 0, y1: 0, x2: 10, y2: 10, class: "nb-edge")
/// let svg = document.svg(width: 10, height: 10, idPrefix: "cell-3", title: "A line", className: "nb-network")
/// ```
package struct SVGDocument: Sendable, Equatable {
    package enum Anchor: String, Sendable { case start, middle, end }

    package private(set) var body: String

    package init(capacity: Int = 8192) {
        body = ""
        body.reserveCapacity(capacity)
    }

    /// Appends markup as it is; the caller has escaped it.
    package mutating func append(_ markup: String) { body += markup }

    /// Appends one coordinate (one decimal).
    package mutating func number(_ value: Double) { NumberFormat.appendCoordinate(value, to: &body) }

    package mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, class name: String, attributes: String = "") {
        body += "<line class=\"\(name)\" x1=\""
        number(x1); body += "\" y1=\""
        number(y1); body += "\" x2=\""
        number(x2); body += "\" y2=\""
        number(y2); body += "\"\(attributes)/>\n"
    }

    package mutating func circle(cx: Double, cy: Double, r: Double, class name: String, attributes: String = "") {
        body += "<circle class=\"\(name)\" cx=\""
        number(cx); body += "\" cy=\""
        number(cy); body += "\" r=\""
        number(r); body += "\"\(attributes)/>\n"
    }

    package mutating func rect(x: Double, y: Double, width: Double, height: Double, rx: Double = 0, class name: String, attributes: String = "") {
        body += "<rect class=\"\(name)\" x=\""
        number(x); body += "\" y=\""
        number(y); body += "\" width=\""
        number(max(0, width)); body += "\" height=\""
        number(max(0, height)); body += "\""
        if rx > 0 { body += " rx=\""; number(rx); body += "\"" }
        body += "\(attributes)/>\n"
    }

    /// A label in a note's notation (scripts as `<tspan>`s); `y` is the baseline.
    package mutating func text(_ label: MathLabel, x: Double, y: Double, fontSize: Double, anchor: Anchor = .middle, class name: String, attributes: String = "") {
        openText(x: x, y: y, fontSize: fontSize, anchor: anchor, class: name, attributes: attributes)
        body += label.svgText(fontSize: fontSize)
        body += "</text>\n"
    }

    /// Plain text, escaped; `y` is the baseline.
    package mutating func text(_ plain: String, x: Double, y: Double, fontSize: Double, anchor: Anchor = .middle, class name: String, attributes: String = "") {
        openText(x: x, y: y, fontSize: fontSize, anchor: anchor, class: name, attributes: attributes)
        body += HTML.escape(plain)
        body += "</text>\n"
    }

    private mutating func openText(x: Double, y: Double, fontSize: Double, anchor: Anchor, class name: String, attributes: String) {
        body += "<text class=\"\(name)\" x=\""
        number(x); body += "\" y=\""
        number(y); body += "\" font-size=\""
        number(fontSize); body += "\""
        if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
        body += "\(attributes)>"
    }

    /// The finished `<svg>` element. `title` is the accessible name
    /// (`aria-label` and `<title>`); `description` becomes `<desc>`; `defs`
    /// is markup for `<defs>` (markers), whose ids the caller derived from
    /// `SVGDocument.identifier(idPrefix)`.
    package func svg(width: Double, height: Double, idPrefix: String, title: String, description: String? = nil, className: String, defs: String = "") -> String {
        let id = Self.identifier(idPrefix)
        let title = HTML.escape(title)
        var out = ""
        out.reserveCapacity(body.utf8.count + defs.utf8.count + 600)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nb-diagram \(className)\" id=\"\(id)\" viewBox=\"0 0 "
        NumberFormat.appendCoordinate(width, to: &out)
        out += " "
        NumberFormat.appendCoordinate(height, to: &out)
        out += "\" width=\""
        NumberFormat.appendCoordinate(width, to: &out)
        out += "\" height=\""
        NumberFormat.appendCoordinate(height, to: &out)
        out += "\" role=\"img\" aria-label=\"\(title)\""
        if description != nil { out += " aria-describedby=\"\(id)-desc\"" }
        out += " font-family=\"system-ui, sans-serif\" fill=\"currentColor\">\n"
        out += "<title>\(title)</title>\n"
        if let description { out += "<desc id=\"\(id)-desc\">\(HTML.escape(description))</desc>\n" }
        if !defs.isEmpty { out += "<defs>\n\(defs)</defs>\n" }
        out += body
        out += "</svg>\n"
        return out
    }

    /// `prefix` made into a valid, safe id: letters, digits, `-` and `_`
    /// kept, anything else `-`, a letter first (`"3 cell"` → `"d3-cell"`).
    package static func identifier(_ prefix: String) -> String {
        var out = ""
        for scalar in prefix.unicodeScalars {
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            out.unicodeScalars.append(allowed ? scalar : "-")
        }
        if let first = out.unicodeScalars.first, first.properties.isAlphabetic { return out }
        return "d" + out
    }
}
