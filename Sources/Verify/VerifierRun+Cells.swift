import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

extension VerifierRun {
    // MARK: Cells

    mutating func apply(_ program: CellProgram, in cell: CodeCell) {
        report.diagnostics += program.diagnostics
        if let network = Self.network(from: program) {
            let parameters = network.parameterCount
            if parameters > verifier.limits.maxParameters {
                let statement = program.statements.first { if case .network = $0.kind { true } else { false } }
                report.diagnostics.append(.error(VerifyMessages.tooManyParameters(parameters, limit: verifier.limits.maxParameters),
                                                 at: statement?.valueRange ?? notebook.source.range(from: 0, to: 0)))
            } else {
                scope.network = network
            }
        }
        for statement in program.statements {
            switch statement.kind {
            case .seed(let value) where scope.network == nil:
                seed = value
            case .assignment(let tex, let values, let isVector):
                let parsed = MathParser.parse(tex, in: notebook.source, at: statement.valueRange.start.offset)
                guard let symbol = parsed.expression?.resolved().symbol else {
                    report.diagnostics.append(.error(VerifyMessages.notASymbol(tex), at: statement.valueRange))
                    continue
                }
                let tensor = isVector ? (try? Tensor(vector: values)) : Tensor(values[0])
                if let tensor, let key = Self.literalKey(symbol) { scope.literals[key] = tensor }
            case .show:
                show(statement, in: cell)
            case .train:
                train(statement, in: cell)
            default:
                break
            }
        }
    }

    static func network(from program: CellProgram) -> NetworkModel? {
        var model: NetworkModel?
        for statement in program.statements {
            if case .network(let widths) = statement.kind { model = NetworkModel(widths: widths) }
        }
        guard var network = model else { return nil }
        for statement in program.statements {
            switch statement.kind {
            case .activation(let name): network.activation = name
            case .output(let name): network.output = name
            case .loss(let name): network.loss = name
            case .initialization(let name): network.initialization = name
            case .seed(let value): network.seed = value
            case .input(let values): network.input = values.count == network.widths[0] ? values : nil
            case .target(let values): network.target = values.count == network.widths[network.layerCount] ? values : nil
            case .names(let pairs):
                for (role, tex) in pairs {
                    guard let networkRole = NetworkModel.Role(rawValue: role) else { continue }
                    var expression = MathParser.parse(tex).expression?.resolved()
                    if case .application(let function, _)? = expression?.kind { expression = function }
                    if case .applicationOrProduct(let function, _)? = expression?.kind { expression = function }
                    if let symbol = expression?.symbol { network.names[networkRole] = symbol.baseKey }
                }
            default: break
            }
        }
        return network
    }

