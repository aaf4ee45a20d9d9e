/// The note-wide rule for superscripts: which are layer labels (`w^L`, `h_1^2`)
/// rather than powers.
///
/// A superscript is a label when the same symbol with the same superscript is
/// differentiated with respect to (`\frac{\partial E}{\partial w^L}`), is the
/// subscript of a gradient (`\nabla_{h^2}`), or is defined (`w^L := …`) anywhere in
/// the note, or when its letter is the superscript of two or more families or is
/// shifted (`a^l`, `w^l`, `a^{l-1}`: layers). `% nb: labels w, h` and `% nb: powers x` (or the same in an
/// `<!-- nb: -->` comment passed as `annotations`) override it per symbol
/// family; `nb: labels *` makes every ambiguous superscript a label.
///
/// ```swift
/// let labels = SuperscriptLabels(inferringFrom: maths)
/// let tree = math.resolved(by: labels)
/// ```
public struct SuperscriptLabels: MathBindings, Sendable {
    /// Keys of symbols seen with a label (`w_{1,1}^{(2)}`).
    public private(set) var labeledKeys: Set<String> = []
    /// Per family key (`w`, `\mathcal{L}`), or `*` for all: `true` label, `false` power.
    public private(set) var overrides: [String: Bool] = [:]

    public init(inferringFrom maths: [ParsedMath], annotations: [String] = []) {
        for math in maths {
            for statement in math.statements {
                if let left = statement.left, statement.steps.first?.relation == .definition,
                   case .powerOrLabel(let base, let superscript) = left.kind, case .symbol(var symbol) = base.kind {
                    symbol.label = superscript
                    labeledKeys.insert(symbol.key)
                }
                for operand in statement.operands { collect(operand) }
            }
            for annotation in math.annotations { read(annotation.text) }
        }
        for annotation in annotations { read(annotation) }
        // A letter written as the superscript of two or more families (`a^l`, `w^l`, `b^l`), or
        // shifted (`a^{l-1}`), counts layers: the same letter as a power of unrelated symbols is rare.
        for (letter, families) in superscriptFamilies where families.count >= 2 || shiftedLetters.contains(letter) {
            labelLetters.insert(letter)
        }
    }

    /// Letters that label layers wherever they are a superscript (`l` in `a^l_j`, `w^{l+1}`).
    public private(set) var labelLetters: Set<String> = []
    private var superscriptFamilies: [String: Set<String>] = [:]
    private var shiftedLetters: Set<String> = []

    /// The letter a superscript counts with: `l` in `l`, `l+1`, `l - 1`; nil for anything else.
    static func layerLetter(_ superscript: MathExpression) -> (letter: String, shifted: Bool)? {
        switch superscript.kind {
        case .symbol(let symbol) where symbol.indices.isEmpty && symbol.label == nil && symbol.decorations.isEmpty:
            return symbol.name == "T" ? nil : (symbol.name, false)
        case .binary(let op, let lhs, let rhs) where op == .add || op == .subtract:
            guard case .symbol(let symbol) = lhs.kind, symbol.indices.isEmpty, case .number = rhs.kind else { return nil }
            return (symbol.name, true)
        default:
            return nil
        }
    }

    private mutating func collect(_ expression: MathExpression) {
        expression.forEachNode { node in
            switch node.kind {
            case .powerOrLabel(let base, let superscript):
                if case .symbol(let symbol) = base.kind, let (letter, shifted) = Self.layerLetter(superscript) {
                    superscriptFamilies[letter, default: []].insert(symbol.familyKey)
                    if shifted { shiftedLetters.insert(letter) }
                }
            case .derivative(let derivative):
                for variable in derivative.variables {
                    if case .symbol(let symbol) = variable.kind, symbol.label != nil { labeledKeys.insert(symbol.key) }
                }
            case .nabla(let sub?, _):
                if case .symbol(let symbol) = sub.kind, symbol.label != nil { labeledKeys.insert(symbol.key) }
                if case .powerOrLabel(let base, let superscript) = sub.kind, case .symbol(var symbol) = base.kind {
                    symbol.label = superscript
                    labeledKeys.insert(symbol.key)
                }
            default: break
            }
        }
    }

    /// `labels w, h` / `label: w` / `powers x` / `superscripts are labels`.
    private mutating func read(_ annotation: String) {
        let words = annotation.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ":" }).map(String.init)
        guard let first = words.first?.lowercased() else { return }
        if first == "superscripts", words.count >= 3 {
            let kind = words[words.count - 1].lowercased()
            if kind.hasPrefix("label") { overrides["*"] = true }
            if kind.hasPrefix("power") { overrides["*"] = false }
            return
        }
        let value: Bool
        if first == "label" || first == "labels" { value = true }
        else if first == "power" || first == "powers" { value = false }
        else { return }
        for name in words.dropFirst() {
            overrides[Self.familyKey(of: name)] = value
        }
    }

    /// `w`, `\mathcal{L}`, `W^{(l)}` → the family key as `MathSymbol.familyKey` spells it.
    private static func familyKey(of name: String) -> String {
        if name == "*" { return "*" }
        if case .symbol(let symbol)? = MathParser.parse(name).expression?.kind { return symbol.familyKey }
        if case .powerOrLabel(let base, _)? = MathParser.parse(name).expression?.kind,
           case .symbol(let symbol) = base.kind { return symbol.familyKey }
        return name
    }

    public func isLabel(_ superscript: MathExpression, on symbol: MathSymbol) -> Bool? {
        if let override = overrides[symbol.familyKey] ?? overrides["*"] { return override }
        var labeled = symbol
        labeled.label = superscript
        if labeledKeys.contains(labeled.key) { return true }
        if let (letter, _) = Self.layerLetter(superscript), labelLetters.contains(letter) { return true }
        return nil
    }
}
