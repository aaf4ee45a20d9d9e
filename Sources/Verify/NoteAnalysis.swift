import Backprop
import MathSyntax

/// What the whole note tells about its symbols before any step runs:
/// which families are arrays (used with index variables) and how large,
/// which symbols must be drawn positive, and which names are index variables.
struct NoteAnalysis: Sendable {
    /// Free array families by family key, with the shape they are drawn with.
    private(set) var arrayShapes: [String: Shape] = [:]
    /// Family keys of symbols that appear inside a logarithm, a root or a fractional power.
    private(set) var positive: Set<String> = []
    /// Symbols that must lie between 0 and 1: a probability written in `\log(1 - p)`.
    private(set) var probabilities: Set<String> = []
    /// Names used as index variables somewhere (`i`, `j`, `m`, `k`).
    private(set) var indexNames: Set<String> = []
    /// Bare symbols used as the bounds of sums and products (`m` in `\sum_{i=1}^{m}`): sizes,
    /// drawn as small whole numbers when the note gives them no value.
    private(set) var sizeNames: Set<String> = []
    /// Vector families the note counts from 0 (`\theta_0`): drawn one longer, `\theta_j` is entry j + 1.
    private(set) var zeroBased: Set<String> = []
    /// Every symbol name in the note, so generated names can avoid them.
    private(set) var allNames: Set<String> = []
    /// Labels of one letter and a number the note writes as names (`o1`, `o2`), by letter, in
    /// order: what `\sum_o out_o` runs over when o is never given a number.
    var labelsByLetter: [String: [String]] = [:]
    private var sumVariables: Set<String> = []
    private var comparedLetters: [(String, String)] = []
    private var capitalIndexLetters: Set<String> = []
    private var familiesByLetter: [String: Set<String>] = [:]
    private var lettersByFamily: [String: Set<String>] = [:]

    /// Groups names such as `o1`, `o2`, `h10` by their letter, in numeric order.
    static func labelsByLetter(_ names: Set<String>) -> [String: [String]] {
        var groups: [String: [(Int, String)]] = [:]
        for name in names {
            guard let letter = name.first, letter.isLetter, name.count > 1, let number = Int(name.dropFirst()) else { continue }
            groups[String(letter), default: []].append((number, name))
        }
        return groups.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
    }

    /// Default sizes of free arrays: distinct, so that a missing transpose is a shape error.
    static let defaultVectorLength = 4
    static let defaultMatrixShape = (rows: 4, columns: 3)

    /// The whole number a size symbol stands for (`Draws.size`), for the lengths of arrays summed up to it.
    private var sizeOf: @Sendable (String) -> Int = { _ in 0 }

    init(expressions: [MathExpression], excludedFamilies: Set<String>, sizeOf: @escaping @Sendable (String) -> Int = { _ in 0 }) {
        self.sizeOf = sizeOf
        var ranks: [String: Int] = [:]
        var sizes: [String: [Int]] = [:]
        for expression in expressions {
            collect(expression, bounds: [:], ranks: &ranks, sizes: &sizes)
        }
        // A letter is an index variable when the note uses it as one: bound by a sum, or
        // an index of two or more families (`p_j - y_j`). Otherwise it is part of a name:
        // `h_a` and `h_b` are two symbols, as `x_{out}` is one.
        var names = sumVariables
        // A label of several characters (`h1`, `total`, `out`) names, it never counts: only a sum makes it a variable.
        for (letter, families) in familiesByLetter where families.count >= 2 && (letter.count == 1 || letter.hasPrefix("\\")) {
            names.insert(letter)
        }
        // Two letters an indicator compares, both written as indices (`\hat{y}_i`, `\hat{y}_\ell`, `1_{i = \ell}`),
        // are index variables: ℓ, the true class, is a position like i.
        for (a, b) in comparedLetters where familiesByLetter[a] != nil && familiesByLetter[b] != nil {
            names.insert(a)
            names.insert(b)
        }
        indexNames = names
        // `a_{L,i}`, `x_T`: a capital letter in an index that is no index variable names the last
        // layer or step, a size like the bound of a sum (drawn as a whole number when not given).
        sizeNames.formUnion(capitalIndexLetters.subtracting(names))
        for family in ranks.keys where !(lettersByFamily[family] ?? []).contains(where: names.contains) {
            ranks[family] = nil
        }
        for (family, rank) in ranks where !excludedFamilies.contains(family) && rank <= 2 {
            let known = sizes[family] ?? []
            if rank == 1 {
                let length = max(known.first ?? 0, 0) > 0 ? known[0] : Self.defaultVectorLength
                arrayShapes[family] = .vector(zeroBased.contains(family) ? length + 1 : length)
            } else {
                let rows = known.count > 0 && known[0] > 0 ? known[0] : Self.defaultMatrixShape.rows
                let columns = known.count > 1 && known[1] > 0 ? known[1] : Self.defaultMatrixShape.columns
                arrayShapes[family] = .matrix(rows: rows, columns: columns)
            }
        }
    }

