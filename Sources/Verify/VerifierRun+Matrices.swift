import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

/// Claims about whole vectors and matrices (`\nabla_{\mathbf{w}} L = \mathbf{X}^T(\mathbf{X}\mathbf{w} - \mathbf{y})`):
/// both sides evaluated as matrices with `MatrixEvaluator`, shapes from `MatrixShapes`, compared
/// entry by entry at each draw. What the matrix evaluator cannot read stays unchecked; a wrong
/// shape is a failed step that names the shapes.
extension VerifierRun {
    /// The first symbol the claim reaches that is a whole vector or matrix with no value of its
    /// own (drawn): written in the claim, or in a definition the claim uses.
    func freeMatrixSymbol(in expressions: [MathExpression]) -> MathExpression? {
        freeMatrixSymbols(in: expressions, first: true).first
    }

    /// Every such symbol (the first only, when `first`), in the order the claim reaches them.
    func freeMatrixSymbols(in expressions: [MathExpression], first: Bool = false) -> [MathExpression] {
        var visited: Set<String> = []
        var found: [MathExpression] = []
        func visit(_ expression: MathExpression) {
            expression.forEachNode { node in
                guard !(first && !found.isEmpty) else { return }
                switch node.kind {
                case .application(let function, _), .applicationOrProduct(let function, _):
                    if let symbol = function.symbol, let definition = scope.functions[symbol.baseKey],
                       visited.insert("f " + symbol.baseKey).inserted {
                        visit(definition.body)
                    }
                case .symbol(let written):
                    if scope.network?.role(ofBaseKey: written.baseKey) != nil || scope.families[written.familyLabelKey] != nil { return }
                    // `u_i` of a vector the note defines whole (`u = A v`): the claim is about u, entry by
                    // entry. An entry of a vector only declared (`z \in \mathbb{R}^K`) leaves the claim to
                    // the checker of numbers, which reads families defined entry by entry (a softmax's p_i).
                    let symbol: MathSymbol
                    if MatrixShapes.isWhole(written) {
                        symbol = written
                    } else if let (whole, _) = MatrixEvaluator.entry(written, shapes: matrixShapes, scope: scope),
                              Self.literalKey(whole).map({ scope.symbols[$0] != nil }) == true,
                              scope.network?.role(ofBaseKey: whole.baseKey) == nil, scope.families[whole.familyLabelKey] == nil {
                        symbol = whole
                    } else {
                        return
                    }
                    guard let key = Self.literalKey(symbol) else { return }
                    if let definition = scope.symbols[key] {
                        if visited.insert(key).inserted { visit(definition.body) }
                    } else if scope.literals[key] == nil, matrixShapes.shape(of: symbol.key) != nil, visited.insert("m " + key).inserted {
                        found.append(MathExpression(.symbol(symbol), range: node.range))
                    }
                default:
                    break
                }
            }
        }
        for expression in expressions { visit(expression) }
        return found
    }

