import Diagnostics
import MathSyntax
import Notebook

/// What checking a note found: one result per relation of its math, in
/// document order, plus problems that belong to no single step.
///
/// ```swift
/// let report = Verifier(seed: 7).check(notebook)
/// for step in report.failures { print(step.diagnostic) }
/// ```
public struct Report: Sendable, Equatable, Codable {
    public var file: String
    /// The seed the free inputs were drawn with; `--seed` repeats a run.
    public var seed: UInt64
    public var steps: [StepResult]
    /// Problems outside steps: malformed cells, unreadable math.
    public var diagnostics: [Diagnostic]
    /// `\nbvalue{…}` commands of the note with their values, in document order.
    public var values: [ValueResult]
    /// What `show:` and `train:` statements computed, and the computation graph
    /// drawn without asking, in document order; the renderer draws them.
    public var figures: [CellFigure]
    /// How the note's notation was read, decided once for the whole note: "read `net` as one name".
    public var readings: [String] = []
    /// When the note's `timePerNote`, counted from the start of checking, runs out: typesetting
    /// its math stops there too, so checking and typesetting together take at most that.
    public var deadline: ContinuousClock.Instant?
    /// Each math cell as the checker parsed it (before its names were resolved), by the cell:
    /// the renderer reads it from here instead of parsing the TeX again
    /// (`parsedMath(for:)`). Not kept in a cache: a tree of several hundred bytes per equation
    /// to encode and decode on every theme change would cost more than the few formulas in
    /// headings the renderer parses when a cached report has none. A cell whose TeX a site
    /// macro rewrote has none either (its ranges would point into the expanded TeX).
    public var parsedMath: [MathCell.ID: ParsedMath] = [:]

    /// A report kept in a cache (a site re-rendered for a theme change) says the same things;
    /// its deadline is set afresh by whoever uses it, and its parsed math is not kept.
    enum CodingKeys: String, CodingKey {
        case file, seed, steps, diagnostics, values, figures, readings
    }

    /// Two reports are equal when they say the same things; when they were made, and whether they
    /// still carry the parsed math, do not count.
    public static func == (a: Report, b: Report) -> Bool {
        a.file == b.file && a.seed == b.seed && a.steps == b.steps && a.diagnostics == b.diagnostics
            && a.values == b.values && a.figures == b.figures && a.readings == b.readings
    }

    public init(file: String, seed: UInt64, steps: [StepResult] = [], diagnostics: [Diagnostic] = [], values: [ValueResult] = [],
                figures: [CellFigure] = []) {
        self.file = file
        self.seed = seed
        self.steps = steps
        self.diagnostics = diagnostics
        self.values = values
        self.figures = figures
    }

    /// Figures placed after the cell or math whose content starts at this file offset.
    public func figures(at offset: Int) -> [CellFigure] {
        figures.filter { $0.offset == offset }
    }

    public var failures: [StepResult] { steps.filter { $0.status == .failed || $0.status == .error } }

    public func count(_ status: StepStatus) -> Int { steps.count { $0.status == status } }

    /// Steps of the math whose TeX starts at this file offset (`MathCell.contentRange.start.offset`).
    public func steps(in math: MathCell.ID) -> [StepResult] {
        steps.filter { $0.math == math }
    }

    /// What the checker found in one math cell: its steps and its `\nbvalue{…}` values.
    public func results(for math: MathCell.ID) -> MathResults {
        MathResults(steps: steps(in: math), values: values.filter { $0.math == math })
    }

    /// The math of a cell as the checker parsed it; nil when the report does not carry it
    /// (a report from a cache, a cell the checker never reached).
    ///
    /// ```swift
    /// let math = report.parsedMath(for: cell.id) ?? MathParser.parse(cell.tex)
    /// ```
    public func parsedMath(for math: MathCell.ID) -> ParsedMath? {
        parsedMath[math]
    }

    /// Every math cell's results, for a renderer that visits them all (a cell the checker
    /// found nothing in has no entry).
    public var resultsByMath: [MathCell.ID: MathResults] {
        var results: [MathCell.ID: MathResults] = [:]
        for step in steps { results[step.math, default: MathResults()].steps.append(step) }
        for value in values { results[value.math, default: MathResults()].values.append(value) }
        return results
    }

    /// Diagnostics for every step that is not fine, then the others; for printing.
    public var allDiagnostics: [Diagnostic] {
        diagnostics + steps.compactMap(\.diagnostic)
    }
}

/// The checker's results in one math cell, in document order: the join between a
/// `MathCell.ID` of the notebook and the page the renderer makes of it.
///
/// ```swift
/// let results = report.results(for: cell.id)
/// results.steps.map(\.status)   // [.verified, .failed]
/// ```
public struct MathResults: Sendable, Equatable {
    public var steps: [StepResult] = []
    /// The values of the cell's `\nbvalue{…}` commands.
    public var values: [ValueResult] = []

    public init(steps: [StepResult] = [], values: [ValueResult] = []) {
        self.steps = steps
        self.values = values
    }
}

public enum StepStatus: String, Sendable, Equatable, CaseIterable, Codable {
    /// A definition: it binds a name, there is nothing to check.
    case defined
    /// Both sides agree at every draw.
    case verified
    /// The sides differ.
    case failed
    /// Marked as wrong on purpose, and indeed wrong.
    case expectedFailure = "expected-failure"
    /// Not checked, with a reason (prose in math, an unknown function, …).
    case unchecked
    /// The step could not run: a cycle among definitions, a resource limit, a malformed cell.
    case error
}