    private mutating func collect(_ expression: MathExpression, bounds: [String: Int],
                                  ranks: inout [String: Int], sizes: inout [String: [Int]]) {
        switch expression.kind {
        case .symbol(let symbol):
            allNames.insert(symbol.name)
            var usesVariable = false
            let family = symbol.familyLabelKey
            for (position, index) in symbol.indices.enumerated() {
                let names = Self.bareNames(in: index)
                if !names.isEmpty { usesVariable = true }
                for name in names {
                    familiesByLetter[name, default: []].insert(family)
                    lettersByFamily[family, default: []].insert(name)
                }
                if let letter = index.symbol, letter.indices.isEmpty, letter.label == nil, letter.name.count == 1,
                   letter.name.first?.isUppercase == true {
                    capitalIndexLetters.insert(letter.key)
                }
                if let name = index.symbol?.name, index.symbol?.indices.isEmpty == true, let bound = bounds[name] {
                    var known = sizes[symbol.familyLabelKey] ?? []
                    while known.count <= position { known.append(0) }
                    known[position] = max(known[position], bound)
                    sizes[symbol.familyLabelKey] = known
                }
            }
            if symbol.indices.count == 1, case .number(let text) = symbol.indices[0].kind, text == "0" { zeroBased.insert(family) }
            if usesVariable, !symbol.indices.isEmpty {
                ranks[symbol.familyLabelKey] = max(ranks[symbol.familyLabelKey] ?? 0, symbol.indices.count)
            }
        case .bigOperator(let big):
            var inner = bounds
            for bound in [big.upperBound, big.lowerBound].compactMap({ $0 }) {
                bound.forEachNode { node in
                    if case .symbol(let symbol) = node.kind, symbol.indices.isEmpty, symbol.label == nil { sizeNames.insert(symbol.key) }
                }
            }
            for index in big.indices {
                if let name = index.symbol?.name {
                    sumVariables.insert(name)
                    if let upper = big.upperBound, case .number(let text) = upper.kind, let value = Int(text) {
                        inner[name] = value
                    } else if let upper = big.upperBound, case .symbol(let size) = upper.kind, size.indices.isEmpty, size.label == nil,
                              sizeOf(size.key) > 0 {
                        inner[name] = sizeOf(size.key)
                    }
                }
            }
            for child in expression.children { collect(child, bounds: inner, ranks: &ranks, sizes: &sizes) }
            return
        case .call(let call) where call.name.hasPrefix("1[") && call.arguments.count == 2:
            // `\mathbb{1}_{(i = \ell)}`: the two letters compared range over the same values.
            if let a = call.arguments[0].symbol, let b = call.arguments[1].symbol, a.indices.isEmpty, b.indices.isEmpty,
               a.label == nil, b.label == nil {
                comparedLetters.append((a.name, b.name))
            }
        case .call(let call) where ["log", "ln", "sqrt"].contains(call.name):
            for argument in call.arguments {
                markPositive(argument)
                markProbability(argument)
            }
        case .root(let operand, _):
            markPositive(operand)
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            if case .number(let text) = exponent.kind, let value = Double(text), value == value.rounded() {
                break
            }
            if case .number = exponent.kind { markPositive(base) }
        default:
            break
        }
        for child in expression.children { collect(child, bounds: bounds, ranks: &ranks, sizes: &sizes) }
    }