    /// Checks `left = right` as matrices and records the step.
    mutating func checkMatrices(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind,
                                sign: SourceRange, math: MathCell, expectFailure: Bool, symbol: MathExpression) {
        let left = withoutMembership(left), right = withoutMembership(right)
        var result = StepResult(status: .verified, location: sign, mathOffset: math.contentRange.start.offset,
                                left: left.plain, right: right.plain)
        let tolerance = relation == .approximate ? 1e-2 : 1e-9
        let printedAllowance = PrintedPrecision.Literal.largestAllowance(PrintedPrecision.literals(in: left) + PrintedPrecision.literals(in: right))
        var entries = 0
        var failure: String?
        var oneSided: String?
        var indexCount = 0, indexLetters: [String] = []
        draws: for draw in 0..<verifier.drawCount {
            let evaluator = MatrixEvaluator(scope: scope, shapes: matrixShapes,
                                            draws: Draws(seed: seed, draw: draw, positive: analysis.positive, probabilities: analysis.probabilities),
                                            denominatorLayout: matrixShapes.denominatorLayout, tape: claimTape)
            evaluator.maxElements = verifier.limits.maxArrayElements
            evaluator.deadline = deadline
            do {
                // A per-entry claim (`∂L/∂W_{ij} = δ_i x_j`) is compared at every value of its free
                // indices; the first evaluation, at 0, finds how far each runs.
                var combinations: [[String: Int]] = [[:]]
                var next = 0
                while next < combinations.count {
                    evaluator.indexValues = combinations[next]
                    evaluator.forgetValues()
                    var a = try evaluator.evaluate(left).value
                    let leftFunctions = evaluator.arbitraryFunctions
                    evaluator.arbitraryFunctions = []
                    evaluator.forgetValues()
                    var b = try evaluator.evaluate(right).value
                    // `f(\mathbf{x}) = \mathbf{x}` with f never defined: true for some f, false for others, so a
                    // difference says nothing. Holding for every drawn f is another matter: `∂J/∂L = 1` with
                    // L = l(\mathbf{o}, y) uses l on one side only to place L, and holds whatever l is.
                    if oneSided == nil { oneSided = leftFunctions.symmetricDifference(evaluator.arbitraryFunctions).sorted().first }
                    if next == 0, !evaluator.indexSizes.isEmpty {
                        indexLetters = evaluator.indexSizes.keys.sorted()
                        combinations = try Self.indexCombinations(evaluator.indexSizes, letters: indexLetters)
                        indexCount = combinations.count
                    }
                    next += 1
                    // `\mathbf{X}^T \mathbf{r} = 0`: a written 0 is the zero of the other side's shape.
                    if Self.isZero(right), b.shape.count == 1 { b = Self.zeros(like: a) }
                    if Self.isZero(left), a.shape.count == 1 { a = Self.zeros(like: b) }
                    if draw == 0, next == 1 {
                        result.leftValue = ValueFormat.text(a)
                        result.rightValue = ValueFormat.text(b)
                        result.inputs = Self.namedValues(evaluator.inputs, withShapes: true, guessed: evaluator.guessed)
                        result.computed = Self.namedValues(evaluator.computed, withShapes: false)
                        result.symbolValues = Self.symbolValues(in: [left, right], inputs: evaluator.inputs)
                    }
                    let comparison = Comparison(a, b, relativeTolerance: tolerance)
                    entries = a.shape.count
                    guard !comparison.holds else { continue }
                    // Against a written 0 there is no scale to be relative to: rounding (1e-15 after an
                    // inverse) is zero, a wrong formula is a drawn value's size.
                    if Self.isZero(left) || Self.isZero(right), a.shape == b.shape,
                       (a.scalars + b.scalars).allSatisfy({ Swift.abs($0) <= 1e-9 }) { continue }
                    // `\frac{Q}{\sqrt{2}} = \begin{bmatrix} 0.7071 & 0 \\ … \end{bmatrix}`: entries printed to some digits
                    // hold to those digits (half a unit, or a whole one for a cut value of three decimals or more).
                    if printedAllowance > 0, a.shape == b.shape,
                       zip(a.scalars, b.scalars).allSatisfy({ Swift.abs($0 - $1) <= printedAllowance }) { continue }
                    if comparison.shapeMessage != nil {
                        // Sides of different shapes where a plain letter's shape was guessed from its use
                        // (`x^T` makes x a vector): the guess, not the step, may be wrong. A bold or arrowed
                        // letter is a vector by its style, and `\mathbf{y}^T` against `\mathbf{A}\mathbf{x}` fails.
                        if let guessed = evaluator.guessed.sorted().first(where: { !$0.hasPrefix("\\") }) {
                            result.leaveUnchecked(.guessedShape)
                            result.message = MatrixMessages.guessedShape(ValueFormat.name(guessed), MatrixMessages.sidesDiffer(a.shape, b.shape))
                            report.steps.append(result)
                            return
                        }
                        failure = MatrixMessages.sidesDiffer(a.shape, b.shape)
                    } else if indexLetters.isEmpty, a.shape.count == 1 {
                        failure = VerifyMessages.differs(ValueFormat.text(a), ValueFormat.text(b))
                    } else if !indexLetters.isEmpty, a.shape.count == 1 {
                        let values = combinations[next - 1]
                        let place = indexLetters.map { "\($0) = \((values[$0] ?? 0) + 1)" }.joined(separator: ", ")
                        failure = VerifyMessages.failsAt(place, ValueFormat.number(a.scalars[0]), ValueFormat.number(b.scalars[0]))
                    } else if let index = zip(a.scalars, b.scalars).enumerated().first(where: { _, pair in
                        let (x, y) = pair
                        return !(Swift.abs(x - y) <= tolerance * Swift.max(Swift.abs(x), Swift.abs(y)) + 1e-12)
                    })?.offset {
                        failure = MatrixMessages.firstDifference(a.shape, at: index, a.scalars[index], b.scalars[index])
                    } else {
                        failure = VerifyMessages.differs(ValueFormat.text(a), ValueFormat.text(b))
                    }
                    if a.scalars.contains(where: { !$0.isFinite }) || b.scalars.contains(where: { !$0.isFinite }) {
                        result.leaveUnchecked(.notEvaluated)
                        result.message = VerifyMessages.couldNotEvaluate("a value that is not finite")
                        report.steps.append(result)
                        return
                    }
                    break draws
                }
            } catch {
                switch error {
                case .shapes(let message, _):
                    // A shape nothing in the note fixed (`\boldsymbol{\alpha}` may be a number) is a guess:
                    // a mismatch through it says nothing about the step.
                    if let guessed = freeMatrixSymbols(in: [left, right]).first(where: { matrixShapes.isGuessed($0.symbol?.key ?? "") }) {
                        result.leaveUnchecked(.guessedShape)
                        result.message = MatrixMessages.guessedShape(guessed.plain, message)
                        report.steps.append(result)
                        return
                    }
                    failure = message
                    break draws
                case .unsupported(let reason):
                    result.leaveUnchecked(.unsupported)
                    result.message = MatrixMessages.notRead(symbol.plain, reason)
                case .engine(let reason):
                    result.leaveUnchecked(.notEvaluated)
                    result.message = VerifyMessages.couldNotEvaluate(reason)
                case .limit(let message):
                    result.status = .error
                    result.message = message
                }
                report.steps.append(result)
                return
            }
        }
        let layout = matrixShapes.mentionsJacobian([left, right]) ? (matrixShapes.denominatorLayout ? "denominator" : "numerator") : nil
        if failure != nil, let oneSided {
            result.leaveUnchecked(.undefinedFunction)
            result.message = VerifyMessages.undefinedFunctionOnOneSide(oneSided)
        } else if let failure {
            result.status = expectFailure ? .expectedFailure : .failed
            result.message = failure
        } else if expectFailure {
            result.status = .failed
            result.message = VerifyMessages.expectedFailureHolds(VerifyMessages.differs(result.leftValue ?? "?", result.rightValue ?? "?"))
        } else if indexCount > 0 {
            result.message = MatrixMessages.heldAtIndices(indexCount, indexLetters, draws: verifier.drawCount, layout: layout)
        } else {
            result.message = MatrixMessages.heldOver(entries, draws: verifier.drawCount, layout: layout)
        }
        report.steps.append(result)
    }

