/// Prints a tree in a plain, readable form for messages:
/// `dE/dw_1 = -(t_1 - y_1) * h_1`, `pow(x, 2)`, `∂L(θ)/∂a_{i+1,m}`.
///
/// Ambiguous nodes print as their default reading (`x^2` as a power, `g(a)` as written).
///
/// ```swift
/// PlainPrinter.print(MathParser.parse(#"\frac{a}{b}"#).expression!)   // "a / b"
/// ```
public enum PlainPrinter {
    public static func print(_ expression: MathExpression) -> String {
        var out = ""
        write(expression, into: &out)
        return out
    }

    public static func print(_ statement: MathStatement) -> String {
        var parts: [String] = []
        if let left = statement.left { parts.append(print(left)) }
        for step in statement.steps {
            parts.append(step.relation.plain)
            parts.append(print(step.right))
        }
        let body = parts.joined(separator: " ")
        switch statement.role {
        case .claim: return body
        case .reason: return "because " + body
        case .conclusion: return "therefore " + body
        case .premise: return "where " + body
        }
    }

    private static func wrapped(_ expression: MathExpression, below minimum: Int, into out: inout String) {
        if plainPrecedence(expression) < minimum {
            out += "("
            write(expression, into: &out)
            out += ")"
        } else {
            write(expression, into: &out)
        }
    }

    /// Like `precedence`, but fractions print as `/` and so bind like products.
    private static func plainPrecedence(_ expression: MathExpression) -> Int {
        switch expression.kind {
        case .binary(.fraction, _, _): return 2
        case .binary(.implicitProduct, _, _): return 2
        case .derivative(let derivative) where !derivative.isOperatorForm: return 2
        case .call(let call) where call.bracket == nil: return call.power == nil ? 5 : 5
        default: return expression.precedence
        }
    }