    /// `0 < \alpha < 1`, `\eta > 0`: a range the note states for a symbol is where it is drawn.
    mutating func assumeRanges(in statements: [MathStatement]) {
        let below: Set<MathRelationKind> = [.less, .lessOrEqual], above: Set<MathRelationKind> = [.greater, .greaterOrEqual]
        let number = { (expression: MathExpression) -> Double? in
            if case .number(let text) = expression.kind { return Double(text) }
            return nil
        }
        for statement in statements {
            let operands = statement.operands, relations = statement.steps.map(\.relation)
            if operands.count == 3, relations.allSatisfy(below.contains), number(operands[0]) == 0, number(operands[2]) == 1,
               let symbol = operands[1].symbol {
                probabilities.insert(symbol.familyLabelKey)
                positive.insert(symbol.familyLabelKey)
            } else if operands.count == 2, let symbol = operands[0].symbol, number(operands[1]) == 0, relations.allSatisfy(above.contains) {
                positive.insert(symbol.familyLabelKey)
            } else if operands.count == 2, let symbol = operands[1].symbol, number(operands[0]) == 0, relations.allSatisfy(below.contains) {
                positive.insert(symbol.familyLabelKey)
            }
        }
    }

    /// `\log(1 - \hat{y})`: ŷ is below 1 as well as above 0.
    private mutating func markProbability(_ expression: MathExpression) {
        var inner = expression
        while case .group(let grouped, _) = inner.kind { inner = grouped }
        guard case .binary(.subtract, let one, let rest) = inner.kind, case .number(let text) = one.kind, Double(text) == 1,
              case .symbol(let symbol) = rest.kind else { return }
        probabilities.insert(symbol.familyLabelKey)
    }

    private mutating func markPositive(_ expression: MathExpression) {
        expression.forEachNode { node in
            if case .symbol(let symbol) = node.kind { positive.insert(symbol.familyLabelKey) }
        }
    }

    /// Bare one-name symbols inside an index expression (`i` and `m` in `W_{i+1,m}`).
    static func bareNames(in expression: MathExpression) -> Set<String> {
        var names: Set<String> = []
        expression.forEachNode { node in
            if case .symbol(let symbol) = node.kind, symbol.indices.isEmpty, symbol.label == nil {
                names.insert(symbol.name)
            }
        }
        return names
    }

    /// The index variables written in an expression's indices, sums excluded.
    func indexVariables(in expression: MathExpression) -> Set<String> {
        indexLetters(in: expression).intersection(indexNames)
    }

    /// Every bare letter written in an index and not bound by a sum, index variable or not.
    func indexLetters(in expression: MathExpression) -> Set<String> {
        var names: Set<String> = []
        Self.freeIndexVariables(expression, bound: [], into: &names)
        return names
    }

    /// A pattern binds what varies along it: the `k` of `W_{i+1,k,j}` after `W_{i+1,1,j} \\ \vdots`,
    /// and every letter of a lone entry (`[…, g'(a_{ik}), …]`) the claim does not write elsewhere.
    private static func patternIndexVariables(_ entries: [MathExpression], bound: Set<String>, into names: inout Set<String>) {
        let written = entries.filter { !$0.isElided }
        if written.count > 1, let first = written.first { freeIndexVariables(first, bound: bound, into: &names) }
    }

    private static func freeIndexVariables(_ expression: MathExpression, bound: Set<String>, into names: inout Set<String>) {
        switch expression.kind {
        case .symbol(let symbol):
            for index in symbol.indices {
                for name in bareNames(in: index) where !bound.contains(name) { names.insert(name) }
            }
        case .subscripted(let base, let index):
            // `\text{softmax}(z)_i`, `(s \odot t)_j`: the entry's index is free like a symbol's.
            freeIndexVariables(base, bound: bound, into: &names)
            for name in bareNames(in: index) where !bound.contains(name) { names.insert(name) }
        case .bigOperator(let big):
            var inner = bound
            for index in big.indices { if let name = index.symbol?.name { inner.insert(name) } }
            for limit in [big.lowerBound, big.upperBound].compactMap({ $0 }) {
                freeIndexVariables(limit, bound: bound, into: &names)
            }
            if let body = big.body { freeIndexVariables(body, bound: inner, into: &names) }
        case .call(let call) where call.name.hasPrefix("1["):
            // `\mathbb{1}_{(i = \ell)}` compares positions: its letters are free like indices.
            for argument in call.arguments {
                if let letter = argument.symbol, letter.indices.isEmpty, letter.label == nil, !bound.contains(letter.name) {
                    names.insert(letter.name)
                } else {
                    freeIndexVariables(argument, bound: bound, into: &names)
                }
            }
        case .matrix(let matrix) where matrix.isPattern || matrix.isPatternWithoutDots:
            patternIndexVariables(Array(matrix.rows.joined()), bound: bound, into: &names)
        case .tuple(let items, _) where items.contains(where: \.isElided):
            patternIndexVariables(items, bound: bound, into: &names)
        default:
            for child in expression.children { freeIndexVariables(child, bound: bound, into: &names) }
        }
    }
}

