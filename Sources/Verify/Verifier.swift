import Backprop
import Diagnostics
import Foundation
import MathSyntax
import Notebook

/// Runs a note's cells and math in document order and checks every relation
/// of its derivations numerically. See docs/verify.md for the rules.
///
/// ```swift
/// let report = Verifier(seed: 7).check(notebook)
/// report.count(.verified)
/// ```
public struct Verifier: Sendable {
    public var seed: UInt64
    /// Independent draws of the free inputs per step (at least 3).
    public var drawCount = 3
    /// Index tuples checked exhaustively up to this many, then a sample.
    public var tupleLimit = 4096
    /// Rows kept in a step's table of index values.
    public var tableLimit = 64
    /// Time, sums, nesting, arrays and networks a note may use (docs/security.md).
    public var limits = Limits()
    /// The most time one note may take (`limits.timePerNote`).
    public var timeBudget: Duration {
        get { limits.timePerNote }
        set { limits.timePerNote = newValue }
    }
    /// Evaluate bounded sums as vectors where that is provably the same as term by term.
    public var vectorizesSums = true

    public init(seed: UInt64 = Verifier.defaultSeed) {
        self.seed = seed
    }

    public func check(_ notebook: Notebook) -> Report {
        // Definitions that build on each other recurse as deep as they chain; a thread
        // with a large stack lets the depth limit, not the stack, stop a runaway note.
        let result = ReportBox()
        let done = DispatchSemaphore(value: 0)
        let verifier = self
        let thread = Thread {
            var run = VerifierRun(verifier: verifier, notebook: notebook)
            result.set(run.run())
            done.signal()
        }
        thread.stackSize = Self.stackSize
        thread.start()
        done.wait()
        return result.get() ?? Report(file: notebook.path, seed: seed)
    }

    /// 1 GiB of address space; only what is touched is ever allocated.
    static let stackSize = 1 << 30
}

/// Hands the report from the checking thread to the caller.
private final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var report: Report?

    func set(_ report: Report) {
        lock.lock()
        self.report = report
        lock.unlock()
    }

    func get() -> Report? {
        lock.lock()
        defer { lock.unlock() }
        return report
    }
}

/// One note being checked.
struct VerifierRun {
    let verifier: Verifier
    let notebook: Notebook
    var report: Report
    var scope = Scope()
    var seed: UInt64
    var analysis = NoteAnalysis(expressions: [], excludedFamilies: [])
    var previousOperand: MathExpression?
    let started = ContinuousClock.now
    /// One tape for the draws of every claim, one after another: emptied for each, its storage kept.
    let claimTape = Tape()
    var outOfTime = false
    var deadline: ContinuousClock.Instant { started + verifier.limits.timePerNote }
    var bindings = ClosureBindings()
    /// Keys of the symbols the note differentiates with respect to: parameters, in a drawn graph.
    var differentiatedKeys: Set<String> = []
    /// Base keys of every name some statement of the note defines (`u = …`, `u(x) = …`).
    var namesDefinedAnywhere: Set<String> = []
    /// Whether a `show: graph` or `show: paths` drew the graph already, or the note said `nb: no-graph`.
    var graphShown = false
    var noGraph = false
    var hasNetworkCell = false
    /// An index condition read in the prose, waiting for the next display; and the one in force.
    var indexCondition: IndexCondition?
    var displayCondition: IndexCondition?
    /// The words of the prose just before the display that present it in a convention the note
    /// does not follow ("Some sources … would be written as"), if they do.
    var displayConvention: String?
    /// The side a case split continues from, while displays under index conditions follow one another.
    var caseAnchor: MathExpression?
    /// Symbols the note writes as whole vectors or matrices: the safety net for what `matrixShapes` does not take.
    var matrices = MatrixNotation()
    /// The shapes of the note's whole vectors and matrices: claims about them are checked as matrices.
    var matrixShapes = MatrixShapes()
    /// Where each family, and each symbol, is first written in the note's math (file offset).
    var firstUse: [String: Int] = [:]
    var firstKeyUse: [String: Int] = [:]
    /// Whether the note's prose calls its targets one-hot (`saysOneHot`), read once.
    var proseSaysOneHot = false
    /// Inputs whose values came from a worked example (`VerifierRun+WorkedNumbers`).
    var workedKeys: Set<String> = []
    /// How the note writes its names, decided once before its math is read.
    var notation = NoteNotation()

    init(verifier: Verifier, notebook: Notebook) {
        self.verifier = verifier
        self.notebook = notebook
        self.seed = verifier.seed
        self.report = Report(file: notebook.path, seed: verifier.seed)
        report.deadline = started + verifier.limits.timePerNote
    }