    /// The drawn value of each input where the claim writes it, for hover on the page (40 at most).
    static func symbolValues(in expressions: [MathExpression], inputs: [(String, Tensor)]) -> [SymbolValue] {
        let values = Dictionary(inputs, uniquingKeysWith: { first, _ in first })
        var found: [SymbolValue] = []
        for expression in expressions {
            expression.forEachNode { node in
                guard found.count < 40, case .symbol = node.kind, let value = values[node.plain] else { return }
                found.append(SymbolValue(range: node.range, value: ValueFormat.text(value)))
            }
        }
        return found
    }

    /// Every assignment of values to `letters`, each from 0 below its size, the all-zero one first;
    /// beyond 1,024 a per-entry claim is not compared entry by entry.
    static func indexCombinations(_ sizes: [String: Int], letters: [String]) throws(MatrixError) -> [[String: Int]] {
        let total = letters.reduce(1) { $0 * (sizes[$1] ?? 1) }
        guard total <= 1024 else { throw .unsupported("a per-entry claim over \(total) index values") }
        return (0..<total).map { flat in
            var rest = flat
            var values: [String: Int] = [:]
            for letter in letters.reversed() {
                let size = sizes[letter] ?? 1
                values[letter] = rest % size
                rest /= size
            }
            return values
        }
    }

    /// `= \frac{\partial L}{\partial \mathbf{o}} \in \mathbb{R}^q` at the end of a chain says the value's
    /// shape and is no part of it; the parser leaves such an operand unread, so it is read again
    /// without the membership.
    func withoutMembership(_ expression: MathExpression) -> MathExpression {
        guard case .uninterpretable(_, let tex) = expression.kind,
              let cut = tex.range(of: #"\\in\s*\\mathbb\s*\{?\s*R\s*\}?(\s*\^\s*(\{[^}]*\}|\S))?\s*[.,;]?\s*$"#, options: .regularExpression),
              let read = MathParser.parse(String(tex[..<cut.lowerBound]), in: notebook.source, at: expression.range.start.offset).expression,
              !read.containsUninterpretable else { return expression }
        return read
    }

    static func isZero(_ expression: MathExpression) -> Bool {
        if case .number(let text) = expression.kind { return Double(text) == 0 }
        return false
    }

    static func zeros(like tensor: Tensor) -> Tensor {
        (try? Tensor(shape: tensor.shape, scalars: [Double](repeating: 0, count: tensor.shape.count))) ?? Tensor(0)
    }

    /// Inputs and derivatives for the report, each once, a matrix's name with its shape: `X (5×3)`,
    /// `α (4, guessed)` when nothing in the note fixed it.
    static func namedValues(_ values: [(String, Tensor)], withShapes: Bool, guessed: Set<String> = []) -> [NamedValue] {
        var seen: Set<String> = []
        var named: [NamedValue] = []
        for (name, value) in values where seen.insert(name).inserted {
            let shape = MatrixMessages.shape(value.shape) + (guessed.contains(name) ? ", guessed" : "")
            let label = withShapes && value.shape.count > 1 ? "\(name) (\(shape))" : name
            named.append(NamedValue(name: label, value: ValueFormat.text(value), grid: ValueGrid(value)))
        }
        return named
    }
}

extension MatrixShapes {
    /// The note's shapes: declarations in its math, bold letters, use; sizes it gives with `nb: let N = 6`.
    /// `excluded` are family keys that are never whole matrices: the network's quantities, families defined entry by entry.
    static func of(_ notebook: Notebook, maths: [ParsedMath], seed: UInt64, excluding excluded: Set<String> = [],
                   courseLoss: String? = nil) -> MatrixShapes {
        var texts: [String] = []
        var given: [String: Int] = [:]
        var ignored: [Diagnostic] = []   // reported where the directives apply
        for case .math(let math) in notebook.cells {
            texts.append(math.tex)
            for (tex, value) in Directives(math.annotations.map { ($0.text, $0.range) }, into: &ignored).assignments
            where value == value.rounded() && value >= 1 && value <= 4096 {
                if let symbol = MathParser.parse(tex).expression?.symbol { given[symbol.key] = Int(value) }
            }
        }
        var shapes = MatrixShapes(texts: texts, maths: maths, seed: seed, givenSizes: given, excluding: excluded,
                                  written: shapesInProse(notebook.source))
        shapes.denominatorLayout = asksForDenominatorLayout(notebook.source)
        shapes.symmetric = symmetricMatrices(notebook)
        shapes.scalarLosses = Set(courseLoss.map { [$0] } ?? [])
        return shapes
    }

