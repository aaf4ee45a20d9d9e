import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

extension VerifierRun {
    // MARK: Claims

    /// `statement` holds every operand of the statement: what it says about index ranges holds for each step.
    mutating func check(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind,
                                sign: SourceRange, math: MathCell, expectFailure: Bool, inline: Bool,
                                statement: [MathExpression] = []) {
        switch relation {
        case .equal, .definition, .approximate, .equivalent: break
        case .implies:
            // `a = b \Rightarrow c = d`: the arrow joins two statements; each is checked on its own.
            return
        case let inequality where [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(inequality) && Self.isRange(left, right):
            // `0 < \alpha < 1`: where a symbol lies (drawn there, `NoteAnalysis.assumeRanges`), not a claim.
            return
        default:
            let reason = relation == .update ? VerifyMessages.updateRule : VerifyMessages.relationNotChecked(relation.plain)
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: reason, reason: relation == .update ? .updateRule : .relation) }
            return
        }
        // `w5 = w5 - \alpha \frac{\partial E}{\partial w5}`: an update written with `=`, not an identity.
        if relation == .equal, Self.isUpdate(left, right) {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.updateRule, reason: .updateRule) }
            return
        }
        // In running text, `$z = 0$` is a condition more often than a value: only decimals give values there.
        // "With $x = 1.5$, $y = 1$ and $w = 0.4$": a whole number among decimals given on the same line is one too.
        let mayBind = !inline || [left, right].contains { !PrintedPrecision.literals(in: $0).isEmpty }
            || Self.givesDecimalsOnItsLine(math, in: notebook.source) || Self.namesAPoint(math, in: notebook.source)
        if mayBind, let worked = bindWorkedNumbers(left, right) ?? bindWorkedNumbers(right, left), !worked.values.isEmpty,
           worked.boundLeaves == 0 {
            // Every symbol got its value from this very step: nothing was compared.
            let given = worked.values.map { "\($0.name) = \(ValueFormat.number($0.value))" }
            record(.defined, sign, math, left: left, right: right, message: VerifyMessages.givesWorkedValues(given))
            return
        }
        if !inline, relation == .equal, let named = nameByEquality(left, right) {
            record(.defined, sign, math, left: left, right: right, message: VerifyMessages.namedByEquality(named))
            return
        }
        if let cue = displayConvention, !inline {
            record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.anotherConvention(cue), reason: .anotherConvention)
            return
        }
        if let cue = displaySolves, !inline {
            record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.equationToSolve(cue), reason: .equationToSolve)
            return
        }
        // `\frac{\partial C}{w_{jk}}`: the note's own mistake, whatever the rest of the step says.
        if let lost = left.lostPartial ?? right.lostPartial {
            var written = lost.plain
            if case .uninterpretable(_, let tex) = lost.kind { written = tex }
            record(.failed, sign, math, left: left, right: right, message: VerifyMessages.lostPartial(written))
            return
        }
        // `d\sigma(x) = …`, `dy = f'(x) dx`: a `d` the note never defines is a differential, not a number.
        if Self.hasDifferential(left) || Self.hasDifferential(right), !scope.isBound("d") {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.differentials, reason: .differentials) }
            return
        }
        // `X(Xw - y)` with X a matrix: drawn as numbers it would hold as a scalar identity.
        // (One the note defines, `W = \begin{bmatrix} … \end{bmatrix}` or `h = \tanh(Wx)`, has its real shape.)
        let network = scope.network
        let bound = scope
        let isNetworkQuantity = { (symbol: MathSymbol) in
            network?.role(ofBaseKey: symbol.baseKey) != nil || Self.literalKey(symbol).map(bound.isBound) == true
        }
        // Checked as matrices (VerifierRun+Matrices.swift); what that cannot read stays unchecked.
        if let matrix = freeMatrixSymbol(in: [left, right]) {
            if !inline { checkMatrices(left, right, relation: relation, sign: sign, math: math, expectFailure: expectFailure, symbol: matrix) }
            return
        }
        if let matrix = matrices.firstMatrix(in: left, excluding: isNetworkQuantity)
            ?? matrices.firstMatrix(in: right, excluding: isNetworkQuantity) {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.matrixNotation(matrix.plain), reason: .matrixNotation) }
            return
        }
        // `z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k` says what z is at every layer; nbrun reads
        // it at layer l+1 only, so z^l in a claim would be drawn free of it.
        if let (used, defined) = layerDefinedOnlyElsewhere(in: [left, right]) {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.shiftedLayer(used, defined: defined), reason: .shiftedLayer) }
            return
        }
        // `g = \sigma`: two functions, equal when they agree at every point; checked at a drawn one.
        var left = left, right = right
        if isFunctionName(left), isFunctionName(right) {
            let point = MathExpression(.symbol(MathSymbol(name: "·")), range: sign)
            left = Self.applying(left, to: point)
            right = Self.applying(right, to: point)
        }
        var claim = Claim(left: left, right: right, relativeTolerance: 1e-9)
        // `\approx 0.4975` is held to the digits printed, as `= 0.4975` is; `\approx` between
        // formulas (an approximation the author makes) to 1 %.
        if relation == .approximate, !claim.hasPrintedNumbers { claim.relativeTolerance = 1e-2 }
        claim.indexVariables = freeIndexVariables(left, right)
        claim.sharedOpenDerivatives = sharedOpenDerivatives(left, right)
        var tuples = indexTuples(for: claim.indexVariables, in: statement.isEmpty ? [left, right] : statement)
        if let condition = displayCondition {
            tuples = tuples.filter { tuple in condition.admits(Dictionary(uniqueKeysWithValues: zip(claim.indexVariables, tuple))) }
        }
        var outcome = ClaimOutcome()
        // A claim between formulas (no printed numbers, no worked value put in for a formula) holds
        // for any values, not only for the worked example's: its inputs keep the worked values at
        // the first draw only.
        let general = !inline && !workedKeys.isEmpty && !claim.hasPrintedNumbers && !claim.substitutesNumbers
        // `|t - o|` for `o - t` is true on half of all inputs: a claim through a kink (an absolute
        // value, a norm, max, ReLU, an indicator) is drawn more often, so that both sides of it are met.
        let drawCount = Self.hasKink(left) || Self.hasKink(right) ? max(verifier.drawCount, 8) : verifier.drawCount
        for draw in 0..<drawCount {
            if ContinuousClock.now > deadline { outOfTime = true; break }
            let evaluator = makeEvaluator(draw: draw, inline: inline, withoutWorkedValues: general && draw > 0)
            let result = evaluate(claim, tuples: tuples, evaluator: evaluator, draw: draw, keepDetails: draw == 0)
            if result.outOfTime { outOfTime = true; break }
            outcome.absorb(result, draw: draw)
            if outcome.isFinal { break }
        }
        if outOfTime {
            record(.error, sign, math, left: left, right: right,
                   message: VerifyMessages.timeBudget(Int(verifier.limits.timePerNote.components.seconds)))
            return
        }
        // A failure must show again on a fresh draw: one of three, so that a step false on half of
        // all inputs (`|t - o|` for `o - t`) is not taken for one near a kink, which none repeats.
        if outcome.failed, !outcome.isFinal {
            outcome.inconclusive = true
            for extra in 0..<3 {
                let draw = drawCount + extra
                let evaluator = makeEvaluator(draw: draw, inline: inline, withoutWorkedValues: general)
                let again = evaluate(claim, tuples: tuples, evaluator: evaluator, draw: draw, keepDetails: false)
                if again.failures > 0 || again.error != nil {
                    outcome.inconclusive = false
                    break
                }
            }
        }
        if inline, outcome.skipInline { return }
        if outcome.failed, !outcome.inconclusive, outcome.error == nil, !expectFailure,
           let family = holdsWithOneHot(claim, tuples: tuples, inline: inline) {
            // Softmax with cross-entropy: `∂L/∂z_i = p_i - y_i` holds only for a one-hot y.
            if proseSaysOneHot {
                var verified = outcome
                verified.failed = false
                finish(verified, claim: claim, sign: sign, math: math, expectFailure: false)
                report.steps[report.steps.count - 1].message = VerifyMessages.holdsOneHot(family)
            } else {
                finish(outcome, claim: claim, sign: sign, math: math, expectFailure: false)
                report.steps[report.steps.count - 1].message += VerifyMessages.wouldHoldOneHot(family)
            }
            return
        }
        finish(outcome, claim: claim, sign: sign, math: math, expectFailure: expectFailure)
    }

    /// A bare symbol naming a function: the network's activation, one the note defines, or one
    /// nbrun knows (`\sigma`, `\tanh`).
    func isFunctionName(_ expression: MathExpression) -> Bool {
        if case .call(let call) = expression.kind { return call.arguments.isEmpty }   // `\tanh` alone
        guard case .symbol(let symbol) = expression.kind, symbol.indices.isEmpty, symbol.label == nil else { return false }
        if scope.network?.role(ofBaseKey: symbol.baseKey) == .activation { return true }
        return scope.functions[symbol.baseKey] != nil || Evaluator.namesBuiltin(symbol)
    }

    /// `g` or `\tanh` applied to `point`.
    static func applying(_ function: MathExpression, to point: MathExpression) -> MathExpression {
        if case .call(var call) = function.kind {
            call.arguments = [point]
            return MathExpression(.call(call), range: function.range)
        }
        return MathExpression(.application(function: function, arguments: [point]), range: function.range)
    }

    /// `w = w - η g`, `w = w + Δw`: the left symbol is the first term of the right side.
    static func isUpdate(_ left: MathExpression, _ right: MathExpression) -> Bool {
        guard case .symbol(let symbol) = left.kind, case .binary(let op, let first, _) = right.kind,
              op == .subtract || op == .add, case .symbol(let again) = first.kind else { return false }
        return symbol.key == again.key
    }

    /// The free vector family of a failed claim under which, drawn one-hot, the claim holds at every draw.
    func holdsWithOneHot(_ claim: Claim, tuples: [[Int]], inline: Bool) -> String? {
        var families: [String] = []
        for side in [claim.left, claim.right] {
            side.forEachNode { node in
                guard case .symbol(let symbol) = node.kind, !symbol.indices.isEmpty else { return }
                let family = symbol.familyLabelKey
                if analysis.arrayShapes[family]?.rank == 1, !scope.oneHot.contains(family), !families.contains(family) {
                    families.append(family)
                }
            }
        }
        for family in families.prefix(3) {
            var trial = self
            trial.scope.oneHot.insert(family)
            var holds = true
            for draw in 0...verifier.drawCount {
                let result = trial.evaluate(claim, tuples: tuples, evaluator: trial.makeEvaluator(draw: draw, inline: inline),
                                            draw: draw, keepDetails: false)
                if result.failures > 0 || result.error != nil || result.checked == 0 { holds = false; break }
            }
            if holds { return family }
        }
        return nil
    }

    /// Whether the note's prose says its targets are one-hot ("Since y is a one-hot vector").
    /// Whether an expression goes through a function with a kink: |·|, a norm, max, min, ReLU, 𝟙(…).
    static func hasKink(_ expression: MathExpression) -> Bool {
        var found = false
        expression.forEachNode { node in
            switch node.kind {
            case .absolute, .norm: found = true
            case .call(let call):
                let name = call.name.lowercased()
                if ["max", "min", "relu", "abs"].contains(name) || name.hasPrefix("1[") { found = true }
            default: break
            }
        }
        return found
    }

    /// The source of a side that could not be read and, as written, has more closing brackets than
    /// opening ones (`)` and `]` counted together with `(` and `[`, so that `[0, 1)` is balanced), or nil.
    func strayCloser(in side: MathExpression) -> String? {
        guard side.containsUninterpretable else { return nil }
        let bytes = notebook.source.bytes
        let start = side.range.start.offset
        let end = side.range.end.offset
        guard start >= 0, start < end, end <= bytes.count else { return nil }
        var opens = 0
        var closes = 0
        var escaped = false
        for byte in bytes[start..<end] {
            if escaped { escaped = false; continue }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "("), UInt8(ascii: "["): opens += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): closes += 1
            default: break
            }
        }
        return closes > opens ? String(decoding: bytes[start..<end], as: UTF8.self) : nil
    }

    /// A bare symbol on one side and a number on the other (`0 < \alpha`, `\eta > 0`).
    static func isRange(_ left: MathExpression, _ right: MathExpression) -> Bool {
        let isNumber = { (expression: MathExpression) -> Bool in if case .number = expression.kind { true } else { false } }
        return (left.symbol != nil && isNumber(right)) || (isNumber(left) && right.symbol != nil)
    }

    /// Words that present the next display in another convention than the note's own.
    static let conventionCues = ["would be written", "some sources", "some authors", "other sources", "other authors",
                                 "others write", "another convention", "other convention", "some texts", "other texts"]

    /// The cue in the paragraph just before `offset` that presents the display there in another
    /// convention ("Some sources extract the negative sign from δ so it would be written as:"), or nil.
    static func anotherConvention(in source: SourceFile, before offset: Int) -> String? {
        cue(conventionCues, in: source, before: offset)
    }

    /// Words that make the next display an equation to solve ("Setting the gradient to zero,").
    static let solvingCues = ["setting the", "setting it", "set to zero", "set it to zero", "set equal to",
                              "solve for", "solving for", "solving", "normal equation"]

    /// The cue in the paragraph just before `offset` that makes the display there an equation to
    /// solve (the gradient set to zero, the normal equations), not an identity; or nil.
    static func equationToSolve(in source: SourceFile, before offset: Int) -> String? {
        cue(solvingCues, in: source, before: offset)
    }

    /// The first of `cues` in the paragraph just before `offset`.
    static func cue(_ cues: [String], in source: SourceFile, before offset: Int) -> String? {
        let bytes = source.bytes
        let end = min(max(0, offset), bytes.count)
        var start = max(0, end - 400)
        // The paragraph the display follows: back to its blank line.
        if let blank = (start..<max(start, end - 1)).reversed().first(where: { bytes[$0] == UInt8(ascii: "\n") && bytes[$0 + 1] == UInt8(ascii: "\n") && $0 + 2 < end }) {
            start = blank + 2
        }
        let paragraph = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        return cues.first { paragraph.containsBytes($0) }
    }

    static func saysOneHot(_ source: SourceFile) -> Bool {
        let lowered = String(decoding: source.bytes, as: UTF8.self).lowercased()
        return lowered.containsBytes("one-hot") || lowered.containsBytes("one hot") || lowered.containsBytes("onehot")
    }

    /// An evaluator for one draw, bound by the note's limits and what is left of its time.
    /// An evaluator for one draw. Every evaluator made here records on `claimTape`, emptying
    /// it first: use one at a time, and keep values (tensors), never nodes, past the next one.
    func makeEvaluator(draw: Int, inline: Bool, withoutWorkedValues: Bool = false) -> Evaluator {
        var scope = scope
        if withoutWorkedValues {
            for key in workedKeys { scope.literals[key] = nil }
        }
        let evaluator = Evaluator(scope: scope, draws: draws(draw), analysis: analysis, allowsFreeSymbols: !inline, tape: claimTape)
        evaluator.vectorizesSums = verifier.vectorizesSums
        evaluator.limits = verifier.limits
        evaluator.deadline = deadline
        return evaluator
    }

    func draws(_ draw: Int) -> Draws {
        Draws(seed: seed, draw: draw, positive: analysis.positive, probabilities: analysis.probabilities)
    }

    /// `\frac{\partial \mathcal{L}}{\partial h_{ij}} \frac{\partial h_{ij}}{\partial a_{ij}} = \frac{\partial \mathcal{L}}{\partial h_{ij}} g'(a_{ij})`
    /// with ℒ never defined: the derivatives of open quantities written on each side, when both
    /// sides write the same ones (a chain rule that trades one for another, `∂ℒ/∂a = ∂ℒ/∂h ∂h/∂a`,
    /// writes different ones and gets none).
    func sharedOpenDerivatives(_ left: MathExpression, _ right: MathExpression) -> Set<String> {
        func open(in side: MathExpression) -> Set<String> {
            var found: Set<String> = []
            side.forEachNode { node in
                guard case .derivative(let derivative) = node.kind, derivative.order == 1, derivative.variables.count == 1,
                      let operand = derivative.operand, let symbol = Self.openQuantity(operand) else { return }
                let key = Self.literalKey(symbol, indexNames: analysis.indexNames) ?? symbol.key
                guard !scope.isBound(key), scope.families[symbol.familyLabelKey] == nil, scope.functions[symbol.baseKey] == nil,
                      scope.network?.role(ofBaseKey: symbol.baseKey) == nil else { return }
                found.insert(Evaluator.openDerivativeKey(operand, derivative.variables[0]))
            }
            return found
        }
        let written = open(in: left)
        return !written.isEmpty && written == open(in: right) ? written : []
    }

    /// What a step may draw beside an unknown derivative: the variables it differentiates by,
    /// and the open quantities and their arguments (`ℒ`, `θ` of `ℒ(θ)`), by key and by family.
    func derivativeVariableKeys(_ side: MathExpression) -> Set<String> {
        var keys: Set<String> = []
        side.forEachNode { node in
            guard case .derivative(let derivative) = node.kind else { return }
            for variable in derivative.variables { if let symbol = variable.symbol { keys.insert(symbol.familyLabelKey); keys.insert(symbol.key) } }
            derivative.operand?.forEachNode { inner in
                if case .symbol(let symbol) = inner.kind, derivative.operand.flatMap(Self.openQuantity) != nil {
                    keys.insert(symbol.familyLabelKey)
                    keys.insert(symbol.key)
                }
            }
        }
        return keys
    }

    /// `\mathcal{L}`, `C`, `\mathcal{L}(\theta)`: the quantity a derivative's operand names.
    static func openQuantity(_ operand: MathExpression) -> MathSymbol? {
        switch operand.kind {
        case .symbol(let symbol): return symbol
        case .application(let function, _), .applicationOrProduct(let function, _): return function.symbol
        default: return nil
        }
    }

    struct Claim {
        var left: MathExpression
        var right: MathExpression
        var relativeTolerance: Double
        var indexVariables: [String] = []
        /// Derivatives of a quantity the note leaves open written alike on both sides
        /// (`\frac{\partial \mathcal{L}}{\partial h_{ij}}`): one unknown number, the same on each.
        var sharedOpenDerivatives: Set<String> = []
        /// A side is numbers only, with a decimal literal (`= 0.186815602`, `= 0.7513(1 - 0.7513)`):
        /// the claim is about the author's worked numbers, not a formula with a constant (`-0.5 x`).
        /// Worked out once: it is asked per draw and per failing tuple.
        let hasPrintedNumbers: Bool

        init(left: MathExpression, right: MathExpression, relativeTolerance: Double) {
            self.left = left
            self.right = right
            self.relativeTolerance = relativeTolerance
            hasPrintedNumbers = [left, right].contains { VerifierRun.isNumbersOnly($0) && !PrintedPrecision.literals(in: $0).isEmpty }
            // Or one side is numbers only (`\frac{\partial u}{\partial r} = 2 \cdot 2 \cdot 1 + 0`): a value at the point.
            substitutesNumbers = Self.decimals(in: left) != Self.decimals(in: right)
                || VerifierRun.isNumbersOnly(left) != VerifierRun.isNumbersOnly(right)
            matrixAllowance = PrintedPrecision.Literal.largestAllowance(PrintedPrecision.literals(in: left) + PrintedPrecision.literals(in: right))
        }

        /// How far a printed entry of a vector or matrix may be from its value (`Literal.largestAllowance`).
        let matrixAllowance: Double

        /// One side writes a decimal the other does not (`\frac{dL}{de} \frac{de}{da} = -2.0 \cdot b`): a
        /// worked value put in for a formula, so the step holds at the worked example's values only.
        let substitutesNumbers: Bool

        private static func decimals(in expression: MathExpression) -> [String] {
            var found: [String] = []
            expression.forEachNode { node in
                if case .number(let text) = node.kind, text.contains(".") { found.append(text) }
            }
            return found.sorted()
        }
    }

    /// What evaluating a claim over its index tuples at one draw found.
    struct DrawResult {
        var checked = 0
        var failures = 0
        var failingTuple: [Int]?
        var error: EvaluationError?
        var skipInline = false
        var firstLeft: Tensor?
        var firstRight: Tensor?
        var failureLeft: Tensor?
        var failureRight: Tensor?
        var shapeMessage: String?
        var rows: [IndexTable.Row] = []
        var computed: [NamedValue] = []
        var inputs: [NamedValue] = []
        var symbols: [SymbolValue] = []
        var difference: Difference?
        /// What the printed digits of the sides allowed them to differ by, when they have decimal literals.
        var printedAllowance: Double?
        /// A function the note never defines that only one side uses.
        var unknownFunction: String?
        /// Free inputs drawn at random for a claim that compares with printed numbers.
        var drawnInputs: [String] = []
        /// Derivatives of the step whose operand does not depend on their variable.
        var disconnections: [Evaluator.Disconnection] = []
        /// Whether both sides were exactly 0 at every index tuple checked.
        var bothZero = true
        /// The note's time budget ran out during this draw.
        var outOfTime = false
    }

    struct ClaimOutcome {
        static func isZero(_ value: Tensor) -> Bool { value.scalars.allSatisfy { $0 == 0 } }

        var first: DrawResult?
        var failed = false
        var failingTuple: [Int]?
        var error: EvaluationError?
        var inconclusive = false
        var skipInline = false
        var noTuples = false
        var isFinal: Bool { error != nil || noTuples || skipInline }

        /// Both sides at a later draw, when at the first they were both exactly 0 (`∂\max(x, y)/∂y`
        /// where x > y) and here they are not: what a reader is shown was compared.
        var nonzeroSides: (left: Tensor, right: Tensor)?

        mutating func absorb(_ result: DrawResult, draw: Int) {
            if draw == 0 { first = result }
            if draw > 0, nonzeroSides == nil, let shownLeft = first?.firstLeft, let shownRight = first?.firstRight,
               Self.isZero(shownLeft), Self.isZero(shownRight), let left = result.firstLeft, let right = result.firstRight,
               !Self.isZero(left) || !Self.isZero(right) {
                nonzeroSides = (left, right)
            }
            if result.skipInline { skipInline = true }
            if let error = result.error { self.error = error; return }
            if result.checked == 0 { noTuples = true; return }
            if result.failures > 0 {
                if !failed { failingTuple = result.failingTuple }
                failed = true
                if first?.failureLeft == nil { first?.failureLeft = result.failureLeft; first?.failureRight = result.failureRight }
            }
        }
    }

    func evaluate(_ claim: Claim, tuples: [[Int]], evaluator: Evaluator, draw: Int, keepDetails: Bool) -> DrawResult {
        var result = DrawResult()
        evaluator.sharedOpenDerivatives = claim.sharedOpenDerivatives
        // Tuples come in order of their first index (a layer, typically). The first checked
        // tuple of each value computes what its siblings share (that layer's forward pass and
        // gradients); a mark after it lets each sibling roll back to it, so the tape holds the
        // shared part plus one tuple, not every tuple.
        var mark: Evaluator.Checkpoint?
        var markedFirst: Int?
        for tuple in tuples {
            if let current = mark, tuple.first == markedFirst {
                evaluator.restore(current)
            } else {
                mark = nil
            }
            let checkedBefore = result.checked
            defer {
                if mark == nil, result.checked > checkedBefore {
                    mark = evaluator.checkpoint()
                    markedFirst = tuple.first
                }
            }
            var context = Evaluator.Context()
            for (name, value) in zip(claim.indexVariables, tuple) { context.indices[name] = value }
            do {
                evaluator.arbitraryFunctionsUsed = []
                let left = try evaluator.evaluate(claim.left, context)
                let leftFunctions = evaluator.arbitraryFunctionsUsed
                evaluator.arbitraryFunctionsUsed = []
                let right = try evaluator.evaluate(claim.right, context)
                if leftFunctions != evaluator.arbitraryFunctionsUsed {
                    // `f(2) = 4` with f never defined: one side needs f and the other does not,
                    // so only the f the author had in mind could make it hold.
                    result.unknownFunction = leftFunctions.symmetricDifference(evaluator.arbitraryFunctionsUsed).sorted().first
                }
                var comparison = Comparison(left.value, right.value, relativeTolerance: claim.relativeTolerance)
                // Worked numbers are scalars: a claim over index tuples is never re-evaluated per literal.
                if !comparison.holds, comparison.shapeMessage == nil, claim.indexVariables.isEmpty, claim.hasPrintedNumbers,
                   let a = left.value.scalar, let b = right.value.scalar,
                   let allowed = printedAllowance(claim, left: a, right: b, evaluator, context) {
                    // Worked numbers: the sides agree to the digits the author wrote.
                    comparison.holds = Swift.abs(a - b) <= allowed
                    result.printedAllowance = allowed
                } else if !comparison.holds, comparison.shapeMessage == nil, left.value.shape.count > 1, claim.matrixAllowance > 0 {
                    // A vector or matrix written with printed entries (`0.7071`): each holds to its digits.
                    comparison.holds = zip(left.value.scalars, right.value.scalars).allSatisfy { Swift.abs($0 - $1) <= claim.matrixAllowance }
                }
                result.checked += 1
                if result.bothZero, (left.value.scalars + right.value.scalars).contains(where: { $0 != 0 }) { result.bothZero = false }
                if result.firstLeft == nil { result.firstLeft = left.value; result.firstRight = right.value }
                if keepDetails, !claim.indexVariables.isEmpty, result.rows.count < verifier.tableLimit {
                    result.rows.append(IndexTable.Row(tuple: tuple, left: ValueFormat.text(left.value),
                                                      right: ValueFormat.text(right.value), holds: comparison.holds))
                }
                if !comparison.holds {
                    if result.failures == 0 {
                        result.failingTuple = tuple
                        result.failureLeft = left.value
                        result.failureRight = right.value
                        result.shapeMessage = comparison.shapeMessage
                        if keepDetails { result.difference = difference(claim.left, claim.right, evaluator, context) }
                    }
                    result.failures += 1
                    if !keepDetails { break }
                }
            } catch .indexOutOfRange {
                continue
            } catch .outOfTime {
                result.outOfTime = true
                return result
            } catch .unbound {
                result.skipInline = true
                return result
            } catch {
                if case .engine(let engineError, _) = error, case .shapeMismatch = engineError {
                    result.failures += 1
                    result.checked += 1
                    result.failingTuple = tuple
                    result.shapeMessage = engineError.description
                    break
                }
                result.error = error
                return result
            }
        }
        result.disconnections = evaluator.disconnections
        // An unknown derivative is sound only where the step holds whatever the rest is: every
        // other drawn input must be a variable the step differentiates by (`a_{ij}` in
        // `∂ℒ/∂h_{ij} ∂h_{ij}/∂a_{ij} = ∂ℒ/∂h_{ij} g'(a_{ij})`), not a quantity whose formula the
        // note does not give (a μ that is a mean only in a figure).
        if evaluator.usedOpenDerivative, result.error == nil {
            let allowed = derivativeVariableKeys(claim.left).union(derivativeVariableKeys(claim.right))
            if let other = evaluator.inputs.map(\.name).first(where: { name in
                !allowed.contains(name) && !allowed.contains(Draws.family(of: name)) && !analysis.sizeNames.contains(name)
            }) {
                result.error = .unsupported(VerifyMessages.openDerivativeWithOtherInputs(ValueFormat.name(other)), claim.left.range)
            }
        }
        let drawn = evaluator.inputs.map(\.name).filter { !analysis.sizeNames.contains($0) && !scope.oneHot.contains($0) }
        if claim.hasPrintedNumbers {
            // A random draw compared with a number the author printed says nothing.
            result.drawnInputs = drawn
        } else if !workedKeys.isEmpty, !drawn.isEmpty {
            // In a worked example, a name first written in this very step (`\delta_{h1}`) with no
            // value is the author's shorthand, not an input to draw.
            let start = claim.left.range.start.offset
            var fresh: [String] = []
            for side in [claim.left, claim.right] {
                side.forEachNode { node in
                    // A bare `i` where the note writes `i_1`, `i_2` is a slip, not a new name.
                    guard case .symbol(let symbol) = node.kind, (firstKeyUse[symbol.key] ?? 0) >= start,
                          !symbol.indices.isEmpty || (firstUse[symbol.familyLabelKey] ?? 0) >= start,
                          let key = Self.literalKey(symbol, indexNames: analysis.indexNames), drawn.contains(key) else { return }
                    fresh.append(node.plain)
                }
            }
            result.drawnInputs = fresh
        }
        if keepDetails {
            var context = Evaluator.Context()
            if let tuple = result.failingTuple ?? tuples.first {
                for (name, value) in zip(claim.indexVariables, tuple) { context.indices[name] = value }
            }
            // The inputs the check drew, taken before the values shown for hovering are worked out.
            var seen: Set<String> = []
            for input in evaluator.inputs where seen.insert(input.name).inserted {
                result.inputs.append(NamedValue(name: ValueFormat.name(input.name), value: ValueFormat.text(input.value)))
            }
            // By name, so that steps that drew the same inputs list them the same way (the page shows them once).
            result.inputs.sort { ($0.name.count, $0.name) < ($1.name.count, $1.name) }
            result.computed = computedValues(claim, evaluator, context)
            result.symbols = symbolValues(claim, evaluator)
        }
        return result
    }

    /// What the decimal literals of the claim's sides let them differ by (`PrintedPrecision`).
    func printedAllowance(_ claim: Claim, left: Double, right: Double, _ evaluator: Evaluator,
                                  _ context: Evaluator.Context) -> Double? {
        let evaluate = { (side: MathExpression) -> Double? in (try? evaluator.evaluate(side, context))?.value.scalar }
        let known = exactValues(evaluator)
        // A literal is written without its sign (`\sigma(-0.01)` holds `0.01`).
        let isExact = { (value: Double) in
            known.contains { Swift.abs(Swift.abs($0) - Swift.abs(value)) <= 1e-12 * Swift.max(1, Swift.abs(value)) }
        }
        let leftBounds = PrintedPrecision.bounds(for: claim.left, value: left, isExact: isExact, evaluate: evaluate)
        let rightBounds = PrintedPrecision.bounds(for: claim.right, value: right, isExact: isExact, evaluate: evaluate)
        if leftBounds == nil && rightBounds == nil { return nil }
        // The ranges meet when the lower side may lie that much higher and the other that much lower.
        let (lower, upper) = left <= right ? (leftBounds, rightBounds) : (rightBounds, leftBounds)
        return (lower?.above ?? 0) + (upper?.below ?? 0)
    }

    /// The values the note has exactly at the worked numbers: its given inputs, and each quantity
    /// it defines evaluated there.
    func exactValues(_ evaluator: Evaluator) -> [Double] {
        guard !workedKeys.isEmpty else { return [] }
        var values = workedKeys.compactMap { scope.literals[$0]?.scalar }
        // Evaluating here must leave no trace in what the claim's own evaluation found.
        let (inputs, disconnections, functions) = (evaluator.inputs, evaluator.disconnections, evaluator.arbitraryFunctionsUsed)
        defer { (evaluator.inputs, evaluator.disconnections, evaluator.arbitraryFunctionsUsed) = (inputs, disconnections, functions) }
        for definition in scope.symbols.values.prefix(200) where definition.indexParameters.isEmpty && definition.parameters.isEmpty {
            let drawnBefore = evaluator.inputs.count
            // A quantity computed from a drawn input has no exact value in the note.
            if let value = (try? evaluator.evaluate(definition.body, Evaluator.Context()))?.value.scalar, value.isFinite,
               evaluator.inputs.count == drawnBefore {
                values.append(value)
            }
        }
        return values
    }

    /// Derivatives written in the step, with their values.
    func computedValues(_ claim: Claim, _ evaluator: Evaluator, _ context: Evaluator.Context) -> [NamedValue] {
        var values: [NamedValue] = []
        var seen: Set<String> = []
        for side in [claim.left, claim.right] {
            side.forEachNode { node in
                guard values.count < 6 else { return }
                switch node.kind {
                case .derivative, .nabla: break
                default: return
                }
                guard seen.insert(node.latex).inserted, let value = try? evaluator.evaluate(node, context) else { return }
                values.append(NamedValue(name: node.plain, value: ValueFormat.text(value.value)))
            }
        }
        return values
    }

    /// Plain symbols of the step with their values, for hovering in the page.
    func symbolValues(_ claim: Claim, _ evaluator: Evaluator) -> [SymbolValue] {
        var values: [SymbolValue] = []
        for side in [claim.left, claim.right] {
            collectSymbols(side, evaluator, into: &values)
        }
        return values
    }

    func collectSymbols(_ expression: MathExpression, _ evaluator: Evaluator, into values: inout [SymbolValue]) {
        guard values.count < 40 else { return }
        switch expression.kind {
        case .symbol(let symbol):
            // An index letter has no value of its own; neither has θ in ℒ(θ) (below).
            if symbol.indices.isEmpty, analysis.indexNames.contains(symbol.name) { return }
            if let value = try? evaluator.evaluate(expression, Evaluator.Context()) {
                values.append(SymbolValue(range: expression.range, value: ValueFormat.text(value.value)))
            }
        case .derivative(let derivative):
            if let operand = derivative.operand { collectSymbols(operand, evaluator, into: &values) }
        case .nabla(_, let operand):
            if let operand { collectSymbols(operand, evaluator, into: &values) }
        case .application(let function, _) where function.symbol.flatMap({ scope.network?.role(ofBaseKey: $0.baseKey) }) == .loss:
            collectSymbols(function, evaluator, into: &values)
        default:
            for child in expression.children { collectSymbols(child, evaluator, into: &values) }
        }
    }

    /// The smallest pair of corresponding sub-terms whose values differ.
    func difference(_ left: MathExpression, _ right: MathExpression, _ evaluator: Evaluator, _ context: Evaluator.Context) -> Difference? {
        func differs(_ a: MathExpression, _ b: MathExpression) -> Bool {
            guard let x = try? evaluator.evaluate(a, context), let y = try? evaluator.evaluate(b, context) else { return false }
            return !Comparison(x.value, y.value, relativeTolerance: 1e-9).holds
        }
        var a = left
        var b = right
        var found: (MathExpression, MathExpression)?
        for _ in 0..<32 {
            var pairs: [(MathExpression, MathExpression)] = []
            switch (a.kind, b.kind) {
            case (.binary(let op1, let l1, let r1), .binary(let op2, let l2, let r2)) where op1 == op2:
                pairs = [(l1, l2), (r1, r2)]
            case (.negation(let x), .negation(let y)), (.group(let x, _), .group(let y, _)):
                pairs = [(x, y)]
            case (.group(let x, _), _):
                pairs = [(x, b)]
            case (_, .group(let y, _)):
                pairs = [(a, y)]
            default:
                break
            }
            let differing = pairs.filter { differs($0.0, $0.1) }
            guard differing.count == 1, let next = differing.first else { break }
            found = next
            a = next.0
            b = next.1
        }
        guard let found else { return nil }
        return Difference(text: "\(found.0.plain) vs \(found.1.plain)", ranges: [found.0.range, found.1.range])
    }

    /// The smallest differing pair of sub-terms, as text and where they are written.
    struct Difference: Equatable {
        var text: String
        var ranges: [SourceRange]
    }

    mutating func finish(_ outcome: ClaimOutcome, claim: Claim, sign: SourceRange, math: MathCell, expectFailure: Bool) {
        let first = outcome.first ?? DrawResult()
        var result = StepResult(status: .verified, location: sign, mathOffset: math.contentRange.start.offset,
                                left: claim.left.plain, right: claim.right.plain)
        result.computed = first.computed
        result.inputs = first.inputs
        result.symbolValues = first.symbols
        if !claim.indexVariables.isEmpty, !first.rows.isEmpty {
            result.table = IndexTable(indices: claim.indexVariables, rows: first.rows, totalCount: first.checked)
        }
        var shownLeft = first.failureLeft ?? first.firstLeft
        var shownRight = first.failureRight ?? first.firstRight
        if !outcome.failed, let sides = outcome.nonzeroSides {
            shownLeft = sides.left
            shownRight = sides.right
        }
        result.leftValue = shownLeft.map(ValueFormat.text)
        result.rightValue = shownRight.map(ValueFormat.text)
        if let error = outcome.error {
            switch error {
            case .unsupported(let reason, _):
                result.leaveUnchecked(.unsupported)
                result.message = reason
            case .engine(let engineError, _):
                result.leaveUnchecked(.notEvaluated)
                result.message = VerifyMessages.couldNotEvaluate(engineError.description)
            case .cycle(let message, _), .limit(let message, _):
                result.status = .error
                result.message = message
            case .outOfTime:
                result.status = .error
                result.message = VerifyMessages.timeBudget(Int(verifier.limits.timePerNote.components.seconds))
            case .indexOutOfRange, .unbound, .notVectorizable:
                result.leaveUnchecked(.noIndexValues)
                result.message = VerifyMessages.noIndexValues
            }
        } else if outcome.noTuples {
            result.leaveUnchecked(.noIndexValues)
            result.message = VerifyMessages.noIndexValues
        } else if let cut = first.disconnections.first(where: \.statedAsNumber), outcome.failed {
            // The note gives the quantity as a number only: its derivative is unknown, not 0.
            result.leaveUnchecked(.statedAsNumber)
            result.message = VerifyMessages.statedOnlyAsNumber(cut.operand, cut.variable)
        } else if let cut = first.disconnections.first(where: \.throughOpenFunction), outcome.failed {
            // A derivative no definition connects is 0 only as far as the note says: the step
            // compared a 0 the author did not mean (`\partial {\cal C}(\hat{W})/\partial w` with C left open).
            result.leaveUnchecked(.disconnectedDerivative)
            result.message = VerifyMessages.doesNotDepend(cut.operand, cut.variable)
        } else if outcome.failed, !first.disconnections.isEmpty,
                  let (used, defined) = layerDefinedOnlyElsewhere(in: reachedDefinitions(from: [claim.left, claim.right]), anyLabel: true) {
            // `z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k` with a written only at layer L: the
            // derivative lost its path at a layer the note does not define, not in the note.
            result.leaveUnchecked(.shiftedLayer)
            result.message = VerifyMessages.shiftedLayer(used, defined: defined)
        } else if let function = first.unknownFunction, outcome.failed {
            result.leaveUnchecked(.undefinedFunction)
            result.message = VerifyMessages.undefinedFunctionOnOneSide(function)
        } else if let drawn = first.drawnInputs.first, outcome.failed {
            result.leaveUnchecked(claim.hasPrintedNumbers ? .numbersWithoutValue : .newName)
            result.message = claim.hasPrintedNumbers ? VerifyMessages.noValueForNumbers(ValueFormat.name(drawn))
                : VerifyMessages.newNameWithoutValue(ValueFormat.name(drawn))
        } else if let cut = first.disconnections.first, !outcome.failed, first.bothZero {
            // 0 = 0 through a derivative no definition connects: nothing was compared.
            result.leaveUnchecked(.disconnectedDerivative)
            result.message = VerifyMessages.doesNotDepend(cut.operand, cut.variable)
        } else if outcome.failed {
            if outcome.inconclusive {
                result.leaveUnchecked(.inconclusive)
                result.message = VerifyMessages.inconclusive
            } else {
                result.status = expectFailure ? .expectedFailure : .failed
                let values = VerifyMessages.differs(result.leftValue ?? "?", result.rightValue ?? "?")
                if let tuple = outcome.failingTuple, !claim.indexVariables.isEmpty {
                    let names = zip(claim.indexVariables, tuple).map { "\($0) = \($1)" }.joined(separator: ", ")
                    result.message = first.shapeMessage ?? VerifyMessages.failsAt(names, result.leftValue ?? "?", result.rightValue ?? "?")
                } else if let allowed = first.printedAllowance, let left = first.failureLeft?.scalar, let right = first.failureRight?.scalar {
                    result.message = VerifyMessages.differsBeyondPrintedDigits(left, right, allowed: allowed)
                    // Four digits would show the same number twice: as many as tell them apart.
                    result.leftValue = VerifyMessages.precise(left)
                    result.rightValue = VerifyMessages.precise(right)
                } else {
                    result.message = first.shapeMessage ?? values
                }
                result.differingTerm = first.difference?.text
                result.differingRanges = first.difference?.ranges ?? []
            }
        } else if !expectFailure, let allowed = first.printedAllowance {
            result.message = VerifyMessages.holdsToPrintedDigits(allowed)
        } else if expectFailure {
            result.status = .failed
            result.message = VerifyMessages.expectedFailureHolds(VerifyMessages.differs(result.leftValue ?? "?", result.rightValue ?? "?"))
        }
        report.steps.append(result)
    }

    mutating func record(_ status: StepStatus, _ sign: SourceRange, _ math: MathCell,
                                 left: MathExpression? = nil, right: MathExpression? = nil, message: String = "",
                                 reason: UncheckedReason? = nil) {
        assert((status == .unchecked) == (reason != nil), "an unchecked step has a reason, and only an unchecked one")
        report.steps.append(StepResult(status: status, location: sign, mathOffset: math.contentRange.start.offset,
                                       message: message, left: left?.plain ?? "", right: right?.plain ?? "", reason: reason))
    }
}