    mutating func run() -> Report {
        let cells = notebook.cells
        // Parse every math cell first: the superscript rule and the array
        // analysis look at the whole note.
        var parsed: [Int: ParsedMath] = [:]
        var annotationTexts: [String] = []
        var programs: [Int: CellProgram] = [:]
        var networkNames: NetworkModel?
        notation = Self.notation(of: notebook)
        report.readings = notation.readings
        for (position, cell) in cells.enumerated() {
            switch cell {
            case .math(let math):
                let result = MathParser.parse(Self.withoutNumbering(math.tex), in: notebook.source, at: math.contentRange.start.offset,
                                              notation: notation)
                parsed[position] = result
                annotationTexts += math.annotations.map(\.text) + result.annotations.map(\.text)
            case .code(let code) where CodeCell.languages.contains(code.language):
                let program = CellProgram(cell: code, source: notebook.source)
                programs[position] = program
                if let network = Self.network(from: program) { networkNames = network }
            case .code:
                break
            }
        }
        let functionNames = Self.functionNames(in: Array(parsed.values))
        let labels = SuperscriptLabels(inferringFrom: Array(parsed.values), annotations: annotationTexts)
        let labelledFamilies = Self.labelledFamilies(in: Array(parsed.values), labels: labels)
        let network = networkNames
        let bindings = ClosureBindings(
            isFunction: { symbol in
                if functionNames.contains(symbol.baseKey) { return true }
                if let network, let role = network.role(ofBaseKey: symbol.baseKey) {
                    return role == .activation || role == .loss
                }
                return nil
            },
            isLabel: { superscript, symbol in
                if let answer = labels.isLabel(superscript, on: symbol), answer { return true }
                // A label on one member (`w_{11}^2`, differentiated) is a label on all (`w_{1k}^2`).
                if labelledFamilies.contains(symbol.baseKey + "^" + superscript.latex) { return true }
                return labels.isLabel(superscript, on: symbol)
            }
        )
        self.bindings = bindings
        hasNetworkCell = network != nil
        noGraph = Self.asksForNoGraph(notebook.source)
        var resolved: [Int: ParsedMath] = [:]
        for (position, math) in parsed { resolved[position] = math.resolved(by: bindings) }
        let examples = ExampleIndices.families(in: Array(resolved.values),
                                               variables: ExampleIndices.sumVariables(in: Array(resolved.values)))
        if !examples.isEmpty {
            let features = ExampleIndices.featureFamilies(in: Array(resolved.values), among: examples)
            for (position, math) in resolved {
                resolved[position] = ExampleIndices.indexing(math, families: examples, featureFamilies: features)
            }
            for family in examples.sorted() { report.readings.append("read the superscripts of `\(family)` as example indices: `\(family)^{(i)}` is `\(family)_i`") }
        }
        namesDefinedAnywhere = Self.definedNames(in: Array(resolved.values))
        let texts = cells.compactMap { if case .math(let math) = $0 { math.tex } else { nil } }
        if let gradients = CourseGradients(maths: Array(resolved.values), texts: texts, definedNames: namesDefinedAnywhere) {
            for (position, math) in resolved { resolved[position] = gradients.rewriting(math) }
            report.readings.append("read `dX` as the derivative of \(gradients.loss.plain) with respect to X (the deep-learning course's notation)")
        }
        differentiatedKeys = Self.differentiatedKeys(in: Array(resolved.values))
        matrices = MatrixNotation(texts: cells.compactMap { if case .math(let math) = $0 { math.tex } else { nil } },
                                  maths: Array(resolved.values))
        (firstUse, firstKeyUse) = Self.firstUses(in: Array(resolved.values))
        proseSaysOneHot = Self.saysOneHot(notebook.source)
        var excluded: Set<String> = Set(network.map { model in Array(model.names.values) } ?? [])
        // Inline math never defines (`$y_c = 1$` in prose does not make y a family of definitions).
        let displayMaths = resolved.filter { position, _ in
            if case .math(let math) = cells[position] { return math.display || Self.standsAlone(math, in: notebook.source) }
            return false
        }
        excluded.formUnion(Self.indexedDefinitionFamilies(in: Array(displayMaths.values)))
        matrixShapes = MatrixShapes.of(notebook, maths: cells.indices.compactMap { resolved[$0] }, seed: seed, excluding: excluded)
        let expressions = resolved.values.flatMap { math in math.statements.flatMap(\.operands) }
        // `target_{o1}`, `target_{o2}` with `\sum_o target_o`: members named by labels, not a drawn array
        // (the sum runs over the labels).
        let labelsByLetter = NoteAnalysis.labelsByLetter(notation.names)
        let labelNames = Set(labelsByLetter.values.joined())
        for expression in expressions {
            expression.forEachNode { node in
                guard case .symbol(let symbol) = node.kind,
                      symbol.indices.contains(where: { $0.symbol.map { labelNames.contains($0.name) } ?? false }) else { return }
                excluded.insert(symbol.familyLabelKey)
            }
        }
        let seed = self.seed
        analysis = NoteAnalysis(expressions: expressions, excludedFamilies: excluded, sizeOf: { Draws.size(for: $0, seed: seed) })
        analysis.labelsByLetter = labelsByLetter

        for (position, cell) in cells.enumerated() {
            if outOfTime { break }
            switch cell {
            case .code(let code):
                if let program = programs[position] { apply(program, in: code) }
            case .math(let math):
                guard let tree = resolved[position] else { continue }
                report.diagnostics += tree.diagnostics.filter { $0.severity == .error }
                let commands = InsertedValueCommand.find(in: math)
                if math.display || Self.standsAlone(math, in: notebook.source) {
                    checkDisplay(math, tree, skipping: commands)
                } else {
                    checkInline(math, tree, skipping: commands)
                }
                insertValues(commands, in: math, bindings: bindings)
            }
        }
        if !outOfTime { addAutomaticGraph() }
        return report
    }

