/// Prints a tree back to LaTeX. Parsing the output gives the same tree
/// (ranges aside); brackets are added only where a tree built by hand needs them.
///
/// ```swift
/// LaTeXPrinter.print(MathParser.parse("w_{11}^2x_1").expression!)   // "w_{11}^{2} x_{1}"
/// ```
public enum LaTeXPrinter {
    public static func print(_ expression: MathExpression) -> String {
        var out = ""
        write(expression, into: &out)
        return out
    }

    public static func print(_ statement: MathStatement) -> String {
        var out = ""
        switch statement.role {
        case .claim: break
        case .reason: out += "\\because "
        case .conclusion: out += "\\therefore "
        case .premise: out += "\\text{where } "
        }
        if let left = statement.left { write(left, into: &out) }
        for step in statement.steps {
            if !out.isEmpty { out += " " }
            out += relationSpelling(step.relation) + " "
            write(step.right, into: &out)
        }
        return out
    }

    public static func print(_ math: ParsedMath) -> String {
        math.statements.map { print($0) }.joined(separator: " \\quad ")
    }

    static func relationSpelling(_ kind: MathRelationKind) -> String { kind.rawValue }

    /// A label superscript's content, without the parentheses that mark it.
    static func printLabel(_ label: MathExpression) -> String {
        if case .text(let text) = label.kind { return text }
        return print(label)
    }

    private static func wrapped(_ expression: MathExpression, below minimum: Int, into out: inout String) {
        if expression.precedence < minimum {
            out += "\\left("
            write(expression, into: &out)
            out += "\\right)"
        } else {
            write(expression, into: &out)
        }
    }

    /// Braces group invisibly: `{\sum_k x_k} y` keeps `y` out of the sum without adding a node.
    private static func braced(_ expression: MathExpression, into out: inout String) {
        out += "{"
        write(expression, into: &out)
        out += "}"
    }

    /// A base that will take a script: anything already carrying a superscript is braced.
    private static func writeBase(_ base: MathExpression, into out: inout String) {
        if base.absorbsRun || base.absorbsFactor {
            braced(base, into: &out)
            return
        }
        switch base.kind {
        case .power, .powerOrLabel, .transpose:
            out += "{"
            write(base, into: &out)
            out += "}"
        case .symbol(let symbol) where symbol.label != nil:
            out += "{"
            write(base, into: &out)
            out += "}"
        default:
            wrapped(base, below: 5, into: &out)
        }
    }

    static func write(_ expression: MathExpression, into out: inout String) {
        switch expression.kind {
        case .number(let text):
            out += text
        case .symbol(let symbol):
            writeSymbol(symbol, into: &out)
        case .elided(let elision):
            out += elision.rawValue
        case .wildcard:
            out += "*"
        case .text(let text):
            out += "\\text{\(text)}"
        case .negation(let x):
            out += "-"
            wrapped(x, below: 2, into: &out)
        case .positive(let x):
            out += "+"
            wrapped(x, below: 2, into: &out)
        case .binary(let op, let lhs, let rhs):
            writeBinary(op, lhs, rhs, into: &out)
        case .power(let base, let exponent), .powerOrLabel(let base, let exponent):
            writeBase(base, into: &out)
            out += "^{"
            write(exponent, into: &out)
            out += "}"
        case .subscripted(let base, let sub):
            writeBase(base, into: &out)
            out += "_{"
            write(sub, into: &out)
            out += "}"
        case .transpose(let base):
            writeBase(base, into: &out)
            out += "^{\\top}"
        case .prime(let base, let count):
            writeBase(base, into: &out)
            out += String(repeating: "'", count: count)
        case .root(let x, let index):
            out += "\\sqrt"
            if let index {
                out += "["
                write(index, into: &out)
                out += "]"
            }
            out += "{"
            write(x, into: &out)
            out += "}"
        case .group(let x, let bracket):
            out += bracket.rawValue
            write(x, into: &out)
            out += bracket.closing
        case .tuple(let items, let bracket):
            out += bracket.rawValue
            writeList(items, into: &out)
            out += bracket.closing
        case .norm(let x):
            out += "\\|"
            write(x, into: &out)
            out += "\\|"
        case .absolute(let x):
            out += "\\lvert "
            write(x, into: &out)
            out += "\\rvert"
        case .call(let call):
            writeCall(call, into: &out)
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            wrapped(function, below: 5, into: &out)
            out += "("
            writeList(arguments, into: &out)
            out += ")"
        case .derivative(let derivative):
            writeDerivative(derivative, into: &out)
        case .nabla(let sub, let operand):
            out += "\\nabla"
            if let sub {
                out += "_{"
                write(sub, into: &out)
                out += "}"
            }
            if let operand {
                out += " "
                write(operand, into: &out)
            }
        case .bigOperator(let big):
            out += big.operation.rawValue
            if !big.indices.isEmpty || big.lowerBound != nil {
                out += "_{"
                writeList(big.indices, separator: ",", into: &out)
                if let lower = big.lowerBound {
                    if !big.indices.isEmpty { out += "=" }
                    write(lower, into: &out)
                }
                if let excluded = big.excluded {
                    out += " \\neq "
                    write(excluded, into: &out)
                }
                out += "}"
            }
            if let upper = big.upperBound {
                out += "^{"
                write(upper, into: &out)
                out += "}"
            }
            if let body = big.body {
                out += " "
                write(body, into: &out)
            }
        case .matrix(let matrix):
            out += "\\begin{\(matrix.environment)}"
            if matrix.environment == "array" || matrix.environment == "darray" {
                out += "{" + String(repeating: "c", count: max(1, matrix.columnCount)) + "}"
            }
            out += " "
            for (rowIndex, row) in matrix.rows.enumerated() {
                if rowIndex > 0 { out += " \\\\ " }
                for (cellIndex, cell) in row.enumerated() {
                    if cellIndex > 0 { out += " & " }
                    write(cell, into: &out)
                }
            }
            out += " \\end{\(matrix.environment)}"
        case .uninterpretable(_, let tex):
            out += tex
        }
    }

