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
    let lock = NSLock()
    var report: Report?

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
    /// The words of the prose just before the display that make it an equation to solve ("Setting
    /// the gradient to zero,"), if they do.
    var displaySolves: String?
    /// Where the last display that is an equation to solve ends, and its cue.
    var solving: (end: Int, cue: String)?
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
                report.parsedMath[math.id] = result
                annotationTexts += math.annotations.map(\.text) + result.annotations.map(\.text)
            case .code(let code) where CodeCell.languages.contains(code.language):
                let program = CellProgram(cell: code, source: notebook.source)
                programs[position] = program
                if let network = Self.network(from: program) { networkNames = network }
            case .code:
                break
            }
        }
        // A note in the network's notation that declares no network is read as one (`ConventionalNetwork`).
        var conventionalNetwork: NetworkModel?
        if networkNames == nil,
           let model = ConventionalNetwork.model(for: Array(parsed.values)) {
            conventionalNetwork = model
            networkNames = model
            report.readings.append(ConventionalNetwork.reading(of: model))
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
        var courseLoss: String?
        if let gradients = CourseGradients(maths: Array(resolved.values), texts: texts, definedNames: namesDefinedAnywhere) {
            courseLoss = gradients.loss.symbol?.baseKey
            for (position, math) in resolved { resolved[position] = gradients.rewriting(math) }
            report.readings.append("read `dX` as the derivative of \(gradients.loss.plain) with respect to X (the deep-learning course's notation)")
            if let reading = gradients.examplesReading { report.readings.append(reading) }
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
        matrixShapes = MatrixShapes.of(notebook, maths: cells.indices.compactMap { resolved[$0] }, seed: seed, excluding: excluded,
                                       courseLoss: courseLoss)
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
        analysis.assumeRanges(in: resolved.values.flatMap(\.statements))
        if let conventionalNetwork { scope.network = conventionalNetwork }

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

}

extension Scope {
    init(network: NetworkModel?) {
        self.init()
        self.network = network
    }
}