extension MathMatrix {
    /// A column of two entries alike but for 1 in the first where the second has a bare letter
    /// (`x_{i1} \\ x_{in}`): the first and last entries of a pattern whose `\vdots` is left out.
    /// The evaluator reads it so only when that letter has no value (`Evaluator.isPatternWithoutDots`).
    var isPatternWithoutDots: Bool {
        guard rows.count == 2, rows.allSatisfy({ $0.count == 1 }) else { return false }
        return PatternTemplate(first: rows[0][0], last: rows[1][0], avoiding: [])?.runsToALetter ?? false
    }
}

extension PatternTemplate {
    /// From 1 to a bare letter (`x_{i1}` to `x_{in}`): what a pattern written without its `\vdots` runs over.
    var runsToALetter: Bool {
        guard low.latex == "1", let size = high.symbol else { return false }
        return size.indices.isEmpty && size.label == nil
    }
}

/// The entry of a pattern matrix with its varying number replaced by a variable:
/// from `a_{i+1,1}` and `a_{i+1,n_{i+1}}` it makes `a_{i+1,t}` for t from 1 to n_{i+1}.
struct PatternTemplate {
    var expression: MathExpression
    var variable: String
    var low: MathExpression
    var high: MathExpression

    init?(first: MathExpression, last: MathExpression, avoiding names: Set<String>) {
        let a = Self.tokens(first.latex)
        let b = Self.tokens(last.latex)
        var template: [String] = []
        var lowText: String?
        var highText: String?
        var i = 0
        var j = 0
        guard let variable = ["t", "u", "v", "r", "s", "q", "p"].first(where: { !names.contains($0) }) else { return nil }
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                template.append(a[i])
                i += 1
                j += 1
                continue
            }
            // A number in the first entry stands where the last has an expression.
            guard a[i].allSatisfy(\.isNumber), i + 1 <= a.count else { return nil }
            let next = i + 1 < a.count ? a[i + 1] : nil
            // The shortest balanced run of the last entry after which both agree again.
            var end = j + 1
            var found = false
            while end <= b.count {
                if Self.balanced(b[j..<end]) {
                    if let next {
                        if end < b.count, b[end] == next { found = true; break }
                    } else if end == b.count {
                        found = true
                        break
                    }
                }
                end += 1
            }
            guard found else { return nil }
            let high = b[j..<end].joined()
            if let lowText, lowText != a[i] || highText != high { return nil }
            lowText = a[i]
            highText = high
            template.append(" \(variable) ")
            i += 1
            j = end
        }
        guard i == a.count, j == b.count, let lowText, let highText else { return nil }
        guard let expression = MathParser.parse(template.joined()).expression,
              let low = MathParser.parse(lowText).expression,
              let high = MathParser.parse(highText).expression else { return nil }
        self.expression = expression.resolved()
        self.variable = variable
        self.low = low
        self.high = high.resolved()
    }

    private static func balanced(_ tokens: ArraySlice<String>) -> Bool {
        var depth = 0
        for token in tokens {
            if token == "{" { depth += 1 }
            if token == "}" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    /// Commands, digit runs, and single characters.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                var end = index + 1
                while end < characters.count, characters[end].isLetter { end += 1 }
                if end == index + 1, end < characters.count { end += 1 }
                tokens.append(String(characters[index..<end]))
                index = end
            } else if character.isNumber {
                var end = index
                while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
                tokens.append(String(characters[index..<end]))
                index = end
            } else {
                tokens.append(String(character))
                index += 1
            }
        }
        return tokens
    }
}