    private static func writeList(_ items: [MathExpression], separator: String = ", ", into out: inout String) {
        for (index, item) in items.enumerated() {
            if index > 0 { out += separator }
            write(item, into: &out)
        }
    }

    private static func writeBinary(_ op: BinaryOperator, _ lhs: MathExpression, _ rhs: MathExpression, into out: inout String) {
        switch op {
        case .fraction:
            out += "\\frac{"
            write(lhs, into: &out)
            out += "}{"
            write(rhs, into: &out)
            out += "}"
        case .add, .subtract, .plusMinus:
            wrapped(lhs, below: 1, into: &out)
            out += " \(op.rawValue) "
            if case .negation = rhs.kind { wrapped(rhs, below: 3, into: &out) } else { wrapped(rhs, below: 2, into: &out) }
        case .implicitProduct:
            if lhs.absorbsRun || lhs.absorbsFactor { braced(lhs, into: &out) } else { wrapped(lhs, below: 3, into: &out) }
            out += " "
            wrapped(rhs, below: 4, into: &out)
        default:
            if lhs.absorbsTerm { braced(lhs, into: &out) } else { wrapped(lhs, below: 2, into: &out) }
            out += " \(op.rawValue) "
            if case .negation = rhs.kind { write(rhs, into: &out) } else { wrapped(rhs, below: 3, into: &out) }
        }
    }

    static func writeSymbol(_ symbol: MathSymbol, into out: inout String) {
        var base = symbol.name
        if symbol.style != .normal { base = "\(symbol.style.rawValue){\(base)}" }
        for decoration in symbol.decorations { base = "\(decoration.rawValue){\(base)}" }
        out += base
        if !symbol.indices.isEmpty {
            out += "_{"
            out += indexList(symbol.indices)
            out += "}"
        }
        if let label = symbol.label {
            if case .text(let text) = label.kind {
                out += "^{\(text)}"
            } else {
                out += "^{(" + print(label) + ")}"
            }
        }
    }

    /// `_{ij}` when every index is one character, else `_{i+1,m,j}`; see "Indices".
    static func indexList(_ indices: [MathExpression]) -> String {
        let singles = indices.map(singleCharacterIndex)
        if indices.count > 1, singles.allSatisfy({ $0 != nil }) {
            var out = ""
            for single in singles {
                guard let single else { continue }
                if out.last?.isLetter == true, out.contains("\\"), single.first?.isLetter == true,
                   lastWordIsCommand(out) {
                    out += " "
                }
                out += single
            }
            return out
        }
        if indices.count == 1, case .number(let text) = indices[0].kind, text.count > 1 {
            return "(\(text))"
        }
        return indices.map { compactIndex(print($0)) }.joined(separator: ",")
    }

