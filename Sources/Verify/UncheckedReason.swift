import Diagnostics

/// Why a step was left unchecked, as a stable code: `verify.unchecked.<reason>`.
/// The wording of the reason (`StepResult.message`) says it for a reader and may
/// improve; code, tests and `<!-- nb: allow verify.unchecked.relation -->` use the
/// code (docs/diagnostics.md lists each with an example). Allowing `verify.unchecked`
/// silences them all.
///
/// ```swift
/// let step = Verifier(seed: 7).check(notebook).steps[0]
/// step.reason          // .relation, for `a \le b`
/// step.reason?.id      // "verify.unchecked.relation"
/// ```
public enum UncheckedReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// `nb: skip`: the author asked; never reported.
    case skipped
    /// A relation other than `=`, `≈`, `≡` and `:=` (`≤`, `∈`, `→`).
    case relation
    /// An update written as `w ← w - α ∂E/∂w`, or `w = w - …`: an assignment, not an identity.
    case updateRule = "update-rule"
    /// A display that starts with a relation (`= b + c`) and no earlier math gives its left side.
    case noLeftSide = "no-left-side"
    /// Math the reader could not make sense of, that still says something (`=`).
    case unreadable
    /// A term the checker does not read (prose in math, an unknown function, a pattern it cannot continue).
    case unsupported
    /// The engine refused a value (a logarithm of a negative number, a value that is not finite).
    case notEvaluated = "not-evaluated"
    /// Free indices, and no index tuple at which both sides are defined.
    case noIndexValues = "no-index-values"
    /// A derivative of a quantity the note gives only as a number.
    case statedAsNumber = "stated-as-number"
    /// A derivative that no definition of the note connects: its 0 is not what the author meant.
    case disconnectedDerivative = "disconnected-derivative"
    /// A function the note never defines, used on one side only.
    case undefinedFunction = "undefined-function"
    /// A name first written in this step that the note gives no value.
    case newName = "new-name"
    /// Printed numbers to compare, and a name they depend on that the note gives no value.
    case numbersWithoutValue = "numbers-without-value"
    /// Holds at some draws and not at others (near a kink or a singular point).
    case inconclusive
    /// The prose before the display presents it in another convention than the note's.
    case anotherConvention = "another-convention"
    /// The prose before the display makes it an equation to solve (a gradient set to zero).
    case equationToSolve = "equation-to-solve"
    /// Written with differentials (`dy = f'(x) dx`).
    case differentials
    /// A vector or matrix written whole that the matrix checker cannot take.
    case matrixNotation = "matrix-notation"
    /// A mismatch of shapes through a symbol whose shape nothing in the note fixes.
    case guessedShape = "guessed-shape"
    /// A quantity written at a layer where the note defines it only at another.
    case shiftedLayer = "shifted-layer"

    /// The code of the step's warning, `verify.unchecked.relation`.
    public var id: MessageID { MessageID("\(Self.family.code).\(rawValue)") }

    /// The code that names every unchecked reason at once (for `nb: allow`).
    public static let family: MessageID = "verify.unchecked"
}