    /// The note's names: inferred from all of its math, plus those an `nb: names …` annotation declares.
    static func notation(of notebook: Notebook) -> NoteNotation {
        var texts: [String] = []
        var declared: Set<String> = []
        var ignored: [Diagnostic] = []   // reported where the directives apply, not twice
        for case .math(let math) in notebook.cells {
            texts.append(math.tex)
            declared.formUnion(Directives(math.annotations.map { ($0.text, $0.range) }, into: &ignored).names)
        }
        var notation = NoteNotation(inferringFrom: texts)
        for name in declared.sorted() where !notation.names.contains(name) {
            notation.names.insert(name)
            notation.readings.append("read `\(name)` as one name (declared)")
        }
        return notation
    }

    // MARK: Cells

    private mutating func apply(_ program: CellProgram, in cell: CodeCell) {
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
                    report.diagnostics.append(.error("'\(tex)' is not a symbol that can be given a value", at: statement.valueRange))
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

    /// Names defined as functions anywhere: `\sigma(z) = …` as the first relation of a statement.
    /// Base keys of the names on the left of a first `=`, `:=` or `\equiv`, as symbols or applied.
    static func definedNames(in maths: [ParsedMath]) -> Set<String> {
        var names: Set<String> = []
        for math in maths {
            for statement in math.statements {
                guard let left = statement.left, let first = statement.steps.first,
                      [.equal, .definition, .equivalent].contains(first.relation) else { continue }
                switch left.kind {
                case .symbol(let symbol): names.insert(symbol.baseKey)
                case .applicationOrProduct(let function, _), .application(let function, _):
                    if let symbol = function.symbol { names.insert(symbol.baseKey) }
                default: break
                }
            }
        }
        return names
    }

    static func functionNames(in maths: [ParsedMath]) -> Set<String> {
        var names: Set<String> = []
        for math in maths {
            for statement in math.statements {
                guard let left = statement.left, let first = statement.steps.first,
                      first.relation == .equal || first.relation == .definition else { continue }
                switch left.kind {
                case .applicationOrProduct(let function, let arguments), .application(let function, let arguments):
                    if let symbol = function.symbol, arguments.allSatisfy({ $0.symbol != nil || isApplication($0) }) {
                        names.insert(symbol.baseKey)
                    }
                default: break
                }
            }
        }
        return names
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
        let after = bytes[end..<lineEnd].filter { !isSpace($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: ",") }
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

    private mutating func checkDisplay(_ math: MathCell, _ tree: ParsedMath, skipping commands: [InsertedValueCommand]) {
        displayCondition = indexCondition
        indexCondition = nil
        defer { displayCondition = nil }
        displayConvention = Self.anotherConvention(in: notebook.source, before: math.range.start.offset)
        defer { displayConvention = nil }
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
        let ordered = tree.statements.filter { $0.role == .premise && $0.left != nil } + tree.statements.filter { $0.role != .premise || $0.left == nil }
        for statement in ordered where !Self.touches(statement, commands) {
            // Math that could not be read is never dropped silently when it states something.
            if statement.steps.isEmpty, let left = statement.left, left.containsUninterpretable, math.tex.utf8.contains(UInt8(ascii: "=")) {
                let reason = tree.diagnostics.first.map(\.message) ?? VerifyMessages.unreadable
                report.steps.append(StepResult(status: .unchecked, location: left.range, mathOffset: math.contentRange.start.offset,
                                               message: reason, left: left.plain))
                continue
            }
            var directives = cellDirectives
            directives.merge(Directives(statement.annotations.map { ($0.text, $0.range) }, into: &report.diagnostics))
            apply(directives)
            var operands = statement.operands
            if statement.left == nil {
                guard let previous = previousOperand else {
                    if let sign = statement.steps.first?.signRange {
                        record(.unchecked, sign, math, message: VerifyMessages.nothingToContinue)
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
                    record(.unchecked, step.signRange, math, left: left, right: right, message: VerifyMessages.skipped)
                    continue
                }
                // `(w^{l+1})^T \delta^{l+1})`: a bracket that closes none is the note's typo, and
                // neither defines nor claims anything readable.
                if let stray = strayCloser(in: right) ?? strayCloser(in: left) {
                    record(.failed, step.signRange, math, left: left, right: right, message: VerifyMessages.strayCloser(stray))
                    continue
                }
                let mayDefine = index == 0 && statement.left != nil && (statement.role == .claim || statement.role == .premise)
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
            if let last = operands.last { previousOperand = last }
        }
    }

    /// A definition that takes one input twice and leaves out its sibling (`y_1 = w_5 h_1 + w_6 h_1`
    /// with `h_2` computed): it still defines, so the numbers after it are read as written, but
    /// its step fails and says which input is missing.
    private mutating func flagRepeatedInput(in right: MathExpression, since before: Int) {
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
    private mutating func recheckAfterFailedLink(_ operands: [MathExpression], _ index: Int, sign: SourceRange,
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

    private mutating func apply(_ directives: Directives) {
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
    private func layerDefinedOnlyElsewhere(in sides: [MathExpression], anyLabel: Bool = false) -> (String, String)? {
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
    private func reachedDefinitions(from sides: [MathExpression]) -> [MathExpression] {
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
    private mutating func define(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind,
                                 forced: Bool, sign: SourceRange, math: MathCell) -> Bool {
        // `\delta^l_j \equiv \frac{\partial C}{\partial z^l_j}` names, as `:=` does.
        guard relation == .equal || relation == .definition || relation == .equivalent || forced else { return false }
        let always = relation == .definition || relation == .equivalent || forced
        let mentions = right.mentionedKeys
        switch left.kind {
        case .symbol(let symbol):
            guard !mentions.contains(symbol.key) else { return false }
            if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) != nil, !always { return false }
            let definition = Scope.Definition(body: right, range: left.range, mentions: mentions)
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
                scope.functions[symbol.baseKey] = Scope.Definition(parameters: parameters, parameterSymbols: parameterSymbols, body: right,
                                                                   range: left.range, mentions: mentions)
                record(.defined, sign, math, left: left, right: right, message: VerifyMessages.redefines(left.plain))
                return true
            }
            scope.functions[symbol.baseKey] = Scope.Definition(parameters: parameters, parameterSymbols: parameterSymbols, body: right,
                                                               range: left.range, mentions: mentions)
            record(.defined, sign, math, left: left, right: right)
            return true
        default:
            return false
        }
    }

    /// A bound name on the left of a first `=`. When the right side mentions symbols
    /// the old definition did not (the network grew), it is a redefinition from here
    /// on; otherwise it is a restatement, checked like any claim.
    private mutating func redefine(_ left: MathExpression, _ right: MathExpression, key: String,
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
        let grew = old.map { !right.mentionedKeys.isSubset(of: $0.mentions) } ?? true
        // The same symbols: a restatement, and its check stands (verified, failed or an error).
        // A restatement that holds changes nothing: the definition in force stays.
        guard grew, result.status != .verified else { return true }
        // One input swapped for another (`w_3 * i_2` where the definition has `w_2 * i_2`) is a
        // wrong restatement, not a network that grew: the failure stands and says what changed.
        // (Unchecked for the new input alone, being first written here, it is the same slip.)
        if let old, let swap = swappedInput(old.body, right),
           result.status == .failed || result.status == .unchecked && result.message == VerifyMessages.newNameWithoutValue(swap.new) {
            report.steps[report.steps.count - 1].status = .failed
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
    private func swappedInput(_ old: MathExpression, _ new: MathExpression) -> (old: String, new: String)? {
        func inputs(_ expression: MathExpression) -> [String: String] {
            var found: [String: String] = [:]
            var heads: Set<Evaluator.Place> = []
            expression.forEachNode { node in
                switch node.kind {
                case .application(let function, _), .applicationOrProduct(let function, _):
                    heads.insert(Evaluator.Place(function.range))
                default: break
                }
            }
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

    private mutating func insertValues(_ commands: [InsertedValueCommand], in math: MathCell, bindings: some MathBindings) {
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

    // MARK: Inline math

    private mutating func checkInline(_ math: MathCell, _ tree: ParsedMath, skipping commands: [InsertedValueCommand]) {
        for statement in tree.statements where !Self.touches(statement, commands) {
            guard let first = statement.left else { continue }
            if statement.steps.isEmpty {
                declareOpenFunction(first)
                continue
            }
            let operands = [first] + statement.steps.map(\.right)
            for (index, step) in statement.steps.enumerated() {
                let left = operands[index]
                let right = operands[index + 1]
                // `(i + 1 = L)`, `j = 1, …, n`: conditions on indices, not claims about values.
                // "If $i = j$," just before a display restricts that display to those indices.
                if isIndexOnly(left) && isIndexOnly(right) && !(Self.isNumbersOnly(left) && Self.isNumbersOnly(right)) {
                    if step.relation == .equal || step.relation == .notEqual, let a = left.symbol, let b = right.symbol,
                       a.indices.isEmpty, b.indices.isEmpty, a.name != b.name {
                        indexCondition = IndexCondition(left: a.name, right: b.name, equal: step.relation == .equal)
                    }
                    continue
                }
                if left.containsUninterpretable || right.containsUninterpretable { continue }
                // "where $z = w x + b$", "With $L = -\sum_k y_k \log p_k$": a name not yet bound, given
                // a formula in running text, is defined there as a display would define it.
                if index == 0, definesInRunningText(left, right, relation: step.relation),
                   define(left, right, relation: step.relation, forced: false, sign: step.signRange, math: math) {
                    continue
                }
                check(left, right, relation: step.relation, sign: step.signRange, math: math, expectFailure: false, inline: true)
            }
        }
    }

    /// "a function $u(x, y)$ where $x(r, t)$ and $y(r, t)$": a letter the note never defines,
    /// written in running text applied to two or more symbols, is that quantity as an open function
    /// of them (drawn, as `f` in `h = f(x, w)` is), so the chain rules written about it are checked.
    private mutating func declareOpenFunction(_ expression: MathExpression) {
        guard case .application(let function, let arguments) = expression.kind, let name = function.symbol,
              Evaluator.isArbitraryFunctionName(name), arguments.count >= 2, !namesDefinedAnywhere.contains(name.baseKey),
              scope.functions[name.baseKey] == nil, !scope.isBound(name.key), scope.network?.role(ofBaseKey: name.baseKey) == nil
        else { return }
        let keys = arguments.compactMap { $0.symbol?.key }
        guard keys.count == arguments.count, Set(keys).count == keys.count, !keys.contains(name.key) else { return }
        scope.symbols[name.key] = Scope.Definition(body: expression, range: expression.range, mentions: Set(keys))
        let reading = "read `\(expression.plain)` as \(function.plain), a function of \(keys.count) arguments the note leaves open"
        if !report.readings.contains(reading) { report.readings.append(reading) }
    }

    /// A definition in running text: a name (or `f(x)`) the note has not bound yet, on the left of
    /// `=`, `:=` or `\equiv`, and a formula on the right. A number (`$y = 1$`, which prose uses
    /// for conditions), a bare symbol (`$i = j$`) or a family (`$y_c = 1$`) defines nothing here.
    private func definesInRunningText(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind) -> Bool {
        guard [.equal, .definition, .equivalent].contains(relation) else { return false }
        switch right.kind {
        case .number, .symbol: return false
        case .negation(let inner), .positive(let inner):
            if case .number = inner.kind { return false }
            if case .symbol = inner.kind { return false }
        default: break
        }
        var writesSymbol = false
        right.forEachNode { node in if case .symbol = node.kind { writesSymbol = true } }
        guard writesSymbol, !Self.hasDifferential(right) else { return false }
        let name: MathSymbol
        switch left.kind {
        case .symbol(let symbol):
            // A name the note has made a function (`f(x, y) = x y`) stays one: `$f = q z$` is a remark.
            guard scope.families[symbol.familyLabelKey] == nil, scope.functions[symbol.baseKey] == nil else { return false }
            if let key = Self.literalKey(symbol, indexNames: analysis.indexNames) {
                guard !scope.isBound(key) else { return false }
            } else {
                // `$p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$`: a family, over index variables only.
                guard symbol.indices.allSatisfy({ $0.symbol.map { analysis.indexNames.contains($0.name) && $0.indices.isEmpty } ?? false })
                else { return false }
            }
            name = symbol
        case .application(let function, let arguments), .applicationOrProduct(let function, let arguments):
            guard let symbol = function.symbol, symbol.indices.isEmpty, arguments.allSatisfy({ $0.symbol != nil }),
                  scope.functions[symbol.baseKey] == nil, !scope.isBound(symbol.baseKey) else { return false }
            name = symbol
        default:
            return false
        }
        guard !analysis.indexNames.contains(name.name) || !name.indices.isEmpty, name.name != "d",
              scope.network?.role(ofBaseKey: name.baseKey) == nil else { return false }
        return true
    }

    private func isIndexOnly(_ expression: MathExpression) -> Bool {
        var onlyIndices = true
        expression.forEachNode { node in
            switch node.kind {
            case .symbol(let symbol):
                let isLayers = scope.network?.role(ofBaseKey: symbol.baseKey) == .layers
                let isWidth = scope.network?.role(ofBaseKey: symbol.baseKey) == .widths
                if !(analysis.indexNames.contains(symbol.name) && symbol.indices.isEmpty) && !isLayers && !isWidth {
                    onlyIndices = false
                }
            case .number, .binary, .group, .negation: break
            default: onlyIndices = false
            }
        }
        return onlyIndices
    }

    // MARK: Claims

    /// `statement` holds every operand of the statement: what it says about index ranges holds for each step.
    private mutating func check(_ left: MathExpression, _ right: MathExpression, relation: MathRelationKind,
                                sign: SourceRange, math: MathCell, expectFailure: Bool, inline: Bool,
                                statement: [MathExpression] = []) {
        switch relation {
        case .equal, .definition, .approximate, .equivalent: break
        case .implies:
            // `a = b \Rightarrow c = d`: the arrow joins two statements; each is checked on its own.
            return
        default:
            let reason = relation == .update ? VerifyMessages.updateRule : VerifyMessages.relationNotChecked(relation.plain)
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: reason) }
            return
        }
        // `w5 = w5 - \alpha \frac{\partial E}{\partial w5}`: an update written with `=`, not an identity.
        if relation == .equal, Self.isUpdate(left, right) {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.updateRule) }
            return
        }
        // In running text, `$z = 0$` is a condition more often than a value: only decimals give values there.
        // "With $x = 1.5$, $y = 1$ and $w = 0.4$": a whole number among decimals given on the same line is one too.
        let mayBind = !inline || [left, right].contains { !PrintedPrecision.literals(in: $0).isEmpty }
            || Self.givesDecimalsOnItsLine(math, in: notebook.source)
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
            record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.anotherConvention(cue))
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
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.differentials) }
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
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.matrixNotation(matrix.plain)) }
            return
        }
        // `z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k` says what z is at every layer; nbrun reads
        // it at layer l+1 only, so z^l in a claim would be drawn free of it.
        if let (used, defined) = layerDefinedOnlyElsewhere(in: [left, right]) {
            if !inline { record(.unchecked, sign, math, left: left, right: right, message: VerifyMessages.shiftedLayer(used, defined: defined)) }
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
        var tuples = indexTuples(for: claim.indexVariables, in: statement.isEmpty ? [left, right] : statement)
        if let condition = displayCondition {
            tuples = tuples.filter { tuple in condition.admits(Dictionary(uniqueKeysWithValues: zip(claim.indexVariables, tuple))) }
        }
        var outcome = ClaimOutcome()
        // A claim between formulas (no printed numbers) holds for any values, not only for the
        // worked example's: its inputs keep the worked values at the first draw only.
        let general = !inline && !workedKeys.isEmpty && !claim.hasPrintedNumbers
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
    private func isFunctionName(_ expression: MathExpression) -> Bool {
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
    private func holdsWithOneHot(_ claim: Claim, tuples: [[Int]], inline: Bool) -> String? {
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

    /// Words that present the next display in another convention than the note's own.
    static let conventionCues = ["would be written", "some sources", "some authors", "other sources", "other authors",
                                 "others write", "another convention", "other convention", "some texts", "other texts"]

    /// The cue in the paragraph just before `offset` that presents the display there in another
    /// convention ("Some sources extract the negative sign from δ so it would be written as:"), or nil.
    static func anotherConvention(in source: SourceFile, before offset: Int) -> String? {
        let bytes = source.bytes
        let end = min(max(0, offset), bytes.count)
        var start = max(0, end - 400)
        // The paragraph the display follows: back to its blank line.
        if let blank = (start..<max(start, end - 1)).reversed().first(where: { bytes[$0] == UInt8(ascii: "\n") && bytes[$0 + 1] == UInt8(ascii: "\n") && $0 + 2 < end }) {
            start = blank + 2
        }
        let paragraph = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        return conventionCues.first { paragraph.contains($0) }
    }

    static func saysOneHot(_ source: SourceFile) -> Bool {
        let lowered = String(decoding: source.bytes, as: UTF8.self).lowercased()
        return lowered.contains("one-hot") || lowered.contains("one hot") || lowered.contains("onehot")
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

    private func draws(_ draw: Int) -> Draws {
        Draws(seed: seed, draw: draw, positive: analysis.positive, probabilities: analysis.probabilities)
    }

    struct Claim {
        var left: MathExpression
        var right: MathExpression
        var relativeTolerance: Double
        var indexVariables: [String] = []
        /// A side is numbers only, with a decimal literal (`= 0.186815602`, `= 0.7513(1 - 0.7513)`):
        /// the claim is about the author's worked numbers, not a formula with a constant (`-0.5 x`).
        /// Worked out once: it is asked per draw and per failing tuple.
        let hasPrintedNumbers: Bool

        init(left: MathExpression, right: MathExpression, relativeTolerance: Double) {
            self.left = left
            self.right = right
            self.relativeTolerance = relativeTolerance
            hasPrintedNumbers = [left, right].contains { VerifierRun.isNumbersOnly($0) && !PrintedPrecision.literals(in: $0).isEmpty }
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

    private func evaluate(_ claim: Claim, tuples: [[Int]], evaluator: Evaluator, draw: Int, keepDetails: Bool) -> DrawResult {
        var result = DrawResult()
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
    private func printedAllowance(_ claim: Claim, left: Double, right: Double, _ evaluator: Evaluator,
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
    private func exactValues(_ evaluator: Evaluator) -> [Double] {
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
    private func computedValues(_ claim: Claim, _ evaluator: Evaluator, _ context: Evaluator.Context) -> [NamedValue] {
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
    private func symbolValues(_ claim: Claim, _ evaluator: Evaluator) -> [SymbolValue] {
        var values: [SymbolValue] = []
        for side in [claim.left, claim.right] {
            collectSymbols(side, evaluator, into: &values)
        }
        return values
    }

    private func collectSymbols(_ expression: MathExpression, _ evaluator: Evaluator, into values: inout [SymbolValue]) {
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
    private func difference(_ left: MathExpression, _ right: MathExpression, _ evaluator: Evaluator, _ context: Evaluator.Context) -> Difference? {
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

    private mutating func finish(_ outcome: ClaimOutcome, claim: Claim, sign: SourceRange, math: MathCell, expectFailure: Bool) {
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
                result.status = .unchecked
                result.message = reason
            case .engine(let engineError, _):
                result.status = .unchecked
                result.message = VerifyMessages.couldNotEvaluate(engineError.description)
            case .cycle(let message, _), .limit(let message, _):
                result.status = .error
                result.message = message
            case .outOfTime:
                result.status = .error
                result.message = VerifyMessages.timeBudget(Int(verifier.limits.timePerNote.components.seconds))
            case .indexOutOfRange, .unbound, .notVectorizable:
                result.status = .unchecked
                result.message = VerifyMessages.noIndexValues
            }
        } else if outcome.noTuples {
            result.status = .unchecked
            result.message = VerifyMessages.noIndexValues
        } else if let cut = first.disconnections.first(where: \.statedAsNumber), outcome.failed {
            // The note gives the quantity as a number only: its derivative is unknown, not 0.
            result.status = .unchecked
            result.message = VerifyMessages.statedOnlyAsNumber(cut.operand, cut.variable)
        } else if let cut = first.disconnections.first(where: \.throughOpenFunction), outcome.failed {
            // A derivative no definition connects is 0 only as far as the note says: the step
            // compared a 0 the author did not mean (`\partial {\cal C}(\hat{W})/\partial w` with C left open).
            result.status = .unchecked
            result.message = VerifyMessages.doesNotDepend(cut.operand, cut.variable)
        } else if outcome.failed, !first.disconnections.isEmpty,
                  let (used, defined) = layerDefinedOnlyElsewhere(in: reachedDefinitions(from: [claim.left, claim.right]), anyLabel: true) {
            // `z^{l+1}_k = \sum_j w^{l+1}_{kj} a^l_j + b^{l+1}_k` with a written only at layer L: the
            // derivative lost its path at a layer the note does not define, not in the note.
            result.status = .unchecked
            result.message = VerifyMessages.shiftedLayer(used, defined: defined)
        } else if let function = first.unknownFunction, outcome.failed {
            result.status = .unchecked
            result.message = VerifyMessages.undefinedFunctionOnOneSide(function)
        } else if let drawn = first.drawnInputs.first, outcome.failed {
            result.status = .unchecked
            result.message = claim.hasPrintedNumbers ? VerifyMessages.noValueForNumbers(ValueFormat.name(drawn))
                : VerifyMessages.newNameWithoutValue(ValueFormat.name(drawn))
        } else if let cut = first.disconnections.first, !outcome.failed, first.bothZero {
            // 0 = 0 through a derivative no definition connects: nothing was compared.
            result.status = .unchecked
            result.message = VerifyMessages.doesNotDepend(cut.operand, cut.variable)
        } else if outcome.failed {
            if outcome.inconclusive {
                result.status = .unchecked
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

    private mutating func record(_ status: StepStatus, _ sign: SourceRange, _ math: MathCell,
                                 left: MathExpression? = nil, right: MathExpression? = nil, message: String = "") {
        report.steps.append(StepResult(status: status, location: sign, mathOffset: math.contentRange.start.offset,
                                       message: message, left: left?.plain ?? "", right: right?.plain ?? ""))
    }

    // MARK: Index variables

    /// Index variables written in the indices of either side, not bound by a sum and not a known number.
    private func freeIndexVariables(_ left: MathExpression, _ right: MathExpression) -> [String] {
        let names = analysis.indexVariables(in: left).union(analysis.indexVariables(in: right))
        return names.filter { name in
            let symbol = MathSymbol(name: name)
            if let network = scope.network, network.role(ofBaseKey: symbol.baseKey) == .layers { return false }
            return !scope.isBound(symbol.key) && scope.functions[symbol.key] == nil
        }.sorted()
    }

    /// Every combination of index values to try: layer positions of the network's
    /// families range over their layers, other positions over 1…the largest size.
    private func indexTuples(for variables: [String], in expressions: [MathExpression]) -> [[Int]] {
        guard !variables.isEmpty else { return [[]] }
        let largest = max(
            scope.network?.widths.max() ?? 0,
            analysis.arrayShapes.values.map { max($0.rows, $0.columns) }.max() ?? 0,
            NoteAnalysis.defaultVectorLength
        )
        // Layer positions constrain a variable to the layers that exist there.
        var layerRanges: [String: ClosedRange<Int>] = [:]
        if let network = scope.network {
            for expression in expressions {
                expression.forEachNode { node in
                    guard case .symbol(let symbol) = node.kind, let role = network.role(ofBaseKey: symbol.baseKey),
                          let layers = network.layers(of: role), let first = symbol.indices.first,
                          let (name, offset) = Self.variablePlusOffset(first) else { return }
                    let allowed = (layers.lowerBound - offset)...(layers.upperBound - offset)
                    if let current = layerRanges[name] {
                        let low = max(current.lowerBound, allowed.lowerBound)
                        let high = min(current.upperBound, allowed.upperBound)
                        layerRanges[name] = low <= high ? low...high : low...low
                    } else {
                        layerRanges[name] = allowed
                    }
                }
            }
        }
        // g is the hidden layers' activation: a layer variable under g or g' names a hidden layer.
        if let network = scope.network {
            for expression in expressions {
                expression.forEachNode { node in
                    guard case .application(let function, let arguments) = node.kind else { return }
                    var head = function
                    if case .prime(let inner, _) = function.kind { head = inner }
                    guard let symbol = head.symbol, network.role(ofBaseKey: symbol.baseKey) == .activation else { return }
                    for argument in arguments {
                        argument.forEachNode { inner in
                            guard case .symbol(let layered) = inner.kind, let role = network.role(ofBaseKey: layered.baseKey),
                                  network.layers(of: role) != nil, let first = layered.indices.first,
                                  let (name, offset) = Self.variablePlusOffset(first), let current = layerRanges[name] else { return }
                            let high = min(current.upperBound, network.layerCount - 1 - offset)
                            let low = max(current.lowerBound, 1 - offset)
                            layerRanges[name] = low <= high ? low...high : low...low
                        }
                    }
                }
            }
        }
        var ranges: [String: ClosedRange<Int>] = [:]
        for variable in variables { ranges[variable] = layerRanges[variable] ?? 1...largest }
        var tuples: [[Int]] = [[]]
        for variable in variables {
            guard let range = ranges[variable] else { continue }
            var next: [[Int]] = []
            for tuple in tuples {
                for value in range { next.append(tuple + [value]) }
                if next.count > verifier.tupleLimit * 64 { break }
            }
            tuples = next
        }
        guard tuples.count > verifier.tupleLimit else { return tuples }
        // Past the limit, an even sample keeps the first and the last tuples.
        let stride = Double(tuples.count - 1) / Double(verifier.tupleLimit - 1)
        return (0..<verifier.tupleLimit).map { tuples[Int((Double($0) * stride).rounded())] }
    }

    /// `i` → (i, 0); `i+1` → (i, 1); `i-1` → (i, -1).
    static func variablePlusOffset(_ expression: MathExpression) -> (String, Int)? {
        switch expression.kind {
        case .symbol(let symbol) where symbol.indices.isEmpty && symbol.label == nil:
            return (symbol.name, 0)
        case .binary(let operation, let left, let right) where operation == .add || operation == .subtract:
            guard let name = left.symbol?.name, case .number(let text) = right.kind, let value = Int(text) else { return nil }
            return (name, operation == .add ? value : -value)
        default:
            return nil
        }
    }
}

extension Scope {
    init(network: NetworkModel?) {
        self.init()
        self.network = network
    }
}
