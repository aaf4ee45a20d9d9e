import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

extension VerifierRun {
    // MARK: Display math

    /// `i = j` or `i \neq j` written in the prose just before a display ("If $i = j$,"): the
    /// display's claims are about those index values only.
    struct IndexCondition {
        var left: String
        var right: String
        var equal: Bool

        func admits(_ indices: [String: Int]) -> Bool {
            guard let a = indices[left], let b = indices[right] else { return true }
            return (a == b) == equal
        }
    }

    mutating func checkDisplay(_ math: MathCell, _ tree: ParsedMath, skipping commands: [InsertedValueCommand]) {
        displayCondition = indexCondition
        indexCondition = nil
        defer { displayCondition = nil }
        displayConvention = Self.anotherConvention(in: notebook.source, before: math.range.start.offset)
        displaySolves = Self.equationToSolve(in: notebook.source, before: math.range.start.offset)
        // A display right after an equation to solve, with no prose between, goes on solving it.
        if displaySolves == nil, let (end, cue) = solving, math.range.start.offset >= end,
           notebook.source.bytes[end..<math.range.start.offset].allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            displaySolves = cue
        }
        solving = displaySolves.map { (math.range.end.offset, $0) }
        defer { displayConvention = nil; displaySolves = nil }
        // Cases ("If $i = j$, … And if $i \neq j$, …") each continue from where the split began.
        if displayCondition != nil {
            if caseAnchor == nil { caseAnchor = previousOperand }
            previousOperand = caseAnchor
        } else {
            caseAnchor = nil
        }
        let cellDirectives = Directives(math.annotations.map { ($0.text, $0.range) }, into: &report.diagnostics)
        if cellDirectives.freshScope { scope = Scope(network: scope.network) }
        if cellDirectives.noGraph { noGraph = true }
        // `… \quad \text{where } \ell = …`: what a display assumes is read before what it claims.
        // `[\because h_{ij} = g(a_{ij})]` too: the fact a step rests on is read before the step.
        let isGiven = { (statement: MathStatement) in (statement.role == .premise || statement.role == .reason) && statement.left != nil }
        let ordered = tree.statements.filter(isGiven) + tree.statements.filter { !isGiven($0) }
        for statement in ordered where !Self.touches(statement, commands) {
            // Math that could not be read is never dropped silently when it states something.
            if statement.steps.isEmpty, let left = statement.left, left.containsUninterpretable, math.tex.utf8.contains(UInt8(ascii: "=")) {
                let reason = tree.diagnostics.first.map(\.message) ?? VerifyMessages.unreadable
                report.steps.append(StepResult(status: .unchecked, location: left.range, mathOffset: math.contentRange.start.offset,
                                               message: reason, left: left.plain, reason: .unreadable))
                continue
            }
            var directives = cellDirectives
            directives.merge(Directives(statement.annotations.map { ($0.text, $0.range) }, into: &report.diagnostics))
            apply(directives)
            var operands = statement.operands
            if statement.left == nil {
                guard let previous = previousOperand else {
                    if let sign = statement.steps.first?.signRange {
                        record(.unchecked, sign, math, message: VerifyMessages.nothingToContinue, reason: .noLeftSide)
                    }
                    continue
                }
                operands.insert(previous, at: 0)
            }
            var chainCompared = false
            for (index, step) in statement.steps.enumerated() {
                let left = operands[index]
                let right = operands[index + 1]
                if directives.skip {
                    record(.unchecked, step.signRange, math, left: left, right: right, message: VerifyMessages.skipped, reason: .skipped)
                    continue
                }
                // `(w^{l+1})^T \delta^{l+1})`: a bracket that closes none is the note's typo, and
                // neither defines nor claims anything readable.
                if let stray = strayCloser(in: right) ?? strayCloser(in: left) {
                    record(.failed, step.signRange, math, left: left, right: right, message: VerifyMessages.strayCloser(stray))
                    continue
                }
                // `h_t = \tanh(…), \qquad t = 1, \dots, T`: where an index variable runs, not a value for it.
                if index == 0, let letter = left.symbol, letter.indices.isEmpty, letter.label == nil,
                   analysis.indexNames.contains(letter.name), Self.isNumbersOnly(right), !scope.isBound(letter.key) {
                    break
                }
                let mayDefine = index == 0 && statement.left != nil && statement.role != .conclusion
                let before = report.steps.count
                if mayDefine, define(left, right, relation: step.relation, forced: directives.define, sign: step.signRange, math: math) {
                    flagRepeatedInput(in: right, since: before)
                    continue
                }
                // `d\sigma(x) = \frac{d\sigma}{dz} … = \frac{-e^{-x}}{(1 + e^{-x})^2}`: a chain that starts
                // from the differential of a function of one variable means its derivative, and the
                // first side written without differentials is compared with that derivative.
                if index > 0, step.relation == .equal, !chainCompared, !Self.hasDifferential(right),
                   !scope.isBound("d"), let derivative = Self.derivative(meantBy: operands[0]) {
                    check(derivative, right, relation: .equal, sign: step.signRange, math: math,
                          expectFailure: directives.expectFailure, inline: false)
                    if report.steps.count == before + 1, [.verified, .failed].contains(report.steps[before].status) {
                        report.steps[before].message = VerifyMessages.comparedWithDerivative(Self.differentialText(operands[0]), derivative.plain,
                                                                                             report.steps[before].message)
                    }
                    chainCompared = true
                    continue
                }
                check(left, right, relation: step.relation, sign: step.signRange, math: math,
                      expectFailure: directives.expectFailure, inline: false, statement: operands)
                if report.steps[before...].contains(where: { $0.status == .verified || $0.status == .failed }) { chainCompared = true }
                if index > 0, !directives.expectFailure { recheckAfterFailedLink(operands, index, sign: step.signRange, math: math, since: before) }
            }
            // What a premise or a reason says is not where the display's chain goes on from.
            if !isGiven(statement), let last = operands.last { previousOperand = last }
        }
    }

    /// A definition that takes one input twice and leaves out its sibling (`y_1 = w_5 h_1 + w_6 h_1`
    /// with `h_2` computed): it still defines, so the numbers after it are read as written, but
    /// its step fails and says which input is missing.
    mutating func flagRepeatedInput(in right: MathExpression, since before: Int) {
        guard report.steps.count == before + 1, report.steps[before].status == .defined else { return }
        let bound = scope
        let indexNames = analysis.indexNames
        guard let slip = RepeatedInput.find(in: right, isBound: { symbol in
            Self.literalKey(symbol, indexNames: indexNames).map(bound.isBound) ?? false
        }) else { return }
        report.steps[before].status = .failed
        report.steps[before].message = VerifyMessages.repeatedInput(slip.input, weights: slip.weights, missing: slip.missing)
    }

    /// `a = b = c` with `a = b` failed and `b = c` failed too: when `a = c` holds, `b` is the
    /// one wrong side, and the error is reported once, at `a = b` (a typo in a worked
    /// number, not two mistakes). The link is then compared with `a`, and says so.
    mutating func recheckAfterFailedLink(_ operands: [MathExpression], _ index: Int, sign: SourceRange,
                                                 math: MathCell, since before: Int) {
        guard report.steps.count == before + 1, report.steps[before].status == .failed,
              let previous = report.steps[..<before].last, previous.status == .failed,
              previous.location.start.offset < sign.start.offset else { return }
        let failed = report.steps.removeLast()
        let anchor = index - 1
        check(operands[anchor], operands[index + 1], relation: .equal, sign: sign, math: math, expectFailure: false, inline: false)
        if report.steps.count == before + 1, report.steps[before].status == .verified {
            report.steps[before].message = VerifyMessages.holdsAgainstEarlierSide(operands[anchor].plain)
        } else {
            report.steps.removeSubrange(before...)
            report.steps.append(failed)
        }
    }

    mutating func apply(_ directives: Directives) {
        for family in directives.oneHot { scope.oneHot.insert(family) }
        for (tex, value) in directives.assignments {
            if let symbol = MathParser.parse(tex).expression?.resolved().symbol, let key = Self.literalKey(symbol) {
                scope.literals[key] = Tensor(value)
                workedKeys.remove(key)
            }
        }
    }

    /// A family written at a layer label (`z^l_j`) that the note defines only at another label
    /// with the same letter (`z^{l+1}_k := …`): the symbol as written and the definition's family.
    func layerDefinedOnlyElsewhere(in sides: [MathExpression], anyLabel: Bool = false) -> (String, String)? {
        var found: (String, String)?
        for side in sides where found == nil {
            side.forEachNode { node in
                guard found == nil, case .symbol(let symbol) = node.kind, let label = symbol.label else { return }
                let family = symbol.familyLabelKey
                guard scope.families[family] == nil, !scope.memberFamilies.contains(family) else { return }
                var letters: Set<String> = []
                label.forEachNode { if case .symbol(let letter) = $0.kind { letters.insert(letter.name) } }
                guard !letters.isEmpty else { return }
                let prefix = symbol.familyKey + "^{("
                for key in scope.families.keys where key != family && key.hasPrefix(prefix) {
                    var definedLetters: Set<String> = []
                    let definedLabel = key.dropFirst(prefix.count)
                    for letter in letters where definedLabel.contains(letter) { definedLetters.insert(letter) }
                    if !definedLetters.isEmpty || anyLabel {
                        found = (node.plain, String(key))
                        return
                    }
                }
            }
        }
        return found
    }

    /// The bodies of the definitions the sides reach, through definitions of definitions: where a
    /// derivative that came out 0 may have lost its path.
    func reachedDefinitions(from sides: [MathExpression]) -> [MathExpression] {
        var bodies: [MathExpression] = []
        var seen: Set<String> = []
        var pending = sides
        while let expression = pending.popLast(), bodies.count < 64 {
            expression.forEachNode { node in
                guard case .symbol(let symbol) = node.kind else { return }
                let definition: Scope.Definition?
                if let key = Self.literalKey(symbol, indexNames: analysis.indexNames), let found = scope.symbols[key] {
                    definition = found
                } else {
                    definition = scope.families[symbol.familyLabelKey]
                }
                guard let definition, seen.insert(symbol.familyLabelKey + "|" + symbol.key).inserted else { return }
                bodies.append(definition.body)
                pending.append(definition.body)
            }
        }
        return bodies
    }

    /// Binds the left side when the relation is a definition; returns whether it did.
    mutating func define(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind,
                                 forced: Bool, sign: SourceRange, math: MathCell) -> Bool {
        // `\delta^l_j \equiv \frac{\partial C}{\partial z^l_j}` names, as `:=` does.
        guard relation == .equal || relation == .definition || relation == .equivalent || forced else { return false }
        let always = relation == .definition || relation == .equivalent || forced
        let mentions = right.mentionedKeys
        switch left.kind {
        case .symbol(let symbol) where symbol.indices.isEmpty && scope.functions[symbol.baseKey] != nil && Self.isNumbersOnly(right)
            && !scope.isBound(symbol.key):
            // `L = (0.5 - 2.0)^2` after `L(w) = (w x - y)^2`: L at a point the prose names (before or after an
            // update), neither a new definition nor a claim about the drawn one; the numbers after it are checked.
            return true
        case .symbol(let symbol):
            guard !mentions.contains(symbol.key) else { return false }
            if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) != nil, !always { return false }
            var definition = Scope.Definition(body: right, range: left.range, mentions: mentions)
            definition.isDeclared = relation == .definition || relation == .equivalent
            let indexNames = symbol.indices.compactMap { index -> String? in
                guard let name = index.symbol?.name, index.symbol?.indices.isEmpty == true,
                      analysis.indexNames.contains(name) else { return nil }
                return name
            }
            if !symbol.indices.isEmpty, indexNames.count == symbol.indices.count {
                // `δ_i = W_{i+1}^T δ_{i+1} ⊙ g'(a_i)` is a recursion the note states about a bound family: a claim.
                if scope.families[symbol.familyLabelKey] != nil, right.mentionedFamilies.contains(symbol.familyLabelKey), !always {
                    return false
                }
                var family = definition
                family.indexParameters = indexNames
                let key = symbol.familyLabelKey
                if scope.families[key] != nil, !always { return redefine(left, right, key: key, family: family, sign: sign, math: math) }
                scope.families[key] = family
                record(.defined, sign, math, left: left, right: right)
                return true
            }
            guard let key = Self.literalKey(symbol, indexNames: analysis.indexNames) else { return false }
            if scope.isBound(key), !always {
                return redefine(left, right, key: key, symbol: definition, sign: sign, math: math)
            }
            // `δ_1 = …` under `δ_i := …`: the family already says what δ_1 is, so this is a claim.
            if !symbol.indices.isEmpty, scope.families[symbol.familyLabelKey] != nil, !always {
                return false
            }
            scope.literals[key] = nil
            scope.symbols[key] = definition
            if !symbol.indices.isEmpty { scope.memberFamilies.insert(symbol.familyLabelKey) }
            record(.defined, sign, math, left: left, right: right)
            return true
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            guard let symbol = function.symbol, !mentions.contains(symbol.key) else { return false }
            if arguments.contains(where: { if case .elided = $0.kind { true } else { false } }),
               symbol.indices.isEmpty, let key = Self.literalKey(symbol, indexNames: analysis.indexNames), !scope.isBound(key) {
                // `L(x_1, \ldots, x_T, w) = \frac{1}{T}\sum_t l(y_t, o_t)` lists what L depends on, elided:
                // L is the right side, whatever it is computed from.
                scope.symbols[key] = Scope.Definition(body: right, range: left.range, mentions: mentions)
                record(.defined, sign, math, left: left, right: right)
                return true
            }
            // `\text{Cost}(h_\theta(x), y) = …`: an argument that is itself an application is a
            // pattern; the body's copies of it become one parameter.
            var parameters: [String] = []
            var parameterSymbols: [MathSymbol] = []
            var right = right
            for (position, argument) in arguments.enumerated() {
                if let symbol = argument.symbol {
                    parameters.append(symbol.key)
                    parameterSymbols.append(symbol)
                    continue
                }
                guard Self.isApplication(argument) else { return false }
                let placeholder = MathSymbol(name: "#argument\(position + 1)")
                let pattern = argument.withoutRanges
                right = right.rewritten { node in
                    node.withoutRanges == pattern ? MathExpression(.symbol(placeholder), range: node.range) : node
                }
                parameters.append(placeholder.key)
            }
            if scope.network?.role(ofBaseKey: symbol.baseKey) != nil, !always { return false }
            // A name used again with another number of arguments is another function (`f(x, y)`, then `f(x)`).
            if let known = scope.functions[symbol.baseKey], known.parameters.count == parameters.count, !always {
                // The same: a restatement, checked. Another formula: the note's next example of an f.
                let before = report.steps.count
                check(left, right, relation: .equal, sign: sign, math: math, expectFailure: false, inline: false)
                guard report.steps.count > before, report.steps[before].status == .failed else { return true }
                report.steps.removeSubrange(before...)
                setFunction(symbol, Scope.Definition(parameters: parameters, parameterSymbols: parameterSymbols, body: right,
                                                     range: left.range, mentions: mentions))
                record(.defined, sign, math, left: left, right: right, message: VerifyMessages.redefines(left.plain))
                return true
            }
            setFunction(symbol, Scope.Definition(parameters: parameters, parameterSymbols: parameterSymbols, body: right,
                                                 range: left.range, mentions: mentions))
            record(.defined, sign, math, left: left, right: right)
            return true
        default:
            return false
        }
    }

    /// Makes `symbol` the function `definition`; a new f is no longer the staged form
    /// (`$f = q z$`) of the one before.
    mutating func setFunction(_ symbol: MathSymbol, _ definition: Scope.Definition) {
        scope.functions[symbol.baseKey] = definition
        if let key = Self.literalKey(symbol, indexNames: analysis.indexNames) { scope.symbols[key] = nil }
    }

    /// A bound name on the left of a first `=`. When the right side mentions symbols
    /// the old definition did not (the network grew), it is a redefinition from here
    /// on; otherwise it is a restatement, checked like any claim.
    mutating func redefine(_ left: MathExpression, _ right: MathExpression, key: String,
                                   symbol: Scope.Definition? = nil, family: Scope.Definition? = nil,
                                   sign: SourceRange, math: MathCell) -> Bool {
        let old = symbol != nil ? scope.symbols[key] : scope.families[key]
        // `$\lambda = g^T o$` in the text, then the same formula displayed: one definition, written twice.
        if let old, old.body.withoutRanges == right.withoutRanges {
            record(.defined, sign, math, left: left, right: right)
            return true
        }
        let before = report.steps.count
        check(left, right, relation: .equal, sign: sign, math: math, expectFailure: false, inline: false)
        guard report.steps.count > before, let result = report.steps.last else { return true }
        // `\delta_j \equiv \frac{\partial C}{\partial z_j}` is settled: every later `\delta_j = …` is a claim about it.
        if old?.isDeclared == true { return true }
        let grew = old.map { !right.mentionedKeys.isSubset(of: $0.mentions) } ?? true
        // The same symbols: a restatement, and its check stands (verified, failed or an error).
        // A restatement that holds changes nothing: the definition in force stays.
        guard grew, result.status != .verified else { return true }
        // One input swapped for another (`w_3 * i_2` where the definition has `w_2 * i_2`) is a
        // wrong restatement, not a network that grew: the failure stands and says what changed.
        // (Unchecked for the new input alone, being first written here, it is the same slip.)
        if let old, let swap = swappedInput(old.body, right),
           result.status == .failed || result.reason == .newName {
            report.steps[report.steps.count - 1].status = .failed
            report.steps[report.steps.count - 1].reason = nil
            report.steps[report.steps.count - 1].message = VerifyMessages.swappedInput(left.plain, swap.old, swap.new)
            return true
        }
        report.steps.removeLast()
        record(.defined, sign, math, left: left, right: right, message: VerifyMessages.redefines(left.plain))
        if let symbol {
            scope.symbols[key] = symbol
            scope.literals[key] = nil
            if case .symbol(let written) = left.kind, !written.indices.isEmpty { scope.memberFamilies.insert(written.familyLabelKey) }
        }
        if let family { scope.families[key] = family }
        return true
    }

    /// An input of `old` (a symbol with no definition) that `new` drops while it adds another input.
    func swappedInput(_ old: MathExpression, _ new: MathExpression) -> (old: String, new: String)? {
        func inputs(_ expression: MathExpression) -> [String: String] {
            var found: [String: String] = [:]
            let heads = expression.applicationHeads
            expression.forEachNode { node in
                guard case .symbol(let symbol) = node.kind, !heads.contains(Evaluator.Place(node.range)),
                      let key = Self.literalKey(symbol, indexNames: analysis.indexNames), scope.symbols[key] == nil,
                      scope.families[symbol.familyLabelKey] == nil, scope.functions[symbol.baseKey] == nil else { return }
                found[key] = node.plain
            }
            return found
        }
        let before = inputs(old), after = inputs(new)
        guard let dropped = before.keys.sorted().first(where: { after[$0] == nil }),
              let added = after.keys.sorted().first(where: { before[$0] == nil }) else { return nil }
        return (before[dropped] ?? dropped, after[added] ?? added)
    }

    /// Whether a statement holds an `\nbvalue{…}`: a value to show, not a claim to check.
    static func touches(_ statement: MathStatement, _ commands: [InsertedValueCommand]) -> Bool {
        guard !commands.isEmpty else { return false }
        let start = statement.range.start.offset
        let end = statement.range.end.offset
        return commands.contains { $0.start < end && $0.end > start }
    }

    mutating func insertValues(_ commands: [InsertedValueCommand], in math: MathCell, bindings: some MathBindings) {
        for command in commands {
            let range = notebook.source.range(from: command.start, to: command.end)
            var result = ValueResult(range: range, mathOffset: math.contentRange.start.offset, expression: command.argument, value: nil)
            let parsed = MathParser.parse(command.argument, in: notebook.source, at: command.argumentStart).resolved(by: bindings)
            if let expression = parsed.expression, !expression.containsUninterpretable {
                let evaluator = makeEvaluator(draw: 0, inline: false)
                do {
                    let value = try evaluator.evaluate(expression, Evaluator.Context()).value
                    if let scalar = value.scalar, let formatted = InsertedValueCommand.format(scalar, command.format) {
                        result.value = formatted
                    } else {
                        result.value = ValueFormat.text(value)
                    }
                } catch {
                    result.message = VerifyMessages.valueNotComputed(String(describing: error))
                }
            } else {
                result.message = VerifyMessages.valueNotComputed("cannot read \(command.argument)")
            }
            report.values.append(result)
        }
    }
}