    /// "$W^{[1]}$ is $(n^{[1]}, n_x)$": the course's way of giving a shape, rows and columns, in the
    /// prose; read as the declaration `W^{[1]} \in \mathbb{R}^{n^{[1]} \times n_x}`.
    static func shapesInProse(_ source: SourceFile) -> [(name: String, rows: String, columns: String)] {
        let text = String(decoding: source.bytes, as: UTF8.self)
        let pattern = #"\$([^$]+)\$\s+(?:is|has shape|of shape)\s+\$\s*\(([^,$()]+),\s*([^,$()]+)\)\s*\$"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let name = Range(match.range(at: 1), in: text), let rows = Range(match.range(at: 2), in: text),
                  let columns = Range(match.range(at: 3), in: text) else { return nil }
            let part = { (range: Range<String.Index>) in text[range].trimmingCharacters(in: .whitespaces) }
            return (part(name), part(rows), part(columns))
        }
    }

    /// "For a symmetric matrix $\mathbf{A} \in …$", "where $A$ is symmetric": the matrix the prose
    /// calls symmetric, named by inline math just after the word or just before it.
    static func symmetricMatrices(_ notebook: Notebook) -> Set<String> {
        let bytes = notebook.source.bytes
        let word = Array("symmetric".utf8)
        var found: Set<String> = []
        for case .math(let math) in notebook.cells where !math.display {
            let start = math.range.start.offset, end = math.range.end.offset
            let before = String(decoding: bytes[max(0, start - 24)..<start], as: UTF8.self).lowercased()
            let after = String(decoding: bytes[end..<min(bytes.count, end + 16)], as: UTF8.self).lowercased()
            let beforeNames = before.utf8.count >= word.count && before.containsBytes("symmetric")
                && !before.containsBytes(".") && !before.containsBytes("$")
            let afterNames = after.hasPrefix(" is symmetric") || after.hasPrefix(" symmetric")
            // `\mathbf{A} \in \mathbb{R}^{D \times D}`: the name before any `\in`.
            let name = math.tex.components(separatedBy: "\\in").first ?? math.tex
            guard beforeNames || afterNames, let symbol = MathParser.parse(name).expression?.symbol else { continue }
            found.insert(symbol.key)
        }
        return found
    }

    /// `<!-- nb: layout denominator -->` anywhere in the note: Jacobians are ∂yⱼ/∂xᵢ in row i.
    static func asksForDenominatorLayout(_ source: SourceFile) -> Bool {
        let text = String(decoding: source.bytes, as: UTF8.self)
        return text.containsBytes("nb: layout denominator") || text.containsBytes("nb:layout denominator")
    }

    /// Whether a derivative of a vector by a vector is written in these expressions.
    func mentionsJacobian(_ expressions: [MathExpression]) -> Bool {
        var found = false
        for expression in expressions {
            expression.forEachNode { node in
                guard !found, case .derivative(let derivative) = node.kind, let operand = derivative.operand,
                      derivative.variables.count == 1 else { return }
                var copy = self
                if case .matrix(_, let c) = copy.infer(operand), root(c) == Self.one,
                   case .matrix(_, let vc) = copy.infer(derivative.variables[0]), root(vc) == Self.one {
                    found = true
                }
            }
        }
        return found
    }
}