/// One checked relation.
public struct StepResult: Sendable, Equatable, Codable {
    public var status: StepStatus
    /// The relation sign: its line is the step's line.
    public var location: SourceRange
    /// The file offset of the TeX of the math this step is in.
    public var mathOffset: Int
    /// Why: the reason a step is unchecked, what differs in a failure.
    public var message: String
    /// For an unchecked step, which reason: its stable code (`message` words it).
    public var reason: UncheckedReason?
    /// Both sides in plain form (`∂E/∂w_1`, `-(t_1 - y_1) * h_1`).
    public var left: String
    public var right: String
    /// Both sides' values at the first draw, formatted; nil when not evaluated.
    public var leftValue: String?
    public var rightValue: String?
    /// For a failure: the smallest sub-term whose value differs, when one was found.
    public var differingTerm: String?
    /// Where those two sub-terms are written (left, then right), for marking them in the equation.
    public var differingRanges: [SourceRange]
    /// Values of derivatives written in the step (`∂E/∂w_1 = -0.2315`), at the first draw.
    public var computed: [NamedValue]
    /// The inputs drawn for the first draw.
    public var inputs: [NamedValue]
    /// For identities with free indices: values of both sides per index tuple.
    public var table: IndexTable?
    /// Values of symbols written in the step, for hover (file offset of each symbol).
    public var symbolValues: [SymbolValue]

    public init(status: StepStatus, location: SourceRange, mathOffset: Int, message: String = "",
                left: String = "", right: String = "", leftValue: String? = nil, rightValue: String? = nil,
                differingTerm: String? = nil, computed: [NamedValue] = [], inputs: [NamedValue] = [],
                table: IndexTable? = nil, symbolValues: [SymbolValue] = [], differingRanges: [SourceRange] = [],
                reason: UncheckedReason? = nil) {
        self.status = status
        self.reason = reason
        self.location = location
        self.mathOffset = mathOffset
        self.message = message
        self.left = left
        self.right = right
        self.leftValue = leftValue
        self.rightValue = rightValue
        self.differingTerm = differingTerm
        self.computed = computed
        self.inputs = inputs
        self.table = table
        self.symbolValues = symbolValues
        self.differingRanges = differingRanges
    }

    public var line: Int { location.start.line }

    /// Skipped on the author's request (`nb: skip`).
    public var isSkipped: Bool { status == .unchecked && reason == .skipped }

    /// Leaves the step unchecked, for `reason` (its `message` words it).
    mutating func leaveUnchecked(_ reason: UncheckedReason) {
        status = .unchecked
        self.reason = reason
    }

    /// The code of this step's diagnostic, or nil for a fine one.
    public var code: MessageID? { diagnostic?.id }

    /// The message printed for this step, or nil for a fine one.
    public var diagnostic: Diagnostic? {
        switch status {
        case .defined, .verified, .expectedFailure:
            return nil
        case .failed:
            var notes: [String] = []
            if let leftValue, let rightValue { notes.append("left side \(left) = \(leftValue)"); notes.append("right side \(right) = \(rightValue)") }
            if let differingTerm { notes.append("the sides first differ at \(differingTerm)") }
            return .error(VerifyMessages.stepDoesNotHold(message), at: location, notes: notes)
        case .unchecked:
            // A step the author asked to skip is not a problem to report.
            return isSkipped ? nil : .warning(VerifyMessages.unchecked(message, reason), at: location)
        case .error:
            return .error(VerifyMessages.stepError(message), at: location)
        }
    }
}

public struct NamedValue: Sendable, Equatable, Codable {
    public var name: String
    public var value: String
    /// A vector's or matrix's first entries, for a small table on the page.
    public var grid: ValueGrid?

    public init(name: String, value: String, grid: ValueGrid? = nil) {
        self.name = name
        self.value = value
        self.grid = grid
    }
}

/// Values of an identity's two sides over its free indices.
public struct IndexTable: Sendable, Equatable, Codable {
    /// The free index names, in order (`i`, `j`).
    public var indices: [String]
    public var rows: [Row]
    /// How many tuples there were in all (rows may be a sample).
    public var totalCount: Int

    public struct Row: Sendable, Equatable, Codable {
        public var tuple: [Int]
        public var left: String
        public var right: String
        public var holds: Bool

        public init(tuple: [Int], left: String, right: String, holds: Bool) {
            self.tuple = tuple
            self.left = left
            self.right = right
            self.holds = holds
        }
    }

    public init(indices: [String], rows: [Row], totalCount: Int) {
        self.indices = indices
        self.rows = rows
        self.totalCount = totalCount
    }
}

/// A symbol written in the math and its value at the first draw.
public struct SymbolValue: Sendable, Equatable, Codable {
    public var range: SourceRange
    public var value: String

    public init(range: SourceRange, value: String) {
        self.range = range
        self.value = value
    }
}

/// A `\nbvalue[format]{expression}` written in the note, evaluated at the first draw.
public struct ValueResult: Sendable, Equatable, Codable {
    /// The whole command, `\nbvalue` to its closing brace.
    public var range: SourceRange
    /// The file offset of the TeX of the math it is in (as `StepResult.mathOffset`).
    public var mathOffset: Int
    /// The argument as written (`\frac{\partial E}{\partial w_1}`).
    public var expression: String
    /// The value, formatted with the command's format (default: four significant digits); nil when not evaluated.
    public var value: String?
    /// Why there is no value.
    public var message: String

    public init(range: SourceRange, mathOffset: Int, expression: String, value: String?, message: String = "") {
        self.range = range
        self.mathOffset = mathOffset
        self.expression = expression
        self.value = value
        self.message = message
    }
}

extension StepResult {
    /// The math cell the step is in.
    public var math: MathCell.ID { MathCell.ID(offset: mathOffset) }
}

extension ValueResult {
    /// The math cell the value is asked for in.
    public var math: MathCell.ID { MathCell.ID(offset: mathOffset) }
}