    /// The TeX with `\label{…}`, `\tag{…}`, `\nonumber` and `\notag` blanked out byte for byte:
    /// they number equations and mean nothing to the checker, and blanking keeps every offset.
    static func withoutNumbering(_ tex: String) -> String {
        guard tex.containsBytes("\\label") || tex.containsBytes("\\tag") || tex.containsBytes("\\no") else { return tex }
        var bytes = Array(tex.utf8)
        let commands = ["\\label{", "\\tag*{", "\\tag{", "\\nonumber", "\\notag"].map { Array($0.utf8) }
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\"),
                  let command = commands.first(where: { index + $0.count <= bytes.count && Array(bytes[index..<(index + $0.count)]) == $0 })
            else {
                index += 1
                continue
            }
            var end = index + command.count
            if command.last == UInt8(ascii: "{") {
                var depth = 1
                while end < bytes.count, depth > 0 {
                    if bytes[end] == UInt8(ascii: "{") { depth += 1 }
                    if bytes[end] == UInt8(ascii: "}") { depth -= 1 }
                    end += 1
                }
            } else if end < bytes.count, Character(UnicodeScalar(bytes[end])).isLetter {
                index += 1
                continue
            }
            for position in index..<end where bytes[position] != UInt8(ascii: "\n") { bytes[position] = UInt8(ascii: " ") }
            index = end
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `x` → `x`, `w_{11}^2` → `w^{2}[1,1]`: literal indices only.
    static func literalKey(_ symbol: MathSymbol, indexNames: Set<String> = []) -> String? {
        guard !symbol.indices.isEmpty else { return symbol.familyLabelKey }
        var values: [String] = []
        for index in symbol.indices {
            if case .number(let text) = index.kind, let value = Int(text) {
                values.append(String(value))
            } else if let name = index.symbol?.name, index.symbol?.indices.isEmpty == true, !indexNames.contains(name) {
                // A letter that is part of the name: `h_a`.
                values.append(name)
            } else {
                return nil
            }
        }
        return symbol.familyLabelKey + "[" + values.joined(separator: ",") + "]"
    }

    /// `base^superscript` pairs whose superscript is a label on at least one member of the family.
    static func labelledFamilies(in maths: [ParsedMath], labels: SuperscriptLabels) -> Set<String> {
        var families: Set<String> = []
        for math in maths {
            for operand in math.statements.flatMap(\.operands) {
                operand.forEachNode { node in
                    guard case .powerOrLabel(let base, let superscript) = node.kind, let symbol = base.symbol,
                          labels.isLabel(superscript, on: symbol) == true else { return }
                    families.insert(symbol.baseKey + "^" + superscript.latex)
                }
            }
        }
        return families
    }

    /// The left side of each statement whose first relation is one of `relations`.
    static func definedLefts(in maths: [ParsedMath], by relations: [MathRelationKind]) -> [MathExpression] {
        maths.flatMap(\.statements).compactMap { statement in
            guard let left = statement.left, let first = statement.steps.first, relations.contains(first.relation) else { return nil }
            return left
        }
    }

    /// Base keys of the names on the left of a first `=`, `:=` or `\equiv`, as symbols or applied.
    static func definedNames(in maths: [ParsedMath]) -> Set<String> {
        Set(definedLefts(in: maths, by: [.equal, .definition, .equivalent]).compactMap(\.headKey))
    }

    /// Names defined as functions anywhere: `\sigma(z) = …` as the first relation of a statement.
    static func functionNames(in maths: [ParsedMath]) -> Set<String> {
        Set(definedLefts(in: maths, by: [.equal, .definition]).compactMap { left -> String? in
            switch left.kind {
            case .applicationOrProduct(let function, let arguments), .application(let function, let arguments):
                guard let symbol = function.symbol, arguments.allSatisfy({ $0.symbol != nil || isApplication($0) }) else { return nil }
                return symbol.baseKey
            default: return nil
            }
        })
    }

    /// `d\sigma(x)`, the differential of a function applied to one symbol: the derivative
    /// `\frac{d\sigma(x)}{dx}` it stands for when the sides after it have no differentials.
    static func derivative(meantBy head: MathExpression) -> MathExpression? {
        guard case .binary(.implicitProduct, let first, let function) = head.kind, case .symbol(let d) = first.kind,
              d.name == "d", d.indices.isEmpty, d.label == nil, d.style == .normal else { return nil }
        let arguments: [MathExpression]
        switch function.kind {
        case .call(let call) where call.power == nil && call.subscriptExpression == nil: arguments = call.arguments
        case .application(_, let written): arguments = written
        default: return nil
        }
        guard arguments.count == 1, let variable = arguments.first, variable.symbol != nil else { return nil }
        let derivative = MathDerivative(notation: .ordinary, operand: function, variables: [variable], order: 1, isOperatorForm: false)
        return MathExpression(.derivative(derivative), range: head.range)
    }

    /// `d\sigma(x)` as written, without the product sign `plain` puts after the `d`.
    static func differentialText(_ head: MathExpression) -> String {
        if case .binary(.implicitProduct, _, let function) = head.kind { return "d" + function.plain }
        return head.plain
    }

    /// A bare `d` multiplying something (`d\sigma`, `dx/dz` written as a fraction of products).
    static func hasDifferential(_ expression: MathExpression) -> Bool {
        let isD = { (node: MathExpression) -> Bool in
            guard case .symbol(let symbol) = node.kind else { return false }
            return symbol.indices.isEmpty && symbol.label == nil && symbol.name == "d" && symbol.style == .normal
        }
        var found = false
        expression.forEachNode { node in
            guard !found, case .binary(.implicitProduct, let first, _) = node.kind else { return }
            // `d\sigma`, and the `d` of `\sigma(1 - \sigma)\, dx`, which the product groups as `(… d) x`.
            if isD(first) { found = true }
            if case .binary(.implicitProduct, _, let last) = first.kind, isD(last) { found = true }
        }
        return found
    }

    /// The source line of `math` also gives a decimal value in running text (`$w = 0.4$`).
    static func givesDecimalsOnItsLine(_ math: MathCell, in source: SourceFile) -> Bool {
        let bytes = source.bytes
        var start = math.range.start.offset
        var end = math.range.end.offset
        guard start < end, end <= bytes.count else { return false }
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        return line.range(of: #"\$[^$]*=\s*-?\d*\.\d+\s*\$"#, options: .regularExpression) != nil
    }

    /// "At $r = 2$, $t = 0$ we have": running text that names a point with `at` before its values.
    static func namesAPoint(_ math: MathCell, in source: SourceFile) -> Bool {
        let bytes = source.bytes
        let end = math.range.start.offset
        var start = end
        guard end <= bytes.count else { return false }
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        let before = String(decoding: bytes[start..<end], as: UTF8.self)
        return before.range(of: #"(?i)\bat\s+(\$[^$]*\$\s*(,|and)\s*)*$"#, options: .regularExpression) != nil
    }

    /// Inline math alone on its lines (`$h_1 = g(i_1 w_{11})$` as a paragraph, or after a list
    /// marker: `- $\frac{dL}{dw} = …$`) is a display its writer typed with single dollars: it
    /// defines and claims as a display does. Inline math inside running text does not.
    static func standsAlone(_ math: MathCell, in source: SourceFile) -> Bool {
        let bytes = source.bytes
        let start = math.range.start.offset, end = math.range.end.offset
        guard start < end, end <= bytes.count else { return false }
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") }
        // Before: spaces, quote markers and one list marker; after: spaces and a final `.` or `,`.
        var before = Array(bytes[lineStart..<start])
        while let last = before.last, isSpace(last) { before.removeLast() }
        while let first = before.first, isSpace(first) || first == UInt8(ascii: ">") { before.removeFirst() }
        if let marker = before.first, [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+")].contains(marker), before.count == 1 {
            before.removeAll()
        } else if !before.isEmpty, before.last == UInt8(ascii: ".") || before.last == UInt8(ascii: ")"),
                  before.dropLast().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            before.removeAll()
        }
        // An Obsidian comment after it (`$…$ %% sign? %%`) is hidden from the reader: it does not count.
        var rest = Array(bytes[end..<lineEnd])
        while let open = rest.firstIndex(of: UInt8(ascii: "%")), open + 1 < rest.count, rest[open + 1] == UInt8(ascii: "%") {
            let tail = rest[(open + 2)...]
            guard let close = zip(tail.indices, tail.indices.dropFirst()).first(where: { rest[$0] == UInt8(ascii: "%") && rest[$1] == UInt8(ascii: "%") })?.0
            else { break }
            rest.removeSubrange(open...(close + 1))
        }
        let after = rest.filter { !isSpace($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: ",") }
        return before.isEmpty && after.isEmpty
    }

    static func isApplication(_ expression: MathExpression) -> Bool {
        switch expression.kind {
        case .application, .applicationOrProduct: return true
        default: return false
        }
    }

    /// Families defined entry by entry with index variables (`p_i = …`).
    static func indexedDefinitionFamilies(in maths: [ParsedMath]) -> Set<String> {
        var families: Set<String> = []
        for math in maths {
            for statement in math.statements {
                guard let symbol = statement.left?.symbol, !symbol.indices.isEmpty,
                      symbol.indices.allSatisfy({ $0.symbol != nil && $0.symbol?.indices.isEmpty == true }),
                      statement.steps.first.map({ $0.relation == .equal || $0.relation == .definition }) == true
                else { continue }
                families.insert(symbol.familyLabelKey)
            }
        }
        return families
    }
}