    static func write(_ expression: MathExpression, into out: inout String) {
        switch expression.kind {
        case .number(let text): out += text
        case .symbol(let symbol): out += name(of: symbol)
        case .elided(let elision):
            switch elision {
            case .horizontal: out += "…"
            case .centered: out += "⋯"
            case .vertical: out += "⋮"
            case .diagonal: out += "⋱"
            }
        case .wildcard: out += "*"
        case .text(let text): out += text
        case .negation(let x):
            out += "-"
            wrapped(x, below: 2, into: &out)
        case .positive(let x):
            out += "+"
            wrapped(x, below: 2, into: &out)
        case .binary(let op, let lhs, let rhs):
            let spelling: String
            switch op {
            case .add: spelling = "+"
            case .subtract: spelling = "-"
            case .plusMinus: spelling = "±"
            case .implicitProduct, .cdot, .asterisk: spelling = "*"
            case .times: spelling = "×"
            case .slash, .fraction: spelling = "/"
            case .hadamard: spelling = "⊙"
            case .outer: spelling = "⊗"
            }
            let level = (op == .add || op == .subtract || op == .plusMinus) ? 1 : 2
            wrapped(lhs, below: level, into: &out)
            out += " \(spelling) "
            let rightLevel = (op == .add || op == .plusMinus || op.isProduct) && op != .implicitProduct ? level : level + 1
            wrapped(rhs, below: op == .implicitProduct ? 2 : rightLevel, into: &out)
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            if case .symbol(let symbol) = base.kind, symbol.name == "e", symbol.isBareLetter {
                out += "exp("
                write(exponent, into: &out)
                out += ")"
            } else {
                out += "pow("
                write(base, into: &out)
                out += ", "
                write(exponent, into: &out)
                out += ")"
            }
        case .subscripted(let base, let sub):
            wrapped(base, below: 6, into: &out)
            out += "_"
            wrapped(sub, below: 6, into: &out)
        case .transpose(let base):
            wrapped(base, below: 6, into: &out)
            out += "^T"
        case .prime(let base, let count):
            wrapped(base, below: 6, into: &out)
            out += String(repeating: "'", count: count)
        case .root(let x, let index):
            if let index {
                out += "root("
                write(index, into: &out)
                out += ", "
            } else {
                out += "sqrt("
            }
            write(x, into: &out)
            out += ")"
        case .group(let x, let bracket):
            let (open, close) = delimiters(bracket)
            out += open
            write(x, into: &out)
            out += close
        case .tuple(let items, let bracket):
            let (open, close) = delimiters(bracket)
            out += open + items.map(print).joined(separator: ", ") + close
        case .norm(let x):
            out += "‖"
            write(x, into: &out)
            out += "‖"
        case .absolute(let x):
            out += "|"
            write(x, into: &out)
            out += "|"
        case .call(let call) where call.name.hasPrefix("1[") && call.name.hasSuffix("]") && call.arguments.count == 2:
            // `\mathbb{1}(z > 0)`, kept as the call `1[>]`, reads as its comparison.
            let sign = call.name.dropFirst(2).dropLast()
            let shown = ["<=": "≤", ">=": "≥", "!=": "≠"][String(sign)] ?? String(sign)
            out += "1[" + print(call.arguments[0]) + " " + shown + " " + print(call.arguments[1]) + "]"
        case .call(let call):
            var head = call.name
            if let sub = call.subscriptExpression { head += "_" + subscriptText(sub) }
            head += "(" + call.arguments.map(print).joined(separator: ", ") + ")"
            if let power = call.power {
                out += "pow(\(head), \(print(power)))"
            } else {
                out += head
            }
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            wrapped(function, below: 5, into: &out)
            out += "(" + arguments.map(print).joined(separator: ", ") + ")"
        case .derivative(let derivative):
            writeDerivative(derivative, into: &out)
        case .nabla(let sub, let operand):
            out += "∇"
            if let sub { out += "_" + subscriptText(sub) }
            if let operand {
                out += " "
                write(operand, into: &out)
            }
        case .bigOperator(let big):
            out += big.operation == .sum ? "Σ" : "Π"
            if !big.indices.isEmpty || big.lowerBound != nil {
                var range = big.indices.map(print).joined(separator: ",")
                if let lower = big.lowerBound { range += (range.isEmpty ? "" : "=") + print(lower) }
                if let upper = big.upperBound { range += ".." + print(upper) }
                if let excluded = big.excluded { range += "≠" + print(excluded) }
                out += "_{\(range)}"
            } else if let upper = big.upperBound {
                out += "^{\(print(upper))}"
            }
            if let body = big.body {
                out += " "
                write(body, into: &out)
            }
        case .matrix(let matrix):
            out += "[" + matrix.rows.map { "[" + $0.map(print).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        case .uninterpretable(_, let tex):
            out += "?{\(tex)}"
        }
    }

    private static func writeDerivative(_ derivative: MathDerivative, into out: inout String) {
        let marker = derivative.isPartial ? "∂" : "d"
        let order = derivative.order > 1 ? "^\(derivative.order)" : ""
        var head = marker + order
        if !derivative.isOperatorForm, let operand = derivative.operand {
            var text = ""
            wrapped(operand, below: 5, into: &text)
            head += text
        }
        let variables = derivative.variables.map { variable -> String in
            var text = ""
            wrapped(variable, below: 5, into: &text)
            return marker + text
        }.joined(separator: " ")
        out += head + "/" + variables
        if derivative.isOperatorForm, let operand = derivative.operand {
            out += " "
            wrapped(operand, below: 3, into: &out)
        }
    }

    private static func subscriptText(_ sub: MathExpression) -> String {
        let text = print(sub)
        return sub.precedence >= 5 ? text : "{\(text)}"
    }

    private static func delimiters(_ bracket: MathBracket) -> (String, String) {
        switch bracket {
        case .parenthesis: ("(", ")")
        case .square: ("[", "]")
        case .brace: ("{", "}")
        case .angle: ("⟨", "⟩")
        }
    }

    /// `w_11`, `h_ij`, `W_{i+1,m,j}`, `ŷ`, `ℒ`, `δ_k`, `w^(2)`.
    static func name(of symbol: MathSymbol) -> String {
        var base = symbol.name
        if base.hasPrefix("\\operatorname{"), base.hasSuffix("}") {
            // A primed named function (`\operatorname{ReLU}'(z)`) is held under its TeX name.
            base = String(base.dropFirst("\\operatorname{".count).dropLast())
        } else if base.hasPrefix("\\") {
            let command = String(base.dropFirst())
            base = greekLetters[command] ?? command
        }
        switch symbol.style {
        case .calligraphic, .script:
            if base.count == 1, let letter = base.unicodeScalars.first, let script = scriptCapital(letter) { base = script }
        case .blackboard:
            let doubleStruck: [String: String] = ["R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼"]
            base = doubleStruck[base] ?? base
        default:
            break
        }
        for decoration in symbol.decorations {
            switch decoration {
            case .hat: base += "\u{0302}"
            case .bar: base += "\u{0304}"
            case .tilde: base += "\u{0303}"
            case .vector: base += "\u{20D7}"
            case .dot: base += "\u{0307}"
            case .doubleDot: base += "\u{0308}"
            case .check: base += "\u{030C}"
            case .breve: base += "\u{0306}"
            }
        }
        if !symbol.indices.isEmpty {
            let parts = symbol.indices.map { LaTeXPrinter.compactIndex(print($0)) }
            if parts.allSatisfy({ $0.count == 1 }) {
                base += "_" + parts.joined()
            } else {
                base += "_{" + parts.joined(separator: ",") + "}"
            }
        }
        if let label = symbol.label {
            if case .text(let text) = label.kind {
                base += "^" + text
            } else {
                base += "^(" + print(label) + ")"
            }
        }
        return base
    }

    private static func scriptCapital(_ letter: Unicode.Scalar) -> String? {
        let exceptions: [Unicode.Scalar: String] = [
            "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
        ]
        if let exception = exceptions[letter] { return exception }
        guard letter.value >= 65, letter.value <= 90, let scalar = Unicode.Scalar(0x1D49C + letter.value - 65) else { return nil }
        return String(scalar)
    }

    static let greekLetters: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
        "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
        "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "infty": "∞", "top": "⊤",
    ]
}
