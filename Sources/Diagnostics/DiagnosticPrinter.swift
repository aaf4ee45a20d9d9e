/// Formats diagnostics like a compiler: the headline, the source line with
/// its number, and a caret with tildes under the span.
///
/// ```
/// notebooks/a.md:42:7: error: step does not hold: left 0.213, right -0.087
///    42 | $$ \frac{\partial y_2}{\partial w_{11}} = w_{21} x_1 $$
///       |    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
/// ```
public struct DiagnosticPrinter: Sendable {
    public var colored: Bool

    public init(colored: Bool) {
        self.colored = colored
    }

    /// Renders one diagnostic; `source` supplies the excerpt when it is the diagnostic's file.
    public func format(_ diagnostic: Diagnostic, source: SourceFile?) -> String {
        let start = diagnostic.range.start
        var out = paint("\(start): ", .bold)
        out += paint("\(diagnostic.severity.rawValue):", color(for: diagnostic.severity))
        out += paint(" \(diagnostic.message)", .bold)
        out += "\n"
        if let source, source.path == start.file, start.line >= 1, start.line <= source.lineCount {
            var lineText = source.lineText(start.line)
            var column = start.column
            var endColumnInLine = diagnostic.range.end.line == start.line ? diagnostic.range.end.column : Int.max
            // A very long line is shown as a window around the caret.
            let lineBytes = Array(lineText.utf8)
            if lineBytes.count > Self.excerptWidth {
                var from = max(0, column - 1 - Self.excerptWidth / 3)
                while from > 0, from < lineBytes.count, lineBytes[from] & 0xC0 == 0x80 { from -= 1 }
                var to = min(lineBytes.count, from + Self.excerptWidth)
                while to < lineBytes.count, lineBytes[to] & 0xC0 == 0x80 { to += 1 }
                let prefix = from > 0 ? "…" : ""
                lineText = prefix + String(decoding: lineBytes[from..<to], as: UTF8.self) + (to < lineBytes.count ? "…" : "")
                column = column - from + prefix.utf8.count
                endColumnInLine = min(endColumnInLine == Int.max ? Int.max : endColumnInLine - from + prefix.utf8.count, to - from + prefix.utf8.count + 1)
            }
            let number = String(start.line)
            let gutter = String(repeating: " ", count: max(4, number.count + 1))
            let padded = String(repeating: " ", count: gutter.count - number.count) + number
            out += "\(padded) | \(Self.printable(lineText))\n"
            let shownBytes = Array(lineText.utf8)
            let caretColumn = min(max(0, column - 1), shownBytes.count)
            // Columns are UTF-8 bytes; the caret is placed under characters.
            let lead = Self.displayWidth(of: shownBytes[0..<caretColumn])
            let endColumn: Int
            if endColumnInLine != Int.max {
                endColumn = min(max(caretColumn + 1, endColumnInLine - 1), shownBytes.count)
            } else {
                endColumn = shownBytes.count
            }
            let width = max(1, Self.displayWidth(of: shownBytes[caretColumn..<max(caretColumn, endColumn)]))
            let marker = "^" + String(repeating: "~", count: width - 1)
            out += "\(gutter) | " + String(repeating: " ", count: lead) + paint(marker, .green) + "\n"
        }
        for note in diagnostic.notes {
            out += "      = \(note)\n"
        }
        return out
    }

    /// The most bytes of a source line an excerpt shows.
    static let excerptWidth = 160

    /// Tabs become one space so the caret lines up; other control bytes are shown as `?`.
    static func printable(_ line: String) -> String {
        String(line.unicodeScalars.map { scalar -> Character in
            if scalar == "\t" { return " " }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "?" }
            return Character(scalar)
        })
    }

    static func displayWidth(of bytes: ArraySlice<UInt8>) -> Int {
        // Count characters, not bytes: every non-continuation byte starts one.
        bytes.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
    }

    private enum Style: String {
        case bold = "1", red = "1;31", magenta = "1;35", cyan = "1;36", green = "1;32"
    }

    private func color(for severity: Diagnostic.Severity) -> Style {
        switch severity {
        case .error: .red
        case .warning: .magenta
        case .note: .cyan
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        colored ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