    /// `i + 1` → `i+1`, as indices are usually written.
    static func compactIndex(_ text: String) -> String {
        text.replacingOccurrences(" + ", with: "+").replacingOccurrences(" - ", with: "-")
    }

    private static func lastWordIsCommand(_ text: String) -> Bool {
        guard let slash = text.lastIndex(of: "\\") else { return false }
        return text[text.index(after: slash)...].allSatisfy(\.isLetter)
    }

    private static func singleCharacterIndex(_ index: MathExpression) -> String? {
        switch index.kind {
        case .number(let text) where text.count == 1: return text
        case .symbol(let symbol) where symbol.isBareLetter:
            if symbol.name.count == 1 { return symbol.name }
            if symbol.name.hasPrefix("\\"), MathVocabulary.greek.contains(String(symbol.name.dropFirst())) { return symbol.name }
            return nil
        default: return nil
        }
    }

    private static func writeCall(_ call: MathCall, into out: inout String) {
        if call.isOperatorName || !MathVocabulary.functions.contains(call.name) {
            out += "\\operatorname{\(call.name)}"
        } else {
            out += "\\" + call.name
        }
        if let sub = call.subscriptExpression {
            out += "_{"
            write(sub, into: &out)
            out += "}"
        }
        if let power = call.power {
            out += "^{"
            write(power, into: &out)
            out += "}"
        }
        if call.bracket != nil || call.arguments.count > 1 {
            out += "("
            writeList(call.arguments, into: &out)
            out += ")"
        } else if let argument = call.arguments.first {
            out += " "
            if argument.precedence < 5 || argument.isGroupLike || argument.absorbsRun || argument.absorbsFactor {
                out += "{"
                write(argument, into: &out)
                out += "}"
            } else {
                write(argument, into: &out)
            }
        }
    }

    private static func writeDerivative(_ derivative: MathDerivative, into out: inout String) {
        let marker = derivative.notation.rawValue
        if derivative.isSubscriptForm, let variable = derivative.variables.first {
            out += "\\partial_{"
            write(variable, into: &out)
            out += "}"
            if let operand = derivative.operand {
                out += " "
                write(operand, into: &out)
            }
            return
        }
        out += "\\frac{" + marker
        if derivative.order > 1 { out += "^{\(derivative.order)}" }
        if !derivative.isOperatorForm, let operand = derivative.operand {
            out += " "
            write(operand, into: &out)
        }
        out += "}{"
        var index = 0
        let variables = derivative.variables
        while index < variables.count {
            var count = 1
            while index + count < variables.count, variables[index + count].withoutRanges == variables[index].withoutRanges {
                count += 1
            }
            if index > 0 { out += " " }
            out += marker + " "
            if count > 1, derivative.order > 1 {
                writeBase(variables[index], into: &out)
                out += "^{\(count)}"
                index += count
            } else {
                write(variables[index], into: &out)
                index += 1
            }
        }
        out += "}"
        if derivative.isOperatorForm, let operand = derivative.operand {
            out += " "
            write(operand, into: &out)
        }
    }
}

extension MathExpression {
    /// `\sum` with a body: takes every factor up to the next `+`, `-` or relation.
    var absorbsTerm: Bool {
        if case .bigOperator(let big) = kind { return big.body != nil }
        return false
    }

    /// Takes the juxtaposed factors after it: `\sum`, `\nabla`, `\frac{d}{dz}` with an operand.
    var absorbsRun: Bool {
        switch kind {
        case .bigOperator(let big): return big.body != nil
        case .nabla(_, let operand): return operand != nil
        case .derivative(let derivative): return derivative.isOperatorForm && derivative.operand != nil
        default: return false
        }
    }

    /// `\tanh z`: a function name that took the next factor.
    var absorbsFactor: Bool {
        if case .call(let call) = kind { return call.bracket == nil && !call.arguments.isEmpty }
        return false
    }

    var isGroupLike: Bool {
        switch kind {
        case .group, .tuple: return true
        default: return false
        }
    }
}
