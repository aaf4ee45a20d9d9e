import Backprop
import Diagnostics
import MathSyntax

/// What a name means at one point of a note: definitions in force, functions,
/// literal values, and the declared network. Later definitions replace earlier
/// ones from where they stand; definitions are evaluated where they are used.
struct Scope: Sendable {
    struct Definition: Sendable {
        /// Index variables of an indexed definition (`p_i = …` has `["i"]`).
        var indexParameters: [String] = []
        /// Parameters of a function definition (`\sigma(z) = …` has the key of `z`).
        var parameters: [String] = []
        /// The parameters as written, where they are symbols (`x^{(i)}` read as `x_i`).
        var parameterSymbols: [MathSymbol] = []
        var body: MathExpression
        var range: SourceRange
        /// The keys of the symbols the body mentions, to tell a redefinition from a restatement.
        var mentions: Set<String>
        /// Made with `\equiv` or `:=`: the note's own definition, which a later `=` never replaces.
        var isDeclared = false
    }

    /// Scalar symbols by concrete key (`w[1,1]^{(2)}`).
    var symbols: [String: Definition] = [:]
    /// Indexed definitions by family key (`p` for `p_i = …`).
    var families: [String: Definition] = [:]
    /// Functions by base key (`\sigma`).
    var functions: [String: Definition] = [:]
    /// Values set in cells (`let x = -4`), by concrete key.
    var literals: [String: Tensor] = [:]
    var network: NetworkModel?
    /// Families drawn as one-hot vectors (`% nb: one-hot y`).
    var oneHot: Set<String> = []
    /// Families some of whose members are defined one by one (`y_1 = …`).
    var memberFamilies: Set<String> = []

    func isBound(_ key: String) -> Bool {
        symbols[key] != nil || literals[key] != nil
    }
}

extension MathSymbol {
    /// The name with its style and decorations, without indices or label: `h`, `\hat{y}`, `\mathcal{L}`.
    var baseKey: String {
        MathSymbol(name: name, style: style, decorations: decorations).key
    }

    /// The base key with the label superscript, if any: `w^{(2)}`.
    var familyLabelKey: String {
        MathSymbol(name: name, style: style, decorations: decorations, label: label).key
    }
}

extension MathExpression {
    /// The symbol when this node is a bare symbol.
    var symbol: MathSymbol? {
        if case .symbol(let symbol) = kind { return symbol }
        return nil
    }

    /// The base key of the name this is, or applies: `\mathcal{L}` for `\mathcal{L}` and `\mathcal{L}(\theta)`.
    var headKey: String? {
        switch kind {
        case .symbol(let symbol): symbol.baseKey
        case .application(let function, _), .applicationOrProduct(let function, _): function.symbol?.baseKey
        default: nil
        }
    }

    /// Keys of every symbol written in this expression (indices included).
    var mentionedKeys: Set<String> {
        var keys: Set<String> = []
        forEachNode { node in
            if case .symbol(let symbol) = node.kind { keys.insert(symbol.key) }
        }
        return keys
    }

    /// Family keys (with label) of every indexed symbol written in this expression: `δ` for `δ_{i+1}`.
    var mentionedFamilies: Set<String> {
        var keys: Set<String> = []
        forEachNode { node in
            if case .symbol(let symbol) = node.kind, !symbol.indices.isEmpty { keys.insert(symbol.familyLabelKey) }
        }
        return keys
    }

    /// The names of single-letter symbols written anywhere, for index-variable analysis.
    var mentionedNames: Set<String> {
        var names: Set<String> = []
        forEachNode { node in
            if case .symbol(let symbol) = node.kind { names.insert(symbol.name) }
        }
        return names
    }

    var containsDerivative: Bool {
        var found = false
        forEachNode { node in
            switch node.kind {
            case .derivative, .nabla: found = true
            case .application(let function, _):
                if case .prime = function.kind { found = true }
            default: break
            }
        }
        return found
    }
}
