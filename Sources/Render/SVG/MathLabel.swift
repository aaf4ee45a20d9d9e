/// A short label in a note's own notation — `w_{11}^2`, `h_1`, `\hat{y}`,
/// `\sigma'` — read as runs of baseline, subscript and superscript text, so
/// that SVG can draw it with shifted `<tspan>`s and HTML with `<sub>`/`<sup>`.
/// Only the little TeX a label needs is understood: `_`, `^`, braces, Greek
/// letters, a few symbols and accents; anything else shows as typed.
///
/// ```swift
/// let label = MathLabel("w_{11}^2")
/// label.plainText   // "w₁₁²"
/// label.html        // "w<sub>11</sub><sup>2</sup>"
/// label.svgText(fontSize: 12) // "w<tspan dy=\"3.6\" font-size=\"9\">11</tspan>…"
/// ```
package struct MathLabel: Sendable, Equatable {
    package enum Position: Sendable, Equatable { case baseline, `subscript`, superscript }

    package struct Run: Sendable, Equatable {
        package var text: String
        package var position: Position
    }

    package let runs: [Run]

    package init(_ source: String) {
        var parser = Parser(scalars: Array(source.unicodeScalars))
        runs = parser.parse()
    }

    init(_ runs: [Run]) { self.runs = runs }

    package var isEmpty: Bool { runs.isEmpty }

    /// The label as one line of text for `aria-label`, `<title>` and tooltips:
    /// Unicode sub- and superscripts where they exist (`w₁₁²`), else `_`/`^`.
    package var plainText: String {
        var out = ""
        for run in runs {
            switch run.position {
            case .baseline: out += run.text
            case .subscript: out += Self.scripted(run.text, map: Self.subscripts, marker: "_")
            case .superscript: out += Self.scripted(run.text, map: Self.superscripts, marker: "^")
            }
        }
        return out
    }

    /// Escaped HTML with `<sub>` and `<sup>`.
    package var html: String {
        var out = ""
        for run in runs {
            switch run.position {
            case .baseline: out += HTML.escape(run.text)
            case .subscript: out += "<sub>" + HTML.escape(run.text) + "</sub>"
            case .superscript: out += "<sup>" + HTML.escape(run.text) + "</sup>"
            }
        }
        return out
    }

    /// Escaped content for an SVG `<text>` of `fontSize`: scripts are
    /// `<tspan>`s at 75 % size shifted with `dy` (which every renderer
    /// supports, unlike `baseline-shift`), and the baseline is restored after.
    package func svgText(fontSize: Double) -> String {
        var out = ""
        var shift = 0.0
        let small = fontSize * 0.75
        // A superscript right after a subscript stacks above it, and the other
        // way round (w₁₁² as TeX sets it): the second moves back by the first's
        // width, and what follows moves on past the longer of the two.
        var pendingAdvance = 0.0
        for (index, run) in runs.enumerated() {
            let target: Double
            switch run.position {
            case .baseline: target = 0
            case .subscript: target = fontSize * 0.3
            case .superscript: target = -fontSize * 0.4
            }
            var dx = pendingAdvance
            pendingAdvance = 0
            if index > 0, Self.stacks(runs[index - 1], run) {
                let firstWidth = MathLabel([runs[index - 1]]).estimatedWidth(fontSize: fontSize)
                let secondWidth = MathLabel([run]).estimatedWidth(fontSize: fontSize)
                dx -= firstWidth
                pendingAdvance = max(0, firstWidth - secondWidth)
            }
            if target == shift && dx == 0 && run.position == .baseline {
                out += HTML.escape(run.text)
                continue
            }
            out += "<tspan"
            if dx != 0 {
                out += " dx=\""
                NumberFormat.appendCoordinate(dx, to: &out)
                out += "\""
            }
            if target != shift {
                out += " dy=\""
                NumberFormat.appendCoordinate(target - shift, to: &out)
                out += "\""
            }
            if run.position != .baseline {
                out += " font-size=\""
                NumberFormat.appendCoordinate(small, to: &out)
                out += "\""
            }
            out += ">" + HTML.escape(run.text) + "</tspan>"
            shift = target
        }
        return out
    }

    /// A rough width in user units for layout (no font metrics available):
    /// 0.6 em per character, scripts at 75 %, combining marks free.
    package func estimatedWidth(fontSize: Double) -> Double {
        var width = 0.0
        var previous: (Position, Double)?
        for run in runs {
            let scale = run.position == .baseline ? 1.0 : 0.75
            var count = 0
            for scalar in run.text.unicodeScalars where !(0x300...0x36F).contains(scalar.value) && !(0x20D0...0x20FF).contains(scalar.value) {
                count += 1
            }
            let runWidth = Double(count) * 0.6 * fontSize * scale
            if let (position, firstWidth) = previous, Self.stacks(Run(text: "", position: position), run) {
                width += max(0, runWidth - firstWidth) // stacked with the script before
            } else {
                width += runWidth
            }
            previous = (run.position, runWidth)
        }
        return width
    }

    /// Whether `second` is set over or under `first` rather than after it.
    private static func stacks(_ first: Run, _ second: Run) -> Bool {
        (first.position == .subscript && second.position == .superscript) || (first.position == .superscript && second.position == .subscript)
    }

    private static func scripted(_ text: String, map: [Unicode.Scalar: Unicode.Scalar], marker: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            guard let mapped = map[scalar] else {
                return marker + (text.unicodeScalars.count == 1 ? text : "{" + text + "}")
            }
            out.unicodeScalars.append(mapped)
        }
        return out
    }

    private static let subscripts: [Unicode.Scalar: Unicode.Scalar] = zipped(
        "0123456789+-=()aehijklmnoprstuvx\u{2212}",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₋"
    )
    private static let superscripts: [Unicode.Scalar: Unicode.Scalar] = zipped(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzT\u{2212}*'",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ⁻*′"
    )

    private static func zipped(_ from: String, _ to: String) -> [Unicode.Scalar: Unicode.Scalar] {
        Dictionary(zip(from.unicodeScalars, to.unicodeScalars), uniquingKeysWith: { first, _ in first })
    }

    /// A tiny recursive-descent reader of the label syntax.
    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var runs: [Run] = []

        mutating func parse() -> [Run] {
            readSequence(position: .baseline, untilBrace: false)
            return runs
        }

        private mutating func emit(_ text: String, _ position: Position) {
            guard !text.isEmpty else { return }
            if let last = runs.last, last.position == position {
                runs[runs.count - 1].text += text
            } else {
                runs.append(Run(text: text, position: position))
            }
        }

        private mutating func readSequence(position: Position, untilBrace: Bool) {
            while index < scalars.count {
                let scalar = scalars[index]
                switch scalar {
                case "}":
                    index += 1
                    if untilBrace { return }
                case "{":
                    index += 1
                    readSequence(position: position, untilBrace: true)
                case "_", "^":
                    index += 1
                    // Scripts of scripts are flattened to one level.
                    let script: Position = position != .baseline ? position : (scalar == "_" ? .subscript : .superscript)
                    readArgument(position: script)
                case "'":
                    index += 1
                    emit("′", position)
                case "-":
                    index += 1
                    emit("\u{2212}", position) // a minus sign, as math typesetting has it
                case "\\":
                    readCommand(position: position)
                default:
                    index += 1
                    emit(String(scalar), position)
                }
            }
        }

        /// One character, one command, or a braced group.
        private mutating func readArgument(position: Position) {
            guard index < scalars.count else { return }
            switch scalars[index] {
            case "{":
                index += 1
                readSequence(position: position, untilBrace: true)
            case "\\":
                readCommand(position: position)
            default:
                emit(String(scalars[index]), position)
                index += 1
            }
        }

        private mutating func readCommand(position: Position) {
            index += 1 // the backslash
            var name = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic, scalars[index].isASCII {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            if name.isEmpty {
                // `\,` `\;` `\ ` are spaces; `\{` and friends are the character.
                guard index < scalars.count else { emit("\\", position); return }
                let next = scalars[index]
                index += 1
                emit([",", ";", ":", " ", "!"].contains(next) ? (next == "!" ? "" : " ") : String(next), position)
                return
            }
            // As in TeX, spaces after a control word are not text.
            while index < scalars.count, scalars[index] == " " { index += 1 }
            if let accent = MathLabel.accents[name] {
                let before = runs
                readArgument(position: position)
                // The combining mark goes after the accented argument (`\hat{y}` → ŷ).
                if runs != before, !runs.isEmpty {
                    runs[runs.count - 1].text.unicodeScalars.append(accent)
                }
                return
            }
            if ["mathrm", "mathit", "mathbf", "text", "operatorname", "boldsymbol", "mathsf"].contains(name) {
                readArgument(position: position)
                return
            }
            if ["left", "right", "displaystyle"].contains(name) { return }
            if MathLabel.operators.contains(name) {
                // `\tanh x` → "tanh x": an operator name keeps a space before its argument.
                let next = index < scalars.count ? scalars[index] : "("
                emit(name + (next.properties.isAlphabetic || next == "\\" || ("0"..."9").contains(next) ? " " : ""), position)
                return
            }
            emit(MathLabel.symbols[name] ?? name, position)
        }
    }

    private static let accents: [String: Unicode.Scalar] = [
        "hat": "\u{0302}", "widehat": "\u{0302}", "bar": "\u{0304}", "overline": "\u{0305}",
        "tilde": "\u{0303}", "widetilde": "\u{0303}", "vec": "\u{20D7}", "dot": "\u{0307}", "ddot": "\u{0308}",
    ]

    private static let operators: Set<String> = [
        "sin", "cos", "tan", "tanh", "sinh", "cosh", "exp", "log", "ln", "max", "min", "softmax", "relu", "ReLU", "det", "arg", "argmax", "argmin",
    ]

    private static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
        "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
        "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
        "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "partial": "∂", "nabla": "∇", "cdot": "·", "times": "×", "prime": "′", "ell": "ℓ",
        "infty": "∞", "to": "→", "rightarrow": "→", "sum": "Σ", "prod": "Π", "odot": "⊙",
        "top": "⊤", "intercal": "⊤", "ldots": "…", "cdots": "⋯", "pm": "±", "leq": "≤", "geq": "≥",
    ]
}
