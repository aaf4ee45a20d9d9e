import Diagnostics

/// The identity of a variable: its letter, font, decorations, indices and
/// layer label, so that `w_{11}^{(2)}` written twice is the same symbol.
///
/// ```swift
/// let expr = MathParser.parse("h_{ij}").expression
/// if case .symbol(let h)? = expr?.kind { h.key }   // "h_{i,j}"
/// ```
public struct MathSymbol: Sendable, Equatable {
    /// How the letter is drawn; part of the identity (`\mathbf{x}` is not `x`).
    public enum Style: String, Sendable, Equatable, CaseIterable {
        case normal = ""
        case bold = "\\mathbf"
        case calligraphic = "\\mathcal"
        case script = "\\mathscr"
        case blackboard = "\\mathbb"
        case roman = "\\mathrm"
        case sansSerif = "\\mathsf"
        case fraktur = "\\mathfrak"
        case italic = "\\mathit"
        case typewriter = "\\mathtt"
    }

    /// Accents, innermost first; part of the identity (`\hat y` is not `y`).
    public enum Decoration: String, Sendable, Equatable, CaseIterable {
        case hat = "\\hat"
        case bar = "\\bar"
        case tilde = "\\tilde"
        case vector = "\\vec"
        case dot = "\\dot"
        case doubleDot = "\\ddot"
        case check = "\\check"
        case breve = "\\breve"
    }

    /// The letter as TeX: `w`, `\delta`, `L`, or a multi-letter name from `\mathrm{ReLU}`.
    public var name: String
    public var style: Style
    public var decorations: [Decoration]
    /// Index expressions: `h_{ij}` → `[i, j]`, `W_{i+1,m,j}` → `[i+1, m, j]`.
    public var indices: [MathExpression]
    /// A superscript naming a layer rather than a power: `W^{(l)}`, or `w^L` once resolved.
    public var label: MathExpression?

    public init(name: String, style: Style = .normal, decorations: [Decoration] = [],
                indices: [MathExpression] = [], label: MathExpression? = nil) {
        self.name = name
        self.style = style
        self.decorations = decorations
        self.indices = indices
        self.label = label
    }

    /// A stable string naming this symbol, equal for every occurrence:
    /// `w_{1,1}^{(2)}`, `\hat{y}`, `\mathcal{L}`, `W_{i+1,*,j}`.
    public var key: String {
        var out = familyKey
        if !indices.isEmpty {
            out += "_{" + indices.map { LaTeXPrinter.compactIndex(LaTeXPrinter.print($0)) }.joined(separator: ",") + "}"
        }
        if let label {
            out += "^{(" + LaTeXPrinter.printLabel(label) + ")}"
        }
        return out
    }

    /// The key without indices or label: what `h_{ij}` and `h_{i1}` share.
    public var familyKey: String {
        var out = name
        if style != .normal { out = "\(style.rawValue){\(out)}" }
        for decoration in decorations { out = "\(decoration.rawValue){\(out)}" }
        return out
    }

    /// The symbol without its label (the base of a `powerOrLabel`).
    public var withoutLabel: MathSymbol {
        var copy = self
        copy.label = nil
        return copy
    }

    /// Whether this is a bare one-letter name (no font, accents, indices or label).
    var isBareLetter: Bool {
        style == .normal && decorations.isEmpty && indices.isEmpty && label == nil
    }
}
